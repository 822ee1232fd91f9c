//! Stage 2: the resolved shape graph.
//!
//! `build` merges the input files and the prelude, applies `apply` and mixins, walks the
//! service closure, names every Rust item once (the symbol table), computes optionality,
//! constraints, boxing and derivable traits, and resolves pagination metadata. Every
//! problem is collected as a [`Diagnostic`] naming the shape id; nothing is emitted
//! unless the whole model is sound.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diag::{Diagnostic, Error, Location};
use crate::read::{Shape, SimpleType, Source};

mod graph;
mod http;
mod model;
mod operations;
mod pagination;
mod shapes;
mod symbols;
#[cfg(test)]
mod testing;
mod traits;

use graph::{box_recursive_members, compute_caps, compute_validation, settle_named_refs};
use model::ShapeTable;
use traits::{ENUM_TRAIT, has};

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

/// A service's protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#restJson1`: the protocol HTTP bindings are generated for.
    RestJson1,
    /// Another protocol trait, by shape id (only the model types are generated).
    Other(String),
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
    /// The protocol the service declares.
    pub protocol: Option<Protocol>,
    /// The client extension trait's name, e.g. `ApiGatewayV2`.
    pub client_trait: String,
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
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
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
    /// What the structure is to the operations (set once operations are lowered).
    pub role: StructureRole,
}

/// What a structure is to the service's operations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StructureRole {
    /// A structure the operations' shapes hold.
    Plain,
    /// An error structure.
    Error,
    /// The input of the operation named (the first, by module, when several share it).
    Input(String),
    /// The output of the operation named (likewise).
    Output(String),
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
    /// The member holding the message, when one is named `message` in any case.
    pub message: Option<ErrorMessage>,
}

/// The member of an error structure that holds its message.
#[derive(Clone, Debug)]
pub struct ErrorMessage {
    /// The Rust field.
    pub field: String,
    /// The field is an `Option<String>` (else a `String`).
    pub optional: bool,
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
    /// A structure, union or enum.
    Named(NamedRef),
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

    /// What a value of the type supports (`Eq`, `Hash`, `Default`).
    pub fn caps(&self) -> Caps {
        graph::ty_caps(self, &|named| named.caps)
    }

    /// Whether validating a value of the type can find anything.
    pub fn validates(&self) -> bool {
        graph::ty_validates(self, &|named| named.validates)
    }
}

impl Member {
    /// Whether `validate()` has anything to check for this member.
    pub fn validates(&self) -> bool {
        graph::member_validates(self, &|named| named.validates)
    }
}

/// A reference to a named type: its shape id, where it lives and what it is, so that
/// emitters need not look it up.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedRef {
    /// Shape id.
    pub id: String,
    /// Its module and Rust name.
    pub symbol: Symbol,
    /// What kind of type it is.
    pub kind: NamedKind,
    /// What a value of the type supports, settled by the graph pass.
    pub caps: Caps,
    /// Whether validating a value of the type can find anything (graph pass).
    pub validates: bool,
}

/// The kinds of named types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedKind {
    /// A structure.
    Structure,
    /// A union.
    Union,
    /// A string enum (`enum`, or a string with `@enum`).
    Enum,
    /// An `intEnum`.
    IntEnum,
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
    pub range: Option<(Option<Number>, Option<Number>)>,
    /// `pattern` (documented, not checked by `validate()`).
    pub pattern: Option<String>,
}

impl Constraints {
    /// Whether `validate()` has anything to check.
    pub fn checked(&self) -> bool {
        self.length.is_some() || self.range.is_some()
    }
}

/// A number from the model (a `@range` bound), integral when the model wrote one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// An integer that fits `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
}

impl Number {
    /// The value as `f64`.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(n) => n as f64,
            Number::Float(f) => f,
        }
    }

    /// The least integer not below the value (a lower bound on an integer member).
    pub fn ceil_i64(self) -> i64 {
        match self {
            Number::Int(n) => n,
            Number::Float(f) => f.ceil() as i64,
        }
    }

    /// The greatest integer not above the value (an upper bound on an integer member).
    pub fn floor_i64(self) -> i64 {
        match self {
            Number::Int(n) => n,
            Number::Float(f) => f.floor() as i64,
        }
    }
}

impl From<&serde_json::Number> for Number {
    fn from(n: &serde_json::Number) -> Self {
        match n.as_i64() {
            Some(i) => Number::Int(i),
            None => Number::Float(n.as_f64().unwrap_or(0.0)),
        }
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Int(n) => write!(f, "{n}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A `@default` value, checked against and typed by the member it sits on.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    /// A boolean.
    Bool(bool),
    /// An integer member, or an `intEnum` value.
    Int(i64),
    /// A float member.
    Float(f64),
    /// A string member, or an enum value.
    Str(String),
    /// A blob (decoded bytes).
    Blob(Vec<u8>),
    /// `[]`.
    EmptyList,
    /// `{}` on a map.
    EmptyMap,
    /// A timestamp, in epoch seconds.
    Timestamp(i64),
    /// A document: any JSON value.
    Document(Value),
}

impl DefaultValue {
    /// Whether the value is its type's zero (`false`, `0`, `""`, empty), which the
    /// type's `Default` gives; any other needs a function of its own.
    pub fn is_zero(&self) -> bool {
        match self {
            DefaultValue::Bool(b) => !b,
            DefaultValue::Int(n) | DefaultValue::Timestamp(n) => *n == 0,
            DefaultValue::Float(f) => *f == 0.0,
            DefaultValue::Str(s) => s.is_empty(),
            DefaultValue::Blob(b) => b.is_empty(),
            DefaultValue::EmptyList | DefaultValue::EmptyMap => true,
            DefaultValue::Document(v) => match v {
                Value::Bool(b) => !b,
                Value::Number(n) => n.as_f64() == Some(0.0),
                Value::String(s) => s.is_empty(),
                Value::Array(a) => a.is_empty(),
                Value::Object(o) => o.is_empty(),
                Value::Null => true,
            },
        }
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
    Default(DefaultValue),
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
#[derive(Clone, Debug, PartialEq)]
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
    /// The private function that gives a non-zero `@default` (a zero default is the
    /// type's `Default`); its name is decided here.
    pub default_fn: Option<String>,
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
    pub marker: Symbol,
    /// Error enum name, e.g. `GetIntegrationsError`.
    pub error_enum: Symbol,
    /// Converted documentation.
    pub docs: Option<String>,
    /// Input structure (None for Unit).
    pub input: Option<String>,
    /// Output structure (None for Unit).
    pub output: Option<String>,
    /// The input structure's symbol.
    pub input_symbol: Option<Symbol>,
    /// The output structure's symbol.
    pub output_symbol: Option<Symbol>,
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
    /// The operation's method on the client trait, e.g. `get_integrations`.
    pub client_method: String,
    /// The paginator's method on the client trait (`get_integrations_paginator`), for an
    /// operation paginated by items.
    pub paginator_method: Option<String>,
}

/// `@http`.
#[derive(Clone, Debug, PartialEq)]
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
#[derive(Clone, Debug, PartialEq)]
pub enum UriPart {
    /// Literal text.
    Literal(String),
    /// `{Name}` or, greedy, `{Name+}`.
    Label {
        /// The input member name.
        name: String,
        /// Whether the label may span `/`.
        greedy: bool,
        /// The input member it names, matched by the HTTP pass (lowering fails when a
        /// label has none, so emitted operations always have it).
        member: Option<Box<Member>>,
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
#[derive(Clone, Debug, PartialEq)]
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
    /// The members the names above resolve to (set by the pagination pass, which only
    /// attaches pagination whose every path resolves).
    pub paths: PaginationPaths,
}

/// Pagination's member paths, resolved: each step is the member as the input or output
/// structure (and the structures below it) holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PaginationPaths {
    /// The input member carrying the token.
    pub input_token: Vec<Member>,
    /// The output members down to the next token.
    pub output_token: Vec<Member>,
    /// The output members down to the items.
    pub items: Vec<Member>,
    /// The input member setting the page size.
    pub page_size: Vec<Member>,
}

// ---------------------------------------------------------------------------------

/// The lowering's state: the merged shape table (read only) and the diagnostics
/// sink every pass reports into.
pub(crate) struct Lowering {
    table: ShapeTable,
    errors: Vec<Diagnostic>,
    /// The symbol table, once the symbols pass has run.
    symbols: BTreeMap<String, Symbol>,
}

impl Lowering {
    pub(crate) fn location(&self, id: &str) -> Location {
        self.table.location(id)
    }

    pub(crate) fn error(&mut self, at: &str, error: Error) {
        let location = self.location(at);
        self.errors.push(Diagnostic { location, error });
    }

    pub(crate) fn trait_error(&mut self, id: &str, name: &str, message: impl Into<String>) {
        self.error(
            id,
            Error::InvalidTrait {
                id: id.to_owned(),
                name: name.to_owned(),
                message: message.into(),
            },
        );
    }

    pub(crate) fn shape(&self, id: &str) -> Option<&Shape> {
        self.table.shape(id)
    }
}

/// Resolves the parsed input files into the IR, or returns every problem found.
pub fn lower(sources: Vec<Source>) -> Result<Ir, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let merged = model::merge(sources, &mut errors);
    let mut b = Lowering {
        table: merged.table,
        errors,
        symbols: BTreeMap::new(),
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
    b.symbols = symbols.types.clone();
    let mut defs = BTreeMap::new();
    for id in &closure {
        let Some(symbol) = symbols.types.get(id) else {
            continue;
        };
        if let Some(def) = shapes::build_def(&mut b, id, symbol.clone()) {
            defs.insert(id.clone(), def);
        }
    }
    box_recursive_members(&mut defs);
    compute_caps(&mut defs);
    compute_validation(&mut defs);
    settle_named_refs(&mut defs);

    let service_ir = service
        .as_deref()
        .map(|id| operations::build_service(&b, id));
    let mut operations = Vec::new();
    for id in &operations_ids {
        if let Some(op) =
            operations::build_operation(&mut b, id, service.as_deref(), &symbols, &defs)
        {
            operations.push(op);
        }
    }
    pagination::apply_overrides(&overrides, &mut operations, &defs, &mut b.errors);
    symbols::name_client_methods(&b.table, &mut operations, &mut b.errors);
    operations.sort_by(|a, b| a.module.cmp(&b.module));
    assign_roles(&operations, &mut defs);

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

/// Marks each operation's input and output structure with its role (the first
/// operation by module wins when several share one).
fn assign_roles(operations: &[Operation], defs: &mut BTreeMap<String, Def>) {
    for op in operations.iter().rev() {
        let roles = [
            (&op.input, StructureRole::Input(op.name.clone())),
            (&op.output, StructureRole::Output(op.name.clone())),
        ];
        for (id, role) in roles.into_iter().rev() {
            if let Some(Def::Structure(s)) = id.as_deref().and_then(|id| defs.get_mut(id)) {
                s.role = role;
            }
        }
    }
}

/// An operation's input, output and error structures, as the IR holds them.
#[derive(Clone, Debug)]
pub struct OperationShapes<'a> {
    /// The input structure (`None` for Unit).
    pub input: Option<&'a Structure>,
    /// The output structure (`None` for Unit).
    pub output: Option<&'a Structure>,
    /// The error structures, in the operation's order.
    pub errors: Vec<&'a Structure>,
}

impl Ir {
    /// The structures an operation names. Lowering only keeps operations whose
    /// input, output and errors are structures in `defs`, so this cannot fail.
    pub fn operation_shapes<'a>(&'a self, op: &'a Operation) -> OperationShapes<'a> {
        let structure = |id: &str| match self.defs.get(id) {
            Some(Def::Structure(s)) => s,
            _ => unreachable!("lowering keeps only operations whose shapes are structures"),
        };
        OperationShapes {
            input: op.input.as_deref().map(structure),
            output: op.output.as_deref().map(structure),
            errors: op.errors.iter().map(|id| structure(id)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One small service through every pass; the IR's debug form is snapshotted, so a
    /// change in any pass's decisions (names, modules, optionality, bindings, boxing,
    /// capabilities, pagination) shows in review without reading the emitted Rust.
    #[test]
    fn a_small_service_lowers_to_this_ir() {
        let ir = testing::lowered(
            r#"{"smithy": "2.0", "shapes": {
                "ex#Svc": {"type": "service", "version": "2024-01-01",
                           "operations": [{"target": "ex#ListThings"}],
                           "traits": {"aws.api#service": {"sdkId": "Things"}, "aws.protocols#restJson1": {}}},
                "ex#ListThings": {"type": "operation",
                    "input": {"target": "ex#ListThingsRequest"}, "output": {"target": "ex#ListThingsResponse"},
                    "errors": [{"target": "ex#Missing"}],
                    "traits": {"smithy.api#readonly": {}, "smithy.api#http": {"method": "GET", "uri": "/owners/{Owner}/things"},
                               "smithy.api#paginated": {"inputToken": "NextToken", "outputToken": "NextToken", "items": "Items", "pageSize": "Limit"}}},
                "ex#ListThingsRequest": {"type": "structure", "members": {
                    "Owner": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}},
                    "NextToken": {"target": "smithy.api#String", "traits": {"smithy.api#httpQuery": "nextToken"}},
                    "Limit": {"target": "smithy.api#Integer", "traits": {"smithy.api#httpQuery": "limit", "smithy.api#range": {"min": 1, "max": 50}}}
                }},
                "ex#ListThingsResponse": {"type": "structure", "members": {
                    "Items": {"target": "ex#Things", "traits": {"smithy.api#jsonName": "items"}},
                    "NextToken": {"target": "smithy.api#String", "traits": {"smithy.api#jsonName": "nextToken"}}
                }},
                "ex#Things": {"type": "list", "member": {"target": "ex#Thing"}},
                "ex#Thing": {"type": "structure", "members": {
                    "Kind": {"target": "ex#Kind"},
                    "Parent": {"target": "ex#Thing"},
                    "Weight": {"target": "smithy.api#Double"}
                }},
                "ex#Kind": {"type": "enum", "members": {
                    "SMALL": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "small"}}
                }},
                "ex#Missing": {"type": "structure", "members": {"Message": {"target": "smithy.api#String"}},
                               "traits": {"smithy.api#error": "client", "smithy.api#httpError": 404}}
            }}"#,
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        insta::assert_debug_snapshot!(ir);
    }
}
