//! What the protocol tests generated from a model's `smithy.test` traits check with:
//! a serialized request against the case's expectations, a response built from the
//! case, and values compared so that NaN equals NaN. Compiled only with the
//! `protocol-test` feature (a generated crate's dev-dependency).

use std::fmt::Debug;

use percent_encoding::percent_decode_str;

/// What an `httpRequestTests` case expects of a request.
#[derive(Clone, Debug, Default)]
pub struct ExpectedRequest<'a> {
    /// The case id, for messages.
    pub id: &'a str,
    /// HTTP method.
    pub method: &'a str,
    /// The path, without the query.
    pub uri: &'a str,
    /// `key=value` (or `key`) pairs that must all be in the query, percent-encoded.
    pub query_params: &'a [&'a str],
    /// Query keys that must not be there.
    pub forbid_query_params: &'a [&'a str],
    /// Query keys that must be there.
    pub require_query_params: &'a [&'a str],
    /// Headers that must be there with these values.
    pub headers: &'a [(&'a str, &'a str)],
    /// Headers that must not be there.
    pub forbid_headers: &'a [&'a str],
    /// Headers that must be there, with any value.
    pub require_headers: &'a [&'a str],
    /// The body, when the case states one.
    pub body: Option<&'a str>,
    /// `application/json` compares bodies as JSON values; anything else byte for byte.
    pub body_media_type: Option<&'a str>,
    /// The endpoint's host (and base path) the client is configured with, if the case
    /// sets one: the path is then checked on the URL a client sends to.
    pub host: Option<&'a str>,
    /// The host the request must go to (a host prefix applied).
    pub resolved_host: Option<&'a str>,
}

fn decode(text: &str) -> String {
    percent_decode_str(&text.replace('+', "%20"))
        .decode_utf8_lossy()
        .into_owned()
}

fn pair(item: &str) -> (String, Option<String>) {
    match item.split_once('=') {
        Some((k, v)) => (decode(k), Some(decode(v))),
        None => (decode(item), None),
    }
}

/// Checks `request` against every expectation of the case; panics naming the first
/// that does not hold.
pub fn assert_request(request: &http::Request<Vec<u8>>, expected: &ExpectedRequest<'_>) {
    let id = expected.id;
    assert_eq!(request.method().as_str(), expected.method, "{id}: method");
    match expected.host {
        Some(host) => {
            let url = crate::http::request_url(
                &format!("https://{host}"),
                request.uri(),
                request.extensions(),
            );
            let url: http::Uri = url.parse().expect("a valid URL");
            let want_host = expected.resolved_host.unwrap_or(host);
            let want_host = want_host.split('/').next().unwrap_or(want_host);
            assert_eq!(url.host(), Some(want_host), "{id}: host");
            assert_eq!(url.path(), expected.uri, "{id}: path");
        }
        None => assert_eq!(request.uri().path(), expected.uri, "{id}: path"),
    }
    let actual: Vec<(String, Option<String>)> = request
        .uri()
        .query()
        .map(|q| q.split('&').filter(|i| !i.is_empty()).map(pair).collect())
        .unwrap_or_default();
    let mut unmatched = actual.clone();
    for item in expected.query_params {
        let want = pair(item);
        // `key` alone matches `key` and `key=` alike.
        let found = unmatched.iter().position(|got| {
            got.0 == want.0 && got.1.as_deref().unwrap_or("") == want.1.as_deref().unwrap_or("")
        });
        match found {
            Some(i) => {
                unmatched.remove(i);
            }
            None => panic!("{id}: query parameter {item:?} missing from {actual:?}"),
        }
    }
    for key in expected.forbid_query_params {
        assert!(
            !actual.iter().any(|(k, _)| k == &decode(key)),
            "{id}: query parameter {key:?} must not be sent: {actual:?}"
        );
    }
    for key in expected.require_query_params {
        assert!(
            actual.iter().any(|(k, _)| k == &decode(key)),
            "{id}: query parameter {key:?} must be sent: {actual:?}"
        );
    }
    let headers = request.headers();
    for (name, value) in expected.headers {
        let got: Vec<&str> = headers
            .get_all(*name)
            .iter()
            .map(|v| v.to_str().unwrap_or("<not text>"))
            .collect();
        assert!(!got.is_empty(), "{id}: header {name} missing");
        assert_eq!(got.join(", "), *value, "{id}: header {name}");
    }
    for name in expected.forbid_headers {
        assert!(
            !headers.contains_key(*name),
            "{id}: header {name} must not be sent"
        );
    }
    for name in expected.require_headers {
        assert!(
            headers.contains_key(*name),
            "{id}: header {name} must be sent"
        );
    }
    if let Some(body) = expected.body {
        assert_body(id, request.body(), body, expected.body_media_type);
    }
}

fn assert_body(id: &str, actual: &[u8], expected: &str, media_type: Option<&str>) {
    let json = media_type.is_some_and(|m| m == "application/json" || m.ends_with("+json"));
    if json && !expected.is_empty() {
        let want: serde_json::Value = serde_json::from_str(expected)
            .unwrap_or_else(|e| panic!("{id}: the case's body is not JSON: {e}"));
        let got: serde_json::Value = serde_json::from_slice(actual).unwrap_or_else(|e| {
            panic!(
                "{id}: body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(actual)
            )
        });
        assert_eq!(got, want, "{id}: body");
    } else {
        assert_eq!(
            String::from_utf8_lossy(actual),
            expected,
            "{id}: body (bytes)"
        );
    }
}

/// The head and body of an `httpResponseTests` case's response.
pub fn response(
    code: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> (http::response::Parts, Vec<u8>) {
    let mut builder = http::Response::builder().status(code);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let (head, ()) = builder
        .body(())
        .expect("the case's response is valid HTTP")
        .into_parts();
    (head, body.as_bytes().to_vec())
}

/// `expected == actual`, where NaN equals NaN (which `PartialEq` on floats denies): when
/// the values differ by `PartialEq`, their `Debug` forms must still be equal.
pub fn assert_same<T: PartialEq + Debug>(id: &str, expected: &T, actual: &T) {
    if expected != actual {
        assert_eq!(
            format!("{expected:#?}"),
            format!("{actual:#?}"),
            "{id}: value"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(uri: &str, headers: &[(&str, &str)], body: &str) -> http::Request<Vec<u8>> {
        let mut b = http::Request::builder().method("POST").uri(uri);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(body.as_bytes().to_vec()).unwrap()
    }

    fn expected<'a>() -> ExpectedRequest<'a> {
        ExpectedRequest {
            id: "case",
            method: "POST",
            uri: "/p",
            ..Default::default()
        }
    }

    #[test]
    fn a_matching_request_passes() {
        let r = request(
            "/p?a=1&b=x%20y&flag",
            &[("X-A", "1"), ("X-A", "2")],
            "{\"k\": [1]}",
        );
        assert_request(
            &r,
            &ExpectedRequest {
                query_params: &["b=x%20y", "a=1", "flag"],
                forbid_query_params: &["c"],
                require_query_params: &["a"],
                headers: &[("x-a", "1, 2")],
                forbid_headers: &["x-b"],
                require_headers: &["x-a"],
                body: Some("{\"k\":[1]}"),
                body_media_type: Some("application/json"),
                ..expected()
            },
        );
    }

    #[test]
    #[should_panic(expected = "query parameter \"a=2\" missing")]
    fn a_wrong_query_value_fails() {
        let r = request("/p?a=1", &[], "");
        assert_request(
            &r,
            &ExpectedRequest {
                query_params: &["a=2"],
                ..expected()
            },
        );
    }

    #[test]
    #[should_panic(expected = "body (bytes)")]
    fn bytes_compare_exactly() {
        let r = request("/p", &[], "abc");
        assert_request(
            &r,
            &ExpectedRequest {
                body: Some("abd"),
                ..expected()
            },
        );
    }

    #[test]
    #[should_panic(expected = "header x-a must not be sent")]
    fn a_forbidden_header_fails() {
        let r = request("/p", &[("X-A", "1")], "");
        assert_request(
            &r,
            &ExpectedRequest {
                forbid_headers: &["x-a"],
                ..expected()
            },
        );
    }

    #[test]
    fn nan_equals_nan_and_other_values_still_differ() {
        assert_same("case", &vec![f64::NAN], &vec![f64::NAN]);
        let different = std::panic::catch_unwind(|| assert_same("case", &1.0, &2.0));
        assert!(different.is_err());
    }
}
