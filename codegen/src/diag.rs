//! Errors the generator reports about its input. Each message begins with the shape id
//! (and member) it concerns; a [`Diagnostic`] adds the file and, where known, the line.

use std::fmt;

/// One problem found in the input models.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The file is not valid JSON.
    #[error("malformed JSON: {0}")]
    Json(String),
    /// The file is neither a Smithy JSON AST nor a pagination override.
    #[error(
        "not a Smithy JSON AST (no `smithy` key) nor a pagination override (no `pagination` key)"
    )]
    UnknownFileKind,
    /// The file's top level does not have the expected form.
    #[error("{0}")]
    InvalidFile(String),
    /// The `smithy` version is not one this generator reads.
    #[error("unsupported Smithy IDL version `{0}` (expected 1.0 or 2.0)")]
    Version(String),
    /// A shape id that is not `namespace#Name`.
    #[error("{id}: invalid shape id")]
    InvalidShapeId {
        /// The offending id.
        id: String,
    },
    /// A shape whose `type` is not a Smithy shape type.
    #[error("{id}: unknown shape type `{ty}`")]
    UnknownShapeType {
        /// The shape.
        id: String,
        /// The `type` it declares.
        ty: String,
    },
    /// A shape whose JSON does not have the form its type requires.
    #[error("{id}: {message}")]
    InvalidShape {
        /// The shape.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// The same shape id is defined twice.
    #[error("{id}: defined more than once (also in {other})")]
    DuplicateShape {
        /// The shape.
        id: String,
        /// Where the other definition is.
        other: String,
    },
    /// A reference to a shape that does not exist.
    #[error("{id}: target {target} does not exist")]
    DanglingTarget {
        /// The member or shape holding the reference.
        id: String,
        /// The missing shape id.
        target: String,
    },
    /// An `apply` statement for a shape or member that does not exist.
    #[error("{id}: `apply` names a shape or member that does not exist")]
    ApplyMissing {
        /// The id named by `apply`.
        id: String,
    },
    /// A reference to a shape of a kind that cannot be used there.
    #[error("{id}: {message}")]
    InvalidTarget {
        /// The member or shape holding the reference.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// Two shapes or members end up with the same Rust name.
    #[error("{id}: Rust name `{name}` collides with {other}")]
    NameCollision {
        /// The shape or member that lost.
        id: String,
        /// The Rust name both map to.
        name: String,
        /// The shape or member that already has the name.
        other: String,
    },
    /// Pagination metadata that does not fit the operation.
    #[error("{id}: pagination {message}")]
    Pagination {
        /// The operation.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// A trait value that does not have the form the trait requires.
    #[error("{id}: trait {name}: {message}")]
    InvalidTrait {
        /// The shape or member carrying the trait.
        id: String,
        /// The trait's shape id.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// Something the generator leaves out of the crate (a warning, not a failure).
    #[error("{id}: left out: {why}")]
    LeftOut {
        /// The operation or entry left out.
        id: String,
        /// Why.
        why: String,
    },
    /// Several service shapes in one model.
    #[error("{id}: more than one service shape (also {other}); generate one service at a time")]
    MultipleServices {
        /// The second service.
        id: String,
        /// The first service.
        other: String,
    },
}

/// Where a [`Diagnostic`] points.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The input file, as the caller named it.
    pub file: String,
    /// 1-based line and column, when known.
    pub line_col: Option<(usize, usize)>,
}

/// An [`Error`] and the file (and line) it was found in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where.
    pub location: Location,
    /// What.
    pub error: Error,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location.line_col {
            Some((line, col)) => write!(f, "{}:{line}:{col}: {}", self.location.file, self.error),
            None => write!(f, "{}: {}", self.location.file, self.error),
        }
    }
}

/// Every problem found, one per line when displayed. Generation fails with all of them
/// at once rather than stopping at the first.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            d.fmt(f)?;
        }
        Ok(())
    }
}

impl Diagnostics {
    /// Orders the diagnostics by file, line and message so output is stable.
    pub(crate) fn sorted(mut list: Vec<Diagnostic>) -> Self {
        list.sort_by(|a, b| {
            (&a.location, a.error.to_string()).cmp(&(&b.location, b.error.to_string()))
        });
        list.dedup();
        Self(list)
    }
}
