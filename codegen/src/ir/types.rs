//! The IR's types for named Rust types and what they hold: the model after lowering,
//! as the emitters read it. Every name, reference and value here is settled.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Operation;
use super::defs::{DefId, Defs};

/// The resolved model, ready for emission.
#[derive(Debug)]
pub struct Ir {
    /// Input file names, in the order given.
    pub sources: Vec<String>,
    /// The service, when the model has one.
    pub service: Option<Service>,
    /// Every named Rust type (structures, unions, enums).
    pub defs: Defs,
    /// Every operation in the closure, ordered by module name.
    pub operations: Vec<Operation>,
    /// Counts of what was read, for reports and tests.
    pub stats: Stats,
    /// For each definition, the operation features that enable it (`None`: always).
    pub def_features: BTreeMap<DefId, Option<Vec<String>>>,
    /// What was left out of the crate, and why (generation still succeeds).
    pub warnings: Vec<crate::diag::Diagnostic>,
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
    /// `aws.protocols#restJson1`: HTTP bindings from `@http` and the member traits.
    RestJson1,
    /// `aws.protocols#awsJson1_0`: `POST /`, the operation in `X-Amz-Target`, the
    /// input and output as JSON bodies (`application/x-amz-json-1.0`).
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`: as 1.0, with `application/x-amz-json-1.1`.
    AwsJson1_1,
    /// Another protocol trait, by shape id (only the model types are generated).
    Other(String),
}

impl Protocol {
    /// The protocol of a service with these trait ids: the first one generated for
    /// (restJson1, awsJson1_0, awsJson1_1), else any other `aws.protocols#` trait.
    pub(crate) fn of<'a>(traits: impl Iterator<Item = &'a String> + Clone) -> Option<Protocol> {
        use super::traits::{AWS_JSON1_0, AWS_JSON1_1, AWS_QUERY_COMPATIBLE, REST_JSON1};
        let known = [
            (REST_JSON1, Protocol::RestJson1),
            (AWS_JSON1_0, Protocol::AwsJson1_0),
            (AWS_JSON1_1, Protocol::AwsJson1_1),
        ];
        known
            .into_iter()
            .find(|(id, _)| traits.clone().any(|t| t == id))
            .map(|(_, p)| p)
            .or_else(|| {
                traits
                    .clone()
                    .find(|t| t.starts_with("aws.protocols#") && *t != AWS_QUERY_COMPATIBLE)
                    .map(|t| Protocol::Other(t.clone()))
            })
    }

    /// Whether this is awsJson1_0 or awsJson1_1 (JSON-RPC: every member in the body,
    /// under its member name; `@jsonName` and the HTTP binding traits do not apply).
    pub fn json_rpc(&self) -> bool {
        matches!(self, Protocol::AwsJson1_0 | Protocol::AwsJson1_1)
    }
}

/// The service shape.
#[derive(Clone, Debug)]
pub struct Service {
    /// The shape's name (its id without the namespace): awsJson's `X-Amz-Target`
    /// prefix.
    pub name: String,
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
    /// `aws.protocols#awsQueryCompatible`: requests say `x-amzn-query-mode: true`.
    pub query_compatible: bool,
    /// The client extension trait's name, e.g. `ApiGatewayV2`.
    pub client_trait: String,
    /// `smithy.rules#endpointRuleSet`, checked and written as compact JSON: the
    /// generated crate carries it as data.
    pub endpoint_rules: Option<String>,
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

impl Structure {
    /// As a response: the member bound to the whole body (`@httpPayload`), if any.
    pub fn response_payload(&self) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.http.in_response() == HttpLocation::Payload)
    }

    /// As a response: the members in the JSON body (not bound to a header, the status
    /// code or the payload).
    pub fn response_body_members(&self) -> impl Iterator<Item = &Member> {
        self.members
            .iter()
            .filter(|m| m.http.in_response() == HttpLocation::Body)
    }

    /// As a response: every member is in the JSON body.
    pub fn response_is_body(&self) -> bool {
        self.members
            .iter()
            .all(|m| m.http.in_response() == HttpLocation::Body)
    }
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
    /// `@retryable`: `Some(true)` with `throttling: true`, `Some(false)` without.
    pub retryable: Option<bool>,
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
}

/// A reference to a named type: its id in [`Ir::defs`] and what kind of type it is
/// (what it supports and where it lives are the definition's: [`Defs::caps`],
/// [`Defs::symbol`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NamedRef {
    /// The definition.
    pub id: DefId,
    /// What kind of type it is.
    pub kind: NamedKind,
}

/// The kinds of named types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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
    /// The element may be absent (`null`): a list or map value of a `@sparse` shape.
    pub sparse: bool,
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
            // A document's `Default` is `null`: any other value needs its function.
            DefaultValue::Document(v) => v.is_null(),
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
}

impl HttpLocation {
    /// Where the member is in a request: `@httpResponseCode` means nothing there
    /// (body). (An `@hostLabel` member also fills the host prefix: [`Member::host_label`].)
    pub fn in_request(&self) -> HttpLocation {
        match self {
            HttpLocation::ResponseCode => HttpLocation::Body,
            other => other.clone(),
        }
    }

    /// Where the member is in a response: the input-only bindings (`@httpLabel`,
    /// `@httpQuery`, `@httpQueryParams`) mean nothing there, so such a
    /// member is in the body.
    pub fn in_response(&self) -> HttpLocation {
        match self {
            HttpLocation::Label | HttpLocation::Query(_) | HttpLocation::QueryParams => {
                HttpLocation::Body
            }
            other => other.clone(),
        }
    }
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
    /// The builder's setter taking an `Option` (`set_<field>`) and its getter
    /// (`get_<field>`); the builder's by-value setter has the field's name.
    pub accessors: Accessors,
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
    /// `@mediaType` of the target (a blob payload's content type; a string header with
    /// one is base64 on the wire).
    pub media_type: Option<String>,
    /// `@idempotencyToken`: filled with a fresh token when unset at serialization.
    pub idempotency_token: bool,
    /// `@hostLabel`: the value fills its label of the operation's `hostPrefix`. A
    /// member may also have an HTTP binding (a header, say): both apply.
    pub host_label: bool,
    /// The private function that gives a non-zero `@default` (a zero default is the
    /// type's `Default`); its name is decided here.
    pub default_fn: Option<String>,
}

/// The names of a member's builder methods besides the one named like the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accessors {
    /// `set_<field>`, taking an `Option`.
    pub set: String,
    /// `get_<field>`, returning what is set.
    pub get: String,
}
