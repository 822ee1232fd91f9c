//! What the protocol tests generated from a model's `smithy.test` traits check with:
//! a serialized request against the case's expectations, a response built from the
//! case, and values compared so that NaN equals NaN. Compiled only with the
//! `protocol-test` feature (a generated crate's dev-dependency).

use std::fmt::Debug;

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

/// The query's items exactly as sent (`&`-separated, empty ones dropped): never
/// decoded, so `a=%3A` and `a=:`, `k` and `k=`, `%20` and `+` stay different, as the
/// Smithy specification of `queryParams` requires.
fn query_items(uri: &http::Uri) -> Vec<&str> {
    uri.query()
        .map(|q| q.split('&').filter(|i| !i.is_empty()).collect())
        .unwrap_or_default()
}

/// An item's name as sent (before any `=`).
fn item_name(item: &str) -> &str {
    item.split_once('=').map_or(item, |(k, _)| k)
}

/// Checks `request` (as a client sent it: an absolute URL, or a relative one) against
/// every expectation of the case; panics naming the first that does not hold.
pub fn assert_request(request: &http::Request<Vec<u8>>, expected: &ExpectedRequest<'_>) {
    let id = expected.id;
    assert_eq!(request.method().as_str(), expected.method, "{id}: method");
    let uri = request.uri();
    if let Some(host) = expected.host {
        let want_host = expected.resolved_host.unwrap_or(host);
        let want_host = want_host.split('/').next().unwrap_or(want_host);
        assert_eq!(uri.host(), Some(want_host), "{id}: host");
    }
    assert_eq!(uri.path(), expected.uri, "{id}: path");
    let actual = query_items(uri);
    let mut unmatched = actual.clone();
    for item in expected.query_params {
        match unmatched.iter().position(|got| got == item) {
            Some(i) => {
                unmatched.remove(i);
            }
            None => panic!("{id}: query parameter {item:?} missing from {actual:?}"),
        }
    }
    for key in expected.forbid_query_params {
        assert!(
            !actual.iter().any(|item| item_name(item) == *key),
            "{id}: query parameter {key:?} must not be sent: {actual:?}"
        );
    }
    for key in expected.require_query_params {
        assert!(
            actual.iter().any(|item| item_name(item) == *key),
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

/// `expected == actual`, where NaN equals NaN (which `PartialEq` on floats denies):
/// values that differ by `PartialEq` must still serialize to the same JSON (floats as
/// the protocol writes them, `"NaN"` included). Never compared through `Debug`, where
/// `@sensitive` members print alike whatever they hold.
pub fn assert_same<T: PartialEq + Debug + serde::Serialize>(id: &str, expected: &T, actual: &T) {
    if expected == actual {
        return;
    }
    let json = |value: &T| {
        serde_json::to_value(value)
            .unwrap_or_else(|e| panic!("{id}: a value that does not serialize: {e}"))
    };
    let (want, got) = (json(expected), json(actual));
    assert!(
        want == got,
        "{id}: value\n  expected: {want}\n    actual: {got}"
    );
}

/// A borrowed view read from a response body agrees with the owned output read from
/// it: everything the view holds, at every depth, is written as the owned output's
/// (the view leaves out members the body lacks, which the owned output may fill with
/// model defaults, and members bound to headers).
pub fn assert_view_agrees<T: serde::Serialize, V: serde::Serialize>(id: &str, owned: &T, view: &V) {
    let json = |value: serde_json::Result<serde_json::Value>| {
        value.unwrap_or_else(|e| panic!("{id}: a value that does not serialize: {e}"))
    };
    let (owned, view) = (
        json(serde_json::to_value(owned)),
        json(serde_json::to_value(view)),
    );
    if let Some(path) = first_disagreement(&view, &owned, String::new()) {
        panic!("{id}: the borrowed view disagrees at `{path}`\n  view: {view}\n owned: {owned}");
    }
}

/// Where `view` holds something `owned` does not: objects may lack members, arrays
/// and scalars must be equal.
fn first_disagreement(
    view: &serde_json::Value,
    owned: &serde_json::Value,
    path: String,
) -> Option<String> {
    use serde_json::Value;
    match (view, owned) {
        (Value::Object(v), Value::Object(o)) => v.iter().find_map(|(name, value)| {
            let path = format!("{path}.{name}");
            match o.get(name) {
                Some(owned) => first_disagreement(value, owned, path),
                None => Some(path),
            }
        }),
        (Value::Array(v), Value::Array(o)) if v.len() == o.len() => v
            .iter()
            .zip(o)
            .enumerate()
            .find_map(|(i, (v, o))| first_disagreement(v, o, format!("{path}[{i}]"))),
        _ => (view != owned).then_some(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_agrees_when_everything_it_holds_is_the_owned_outputs() {
        use serde_json::json;
        let owned =
            json!({"a": 1, "b": {"x": "y", "default": 0}, "l": [{"k": 1, "d": 2}], "header": "h"});
        assert_view_agrees(
            "case",
            &owned,
            &json!({"a": 1, "b": {"x": "y"}, "l": [{"k": 1}]}),
        );
        assert_view_agrees("case", &owned, &json!({}));
        assert_eq!(
            first_disagreement(&json!({"a": 2}), &owned, String::new()).as_deref(),
            Some(".a")
        );
        assert_eq!(
            first_disagreement(&json!({"c": 1}), &owned, String::new()).as_deref(),
            Some(".c")
        );
        assert_eq!(
            first_disagreement(&json!({"l": [{"k": 2}]}), &owned, String::new()).as_deref(),
            Some(".l[0].k")
        );
        assert_eq!(
            first_disagreement(&json!({"l": []}), &owned, String::new()).as_deref(),
            Some(".l")
        );
        assert!(
            std::panic::catch_unwind(|| assert_view_agrees("case", &owned, &json!({"a": 2})))
                .is_err()
        );
    }

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

    /// What `queryParams` names is compared as sent: each of these pairs differs on
    /// the wire, so each must fail.
    #[test]
    fn query_items_compare_as_sent() {
        for (sent, listed) in [
            ("/p?a=:", "a=%3A"),
            ("/p?a=%3A", "a=:"),
            ("/p?k=", "k"),
            ("/p?k", "k="),
            ("/p?s=a+b", "s=a%20b"),
            ("/p?s=a%20b", "s=a+b"),
            ("/p?a=%3a", "a=%3A"),
        ] {
            let r = request(sent, &[], "");
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                assert_request(
                    &r,
                    &ExpectedRequest {
                        query_params: &[listed],
                        ..expected()
                    },
                )
            }));
            assert!(outcome.is_err(), "{sent} passed for {listed:?}");
        }
        assert_request(
            &request("/p?a=%3A&k&s=a%20b", &[], ""),
            &ExpectedRequest {
                query_params: &["k", "s=a%20b", "a=%3A"],
                ..expected()
            },
        );
    }

    #[test]
    fn an_absolute_url_is_checked_for_host_and_path() {
        let r = request("https://prefix.example.com/base/p?x=1", &[], "");
        assert_request(
            &r,
            &ExpectedRequest {
                uri: "/base/p",
                host: Some("example.com/base"),
                resolved_host: Some("prefix.example.com"),
                query_params: &["x=1"],
                ..expected()
            },
        );
        let wrong_host = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            assert_request(
                &r,
                &ExpectedRequest {
                    uri: "/base/p",
                    host: Some("example.com/base"),
                    ..expected()
                },
            )
        }));
        assert!(wrong_host.is_err());
    }

    /// A type whose `Debug` hides a member, as `@sensitive` members are printed.
    #[derive(PartialEq, serde::Serialize)]
    struct Secret {
        value: String,
        ratio: f64,
    }

    impl Debug for Secret {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Secret")
                .field("value", &"*** Sensitive Data Redacted ***")
                .field("ratio", &self.ratio)
                .finish()
        }
    }

    #[test]
    fn a_difference_debug_hides_still_fails() {
        let a = Secret {
            value: "a".into(),
            ratio: f64::NAN,
        };
        let b = Secret {
            value: "b".into(),
            ratio: f64::NAN,
        };
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        let outcome = std::panic::catch_unwind(|| assert_same("case", &a, &b));
        assert!(outcome.is_err(), "a hidden difference passed");
    }

    #[test]
    fn nan_equals_nan_and_other_values_still_differ() {
        assert_same("case", &vec![f64::NAN], &vec![f64::NAN]);
        let different = std::panic::catch_unwind(|| assert_same("case", &1.0, &2.0));
        assert!(different.is_err());
    }
}
