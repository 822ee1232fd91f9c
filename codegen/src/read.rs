//! Stage 1: a serde mirror of the Smithy JSON AST and of botocore's
//! `paginators-1.json`. Nothing here resolves references or decides Rust names.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::diag::{Diagnostic, Error, Location};

/// A shape's or member's traits, by absolute trait shape id, in file order.
pub type Traits = IndexMap<String, Value>;

/// One input file, as given by the caller.
#[derive(Clone, Debug)]
pub struct Input {
    /// How diagnostics and the generated header name the file, e.g. `model/x.json`.
    pub name: String,
    /// The file's contents.
    pub text: String,
}

/// A parsed input file.
#[derive(Debug)]
pub enum Source {
    /// A Smithy JSON AST.
    Model(ModelFile),
    /// A pagination override in botocore's `paginators-1.json` form.
    Pagination(PaginationFile),
}

/// A Smithy JSON AST file.
#[derive(Debug)]
pub struct ModelFile {
    /// The file's name.
    pub name: String,
    /// Every shape, in file order, with its 1-based line and column.
    pub shapes: Vec<(String, Shape, (usize, usize))>,
}

/// A pagination override file.
#[derive(Debug)]
pub struct PaginationFile {
    /// The file's name.
    pub name: String,
    /// Entries by operation name, with their 1-based line and column.
    pub entries: Vec<(String, PaginatorEntry, (usize, usize))>,
}

/// A reference to a shape, with the traits of the member making it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberRef {
    /// Absolute shape id of the target.
    pub target: String,
    /// Member traits.
    #[serde(default)]
    pub traits: Traits,
}

/// A shape reference without traits (operation input, service operations, ...).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShapeRef {
    /// Absolute shape id of the target.
    pub target: String,
}

/// Every shape type of the Smithy 2.0 JSON AST.
#[derive(Clone, Debug)]
pub enum Shape {
    /// A simple shape (`blob`, `boolean`, `string`, numbers, `timestamp`, `document`).
    Simple(SimpleType, Simple),
    /// `enum` (string) or `intEnum`.
    Enum {
        /// `true` for `intEnum`.
        int: bool,
        /// The shape.
        shape: Aggregate,
    },
    /// `list` or the Smithy 1.0 `set`.
    List(ListShape),
    /// `map`.
    Map(MapShape),
    /// `structure` or `union`.
    Structure {
        /// `true` for `union`.
        union: bool,
        /// The shape.
        shape: Aggregate,
    },
    /// `service`.
    Service(ServiceShape),
    /// `operation`.
    Operation(OperationShape),
    /// `resource`.
    Resource(ResourceShape),
    /// `apply`: traits added to a shape or member defined elsewhere.
    Apply(Simple),
}

/// The simple shape types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum SimpleType {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
}

/// A shape that is only traits (simple shapes, `apply`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Simple {
    #[serde(rename = "type")]
    pub(crate) _type: Option<String>,
    /// Traits.
    #[serde(default)]
    pub traits: Traits,
    /// Mixins.
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
}

/// A shape with named members (`structure`, `union`, `enum`, `intEnum`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    #[serde(rename = "type")]
    _type: Option<String>,
    /// Members in model order.
    #[serde(default)]
    pub members: IndexMap<String, MemberRef>,
    /// Traits.
    #[serde(default)]
    pub traits: Traits,
    /// Mixins.
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
}

/// `list` / `set`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListShape {
    #[serde(rename = "type")]
    _type: Option<String>,
    /// The element.
    pub member: MemberRef,
    /// Traits.
    #[serde(default)]
    pub traits: Traits,
    /// Mixins.
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
}

/// `map`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapShape {
    #[serde(rename = "type")]
    _type: Option<String>,
    /// The key.
    pub key: MemberRef,
    /// The value.
    pub value: MemberRef,
    /// Traits.
    #[serde(default)]
    pub traits: Traits,
    /// Mixins.
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
}

/// `service`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceShape {
    #[serde(rename = "type")]
    _type: Option<String>,
    /// The service version.
    #[serde(default)]
    pub version: Option<String>,
    /// Operations bound directly to the service.
    #[serde(default)]
    pub operations: Vec<ShapeRef>,
    /// Resources bound to the service.
    #[serde(default)]
    pub resources: Vec<ShapeRef>,
    /// Errors every operation can return.
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    /// Names that disambiguate shapes from different namespaces.
    #[serde(default)]
    pub rename: IndexMap<String, String>,
    /// Traits.
    #[serde(default)]
    pub traits: Traits,
    /// Mixins.
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
}

/// `operation`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationShape {
    #[serde(rename = "type")]
    _type: Option<String>,
    /// Input structure (absent means `smithy.api#Unit`).
    #[serde(default)]
    pub input: Option<ShapeRef>,
    /// Output structure (absent means `smithy.api#Unit`).
    #[serde(default)]
    pub output: Option<ShapeRef>,
    /// Error structures.
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    /// Traits.
    #[serde(default)]
    pub traits: Traits,
    /// Mixins.
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
}

/// `resource`: only its operation and resource bindings matter to the generator.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceShape {
    #[serde(rename = "type")]
    _type: Option<String>,
    /// Identifiers.
    #[serde(default)]
    pub identifiers: IndexMap<String, ShapeRef>,
    /// Properties.
    #[serde(default)]
    pub properties: IndexMap<String, ShapeRef>,
    /// Lifecycle operations.
    #[serde(default)]
    pub create: Option<ShapeRef>,
    /// Lifecycle operations.
    #[serde(default)]
    pub put: Option<ShapeRef>,
    /// Lifecycle operations.
    #[serde(default)]
    pub read: Option<ShapeRef>,
    /// Lifecycle operations.
    #[serde(default)]
    pub update: Option<ShapeRef>,
    /// Lifecycle operations.
    #[serde(default)]
    pub delete: Option<ShapeRef>,
    /// Lifecycle operations.
    #[serde(default)]
    pub list: Option<ShapeRef>,
    /// Instance operations.
    #[serde(default)]
    pub operations: Vec<ShapeRef>,
    /// Collection operations.
    #[serde(default)]
    pub collection_operations: Vec<ShapeRef>,
    /// Child resources.
    #[serde(default)]
    pub resources: Vec<ShapeRef>,
    /// Traits.
    #[serde(default)]
    pub traits: Traits,
    /// Mixins.
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
}

impl ResourceShape {
    /// Every operation bound to the resource, in declaration order.
    pub fn all_operations(&self) -> impl Iterator<Item = &ShapeRef> {
        [
            &self.create,
            &self.put,
            &self.read,
            &self.update,
            &self.delete,
            &self.list,
        ]
        .into_iter()
        .flatten()
        .chain(&self.operations)
        .chain(&self.collection_operations)
    }
}

impl Shape {
    /// The shape's own traits.
    pub fn traits(&self) -> &Traits {
        match self {
            Shape::Simple(_, s) | Shape::Apply(s) => &s.traits,
            Shape::Enum { shape, .. } | Shape::Structure { shape, .. } => &shape.traits,
            Shape::List(s) => &s.traits,
            Shape::Map(s) => &s.traits,
            Shape::Service(s) => &s.traits,
            Shape::Operation(s) => &s.traits,
            Shape::Resource(s) => &s.traits,
        }
    }

    /// The shape's own traits, mutably.
    pub fn traits_mut(&mut self) -> &mut Traits {
        match self {
            Shape::Simple(_, s) | Shape::Apply(s) => &mut s.traits,
            Shape::Enum { shape, .. } | Shape::Structure { shape, .. } => &mut shape.traits,
            Shape::List(s) => &mut s.traits,
            Shape::Map(s) => &mut s.traits,
            Shape::Service(s) => &mut s.traits,
            Shape::Operation(s) => &mut s.traits,
            Shape::Resource(s) => &mut s.traits,
        }
    }

    /// The shape's mixins.
    pub fn mixins(&self) -> &[ShapeRef] {
        match self {
            Shape::Simple(_, s) | Shape::Apply(s) => &s.mixins,
            Shape::Enum { shape, .. } | Shape::Structure { shape, .. } => &shape.mixins,
            Shape::List(s) => &s.mixins,
            Shape::Map(s) => &s.mixins,
            Shape::Service(s) => &s.mixins,
            Shape::Operation(s) => &s.mixins,
            Shape::Resource(s) => &s.mixins,
        }
    }

    /// The JSON AST `type` of the shape.
    pub fn type_name(&self) -> &'static str {
        match self {
            Shape::Simple(t, _) => match t {
                SimpleType::Blob => "blob",
                SimpleType::Boolean => "boolean",
                SimpleType::String => "string",
                SimpleType::Byte => "byte",
                SimpleType::Short => "short",
                SimpleType::Integer => "integer",
                SimpleType::Long => "long",
                SimpleType::Float => "float",
                SimpleType::Double => "double",
                SimpleType::BigInteger => "bigInteger",
                SimpleType::BigDecimal => "bigDecimal",
                SimpleType::Timestamp => "timestamp",
                SimpleType::Document => "document",
            },
            Shape::Enum { int: false, .. } => "enum",
            Shape::Enum { int: true, .. } => "intEnum",
            Shape::List(_) => "list",
            Shape::Map(_) => "map",
            Shape::Structure { union: false, .. } => "structure",
            Shape::Structure { union: true, .. } => "union",
            Shape::Service(_) => "service",
            Shape::Operation(_) => "operation",
            Shape::Resource(_) => "resource",
            Shape::Apply(_) => "apply",
        }
    }
}

/// One operation's entry in a `paginators-1.json`-form file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginatorEntry {
    /// Input member(s) that carry the token.
    pub input_token: OneOrMany,
    /// Output member path(s) that carry the next token.
    pub output_token: OneOrMany,
    /// Input member that sets the page size.
    #[serde(default)]
    pub limit_key: Option<String>,
    /// Output member path(s) holding the items.
    #[serde(default)]
    pub result_key: Option<OneOrMany>,
    /// Output member that says whether more results exist.
    #[serde(default)]
    pub more_results: Option<String>,
    /// Output members that are not aggregated across pages: accepted (the entry
    /// denies unknown fields) and not used, since each page's output is kept whole.
    #[serde(default, rename = "non_aggregate_keys")]
    pub _non_aggregate_keys: serde::de::IgnoredAny,
}

/// A string or a list of strings, as botocore allows for token and result keys.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One value.
    One(String),
    /// Several values.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The values as a slice.
    pub fn as_slice(&self) -> &[String] {
        match self {
            OneOrMany::One(s) => std::slice::from_ref(s),
            OneOrMany::Many(v) => v,
        }
    }
}

/// Maps byte offsets of a text to 1-based line and column.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { starts }
    }

    fn at(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let col = text[self.starts[line]..offset].chars().count() + 1;
        (line + 1, col)
    }
}

fn offset_in(text: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

/// Removes serde_json's " at line L column C" suffix when the position is reported
/// separately.
fn bare_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// Where a serde error inside `part` (which starts at `base`) lies in the whole file.
fn shifted(base: (usize, usize), err: &serde_json::Error) -> (usize, usize) {
    if err.line() <= 1 {
        (base.0, base.1 + err.column().saturating_sub(1))
    } else {
        (base.0 + err.line() - 1, err.column())
    }
}

/// Checks the form `namespace#Name` (`$member` allowed when `member` is true).
pub fn valid_shape_id(id: &str, member: bool) -> bool {
    fn ident(s: &str) -> bool {
        let mut chars = s.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && s.chars().any(|c| c != '_')
    }
    let Some((ns, rest)) = id.split_once('#') else {
        return false;
    };
    let (name, member_name) = match rest.split_once('$') {
        Some((n, m)) if member => (n, Some(m)),
        Some(_) => return false,
        None => (rest, None),
    };
    ns.split('.').all(ident) && ident(name) && member_name.is_none_or(ident)
}

const SHAPE_TYPES: &[&str] = &[
    "blob",
    "boolean",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "document",
    "enum",
    "intEnum",
    "list",
    "set",
    "map",
    "structure",
    "union",
    "service",
    "operation",
    "resource",
    "apply",
];

#[derive(Deserialize)]
struct TypeProbe {
    #[serde(rename = "type")]
    ty: Option<Value>,
}

fn parse_shape(raw: &str, ty: &str) -> Result<Shape, serde_json::Error> {
    use serde_json::from_str as from;
    let simple = |t| from(raw).map(|s| Shape::Simple(t, s));
    Ok(match ty {
        "blob" => simple(SimpleType::Blob)?,
        "boolean" => simple(SimpleType::Boolean)?,
        "string" => simple(SimpleType::String)?,
        "byte" => simple(SimpleType::Byte)?,
        "short" => simple(SimpleType::Short)?,
        "integer" => simple(SimpleType::Integer)?,
        "long" => simple(SimpleType::Long)?,
        "float" => simple(SimpleType::Float)?,
        "double" => simple(SimpleType::Double)?,
        "bigInteger" => simple(SimpleType::BigInteger)?,
        "bigDecimal" => simple(SimpleType::BigDecimal)?,
        "timestamp" => simple(SimpleType::Timestamp)?,
        "document" => simple(SimpleType::Document)?,
        "enum" => Shape::Enum {
            int: false,
            shape: from(raw)?,
        },
        "intEnum" => Shape::Enum {
            int: true,
            shape: from(raw)?,
        },
        "list" | "set" => Shape::List(from(raw)?),
        "map" => Shape::Map(from(raw)?),
        "structure" => Shape::Structure {
            union: false,
            shape: from(raw)?,
        },
        "union" => Shape::Structure {
            union: true,
            shape: from(raw)?,
        },
        "service" => Shape::Service(from(raw)?),
        "operation" => Shape::Operation(from(raw)?),
        "resource" => Shape::Resource(from(raw)?),
        "apply" => Shape::Apply(from(raw)?),
        other => unreachable!("shape type {other} was checked against SHAPE_TYPES"),
    })
}

/// Parses one input file. Every problem in it is returned, each naming the file, and
/// where possible the line, column and shape id.
pub fn parse(input: &Input) -> Result<Source, Vec<Diagnostic>> {
    let text = input.text.as_str();
    let lines = Lines::new(text);
    let at = |line_col| Location {
        file: input.name.clone(),
        line_col,
    };
    let top: IndexMap<String, &RawValue> = match serde_json::from_str(text) {
        Ok(top) => top,
        Err(err) => {
            let error = if err.is_data() {
                Error::InvalidFile(format!("expected a JSON object: {}", bare_message(&err)))
            } else {
                Error::Json(bare_message(&err))
            };
            return Err(vec![Diagnostic {
                location: at(Some((err.line(), err.column()))),
                error,
            }]);
        }
    };
    let pos = |raw: &RawValue| lines.at(text, offset_in(text, raw.get()));

    if let Some(version) = top.get("smithy") {
        let version: String = serde_json::from_str(version.get()).map_err(|_| {
            vec![Diagnostic {
                location: at(Some(pos(version))),
                error: Error::InvalidFile("`smithy` must be a version string".into()),
            }]
        })?;
        if !matches!(version.as_str(), "1.0" | "2.0" | "2") {
            return Err(vec![Diagnostic {
                location: at(None),
                error: Error::Version(version),
            }]);
        }
        let mut errors = Vec::new();
        let mut shapes = Vec::new();
        let raw_shapes: IndexMap<String, &RawValue> = match top.get("shapes") {
            None => IndexMap::new(),
            Some(raw) => serde_json::from_str(raw.get()).map_err(|err| {
                vec![Diagnostic {
                    location: at(Some(shifted(pos(raw), &err))),
                    error: Error::InvalidFile(format!(
                        "`shapes` must be an object: {}",
                        bare_message(&err)
                    )),
                }]
            })?,
        };
        for (id, raw) in raw_shapes {
            let base = pos(raw);
            let fail = |error| Diagnostic {
                location: at(Some(base)),
                error,
            };
            let member_allowed = matches!(
                serde_json::from_str::<TypeProbe>(raw.get()).ok().and_then(|p| p.ty),
                Some(Value::String(ref t)) if t == "apply"
            );
            if !valid_shape_id(&id, member_allowed) {
                errors.push(fail(Error::InvalidShapeId { id }));
                continue;
            }
            let ty = match serde_json::from_str::<TypeProbe>(raw.get()) {
                Ok(TypeProbe {
                    ty: Some(Value::String(ty)),
                }) => ty,
                Ok(TypeProbe { ty: None }) => {
                    errors.push(fail(Error::InvalidShape {
                        id,
                        message: "missing `type`".into(),
                    }));
                    continue;
                }
                Ok(TypeProbe { ty: Some(other) }) => {
                    errors.push(fail(Error::UnknownShapeType {
                        id,
                        ty: other.to_string(),
                    }));
                    continue;
                }
                Err(err) => {
                    errors.push(Diagnostic {
                        location: at(Some(shifted(base, &err))),
                        error: Error::InvalidShape {
                            id,
                            message: bare_message(&err),
                        },
                    });
                    continue;
                }
            };
            if !SHAPE_TYPES.contains(&ty.as_str()) {
                errors.push(fail(Error::UnknownShapeType { id, ty }));
                continue;
            }
            match parse_shape(raw.get(), &ty) {
                Ok(shape) => shapes.push((id, shape, base)),
                Err(err) => errors.push(Diagnostic {
                    location: at(Some(shifted(base, &err))),
                    error: Error::InvalidShape {
                        id,
                        message: format!("{ty}: {}", bare_message(&err)),
                    },
                }),
            }
        }
        return if errors.is_empty() {
            Ok(Source::Model(ModelFile {
                name: input.name.clone(),
                shapes,
            }))
        } else {
            Err(errors)
        };
    }

    if let Some(raw) = top.get("pagination") {
        let entries: IndexMap<String, &RawValue> =
            serde_json::from_str(raw.get()).map_err(|err| {
                vec![Diagnostic {
                    location: at(Some(shifted(pos(raw), &err))),
                    error: Error::InvalidFile(format!(
                        "`pagination` must be an object: {}",
                        bare_message(&err)
                    )),
                }]
            })?;
        let mut errors = Vec::new();
        let mut parsed = Vec::new();
        for (name, raw) in entries {
            let base = pos(raw);
            match serde_json::from_str::<PaginatorEntry>(raw.get()) {
                Ok(entry) => parsed.push((name, entry, base)),
                Err(err) => errors.push(Diagnostic {
                    location: at(Some(shifted(base, &err))),
                    error: Error::InvalidShape {
                        id: name,
                        message: format!("pagination entry: {}", bare_message(&err)),
                    },
                }),
            }
        }
        return if errors.is_empty() {
            Ok(Source::Pagination(PaginationFile {
                name: input.name.clone(),
                entries: parsed,
            }))
        } else {
            Err(errors)
        };
    }

    Err(vec![Diagnostic {
        location: at(None),
        error: Error::UnknownFileKind,
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(text: &str) -> Input {
        Input {
            name: "m.json".into(),
            text: text.into(),
        }
    }

    #[test]
    fn shape_ids_are_checked() {
        assert!(valid_shape_id("com.example#Foo", false));
        assert!(valid_shape_id("smithy.api#String", false));
        assert!(valid_shape_id("com.example#Foo$bar", true));
        assert!(!valid_shape_id("com.example#Foo$bar", false));
        assert!(!valid_shape_id("Foo", false));
        assert!(!valid_shape_id("com..example#Foo", false));
        assert!(!valid_shape_id("com.example#1Foo", false));
    }

    #[test]
    fn a_malformed_file_reports_line_and_column() {
        let err = parse(&input("{\n  \"smithy\": \"2.0\",\n  \"shapes\": {\n}")).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].location.line_col, Some((4, 1)));
        assert!(matches!(err[0].error, Error::Json(_)));
    }

    #[test]
    fn shape_errors_name_the_shape_and_its_line() {
        let text = r#"{
  "smithy": "2.0",
  "shapes": {
    "com.example#A": { "type": "strucure" },
    "com.example#B": { "type": "list" }
  }
}"#;
        let err = parse(&input(text)).unwrap_err();
        let shown: Vec<String> = err.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "m.json:4:22: com.example#A: unknown shape type `strucure`",
                "m.json:5:39: com.example#B: list: missing field `member`",
            ]
        );
    }

    #[test]
    fn pagination_files_are_recognised() {
        let text = r#"{"pagination": {"Op": {"input_token": "T", "output_token": "N", "result_key": ["A", "B"]}}}"#;
        match parse(&input(text)).unwrap() {
            Source::Pagination(file) => {
                assert_eq!(file.entries[0].0, "Op");
                assert_eq!(
                    file.entries[0].1.result_key.as_ref().unwrap().as_slice(),
                    ["A", "B"]
                );
            }
            Source::Model(_) => panic!("expected a pagination file"),
        }
    }

    #[test]
    fn a_file_of_another_kind_is_refused() {
        let err = parse(&input(r#"{"version": 1}"#)).unwrap_err();
        assert_eq!(err[0].error, Error::UnknownFileKind);
    }
}
