//! Helpers generated bindings call to read a response: headers, the JSON body and the
//! error code and message.

use std::fmt;

use super::*;

/// Splits a list header of http-dates (`Mon, 16 Dec 2019 23:48:18 GMT, Tue, ...`):
/// every other comma separates two dates.
pub fn split_http_date_list(value: &str) -> Vec<String> {
    let pieces: Vec<&str> = value.split(',').map(str::trim).collect();
    pieces
        .chunks(2)
        .filter(|pair| !pair.concat().is_empty())
        .map(|pair| pair.join(", "))
        .collect()
}

/// A string header whose target has `@mediaType`: base64 of its UTF-8 bytes.
pub fn to_base64_header(value: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(value)
}

/// The inverse of [`to_base64_header`].
pub fn from_base64_header(text: &str) -> Result<String, String> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|e| format!("not base64: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "base64 of something that is not UTF-8".to_owned())
}

/// Splits a list header value (the inverse of [`header_list`]).
pub fn split_header_list(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            ',' if !quoted => out.push(std::mem::take(&mut current).trim().to_owned()),
            c => current.push(c),
        }
    }
    let last = current.trim();
    if !last.is_empty() || !out.is_empty() {
        out.push(last.to_owned());
    }
    out
}

/// The value of header `name` as text.
pub fn header<'a>(
    head: &'a http::response::Parts,
    name: &str,
) -> Result<Option<&'a str>, ResponseError> {
    match head.headers.get(name) {
        None => Ok(None),
        Some(v) => v.to_str().map(Some).map_err(|_| {
            ResponseError::new(
                head.status.as_u16(),
                format!("header {name} is not valid text"),
            )
        }),
    }
}

/// Header `name` parsed with `parse`, naming the header when the value is bad.
pub fn parse_header<T, E: fmt::Display>(
    head: &http::response::Parts,
    name: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>, ResponseError> {
    match header(head, name)? {
        None => Ok(None),
        Some(text) => parse(text.trim()).map(Some).map_err(|e| {
            ResponseError::new(
                head.status.as_u16(),
                format!("header {name} has a bad value {text:?}: {e}"),
            )
        }),
    }
}

/// Every header starting with `prefix` (case-insensitive), keyed by the rest of its name.
pub fn prefix_headers(
    head: &http::response::Parts,
    prefix: &str,
) -> Result<indexmap::IndexMap<String, String>, ResponseError> {
    let prefix = prefix.to_ascii_lowercase();
    let mut out = indexmap::IndexMap::new();
    for (name, value) in &head.headers {
        if let Some(rest) = name.as_str().strip_prefix(&prefix) {
            let value = value.to_str().map_err(|_| {
                ResponseError::new(
                    head.status.as_u16(),
                    format!("header {name} is not valid text"),
                )
            })?;
            out.insert(rest.to_owned(), value.to_owned());
        }
    }
    Ok(out)
}

/// Reads a JSON body; an empty body reads as `{}`. `T` may borrow from `body` (a
/// generated borrowed view) or own its data.
pub fn json_body<'a, T: serde::Deserialize<'a>>(
    status: u16,
    body: &'a [u8],
) -> Result<T, ResponseError> {
    // One UTF-8 check of the whole body is cheaper than serde_json checking every string
    // of a byte slice on its own.
    let text = std::str::from_utf8(body)
        .map_err(|e| ResponseError::new(status, format!("body is not UTF-8: {e}")))?;
    let text = if text.trim_ascii().is_empty() {
        "{}"
    } else {
        text
    };
    serde_json::from_str(text)
        .map_err(|e| ResponseError::new(status, format!("body is not the expected JSON: {e}")))
}

/// A JSON pagination token (a map member, such as DynamoDB's `LastEvaluatedKey`) as
/// the compact JSON text a paginator carries, members in their order.
pub fn json_token<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A JSON pagination token read back from its text, or why it is not one.
pub fn from_json_token<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("the token is not the member's JSON: {e}"))
}

/// Writes a JSON body.
pub fn to_json<T: serde::Serialize + ?Sized>(
    operation: &'static str,
    value: &T,
) -> Result<Vec<u8>, BuildRequestError> {
    serde_json::to_vec(value).map_err(|e| BuildRequestError::new(operation, format!("body: {e}")))
}

/// A float as restJson1 writes it in a label, query value or header: `NaN`,
/// `Infinity`, `-Infinity`, else its shortest decimal form.
pub fn fmt_float<F: Into<f64> + std::fmt::Display + Copy>(value: F) -> String {
    match crate::serde::non_finite_text(value.into()) {
        Some(text) => text.to_owned(),
        None => value.to_string(),
    }
}

/// A boolean as restJson1 writes it in a label, query value or header.
pub fn fmt_bool(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// Who an awsQuery error blames: the caller or the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryFault {
    /// `Sender`: the request was wrong.
    Sender,
    /// `Receiver`: the service failed.
    Receiver,
}

impl QueryFault {
    /// The wire form, `Sender` or `Receiver`.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryFault::Sender => "Sender",
            QueryFault::Receiver => "Receiver",
        }
    }
}

/// An `awsQueryCompatible` service's error code from `x-amzn-query-error`
/// (`AWS.SimpleQueueService.NonExistentQueue;Sender`): the code its awsQuery clients
/// knew, which may differ from the modeled error's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// The error code, e.g. `AWS.SimpleQueueService.NonExistentQueue`.
    pub code: String,
    /// Whom the error blames.
    pub fault: QueryFault,
}

/// The awsQuery code of an error response, as a client reports it: for a service with
/// [`ServiceInfo::query_compatible`](super::ServiceInfo::query_compatible), the
/// `x-amzn-query-error` header when present and of the form `<code>;<Sender|Receiver>`
/// with a non-empty code (anything else is ignored, as the AWS SDKs do); `None` for
/// other services.
pub fn query_error(
    service: &super::ServiceInfo,
    head: &http::response::Parts,
) -> Option<QueryError> {
    if !service.query_compatible {
        return None;
    }
    let value = head.headers.get("x-amzn-query-error")?.to_str().ok()?;
    let (code, fault) = value.split_once(';')?;
    let fault = match fault.trim() {
        "Sender" => QueryFault::Sender,
        "Receiver" => QueryFault::Receiver,
        _ => return None,
    };
    let code = code.trim();
    (!code.is_empty()).then(|| QueryError {
        code: code.to_owned(),
        fault,
    })
}

/// Finds the error code and message of an error response: `x-amzn-errortype`, else the
/// body's `code` or `__type`; the part after `:` and before `#` is dropped
/// (`aws.protocols#NotFoundException:http://...` is `NotFoundException`).
pub fn error_code_and_message(
    head: &http::response::Parts,
    body: &[u8],
) -> (Option<String>, Option<String>) {
    fn sanitize(code: &str) -> String {
        let code = code.split(':').next().unwrap_or(code);
        code.rsplit('#').next().unwrap_or(code).trim().to_owned()
    }
    let parsed: Option<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(body).ok();
    let from_body = |keys: &[&str]| {
        parsed.as_ref().and_then(|m| {
            keys.iter().find_map(|k| {
                m.get(*k)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
            })
        })
    };
    let code = head
        .headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(sanitize)
        .filter(|c| !c.is_empty())
        .or_else(|| from_body(&["code", "__type", "Code"]).map(|c| sanitize(&c)));
    let message = from_body(&["message", "Message", "errorMessage"]);
    (code, message)
}
