//! The protocol-test pass: reads `smithy.test#httpRequestTests` and
//! `smithy.test#httpResponseTests` (on operations, and on error structures) and types
//! every case's `params` against the input, output or error structure, so the emitter
//! renders a value without looking anything up. Only client cases are kept
//! (`appliesTo: "server"` ones are not for a client).

use serde_json::Value as Json;

use super::{Def, Defs, Member, NamedKind, Operation, Presence, Structure, Symbol, Ty};
use crate::diag::{Diagnostic, Error, Location};
use crate::read::Traits;

/// The trait holding request cases.
pub(crate) const REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
/// The trait holding response cases.
pub(crate) const RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";

/// A client request case: `params` serialized must give this request.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestCase {
    /// The case id, e.g. `RestJsonHttpPrefixHeadersArePresent`.
    pub id: String,
    /// Its documentation.
    pub docs: Option<String>,
    /// The input value.
    pub params: TestValue,
    /// HTTP method.
    pub method: String,
    /// The path, without the query.
    pub uri: String,
    /// Expected `key=value` (or `key`) query parameters, percent-encoded.
    pub query_params: Vec<String>,
    /// Query keys that must be absent.
    pub forbid_query_params: Vec<String>,
    /// Query keys that must be present.
    pub require_query_params: Vec<String>,
    /// Expected headers.
    pub headers: Vec<(String, String)>,
    /// Headers that must be absent.
    pub forbid_headers: Vec<String>,
    /// Headers that must be present.
    pub require_headers: Vec<String>,
    /// The expected body, when the case states one.
    pub body: Option<String>,
    /// How to compare the body (`application/json` by value, else by bytes).
    pub body_media_type: Option<String>,
    /// The endpoint the client is configured with (`host`), when the case sets one.
    pub host: Option<String>,
    /// The host the request must go to (`resolvedHost`).
    pub resolved_host: Option<String>,
}

/// A client response case: this response must parse to `params`.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseCase {
    /// The case id.
    pub id: String,
    /// Its documentation.
    pub docs: Option<String>,
    /// The expected output (or error) value.
    pub params: TestValue,
    /// HTTP status.
    pub code: u16,
    /// Response headers.
    pub headers: Vec<(String, String)>,
    /// Response body.
    pub body: Option<String>,
    /// For an error case, the error structure (a variant of the operation's error enum).
    pub error: Option<Symbol>,
    /// The error code a client reports (`vendorParams.code`: an `awsQueryCompatible`
    /// service's `x-amzn-query-error` code, else the modeled one), when the case says.
    pub reported_code: Option<String>,
    /// Whom the error blames (`vendorParams.type`: `Sender` or `Receiver`), when the
    /// case says.
    pub query_fault: Option<String>,
}

/// A case's value, typed by the shape it is a value of.
#[derive(Clone, Debug, PartialEq)]
pub enum TestValue {
    /// An absent value (a `null` in a sparse list or map).
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer of the given type (`Ty::Byte` .. `Ty::Long`).
    Int(i64, Ty),
    /// A float of the given type, possibly NaN or infinite.
    Float(f64, Ty),
    /// A string.
    Str(String),
    /// A blob's bytes.
    Blob(Vec<u8>),
    /// Seconds since the epoch.
    Timestamp(f64),
    /// A string enum value.
    Enum(Symbol, String),
    /// An `intEnum` value.
    IntEnum(Symbol, i32),
    /// A big number, as written.
    BigNumber(String),
    /// A document.
    Document(Json),
    /// A list; `sparse` when its elements are `Option`s.
    List {
        /// The elements.
        items: Vec<TestValue>,
        /// The list is `@sparse`.
        sparse: bool,
    },
    /// A map; `sparse` when its values are `Option`s.
    Map {
        /// The entries, in the case's order.
        entries: Vec<(String, TestValue)>,
        /// The map is `@sparse`.
        sparse: bool,
    },
    /// A structure, built through its builder.
    Structure {
        /// The structure.
        symbol: Symbol,
        /// Whether `build()` returns a `Result`.
        fallible: bool,
        /// Each set member: its setter, whether it is boxed, its value.
        fields: Vec<(String, bool, TestValue)>,
    },
    /// A union variant.
    Union {
        /// The union.
        symbol: Symbol,
        /// The variant.
        variant: String,
        /// Its value (`None` for a unit variant); boxed or not.
        value: Option<(bool, Box<TestValue>)>,
    },
}

/// Reads the cases of operation `op` and of the error structures it lists (an error's
/// cases go with the first operation, by module, that lists it).
pub(crate) fn attach<'t>(
    traits_of: &dyn Fn(&str) -> &'t Traits,
    locate: &dyn Fn(&str) -> Location,
    operations: &mut [Operation],
    defs: &Defs,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut errors_done = std::collections::BTreeSet::new();
    for op in operations.iter_mut() {
        let traits = traits_of(&op.id);
        let mut report = |message: String| {
            diagnostics.push(Diagnostic {
                location: locate(&op.id),
                error: Error::InvalidTrait {
                    id: op.id.clone(),
                    name: "smithy.test".into(),
                    message,
                },
            })
        };
        let input = op.input.map(|id| defs.structure(id));
        let output = op.output.map(|id| defs.structure(id));
        for case in cases(traits, REQUEST_TESTS) {
            match request_case(case, input, defs) {
                Ok(c) => op.request_tests.push(c),
                Err(e) => report(e),
            }
        }
        for case in cases(traits, RESPONSE_TESTS) {
            match response_case(case, output, None, defs) {
                Ok(c) => op.response_tests.push(c),
                Err(e) => report(e),
            }
        }
        for &error in &op.errors {
            if !errors_done.insert(error) {
                continue;
            }
            let s = defs.structure(error);
            let traits = traits_of(&s.id);
            for case in cases(traits, RESPONSE_TESTS) {
                match response_case(case, Some(s), Some(s.symbol.clone()), defs) {
                    Ok(c) => op.response_tests.push(c),
                    Err(e) => report(e),
                }
            }
        }
    }
}

/// The client cases of trait `name`.
fn cases<'a>(traits: &'a Traits, name: &str) -> impl Iterator<Item = &'a Json> {
    traits
        .get(name)
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter(|c| c.get("appliesTo").and_then(Json::as_str) != Some("server"))
}

fn string(case: &Json, key: &str) -> Option<String> {
    case.get(key).and_then(Json::as_str).map(str::to_owned)
}

fn strings(case: &Json, key: &str) -> Vec<String> {
    super::traits::string_list(case.get(key))
}

fn headers(case: &Json) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = case
        .get("headers")
        .and_then(Json::as_object)
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    headers.sort();
    headers
}

/// `value` with every object's keys sorted, so that generated text does not depend on
/// the order serde_json's map keeps.
pub(crate) fn canonical(value: &Json) -> Json {
    match value {
        Json::Object(o) => {
            let mut entries: Vec<(&String, &Json)> = o.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Json::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), canonical(v)))
                    .collect(),
            )
        }
        Json::Array(a) => Json::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

fn params_of(
    case: &Json,
    id: &str,
    shape: Option<&Structure>,
    defs: &Defs,
) -> Result<TestValue, String> {
    let empty = Json::Object(Default::default());
    let params = case.get("params").unwrap_or(&empty);
    match shape {
        Some(s) => structure_value(s, params, defs).map_err(|e| format!("case {id}: {e}")),
        None => Ok(TestValue::Null),
    }
}

fn request_case(
    case: &Json,
    input: Option<&Structure>,
    defs: &Defs,
) -> Result<RequestCase, String> {
    let id = string(case, "id").ok_or("a case without an id")?;
    Ok(RequestCase {
        params: params_of(case, &id, input, defs)?,
        docs: string(case, "documentation"),
        method: string(case, "method").unwrap_or_default(),
        uri: string(case, "uri").unwrap_or_default(),
        query_params: strings(case, "queryParams"),
        forbid_query_params: strings(case, "forbidQueryParams"),
        require_query_params: strings(case, "requireQueryParams"),
        headers: headers(case),
        forbid_headers: strings(case, "forbidHeaders"),
        require_headers: strings(case, "requireHeaders"),
        body: string(case, "body"),
        body_media_type: string(case, "bodyMediaType"),
        host: string(case, "host"),
        resolved_host: string(case, "resolvedHost"),
        id,
    })
}

fn response_case(
    case: &Json,
    shape: Option<&Structure>,
    error: Option<Symbol>,
    defs: &Defs,
) -> Result<ResponseCase, String> {
    let id = string(case, "id").ok_or("a case without an id")?;
    Ok(ResponseCase {
        params: params_of(case, &id, shape, defs)?,
        docs: string(case, "documentation"),
        code: case
            .get("code")
            .and_then(Json::as_u64)
            .and_then(|c| u16::try_from(c).ok())
            .ok_or_else(|| format!("case {id}: no valid code"))?,
        headers: headers(case),
        body: string(case, "body"),
        error,
        reported_code: case.get("vendorParams").and_then(|v| string(v, "code")),
        query_fault: case.get("vendorParams").and_then(|v| string(v, "type")),
        id,
    })
}

fn structure_value(s: &Structure, params: &Json, defs: &Defs) -> Result<TestValue, String> {
    let object = params
        .as_object()
        .ok_or_else(|| format!("{} params are not an object", s.id))?;
    // Model order, whatever order the JSON map keeps (serde_json's depends on a
    // feature another crate may turn on): generated text must not depend on it.
    if let Some(name) = object.keys().find(|k| member(&s.members, k).is_none()) {
        return Err(format!("{} has no member {name}", s.id));
    }
    let mut fields = Vec::new();
    for m in &s.members {
        let Some(value) = object.get(&m.name) else {
            continue;
        };
        if value.is_null() {
            continue;
        }
        fields.push((
            m.accessors.set.clone(),
            m.boxed,
            value_of(&m.ty, value, defs)?,
        ));
    }
    Ok(TestValue::Structure {
        symbol: s.symbol.clone(),
        fallible: s.members.iter().any(|m| m.presence == Presence::Required),
        fields,
    })
}

fn member<'a>(members: &'a [Member], name: &str) -> Option<&'a Member> {
    members.iter().find(|m| m.name == name)
}

fn float(value: &Json) -> Option<f64> {
    match value {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

/// `value` as a value of `ty`.
fn value_of(ty: &Ty, value: &Json, defs: &Defs) -> Result<TestValue, String> {
    let wrong = || format!("{value} is not a value of {ty:?}");
    Ok(match ty {
        Ty::Boolean => TestValue::Bool(value.as_bool().ok_or_else(wrong)?),
        Ty::Byte | Ty::Short | Ty::Integer | Ty::Long => {
            TestValue::Int(value.as_i64().ok_or_else(wrong)?, ty.clone())
        }
        Ty::Float | Ty::Double => TestValue::Float(float(value).ok_or_else(wrong)?, ty.clone()),
        Ty::String => TestValue::Str(value.as_str().ok_or_else(wrong)?.to_owned()),
        Ty::Blob => TestValue::Blob(value.as_str().ok_or_else(wrong)?.as_bytes().to_vec()),
        Ty::Timestamp => TestValue::Timestamp(value.as_f64().ok_or_else(wrong)?),
        Ty::BigInteger | Ty::BigDecimal => TestValue::BigNumber(match value {
            Json::Number(n) => n.to_string(),
            Json::String(s) => s.clone(),
            _ => return Err(wrong()),
        }),
        Ty::Document => TestValue::Document(canonical(value)),
        Ty::Unit => TestValue::Null,
        Ty::List(e) => {
            let items = value.as_array().ok_or_else(wrong)?;
            TestValue::List {
                items: items
                    .iter()
                    .map(|item| match item {
                        Json::Null if e.sparse => Ok(TestValue::Null),
                        _ => value_of(&e.ty, item, defs),
                    })
                    .collect::<Result<_, _>>()?,
                sparse: e.sparse,
            }
        }
        Ty::Map(_, v) => {
            let mut entries: Vec<(&String, &Json)> =
                value.as_object().ok_or_else(wrong)?.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            TestValue::Map {
                entries: entries
                    .into_iter()
                    .map(|(k, item)| {
                        let item = match item {
                            Json::Null if v.sparse => TestValue::Null,
                            _ => value_of(&v.ty, item, defs)?,
                        };
                        Ok((k.clone(), item))
                    })
                    .collect::<Result<_, String>>()?,
                sparse: v.sparse,
            }
        }
        Ty::Named(n) => match n.kind {
            NamedKind::Enum => TestValue::Enum(
                defs.symbol(n.id).clone(),
                value.as_str().ok_or_else(wrong)?.to_owned(),
            ),
            NamedKind::IntEnum => TestValue::IntEnum(
                defs.symbol(n.id).clone(),
                value
                    .as_i64()
                    .and_then(|v| i32::try_from(v).ok())
                    .ok_or_else(wrong)?,
            ),
            NamedKind::Structure | NamedKind::Union => match defs.get(n.id) {
                Def::Structure(s) => structure_value(s, value, defs)?,
                Def::Enum(_) => return Err(wrong()),
                Def::Union(u) => {
                    let object = value.as_object().ok_or_else(wrong)?;
                    if let Some(name) = object.keys().find(|k| member(&u.members, k).is_none()) {
                        return Err(format!("{} has no member {name}", u.id));
                    }
                    let (m, inner) = u
                        .members
                        .iter()
                        .find_map(|m| object.get(&m.name).filter(|v| !v.is_null()).map(|v| (m, v)))
                        .ok_or_else(|| format!("{value} sets no member of {}", u.id))?;
                    TestValue::Union {
                        symbol: u.symbol.clone(),
                        variant: m.variant.clone(),
                        value: if m.ty == Ty::Unit {
                            None
                        } else {
                            Some((m.boxed, Box::new(value_of(&m.ty, inner, defs)?)))
                        },
                    }
                }
            },
        },
    })
}
