//! restJson1 over HTTP: what generated operations implement ([`HttpOperation`]), what a
//! client implements ([`HttpClient`]), and the helpers generated bindings call.
//!
//! Generated code turns an input into an [`http::Request`] (method, path with
//! percent-encoded labels, query, headers, JSON body) and a response back into the
//! output or the operation's error type. A client only adds the endpoint, signing,
//! retries and the transport.

mod errors;
mod operation;
mod paging;
mod request;
mod response;

pub use ::http;

pub use errors::*;
pub use operation::*;
pub use paging::*;
pub use request::*;
pub use response::*;

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
    fn a_query_error_header_gives_the_awsquery_code_and_fault() {
        let service = |query_compatible| ServiceInfo {
            sdk_id: "Queue",
            signing_name: "queue",
            endpoint_prefix: "queue",
            version: "1",
            endpoint_rules: None,
            query_compatible,
        };
        let compatible = service(true);
        let q =
            |value: &str| query_error(&compatible, &head(400, &[("x-amzn-query-error", value)]));
        assert_eq!(
            q("AWS.SimpleQueueService.NonExistentQueue;Sender"),
            Some(QueryError {
                code: "AWS.SimpleQueueService.NonExistentQueue".into(),
                fault: QueryFault::Sender,
            })
        );
        assert_eq!(
            q("Busy;Receiver").map(|e| e.fault),
            Some(QueryFault::Receiver)
        );
        for bad in ["NoFault", ";Sender", "Code;Someone", ""] {
            assert_eq!(q(bad), None, "{bad:?}");
        }
        assert_eq!(query_error(&compatible, &head(400, &[])), None);
        assert_eq!(
            query_error(
                &service(false),
                &head(400, &[("x-amzn-query-error", "Busy;Receiver")])
            ),
            None,
            "only a query-compatible service's header counts"
        );
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
