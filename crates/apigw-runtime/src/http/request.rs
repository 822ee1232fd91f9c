//! Helpers generated bindings call to build a request: labels, host prefixes, the
//! query, headers, body, compression, checksums and idempotency tokens.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::*;

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
