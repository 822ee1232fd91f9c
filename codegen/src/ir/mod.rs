//! Stage 2: the resolved shape graph.
//!
//! `build` merges the input files and the prelude, applies `apply` and mixins, walks the
//! service closure, names every Rust item once (the symbol table), computes optionality,
//! constraints, boxing and derivable traits, and resolves pagination metadata. Every
//! problem is collected as a [`Diagnostic`] naming the shape id; nothing is emitted
//! unless the whole model is sound.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diag::{Diagnostic, Error, Location};
use crate::docs;
use crate::names;
use crate::prelude;
use crate::read::{self, MemberRef, Shape, SimpleType, Source};

mod graph;
mod http;
mod model;
mod pagination;
mod symbols;
#[cfg(test)]
mod testing;
mod traits;

use graph::{box_recursive_members, compute_caps, compute_validation};
pub use graph::{member_validates, ty_caps, ty_validates};
use model::ShapeTable;
use symbols::{Symbols, shape_name};
use traits::{
    AWS_SERVICE, CLIENT_OPTIONAL, DEFAULT, ENUM_TRAIT, ENUM_VALUE, ERROR, HTTP, HTTP_ERROR,
    IDEMPOTENT, JSON_NAME, PAGINATED, READONLY, REQUIRED, SENSITIVE, TITLE, deprecation, doc_of,
    has,
};

/// The resolved model, ready for emission.
#[derive(Debug)]
pub struct Ir {
    /// Input file names, in the order given.
    pub sources: Vec<String>,
    /// The service, when the model has one.
    pub service: Option<Service>,
    /// Every named Rust type (structures, unions, enums), by shape id.
    pub defs: BTreeMap<String, Def>,
    /// Every operation in the closure, ordered by module name.
    pub operations: Vec<Operation>,
    /// Counts of what was read, for reports and tests.
    pub stats: Stats,
}

/// Counts of the shapes in the generated closure (prelude excluded).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// All shapes.
    pub shapes: usize,
    /// Operations.
    pub operations: usize,
    /// Structures (inputs, outputs and errors included).
    pub structures: usize,
    /// Unions.
    pub unions: usize,
    /// `enum`, `intEnum` and strings with the `enum` trait.
    pub enums: usize,
    /// Lists and sets.
    pub lists: usize,
    /// Maps.
    pub maps: usize,
    /// Operations with pagination metadata.
    pub paginated: usize,
}

/// The service shape.
#[derive(Clone, Debug)]
pub struct Service {
    /// Shape id.
    pub id: String,
    /// `aws.api#service` `sdkId`, else the shape name.
    pub sdk_id: String,
    /// The service version.
    pub version: Option<String>,
    /// `smithy.api#title`.
    pub title: Option<String>,
    /// Converted documentation.
    pub docs: Option<String>,
    /// `aws.auth#sigv4` signing name.
    pub signing_name: Option<String>,
    /// `aws.api#service` `endpointPrefix`.
    pub endpoint_prefix: Option<String>,
    /// The protocol trait's shape id (e.g. `aws.protocols#restJson1`).
    pub protocol: Option<String>,
}

/// A named Rust type.
#[derive(Clone, Debug)]
pub enum Def {
    /// A structure (also inputs, outputs, errors).
    Structure(Structure),
    /// A union (a Rust enum with data).
    Union(Union),
    /// An enum (string or int).
    Enum(Enum),
}

impl Def {
    /// The Rust symbol.
    pub fn symbol(&self) -> &Symbol {
        match self {
            Def::Structure(s) => &s.symbol,
            Def::Union(u) => &u.symbol,
            Def::Enum(e) => &e.symbol,
        }
    }

    /// The shape id.
    pub fn id(&self) -> &str {
        match self {
            Def::Structure(s) => &s.id,
            Def::Union(u) => &u.id,
            Def::Enum(e) => &e.id,
        }
    }
}

/// Where a named type lives and what it is called.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Symbol {
    /// Module path under the crate root, e.g. `["operation", "get_integrations"]`.
    pub module: Vec<String>,
    /// The Rust type name.
    pub name: String,
}

impl Symbol {
    /// The builder's type name.
    pub fn builder_name(&self) -> String {
        format!("{}Builder", self.name)
    }
}

/// Which derives and blanket behaviours a type supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caps {
    /// `Eq` is valid (no floats, no documents).
    pub eq: bool,
    /// `Hash` is valid (additionally, no maps).
    pub hash: bool,
    /// Every field has a `Default` (so `#[derive(Default)]` is valid).
    pub default: bool,
}

/// A structure.
#[derive(Clone, Debug)]
pub struct Structure {
    /// Shape id.
    pub id: String,
    /// Rust symbol.
    pub symbol: Symbol,
    /// Converted documentation.
    pub docs: Option<String>,
    /// Members in model order.
    pub members: Vec<Member>,
    /// Present when the structure is an error.
    pub error: Option<ErrorInfo>,
    /// Derivable traits.
    pub caps: Caps,
    /// Whether a member (or something nested) has a constraint to check.
    pub validates: bool,
    /// The whole structure is `@sensitive`.
    pub sensitive: bool,
    /// Deprecation note, if deprecated.
    pub deprecated: Option<String>,
}

/// Error metadata of an error structure.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    /// `true` for `@error("server")`.
    pub server: bool,
    /// `@httpError`.
    pub http_status: Option<u16>,
    /// The error code on the wire (the shape name).
    pub code: String,
    /// Field holding the message, when a member is named `message` in any case.
    pub message_field: Option<String>,
}

/// A union.
#[derive(Clone, Debug)]
pub struct Union {
    /// Shape id.
    pub id: String,
    /// Rust symbol.
    pub symbol: Symbol,
    /// Converted documentation.
    pub docs: Option<String>,
    /// Variants; `variant` holds the Rust variant name.
    pub members: Vec<Member>,
    /// Derivable traits.
    pub caps: Caps,
    /// Whether a variant holds something with constraints.
    pub validates: bool,
    /// Deprecation note, if deprecated.
    pub deprecated: Option<String>,
}

/// An enum.
#[derive(Clone, Debug)]
pub struct Enum {
    /// Shape id.
    pub id: String,
    /// Rust symbol.
    pub symbol: Symbol,
    /// Converted documentation.
    pub docs: Option<String>,
    /// `true` for `intEnum`.
    pub int: bool,
    /// Known values.
    pub variants: Vec<Variant>,
    /// Deprecation note, if deprecated.
    pub deprecated: Option<String>,
}

/// One known enum value.
#[derive(Clone, Debug)]
pub struct Variant {
    /// Rust variant name.
    pub name: String,
    /// The wire value.
    pub value: EnumValue,
    /// Converted documentation.
    pub docs: Option<String>,
    /// Deprecation note, if deprecated.
    pub deprecated: Option<String>,
}

/// An enum's wire value.
#[derive(Clone, Debug, PartialEq)]
pub enum EnumValue {
    /// `enum`.
    Str(String),
    /// `intEnum`.
    Int(i32),
}

/// What a member holds, in Rust terms.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// `Vec<u8>`.
    Blob,
    /// `bool`.
    Boolean,
    /// `String`.
    String,
    /// `i8`.
    Byte,
    /// `i16`.
    Short,
    /// `i32`.
    Integer,
    /// `i64`.
    Long,
    /// `f32`.
    Float,
    /// `f64`.
    Double,
    /// Arbitrary precision, kept as a JSON number.
    BigInteger,
    /// Arbitrary precision, kept as a JSON number.
    BigDecimal,
    /// A timestamp.
    Timestamp,
    /// A JSON document.
    Document,
    /// `smithy.api#Unit`: a union variant without data.
    Unit,
    /// A structure, union or enum, by shape id.
    Named(String),
    /// A list.
    List(Box<Elem>),
    /// A map from key to value.
    Map(Box<Elem>, Box<Elem>),
}

impl Ty {
    /// Whether the type is a Rust float.
    pub fn is_float(&self) -> bool {
        matches!(self, Ty::Float | Ty::Double)
    }

    /// Whether the type is a Rust integer.
    pub fn is_integer(&self) -> bool {
        matches!(self, Ty::Byte | Ty::Short | Ty::Integer | Ty::Long)
    }
}

/// A list element or map key/value: a type with the constraints on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Elem {
    /// The element type.
    pub ty: Ty,
    /// Constraints of the element.
    pub constraints: Constraints,
    /// Explicit timestamp format for timestamp elements.
    pub timestamp_format: Option<TimestampFormat>,
    /// Model shape id of the element's target.
    pub target: String,
}

/// `length`, `range` and `pattern` on a value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `length` min and max.
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `range` min and max.
    pub range: Option<(Option<serde_json::Number>, Option<serde_json::Number>)>,
    /// `pattern` (documented, not checked by `validate()`).
    pub pattern: Option<String>,
}

impl Constraints {
    /// Whether `validate()` has anything to check.
    pub fn checked(&self) -> bool {
        self.length.is_some() || self.range.is_some()
    }
}

/// The three Smithy timestamp formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `date-time`.
    DateTime,
    /// `epoch-seconds`.
    EpochSeconds,
    /// `http-date`.
    HttpDate,
}

/// Whether and how a member is present.
#[derive(Clone, Debug, PartialEq)]
pub enum Presence {
    /// `Option<T>`.
    Optional,
    /// `T`, the builder fails without it.
    Required,
    /// `T`, the builder and deserializer fall back to the model's default value.
    Default(Value),
}

/// Where a member goes in an HTTP message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpLocation {
    /// The JSON body.
    Body,
    /// `@httpLabel`.
    Label,
    /// `@httpQuery(name)`.
    Query(String),
    /// `@httpQueryParams`.
    QueryParams,
    /// `@httpHeader(name)`.
    Header(String),
    /// `@httpPrefixHeaders(prefix)`.
    PrefixHeaders(String),
    /// `@httpPayload`.
    Payload,
    /// `@httpResponseCode`.
    ResponseCode,
    /// `@hostLabel`.
    HostLabel,
}

/// A structure or union member.
#[derive(Clone, Debug)]
pub struct Member {
    /// Member id, `ns#Shape$Name`.
    pub id: String,
    /// Model member name.
    pub name: String,
    /// Rust field (structures) possibly raw (`r#type`).
    pub field: String,
    /// Rust variant name (unions).
    pub variant: String,
    /// Name on the JSON wire (`jsonName`, else the member name).
    pub wire: String,
    /// The member's type.
    pub ty: Ty,
    /// Constraints on the member.
    pub constraints: Constraints,
    /// Optionality.
    pub presence: Presence,
    /// The model marks the member `@required` (even when `@clientOptional`).
    pub required: bool,
    /// The field is boxed to break a recursive cycle.
    pub boxed: bool,
    /// Converted documentation (member docs, else the target's).
    pub docs: Option<String>,
    /// HTTP binding.
    pub http: HttpLocation,
    /// `@sensitive` on the member or its target.
    pub sensitive: bool,
    /// Deprecation note.
    pub deprecated: Option<String>,
    /// Explicit timestamp format.
    pub timestamp_format: Option<TimestampFormat>,
    /// Model shape id of the target.
    pub target: String,
}

/// An operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// Shape id.
    pub id: String,
    /// Shape name, e.g. `GetIntegrations`.
    pub name: String,
    /// Module name, e.g. `get_integrations`.
    pub module: String,
    /// Marker type name, e.g. `GetIntegrations`.
    pub marker: String,
    /// Error enum name, e.g. `GetIntegrationsError`.
    pub error_enum: String,
    /// Converted documentation.
    pub docs: Option<String>,
    /// Input structure (None for Unit).
    pub input: Option<String>,
    /// Output structure (None for Unit).
    pub output: Option<String>,
    /// Error structures (operation errors, then service errors).
    pub errors: Vec<String>,
    /// `@http`.
    pub http: Option<HttpTrait>,
    /// Pagination metadata.
    pub pagination: Option<Pagination>,
    /// `@readonly`.
    pub readonly: bool,
    /// `@idempotent`.
    pub idempotent: bool,
}

/// `@http`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpTrait {
    /// HTTP method.
    pub method: String,
    /// URI pattern with `{Label}` / `{Label+}` segments.
    pub uri: String,
    /// Success status code.
    pub code: u16,
    /// The path of the URI pattern, split into literals and labels.
    pub path: Vec<UriPart>,
    /// The literal query of the URI pattern (after `?`), possibly empty.
    pub query: String,
}

/// A piece of an `@http` URI path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UriPart {
    /// Literal text.
    Literal(String),
    /// `{Name}` or, greedy, `{Name+}`.
    Label {
        /// The input member name.
        name: String,
        /// Whether the label may span `/`.
        greedy: bool,
    },
}

/// Where pagination metadata came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaginationSource {
    /// `smithy.api#paginated` (merged with the service's).
    Trait,
    /// A `paginators-1.json`-form file, by name.
    Override(String),
}

/// Resolved pagination metadata of an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pagination {
    /// Input member that carries the token.
    pub input_token: String,
    /// Output member path to the next token.
    pub output_token: Vec<String>,
    /// Output member path to the items, if any.
    pub items: Option<Vec<String>>,
    /// Input member that sets the page size, if any.
    pub page_size: Option<String>,
    /// Where the metadata came from.
    pub source: PaginationSource,
}

// ---------------------------------------------------------------------------------

struct Builder {
    table: ShapeTable,
    errors: Vec<Diagnostic>,
}

impl Builder {
    fn location(&self, id: &str) -> Location {
        self.table.location(id)
    }

    fn error(&mut self, at: &str, error: Error) {
        let location = self.location(at);
        self.errors.push(Diagnostic { location, error });
    }

    fn trait_error(&mut self, id: &str, name: &str, message: impl Into<String>) {
        self.error(
            id,
            Error::InvalidTrait {
                id: id.to_owned(),
                name: name.to_owned(),
                message: message.into(),
            },
        );
    }

    fn shape(&self, id: &str) -> Option<&Shape> {
        self.table.shape(id)
    }
}

/// Resolves the parsed input files into the IR, or returns every problem found.
pub fn build(sources: Vec<Source>) -> Result<Ir, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let merged = model::merge(sources, &mut errors);
    let mut b = Builder {
        table: merged.table,
        errors,
    };
    let (source_names, overrides) = (merged.source_names, merged.overrides);

    let service = model::find_service(&b.table, &mut b.errors);
    let closure = model::closure(&b.table, service.as_deref());
    let operations_ids: Vec<String> = closure
        .iter()
        .filter(|id| matches!(b.shape(id), Some(Shape::Operation(_))))
        .cloned()
        .collect();

    let symbols = symbols::assign(
        &b.table,
        &closure,
        service.as_deref(),
        &operations_ids,
        &mut b.errors,
    );
    let mut defs = BTreeMap::new();
    for id in &closure {
        let Some(symbol) = symbols.types.get(id) else {
            continue;
        };
        if let Some(def) = build_def(&mut b, id, symbol.clone()) {
            defs.insert(id.clone(), def);
        }
    }
    box_recursive_members(&mut defs);
    compute_caps(&mut defs);
    compute_validation(&mut defs);

    let service_ir = service.as_deref().map(|id| build_service(&b, id));
    let mut operations = Vec::new();
    for id in &operations_ids {
        if let Some(op) = build_operation(&mut b, id, service.as_deref(), &symbols, &defs) {
            operations.push(op);
        }
    }
    pagination::apply_overrides(&overrides, &mut operations, &defs, &mut b.errors);
    operations.sort_by(|a, b| a.module.cmp(&b.module));

    if !b.errors.is_empty() {
        return Err(b.errors);
    }

    let mut stats = Stats::default();
    for id in &closure {
        if id.starts_with("smithy.api#") {
            continue;
        }
        stats.shapes += 1;
        match b.shape(id) {
            Some(Shape::Operation(_)) => stats.operations += 1,
            Some(Shape::Structure { union: false, .. }) => stats.structures += 1,
            Some(Shape::Structure { union: true, .. }) => stats.unions += 1,
            Some(Shape::Enum { .. }) => stats.enums += 1,
            Some(Shape::Simple(SimpleType::String, s)) if has(&s.traits, ENUM_TRAIT) => {
                stats.enums += 1
            }
            Some(Shape::List(_)) => stats.lists += 1,
            Some(Shape::Map(_)) => stats.maps += 1,
            _ => {}
        }
    }
    stats.paginated = operations.iter().filter(|o| o.pagination.is_some()).count();

    Ok(Ir {
        sources: source_names,
        service: service_ir,
        defs,
        operations,
        stats,
    })
}

/// Resolves what a reference to `target` means in Rust. `from` is the referring member
/// id, for errors. `depth` guards against list/map recursion without a structure.
fn resolve_ty(b: &mut Builder, from: &str, target: &str, depth: usize) -> Option<Ty> {
    if depth > 32 {
        b.error(
            from,
            Error::InvalidTarget {
                id: from.to_owned(),
                message: "lists/maps nest recursively without a structure or union".into(),
            },
        );
        return None;
    }
    let shape = b.shape(target)?.clone();
    let ty = match &shape {
        Shape::Simple(t, s) => match t {
            SimpleType::String if has(&s.traits, ENUM_TRAIT) => Ty::Named(target.to_owned()),
            SimpleType::Blob => Ty::Blob,
            SimpleType::Boolean => Ty::Boolean,
            SimpleType::String => Ty::String,
            SimpleType::Byte => Ty::Byte,
            SimpleType::Short => Ty::Short,
            SimpleType::Integer => Ty::Integer,
            SimpleType::Long => Ty::Long,
            SimpleType::Float => Ty::Float,
            SimpleType::Double => Ty::Double,
            SimpleType::BigInteger => Ty::BigInteger,
            SimpleType::BigDecimal => Ty::BigDecimal,
            SimpleType::Timestamp => Ty::Timestamp,
            SimpleType::Document => Ty::Document,
        },
        Shape::Enum { .. } => Ty::Named(target.to_owned()),
        Shape::Structure { .. } if target == prelude::UNIT => Ty::Unit,
        Shape::Structure { .. } => Ty::Named(target.to_owned()),
        Shape::List(l) => {
            let member_id = format!("{target}$member");
            Ty::List(Box::new(elem(b, &member_id, &l.member, depth)?))
        }
        Shape::Map(m) => {
            let key_id = format!("{target}$key");
            let key = elem(b, &key_id, &m.key, depth)?;
            // A named key can only be a string enum (`enum`, or a string with `@enum`).
            let string_key = match &key.ty {
                Ty::String => true,
                Ty::Named(n) => matches!(
                    b.shape(n),
                    Some(Shape::Enum { int: false, .. } | Shape::Simple(SimpleType::String, _))
                ),
                _ => false,
            };
            if !string_key {
                b.error(
                    &key_id,
                    Error::InvalidTarget {
                        id: key_id.clone(),
                        message: format!("map keys must be strings, not {}", m.key.target),
                    },
                );
                return None;
            }
            let value_id = format!("{target}$value");
            let value = elem(b, &value_id, &m.value, depth)?;
            Ty::Map(Box::new(key), Box::new(value))
        }
        Shape::Service(_) | Shape::Operation(_) | Shape::Resource(_) | Shape::Apply(_) => {
            b.error(
                from,
                Error::InvalidTarget {
                    id: from.to_owned(),
                    message: format!(
                        "targets {target}, a {}, which cannot hold a value",
                        shape.type_name()
                    ),
                },
            );
            return None;
        }
    };
    Some(ty)
}

fn elem(b: &mut Builder, id: &str, member: &MemberRef, depth: usize) -> Option<Elem> {
    let ty = resolve_ty(b, id, &member.target, depth + 1)?;
    if ty == Ty::Unit {
        b.error(
            id,
            Error::InvalidTarget {
                id: id.to_owned(),
                message: "only union members may target smithy.api#Unit".into(),
            },
        );
        return None;
    }
    let target_traits = b
        .shape(&member.target)
        .map(|s| s.traits().clone())
        .unwrap_or_default();
    let at = b.location(id);
    let constraints = traits::constraints(id, &target_traits, &member.traits, &at, &mut b.errors);
    let timestamp_format = traits::timestamp_format(id, &member.traits, &at, &mut b.errors)
        .or_else(|| traits::timestamp_format(id, &target_traits, &at, &mut b.errors));
    Some(Elem {
        ty,
        constraints,
        timestamp_format,
        target: member.target.clone(),
    })
}

fn build_member(b: &mut Builder, owner: &str, name: &str, member: &MemberRef) -> Option<Member> {
    let id = format!("{owner}${name}");
    let ty = resolve_ty(b, &id, &member.target, 0)?;
    let target_traits = b
        .shape(&member.target)
        .map(|s| s.traits().clone())
        .unwrap_or_default();
    let traits = &member.traits;
    let at = b.location(&id);
    let constraints = traits::constraints(&id, &target_traits, traits, &at, &mut b.errors);
    let required = has(traits, REQUIRED);
    let default = traits
        .get(DEFAULT)
        .or_else(|| target_traits.get(DEFAULT))
        .filter(|v| !v.is_null())
        .cloned();
    let presence = if has(traits, CLIENT_OPTIONAL) {
        Presence::Optional
    } else if let Some(value) = default {
        Presence::Default(value)
    } else if required {
        Presence::Required
    } else {
        Presence::Optional
    };
    if let Presence::Default(value) = &presence
        && !default_fits(b, &ty, value)
    {
        b.trait_error(
            &id,
            DEFAULT,
            format!("{value} is not a valid default for this member"),
        );
    }
    let wire = match traits.get(JSON_NAME) {
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            b.trait_error(&id, JSON_NAME, "value must be a string");
            name.to_owned()
        }
        None => name.to_owned(),
    };
    let timestamp_format = traits::timestamp_format(&id, traits, &at, &mut b.errors)
        .or_else(|| traits::timestamp_format(&id, &target_traits, &at, &mut b.errors));
    let location = b.location(&id);
    let http = http::http_location(&id, traits, &location, &mut b.errors);
    Some(Member {
        id: id.clone(),
        name: name.to_owned(),
        field: names::snake(name),
        variant: names::pascal(name),
        wire,
        ty,
        constraints,
        presence,
        required,
        boxed: false,
        docs: doc_of(traits).or_else(|| doc_of(&target_traits)),
        http,
        sensitive: has(traits, SENSITIVE) || has(&target_traits, SENSITIVE),
        deprecated: deprecation(traits),
        timestamp_format,
        target: member.target.clone(),
    })
}

/// Whether a `@default` value can be written as a Rust value of `ty`.
fn default_fits(b: &Builder, ty: &Ty, value: &Value) -> bool {
    match (ty, value) {
        (Ty::Boolean, Value::Bool(_)) => true,
        (Ty::Byte | Ty::Short | Ty::Integer | Ty::Long, Value::Number(n)) => n.as_i64().is_some(),
        (Ty::Float | Ty::Double, Value::Number(_)) => true,
        (Ty::String, Value::String(_)) => true,
        (Ty::Blob, Value::String(s)) => s.is_empty(),
        (Ty::Named(id), Value::String(_)) => {
            matches!(
                b.shape(id),
                Some(Shape::Enum { int: false, .. } | Shape::Simple(..))
            )
        }
        (Ty::Named(id), Value::Number(n)) => {
            matches!(b.shape(id), Some(Shape::Enum { int: true, .. })) && n.as_i64().is_some()
        }
        (Ty::List(_), Value::Array(a)) => a.is_empty(),
        (Ty::Map(..), Value::Object(o)) => o.is_empty(),
        (Ty::Document, _) => true,
        (Ty::Timestamp, Value::Number(n)) => n.as_i64() == Some(0),
        _ => false,
    }
}

fn build_def(b: &mut Builder, id: &str, symbol: Symbol) -> Option<Def> {
    let shape = b.shape(id)?.clone();
    let traits = shape.traits().clone();
    let docs = doc_of(&traits);
    let deprecated = deprecation(&traits);
    // Optimistic until compute_caps has seen every member.
    let assumed_caps = Caps {
        eq: true,
        hash: true,
        default: true,
    };
    match shape {
        Shape::Structure { union, shape } => {
            let mut members = Vec::new();
            for (name, m) in &shape.members {
                if let Some(member) = build_member(b, id, name, m) {
                    if member.ty == Ty::Unit && !union {
                        b.error(
                            &member.id.clone(),
                            Error::InvalidTarget {
                                id: member.id,
                                message: "only union members may target smithy.api#Unit".into(),
                            },
                        );
                        continue;
                    }
                    members.push(member);
                }
            }
            symbols::check_field_names(&b.table, &members, union, &mut b.errors);
            if union {
                return Some(Def::Union(Union {
                    id: id.to_owned(),
                    symbol,
                    docs,
                    members,
                    caps: assumed_caps,
                    validates: false,
                    deprecated,
                }));
            }
            let error = match traits.get(ERROR) {
                None => None,
                Some(Value::String(kind)) if kind == "client" || kind == "server" => {
                    let http_status = match traits.get(HTTP_ERROR) {
                        None => None,
                        Some(v) => match v.as_u64().and_then(|n| u16::try_from(n).ok()) {
                            Some(code) if (100..600).contains(&code) => Some(code),
                            _ => {
                                b.trait_error(
                                    id,
                                    HTTP_ERROR,
                                    format!("{v} is not an HTTP status code"),
                                );
                                None
                            }
                        },
                    };
                    Some(ErrorInfo {
                        server: kind == "server",
                        http_status,
                        code: shape_name(id).to_owned(),
                        message_field: members
                            .iter()
                            .find(|m| m.name.eq_ignore_ascii_case("message") && m.ty == Ty::String)
                            .map(|m| m.field.clone()),
                    })
                }
                Some(other) => {
                    b.trait_error(
                        id,
                        ERROR,
                        format!("{other} is neither \"client\" nor \"server\""),
                    );
                    None
                }
            };
            Some(Def::Structure(Structure {
                id: id.to_owned(),
                symbol,
                docs,
                members,
                error,
                caps: assumed_caps,
                validates: false,
                sensitive: has(&traits, SENSITIVE),
                deprecated,
            }))
        }
        Shape::Enum { int, shape } => {
            let mut variants = Vec::new();
            for (name, m) in &shape.members {
                let member_id = format!("{id}${name}");
                let value = match (int, m.traits.get(ENUM_VALUE)) {
                    (false, None) => EnumValue::Str(name.clone()),
                    (false, Some(Value::String(s))) => EnumValue::Str(s.clone()),
                    (true, Some(Value::Number(n)))
                        if n.as_i64().and_then(|v| i32::try_from(v).ok()).is_some() =>
                    {
                        EnumValue::Int(
                            n.as_i64()
                                .and_then(|v| i32::try_from(v).ok())
                                .unwrap_or_default(),
                        )
                    }
                    (_, other) => {
                        let expected = if int { "a 32-bit integer" } else { "a string" };
                        b.trait_error(
                            &member_id,
                            ENUM_VALUE,
                            format!(
                                "{} is not {expected}",
                                other.map_or("missing".to_owned(), Value::to_string)
                            ),
                        );
                        continue;
                    }
                };
                variants.push(Variant {
                    name: names::pascal(name),
                    value,
                    docs: doc_of(&m.traits),
                    deprecated: deprecation(&m.traits),
                });
            }
            finish_enum(b, id, symbol, docs, int, variants, deprecated)
        }
        Shape::Simple(SimpleType::String, _) => {
            // Smithy 1.0 `@enum` trait on a string.
            let Some(Value::Array(entries)) = traits.get(ENUM_TRAIT) else {
                b.trait_error(id, ENUM_TRAIT, "value must be a list of enum definitions");
                return None;
            };
            let mut variants = Vec::new();
            for entry in entries {
                let Some(value) = entry.get("value").and_then(Value::as_str) else {
                    b.trait_error(
                        id,
                        ENUM_TRAIT,
                        format!("entry {entry} has no string `value`"),
                    );
                    continue;
                };
                let name = entry.get("name").and_then(Value::as_str).unwrap_or(value);
                variants.push(Variant {
                    name: names::pascal(name),
                    value: EnumValue::Str(value.to_owned()),
                    docs: entry
                        .get("documentation")
                        .and_then(Value::as_str)
                        .and_then(docs::to_markdown),
                    deprecated: entry
                        .get("deprecated")
                        .and_then(Value::as_bool)
                        .filter(|d| *d)
                        .map(|_| String::new()),
                });
            }
            finish_enum(b, id, symbol, docs, false, variants, deprecated)
        }
        _ => None,
    }
}

fn finish_enum(
    b: &mut Builder,
    id: &str,
    symbol: Symbol,
    docs: Option<String>,
    int: bool,
    mut variants: Vec<Variant>,
    deprecated: Option<String>,
) -> Option<Def> {
    // `Unknown` is the catch-all; a model value that maps to it is renamed.
    for v in &mut variants {
        if v.name == "Unknown" {
            v.name = "UnknownValue".to_owned();
        }
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut values: BTreeSet<String> = BTreeSet::new();
    for v in &variants {
        let shown = match &v.value {
            EnumValue::Str(s) => s.clone(),
            EnumValue::Int(i) => i.to_string(),
        };
        if let Some(other) = seen.get(&v.name) {
            b.error(
                id,
                Error::NameCollision {
                    id: format!("{id} value {shown:?}"),
                    name: v.name.clone(),
                    other: format!("value {other:?}"),
                },
            );
        }
        if !values.insert(shown.clone()) {
            b.error(
                id,
                Error::InvalidShape {
                    id: id.to_owned(),
                    message: format!("enum value {shown:?} is listed twice"),
                },
            );
        }
        seen.insert(v.name.clone(), shown);
    }
    Some(Def::Enum(Enum {
        id: id.to_owned(),
        symbol,
        docs,
        int,
        variants,
        deprecated,
    }))
}

fn build_service(b: &Builder, id: &str) -> Service {
    let traits = b.shape(id).map(|s| s.traits().clone()).unwrap_or_default();
    let version = match b.shape(id) {
        Some(Shape::Service(s)) => s.version.clone(),
        _ => None,
    };
    let aws = traits.get(AWS_SERVICE);
    let protocol = traits
        .keys()
        .find(|k| k.starts_with("aws.protocols#") || k.ends_with("#restJson1"))
        .cloned();
    Service {
        id: id.to_owned(),
        sdk_id: aws
            .and_then(|v| v.get("sdkId"))
            .and_then(Value::as_str)
            .unwrap_or(shape_name(id))
            .to_owned(),
        version,
        title: traits.get(TITLE).and_then(Value::as_str).map(str::to_owned),
        docs: doc_of(&traits),
        signing_name: traits
            .get("aws.auth#sigv4")
            .and_then(|v| v.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        endpoint_prefix: aws
            .and_then(|v| v.get("endpointPrefix"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        protocol,
    }
}

fn build_operation(
    b: &mut Builder,
    id: &str,
    service: Option<&str>,
    symbols: &Symbols,
    defs: &BTreeMap<String, Def>,
) -> Option<Operation> {
    let Some(Shape::Operation(op)) = b.shape(id).cloned() else {
        return None;
    };
    let module = symbols.op_modules.get(id)?.clone();
    let structure_ref =
        |b: &mut Builder, r: &Option<read::ShapeRef>, role: &str| -> Option<String> {
            let target = &r.as_ref()?.target;
            if target == prelude::UNIT {
                return None;
            }
            match defs.get(target) {
                Some(Def::Structure(_)) => Some(target.clone()),
                _ => {
                    b.error(
                        id,
                        Error::InvalidTarget {
                            id: id.to_owned(),
                            message: format!("{role} {target} is not a structure"),
                        },
                    );
                    None
                }
            }
        };
    let input = structure_ref(b, &op.input, "input");
    let output = structure_ref(b, &op.output, "output");
    let service_errors: Vec<String> = match service.and_then(|s| b.shape(s)) {
        Some(Shape::Service(s)) => s.errors.iter().map(|r| r.target.clone()).collect(),
        _ => Vec::new(),
    };
    let mut errors = Vec::new();
    for target in op
        .errors
        .iter()
        .map(|r| r.target.clone())
        .chain(service_errors)
    {
        match defs.get(&target) {
            Some(Def::Structure(s)) if s.error.is_some() => {
                if !errors.contains(&target) {
                    errors.push(target)
                }
            }
            _ => b.error(
                id,
                Error::InvalidTarget {
                    id: id.to_owned(),
                    message: format!("error {target} is not a structure with the error trait"),
                },
            ),
        }
    }
    let location = b.location(id);
    let http = op
        .traits
        .get(HTTP)
        .and_then(|v| http::http_trait(id, v, &location, &mut b.errors));
    if let Some(http) = &http {
        http::check_labels(id, http, input.as_deref(), defs, &location, &mut b.errors);
    }
    let marker = names::pascal(shape_name(id));
    let mut operation = Operation {
        id: id.to_owned(),
        name: shape_name(id).to_owned(),
        module,
        error_enum: format!("{marker}Error"),
        marker,
        docs: doc_of(&op.traits),
        input,
        output,
        errors,
        http,
        pagination: None,
        readonly: has(&op.traits, READONLY),
        idempotent: has(&op.traits, IDEMPOTENT),
    };
    if let Some(paginated) = op.traits.get(PAGINATED) {
        let service_defaults = service
            .and_then(|s| b.shape(s))
            .and_then(|s| s.traits().get(PAGINATED))
            .cloned()
            .unwrap_or(Value::Null);
        let field = |k: &str| {
            paginated
                .get(k)
                .or_else(|| service_defaults.get(k))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let input_token = field("inputToken");
        let output_token = field("outputToken");
        match (input_token, output_token) {
            (Some(input_token), Some(output_token)) => {
                let pagination = Pagination {
                    input_token,
                    output_token: output_token.split('.').map(str::to_owned).collect(),
                    items: field("items").map(|i| i.split('.').map(str::to_owned).collect()),
                    page_size: field("pageSize"),
                    source: PaginationSource::Trait,
                };
                let location = b.location(id);
                if pagination::check(&operation, &pagination, defs, &location, &mut b.errors) {
                    operation.pagination = Some(pagination);
                }
            }
            _ => b.error(
                id,
                Error::Pagination {
                    id: id.to_owned(),
                    message:
                        "trait needs inputToken and outputToken (on the operation or the service)"
                            .into(),
                },
            ),
        }
    }
    Some(operation)
}
