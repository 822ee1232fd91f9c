//! restJson1 over HTTP: what generated operations implement ([`HttpOperation`]), what a
//! client implements ([`HttpClient`]), and the helpers generated bindings call.
//!
//! Generated code turns an input into an [`http::Request`] (method, path with
//! percent-encoded labels, query, headers, JSON body) and a response back into the
//! output or the operation's error type. A client only adds the endpoint, signing,
//! retries and the transport.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

pub use ::http;

/// What a client needs to know about the service an operation belongs to.
#[derive(Clone, Copy, Debug)]
pub struct ServiceInfo {
    /// `aws.api#service` `sdkId`, e.g. `ApiGatewayV2`.
    pub sdk_id: &'static str,
    /// The SigV4 signing name, e.g. `apigateway`.
    pub signing_name: &'static str,
    /// The endpoint prefix, e.g. `apigateway` (`https://apigateway.{region}.amazonaws.com`).
    pub endpoint_prefix: &'static str,
    /// The API version.
    pub version: &'static str,
    /// The service's endpoint rules, when its model has them: how a client turns the
    /// region, FIPS and dual-stack settings and a configured endpoint into a URL.
    pub endpoint_rules: Option<fn() -> &'static crate::endpoint::RuleSet>,
}

/// An operation a client can send: generated for every operation of a restJson1 service.
pub trait HttpOperation: Send + Sync + 'static {
    /// The input structure.
    type Input: Send + Sync + 'static;
    /// The output structure.
    type Output: Send + 'static;
    /// The operation's error: its modeled errors plus an unhandled case.
    type Error: OperationError + Send + Sync + 'static;

    /// The operation's name, e.g. `GetIntegrations`.
    const NAME: &'static str;
    /// The service.
    const SERVICE: &'static ServiceInfo;

    /// The HTTP request for `input`, with a relative URI (`/path?query`).
    fn serialize(input: &Self::Input) -> Result<http::Request<Vec<u8>>, BuildRequestError>;
    /// The output from a successful response.
    fn deserialize(
        head: &http::response::Parts,
        body: &[u8],
    ) -> Result<Self::Output, ResponseError>;
    /// The error for an error response whose code is `code` (from `x-amzn-errortype`
    /// or the body).
    fn deserialize_error(
        code: &str,
        message: Option<&str>,
        head: &http::response::Parts,
        body: &[u8],
    ) -> Self::Error;
    /// Sets the endpoint rule set's parameters this operation fills from its input or
    /// its model (`@contextParam`, `@staticContextParams`); none by default.
    fn endpoint_params(_input: &Self::Input, _params: &mut crate::endpoint::Params) {}
}

/// A paginated operation whose result list is a JSON array in the response body
/// (generated for such restJson1 operations). A client can take the list out of the
/// body and turn it into items one at a time, instead of holding the whole typed page.
pub trait JsonResultList: HttpOperation {
    /// The wire names from the body's top level to the list, e.g. `["items"]`.
    const RESULT_JSON_PATH: &'static [&'static str];
}

/// What every operation error can tell.
pub trait OperationError: std::error::Error {
    /// The error code, e.g. `NotFoundException`.
    fn code(&self) -> &str;
    /// The message, if the service sent one.
    fn message(&self) -> Option<&str>;
}

/// An error response the operation does not model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnhandledError {
    code: String,
    message: Option<String>,
    status: u16,
}

impl UnhandledError {
    /// An error with `code` and `message` that came with HTTP `status`.
    pub fn new(code: impl Into<String>, message: Option<String>, status: u16) -> Self {
        Self {
            code: code.into(),
            message,
            status,
        }
    }

    /// The error code (`Unknown` when the response had none).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {})", self.code, self.status)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnhandledError {}

/// An input that cannot be put into a request (an empty or missing label, ...).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot build the {operation} request: {reason}")]
pub struct BuildRequestError {
    operation: &'static str,
    reason: String,
}

impl BuildRequestError {
    /// A problem with the input of `operation`.
    pub fn new(operation: &'static str, reason: impl Into<String>) -> Self {
        Self {
            operation,
            reason: reason.into(),
        }
    }
}

/// A response that does not have the form the model says (a malformed body, a bad
/// header value).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("malformed response (HTTP {status}): {reason}")]
pub struct ResponseError {
    status: u16,
    reason: String,
}

impl ResponseError {
    /// A response with `status` that could not be read.
    pub fn new(status: u16, reason: impl Into<String>) -> Self {
        Self {
            status,
            reason: reason.into(),
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }
}

/// Why a call failed, as a client reports it.
#[derive(Debug, thiserror::Error)]
pub enum SdkError<E> {
    /// The service answered with an error (modeled, or [`UnhandledError`]).
    #[error("{error}")]
    Service {
        /// The operation's error.
        error: E,
        /// The HTTP status.
        status: u16,
        /// `x-amzn-requestid`, when sent.
        request_id: Option<String>,
    },
    /// The service answered with a redirect (3xx). It is never followed (as the AWS
    /// SDKs): the signed request would go to wherever the `Location` points.
    #[error("the service answered HTTP {status} (a redirect), which is not followed")]
    Redirect {
        /// The HTTP status.
        status: u16,
    },
    /// The input cannot be sent.
    #[error(transparent)]
    Build(BuildRequestError),
    /// No endpoint for the client's settings: the endpoint rules' own message (e.g.
    /// `FIPS is enabled but this partition does not support FIPS`), or a configured
    /// endpoint that cannot be used.
    #[error("{0}")]
    Endpoint(String),
    /// The response could not be read.
    #[error(transparent)]
    Response(ResponseError),
    /// No response: connection, TLS or timeout failure (after retries).
    #[error("{0}")]
    Transport(String),
    /// No credentials anywhere the client looks (environment, shared files, web
    /// identity, container and instance metadata).
    #[error(
        "Unable to locate credentials: none in the environment, the shared config and credentials files, web identity, or container and instance metadata"
    )]
    NoCredentials,
    /// Credentials could not be loaded or the request could not be signed.
    #[error("{0}")]
    Credentials(String),
}

impl<E: OperationError> SdkError<E> {
    /// The service error code, when the service answered with an error.
    pub fn code(&self) -> Option<&str> {
        match self {
            SdkError::Service { error, .. } => Some(error.code()),
            _ => None,
        }
    }
}

/// Anything that can send an [`HttpOperation`]: the HTTP client, or a test double.
pub trait HttpClient: Clone + Send + Sync + 'static {
    /// Sends `input` and returns the output or the error.
    fn send<Op: HttpOperation>(
        &self,
        input: Op::Input,
    ) -> impl Future<Output = Result<Op::Output, SdkError<Op::Error>>> + Send;
}

/// A [`apigw_paginator::PageSource`] that sends one operation through a client.
#[derive(Clone, Debug)]
pub struct OperationSource<C, Op> {
    client: C,
    _op: std::marker::PhantomData<fn() -> Op>,
}

impl<C, Op> OperationSource<C, Op> {
    /// `Op` through `client`.
    pub fn new(client: C) -> Self {
        Self {
            client,
            _op: std::marker::PhantomData,
        }
    }
}

/// The paginator of operation `Op` sent through client `C`.
pub type OperationPaginator<C, Op> = apigw_paginator::Paginator<Op, OperationSource<C, Op>>;

/// What creating an [`OperationPaginator`] returns.
pub type PaginatorResult<C, Op> = Result<
    OperationPaginator<C, Op>,
    apigw_paginator::PaginationError<SdkError<<Op as HttpOperation>::Error>>,
>;

/// The future of one page request.
pub type PageFuture<O, E> = Pin<Box<dyn Future<Output = Result<O, SdkError<E>>> + Send>>;

impl<C, Op> apigw_paginator::PageSource<Op::Input, Op::Output> for OperationSource<C, Op>
where
    C: HttpClient,
    Op: HttpOperation,
{
    type Error = SdkError<Op::Error>;
    type Future = PageFuture<Op::Output, Op::Error>;

    fn send(&self, input: Op::Input) -> Self::Future {
        let client = self.client.clone();
        Box::pin(async move { client.send::<Op>(input).await })
    }
}

// --- Helpers for generated bindings --------------------------------------------------

/// RFC 3986 unreserved characters stay; everything else is percent-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Like [`UNRESERVED`] but keeping `/` (greedy labels).
const UNRESERVED_AND_SLASH: &AsciiSet = &UNRESERVED.remove(b'/');

/// Appends the value of label `name` to `path`, percent-encoded. Greedy labels
/// (`{Key+}`) keep their `/`. An empty value is an error: it would change the path.
/// So is a value that is `.` or `..` (for a greedy label, any of its segments): URL
/// normalisation removes such dot segments (percent-encoded ones too), so the signed
/// request would name another resource, e.g. `--api-id ..` turning
/// `/v2/apis/{apiId}/integrations` into `/v2/integrations`.
pub fn push_label(
    operation: &'static str,
    path: &mut String,
    name: &str,
    value: &str,
    greedy: bool,
) -> Result<(), BuildRequestError> {
    if value.is_empty() {
        return Err(BuildRequestError::new(
            operation,
            format!("path label {name} is empty"),
        ));
    }
    let dot_segment = |segment: &str| segment == "." || segment == "..";
    let has_dot_segment = if greedy {
        value.split('/').any(dot_segment)
    } else {
        dot_segment(value)
    };
    if has_dot_segment {
        return Err(BuildRequestError::new(
            operation,
            format!(
                "path label {name} is {value:?}, which has a `.` or `..` segment: it would address another resource"
            ),
        ));
    }
    let set = if greedy {
        UNRESERVED_AND_SLASH
    } else {
        UNRESERVED
    };
    path.extend(utf8_percent_encode(value, set));
    Ok(())
}

/// The host prefix of an operation with `@endpoint(hostPrefix: ...)`, its labels filled
/// in (e.g. `foo.data.`). `serialize` puts it in the request's extensions and
/// [`request_url`] puts it in front of the endpoint's host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPrefix(pub String);

/// Appends host label `name` (an `@hostLabel` member) to a host prefix. Refuses a value
/// that would not make a valid host: empty, or with anything but ASCII letters, digits,
/// `-` and `.` (between non-empty labels).
pub fn push_host_label(
    operation: &'static str,
    prefix: &mut String,
    name: &str,
    value: &str,
) -> Result<(), BuildRequestError> {
    let valid = !value.is_empty()
        && value
            .split('.')
            .all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-'))
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if !valid {
        return Err(BuildRequestError::new(
            operation,
            format!("host label {name} is {value:?}, which is not a valid host name part"),
        ));
    }
    prefix.push_str(value);
    Ok(())
}

/// The URL to send a serialized request to: `endpoint` (scheme, host, optional base
/// path) with the request's host prefix (if any) before its host, then the base path
/// (without a trailing `/`) and the request's path and query.
pub fn request_url(endpoint: &str, uri: &http::Uri, extensions: &http::Extensions) -> String {
    let (scheme, rest) = endpoint.split_once("://").unwrap_or(("https", endpoint));
    let (authority, base) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let base = base.trim_end_matches('/');
    let prefix = extensions.get::<HostPrefix>().map_or("", |p| p.0.as_str());
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => format!("{user}@{prefix}{host}"),
        None => format!("{prefix}{authority}"),
    };
    let path_and_query = uri.path_and_query().map_or("/", |p| p.as_str());
    format!("{scheme}://{authority}{base}{path_and_query}")
}

/// Sets the body's `Content-Type`, unless a member bound to that header already did.
pub fn set_content_type(request: &mut http::request::Builder, value: &'static str) {
    if let Some(headers) = request.headers_mut()
        && !headers.contains_key(http::header::CONTENT_TYPE)
    {
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static(value),
        );
    }
}

/// The smallest body `@requestCompression` compresses, as the AWS SDKs' default
/// (`request_min_compression_size_bytes`).
pub const MIN_COMPRESSION_SIZE: usize = 10_240;

/// `@requestCompression`: gzips a body of at least [`MIN_COMPRESSION_SIZE`] bytes when
/// the operation lists `gzip`, appending `gzip` to any `Content-Encoding` already set.
pub fn compress_body(
    operation: &'static str,
    request: &mut http::request::Builder,
    body: Vec<u8>,
    encodings: &[&str],
) -> Result<Vec<u8>, BuildRequestError> {
    use std::io::Write as _;
    if body.len() < MIN_COMPRESSION_SIZE || !encodings.contains(&"gzip") {
        return Ok(body);
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let compressed = encoder
        .write_all(&body)
        .and_then(|()| encoder.finish())
        .map_err(|e| BuildRequestError::new(operation, format!("gzip: {e}")))?;
    if let Some(headers) = request.headers_mut() {
        let value = match headers.get(http::header::CONTENT_ENCODING) {
            Some(existing) => format!("{}, gzip", existing.to_str().unwrap_or_default()),
            None => "gzip".to_owned(),
        };
        let value = http::HeaderValue::from_str(&value)
            .map_err(|e| BuildRequestError::new(operation, e.to_string()))?;
        headers.insert(http::header::CONTENT_ENCODING, value);
    }
    Ok(compressed)
}

/// `@httpChecksumRequired`: `Content-MD5`, the base64 MD5 of the body as sent.
pub fn set_content_md5(request: &mut http::request::Builder, body: &[u8]) {
    use base64::Engine as _;
    use md5::Digest as _;
    let digest = md5::Md5::digest(body);
    let value = base64::engine::general_purpose::STANDARD.encode(digest);
    if let Some(headers) = request.headers_mut()
        && let Ok(value) = http::HeaderValue::from_str(&value)
    {
        headers.insert("content-md5", value);
    }
}

thread_local! {
    static FIXED_TOKEN: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// A fresh `@idempotencyToken` value (a random UUID), or the fixed one
/// [`with_idempotency_token`] set on this thread.
pub fn idempotency_token() -> String {
    FIXED_TOKEN
        .with(|t| t.borrow().clone())
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Runs `f` with [`idempotency_token`] giving `token` on this thread (for tests that
/// need a known token).
pub fn with_idempotency_token<T>(token: &str, f: impl FnOnce() -> T) -> T {
    let previous = FIXED_TOKEN.with(|t| t.replace(Some(token.to_owned())));
    let result = f();
    FIXED_TOKEN.with(|t| *t.borrow_mut() = previous);
    result
}

/// The serialized request: `Content-Length` set for a body, and `body` attached.
pub fn finish_request(
    operation: &'static str,
    mut request: http::request::Builder,
    body: Vec<u8>,
) -> Result<http::Request<Vec<u8>>, BuildRequestError> {
    if !body.is_empty() {
        request = request.header(http::header::CONTENT_LENGTH, body.len());
    }
    request
        .body(body)
        .map_err(|e| BuildRequestError::new(operation, e.to_string()))
}

/// The error for a required label that is not set.
pub fn missing_label(operation: &'static str, name: &str) -> BuildRequestError {
    BuildRequestError::new(operation, format!("path label {name} is not set"))
}

/// A query string being built: `key=value` pairs, percent-encoded, in order.
#[derive(Debug, Default)]
pub struct Query {
    text: String,
}

impl Query {
    /// An empty query, or one starting with the URI's literal query (`?x=y` in the
    /// `@http` URI).
    pub fn new(literal: &str) -> Self {
        Self {
            text: literal.to_owned(),
        }
    }

    /// Appends `key=value`.
    pub fn push(&mut self, key: &str, value: &str) {
        if !self.text.is_empty() {
            self.text.push('&');
        }
        self.text.extend(utf8_percent_encode(key, UNRESERVED));
        self.text.push('=');
        self.text.extend(utf8_percent_encode(value, UNRESERVED));
    }

    /// Whether `key` was already added (`@httpQueryParams` do not override `@httpQuery`).
    pub fn has(&self, key: &str) -> bool {
        let encoded: String = utf8_percent_encode(key, UNRESERVED).collect();
        self.text
            .split('&')
            .any(|pair| pair.split('=').next() == Some(encoded.as_str()))
    }

    /// The request URI `path?query`.
    pub fn finish(self, mut path: String) -> String {
        if !self.text.is_empty() {
            path.push('?');
            path.push_str(&self.text);
        }
        path
    }
}

/// A header value for a list: items joined with `, `, quoting items that contain a
/// comma or a double quote.
pub fn header_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if item.contains(',') || item.contains('"') {
            out.push('"');
            out.push_str(&item.replace('\\', "\\\\").replace('"', "\\\""));
            out.push('"');
        } else {
            out.push_str(item);
        }
    }
    out
}

/// A list header of http-dates: joined with `, ` and never quoted (each date has a
/// comma of its own, which [`split_http_date_list`] knows).
pub fn http_date_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().collect::<Vec<_>>().join(", ")
}

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

/// Reads a JSON body; an empty body reads as `{}`.
pub fn json_body<T: serde::de::DeserializeOwned>(
    status: u16,
    body: &[u8],
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

#[cfg(test)]
mod tests {
    use super::*;

    fn head(status: u16, headers: &[(&str, &str)]) -> http::response::Parts {
        let mut b = http::Response::builder().status(status);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap().into_parts().0
    }

    #[test]
    fn labels_are_percent_encoded_and_greedy_labels_keep_slashes() {
        let mut path = String::from("/v2/apis/");
        push_label("Op", &mut path, "ApiId", "a b/c?d", false).unwrap();
        assert_eq!(path, "/v2/apis/a%20b%2Fc%3Fd");
        let mut path = String::from("/");
        push_label("Op", &mut path, "Key", "dir/file name.txt", true).unwrap();
        assert_eq!(path, "/dir/file%20name.txt");
        let err = push_label("Op", &mut String::new(), "ApiId", "", false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot build the Op request: path label ApiId is empty"
        );
    }

    #[test]
    fn dot_segments_never_reach_the_path() {
        for value in [".", ".."] {
            let mut path = String::from("/v2/apis/");
            let err = push_label("Op", &mut path, "ApiId", value, false).unwrap_err();
            assert!(err.to_string().contains("`.` or `..` segment"), "{err}");
            assert_eq!(path, "/v2/apis/", "nothing appended");
        }
        for value in ["..", "a/../b", "a/.", "./a", "a/b/.."] {
            let err = push_label("Op", &mut String::new(), "Key", value, true).unwrap_err();
            assert!(err.to_string().contains("Key"), "{value}: {err}");
        }
        // Dots inside a segment, and `..` inside a non-greedy label with a slash (the
        // slash is encoded, so it is one segment), are ordinary values.
        for (value, greedy, expected) in [
            ("...", false, "/..."),
            ("a..b", true, "/a..b"),
            (".hidden/x.", true, "/.hidden/x."),
            ("../x", false, "/..%2Fx"),
        ] {
            let mut path = String::from("/");
            push_label("Op", &mut path, "L", value, greedy).unwrap();
            assert_eq!(path, expected);
        }
    }

    #[test]
    fn query_pairs_are_encoded_in_order() {
        let mut q = Query::new("");
        q.push("maxResults", "2");
        q.push("nextToken", "a+b/c=");
        assert!(q.has("maxResults"));
        assert_eq!(
            q.finish("/p".into()),
            "/p?maxResults=2&nextToken=a%2Bb%2Fc%3D"
        );
        assert_eq!(Query::new("").finish("/p".into()), "/p");
    }

    #[test]
    fn header_lists_round_trip_with_quoting() {
        let text = header_list(["a", "b,c", "d\"e"]);
        assert_eq!(text, r#"a, "b,c", "d\"e""#);
        assert_eq!(split_header_list(&text), ["a", "b,c", "d\"e"]);
    }

    #[test]
    fn compression_checksums_and_tokens() {
        let mut b = http::Request::builder().header("content-encoding", "custom");
        let small = compress_body("Op", &mut b, b"abc".to_vec(), &["gzip"]).unwrap();
        assert_eq!(small, b"abc", "below the threshold nothing changes");
        let big = vec![b'a'; MIN_COMPRESSION_SIZE];
        let sent = compress_body("Op", &mut b, big.clone(), &["gzip"]).unwrap();
        assert!(sent.len() < big.len() && sent.starts_with(&[0x1f, 0x8b]));
        assert_eq!(b.headers_ref().unwrap()["content-encoding"], "custom, gzip");
        set_content_md5(&mut b, b"");
        assert_eq!(
            b.headers_ref().unwrap()["content-md5"],
            "1B2M2Y8AsgTpgAmY7PhCfg=="
        );
        assert_eq!(with_idempotency_token("t", idempotency_token), "t");
        assert_eq!(idempotency_token().len(), 36, "a UUID otherwise");
    }

    #[test]
    fn http_date_lists_split_after_every_other_comma() {
        let one = "Mon, 16 Dec 2019 23:48:18 GMT";
        let list = http_date_list([one, one]);
        assert_eq!(list, format!("{one}, {one}"));
        assert_eq!(split_http_date_list(&list), [one, one]);
        assert_eq!(split_http_date_list(""), Vec::<String>::new());
        assert_eq!(
            from_base64_header(&to_base64_header("true")).unwrap(),
            "true"
        );
        assert_eq!(to_base64_header("true"), "dHJ1ZQ==");
    }

    #[test]
    fn request_urls_join_the_endpoint_base_path_and_host_prefix() {
        let uri: http::Uri = "/op?x=1".parse().unwrap();
        let mut ext = http::Extensions::new();
        assert_eq!(
            request_url("https://example.com/custom/", &uri, &ext),
            "https://example.com/custom/op?x=1"
        );
        ext.insert(HostPrefix("foo.bar.".into()));
        assert_eq!(
            request_url("http://u:p@example.com:8080", &uri, &ext),
            "http://u:p@foo.bar.example.com:8080/op?x=1"
        );
        let mut prefix = String::new();
        assert!(push_host_label("Op", &mut prefix, "label", "a-b.c").is_ok());
        for bad in ["", "a/b", "-a", "a..b", "a b"] {
            assert!(
                push_host_label("Op", &mut prefix, "label", bad).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn error_codes_come_from_the_header_then_the_body() {
        let (code, message) = error_code_and_message(
            &head(
                404,
                &[(
                    "x-amzn-errortype",
                    "NotFoundException:http://internal.amazon.com/",
                )],
            ),
            br#"{"message": "Invalid API identifier specified"}"#,
        );
        assert_eq!(code.as_deref(), Some("NotFoundException"));
        assert_eq!(message.as_deref(), Some("Invalid API identifier specified"));
        let (code, _) = error_code_and_message(
            &head(400, &[]),
            br#"{"__type": "com.amazonaws.apigatewayv2#BadRequestException", "Message": "x"}"#,
        );
        assert_eq!(code.as_deref(), Some("BadRequestException"));
        assert_eq!(error_code_and_message(&head(500, &[]), b"<html>").0, None);
    }

    #[test]
    fn an_empty_body_reads_as_an_empty_object_and_garbage_is_an_error() {
        let v: serde_json::Value = json_body(200, b"").unwrap();
        assert_eq!(v, serde_json::json!({}));
        let err = json_body::<serde_json::Value>(200, b"{\"items\": [").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("malformed response (HTTP 200): body is not the expected JSON"),
            "{err}"
        );
    }
}
