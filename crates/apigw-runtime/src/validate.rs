//! Constraint checks (`length`, `range`, `required`) called from generated
//! `validate()` methods.
//!
//! Generated code walks a value and calls the checks here with a [`Path`] that names
//! where it is. A path is a chain of borrowed segments on the stack, so a value that
//! passes every check allocates nothing; the path is only rendered into a string when a
//! [`Violation`] is recorded.

use std::fmt;

/// Where a checked value sits inside the value being validated, e.g.
/// `GetIntegrationsResponse.items[3].timeout_in_millis`.
#[derive(Clone, Copy, Debug)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Segment<'a> {
    Root(&'static str),
    Field(&'static str),
    Index(usize),
    Key(&'a str),
}

impl<'a> Path<'a> {
    /// The path of the value `validate()` was called on; `name` is its type name.
    pub const fn root(name: &'static str) -> Self {
        Self {
            parent: None,
            segment: Segment::Root(name),
        }
    }

    /// The member `name` of the structure at this path.
    pub fn field(&'a self, name: &'static str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Field(name),
        }
    }

    /// The element at `index` of the list at this path.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// The value under `key` of the map at this path.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.segment {
            Segment::Root(name) => f.write_str(name),
            Segment::Field(name) => write!(f, ".{name}"),
            Segment::Index(index) => write!(f, "[{index}]"),
            Segment::Key(key) => write!(f, "[{key:?}]"),
        }
    }
}

/// What a violated constraint requires.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ViolationKind {
    /// A `length` constraint: `length` characters (strings), bytes (blobs) or entries
    /// (lists, maps) outside `min..=max`.
    Length {
        /// The length found.
        length: u64,
        /// The smallest length allowed, if bounded.
        min: Option<u64>,
        /// The largest length allowed, if bounded.
        max: Option<u64>,
    },
    /// A `range` constraint on a number.
    Range {
        /// The value found, as text.
        value: String,
        /// The smallest value allowed, if bounded, as text.
        min: Option<String>,
        /// The largest value allowed, if bounded, as text.
        max: Option<String>,
    },
    /// A `required` member that is not set.
    Missing,
}

/// One violated constraint and where it was found.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    path: String,
    kind: ViolationKind,
}

impl Violation {
    /// The member path, e.g. `Integration.request_parameters["x"]`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was violated.
    pub fn kind(&self) -> &ViolationKind {
        &self.kind
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = &self.path;
        match &self.kind {
            ViolationKind::Length { length, min, max } => match (min, max) {
                (Some(min), _) if length < min => {
                    write!(f, "{path}: length {length} is below the minimum {min}")
                }
                (_, Some(max)) => write!(f, "{path}: length {length} is above the maximum {max}"),
                _ => write!(f, "{path}: length {length} is out of bounds"),
            },
            ViolationKind::Range { value, min, max } => {
                write!(f, "{path}: value {value} is outside the range ")?;
                write_bounds(f, min.as_deref(), max.as_deref())
            }
            ViolationKind::Missing => write!(f, "{path}: required member is not set"),
        }
    }
}

fn write_bounds(f: &mut fmt::Formatter<'_>, min: Option<&str>, max: Option<&str>) -> fmt::Result {
    match (min, max) {
        (Some(min), Some(max)) => write!(f, "{min}..={max}"),
        (Some(min), None) => write!(f, "{min}.."),
        (None, Some(max)) => write!(f, "..={max}"),
        (None, None) => f.write_str(".."),
    }
}

/// Every constraint a value violates; returned by generated `validate()` methods.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    /// The violations, in the order the members appear in the model.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            violation.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// A generated type whose constraints can be checked.
pub trait Validate {
    /// Records every violation found in `self`, which sits at `path`, into `out`.
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>);
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        (**self).validate_at(path, out)
    }
}

/// Validates `value` whose type is named `root`; `Ok` when nothing is violated.
pub fn run<T: Validate + ?Sized>(value: &T, root: &'static str) -> Result<(), ValidationError> {
    let mut violations = Vec::new();
    value.validate_at(&Path::root(root), &mut violations);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ValidationError { violations })
    }
}

/// Checks a `length` constraint: `length` must lie in `min..=max`.
pub fn length(
    path: &Path<'_>,
    length: usize,
    min: Option<u64>,
    max: Option<u64>,
    out: &mut Vec<Violation>,
) {
    let length = length as u64;
    if min.is_some_and(|min| length < min) || max.is_some_and(|max| length > max) {
        out.push(Violation {
            path: path.to_string(),
            kind: ViolationKind::Length { length, min, max },
        });
    }
}

/// The `length` of a string as Smithy counts it: Unicode scalar values.
pub fn str_length(value: &str) -> usize {
    if value.is_ascii() {
        value.len()
    } else {
        value.chars().count()
    }
}

/// Checks a `range` constraint on an integer.
pub fn range_i64(
    path: &Path<'_>,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
    out: &mut Vec<Violation>,
) {
    if min.is_some_and(|min| value < min) || max.is_some_and(|max| value > max) {
        out.push(Violation {
            path: path.to_string(),
            kind: ViolationKind::Range {
                value: value.to_string(),
                min: min.map(|m| m.to_string()),
                max: max.map(|m| m.to_string()),
            },
        });
    }
}

/// Checks a `range` constraint on a floating-point number (NaN is always outside).
pub fn range_f64(
    path: &Path<'_>,
    value: f64,
    min: Option<f64>,
    max: Option<f64>,
    out: &mut Vec<Violation>,
) {
    let below = min.is_some_and(|min| value.is_nan() || value < min);
    let above = max.is_some_and(|max| value.is_nan() || value > max);
    if below || above {
        out.push(Violation {
            path: path.to_string(),
            kind: ViolationKind::Range {
                value: value.to_string(),
                min: min.map(|m| m.to_string()),
                max: max.map(|m| m.to_string()),
            },
        });
    }
}

/// Records that the `required` member at `path` is not set.
pub fn missing(path: &Path<'_>, out: &mut Vec<Violation>) {
    out.push(Violation {
        path: path.to_string(),
        kind: ViolationKind::Missing,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Leaf(&'static str);
    impl Validate for Leaf {
        fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
            length(
                &path.field("name"),
                str_length(self.0),
                Some(1),
                Some(3),
                out,
            );
        }
    }

    #[test]
    fn path_renders_fields_indexes_and_keys() {
        let root = Path::root("Outer");
        let items = root.field("items");
        let second = items.index(1);
        let params = second.field("params");
        let key = params.key("a\"b");
        assert_eq!(key.to_string(), r#"Outer.items[1].params["a\"b"]"#);
    }

    #[test]
    fn length_reports_both_bounds() {
        assert!(run(&Leaf("abc"), "Leaf").is_ok());
        let err = run(&Leaf(""), "Leaf").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Leaf.name: length 0 is below the minimum 1"
        );
        let err = run(&Leaf("abcd"), "Leaf").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Leaf.name: length 4 is above the maximum 3"
        );
    }

    #[test]
    fn string_length_counts_scalar_values_not_bytes() {
        assert_eq!(str_length("héllo"), 5);
        assert_eq!(str_length("😀"), 1);
    }

    #[test]
    fn range_reports_value_and_bounds() {
        let mut out = Vec::new();
        let root = Path::root("T");
        range_i64(&root.field("t"), 20, Some(50), Some(30000), &mut out);
        range_i64(&root.field("t"), 50, Some(50), Some(30000), &mut out);
        range_f64(&root.field("f"), f64::NAN, Some(0.0), None, &mut out);
        let text: Vec<String> = out.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "T.t: value 20 is outside the range 50..=30000",
                "T.f: value NaN is outside the range 0..",
            ]
        );
    }

    #[test]
    fn all_violations_are_reported_in_one_error() {
        struct Two;
        impl Validate for Two {
            fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
                missing(&path.field("a"), out);
                missing(&path.field("b"), out);
            }
        }
        let err = run(&Two, "Two").unwrap_err();
        assert_eq!(err.violations().len(), 2);
        assert_eq!(
            err.to_string(),
            "Two.a: required member is not set; Two.b: required member is not set"
        );
    }
}
