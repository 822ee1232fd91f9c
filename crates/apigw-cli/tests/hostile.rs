//! `apigw` against servers that misbehave on purpose and flags at their limits: what it
//! prints, its exit code, and what it sends (or does not).

mod common;

use std::collections::BTreeSet;
use std::process::Command;
use std::time::Duration;

use apigw_tests::hostile::{Body, RawServer, Reply, TestCert};
use apigw_tests::python::TestEnv as _;
use apigw_tests::server::PagingServer;

use common::{apigw_with as apigw, stderr, stdout};

const API: &str = "hostile-api";
const PAGE: &str = r#"{"items": [{"integrationId": "i1"}]}"#;

#[test]
fn a_redirect_is_an_error_with_exit_255_and_is_not_followed() {
    let elsewhere = RawServer::start(|_| Reply::json(200, PAGE));
    let target = format!("{}/v2/apis/{API}/integrations", elsewhere.url);
    let origin = RawServer::start(move |_| Reply::redirect(302, &target));
    let out = apigw(&origin.url, &["get-integrations", "--api-id", API], &[]);
    assert_eq!(out.status.code(), Some(255), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "An error occurred (302) when calling the GetIntegrations operation: Found (redirects are not followed)\n"
    );
    assert!(
        stdout(&out).is_empty(),
        "the other origin's body is not printed"
    );
    assert!(elsewhere.requests().is_empty());
    assert_eq!(origin.requests().len(), 1, "not retried");
}

#[test]
fn an_oversized_body_is_refused_with_exit_255() {
    for body in [
        Body::Filler {
            len: 16,
            declared: Some(4 * 1024 * 1024 * 1024),
        },
        Body::Filler {
            len: 65 * 1024 * 1024,
            declared: None,
        },
    ] {
        let server = RawServer::start(move |_| Reply {
            status: 200,
            headers: vec![],
            body: body.clone(),
        });
        let out = apigw(&server.url, &["get-integrations", "--api-id", API], &[]);
        assert_eq!(out.status.code(), Some(255), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with("response too large: ")
                && err.ends_with("is larger than the limit of 67108864 bytes\n"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1);
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn dot_labels_are_refused_and_nothing_is_sent() {
    let server = PagingServer::start();
    server.add_api(API, 3);
    for api in [".", ".."] {
        let out = apigw(&server.url, &["get-integrations", "--api-id", api], &[]);
        assert_eq!(out.status.code(), Some(255), "{api}: {}", stderr(&out));
        assert!(
            stderr(&out)
                .starts_with("cannot build the GetIntegrations request: path label ApiId is"),
            "{}",
            stderr(&out)
        );
    }
    assert!(server.requests().is_empty(), "no request left");
}

#[test]
fn zero_timeouts_mean_none_and_huge_ones_do_not_panic() {
    let server = PagingServer::start();
    server.add_api(API, 3);
    for flag in ["--cli-read-timeout", "--cli-connect-timeout"] {
        let out = apigw(
            &server.url,
            &[
                "get-integrations",
                "--api-id",
                API,
                flag,
                "18446744073709551615",
            ],
            &[],
        );
        assert!(out.status.success(), "{flag} u64::MAX: {}", stderr(&out));
        assert!(stdout(&out).contains("\"Items\""));
    }
    // 0 is no timeout (as in the AWS CLI), not an instant one: a slow answer still comes.
    server.set(|b| b.delay = Some(Duration::from_millis(1500)));
    let out = apigw(
        &server.url,
        &[
            "get-integrations",
            "--api-id",
            API,
            "--cli-read-timeout",
            "0",
            "--cli-connect-timeout",
            "0",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // ...while a short one still times out.
    let out = apigw(
        &server.url,
        &[
            "get-integrations",
            "--api-id",
            API,
            "--cli-read-timeout",
            "1",
            "--max-attempts",
            "1",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(255));
    assert!(stderr(&out).starts_with("timed out: "), "{}", stderr(&out));
}

#[test]
fn the_ca_bundle_comes_from_aws_ca_bundle_or_the_profile_and_tls_failures_are_not_retried() {
    let cert = TestCert::new();
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("ca.pem");
    std::fs::write(&pem, &cert.cert_pem).unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        format!("[default]\nca_bundle = {}\n", pem.display()),
    )
    .unwrap();
    let server = RawServer::start_tls(&cert, |_| Reply::json(200, PAGE));
    let args = ["get-integrations", "--api-id", API, "--max-attempts", "3"];

    let out = apigw(&server.url, &args, &[]);
    assert_eq!(out.status.code(), Some(255));
    assert!(
        stderr(&out).starts_with("TLS failure: "),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        server.connections(),
        1,
        "verification failures are not retried"
    );

    for env in [
        vec![("AWS_CA_BUNDLE", pem.to_str().unwrap())],
        vec![("AWS_CONFIG_FILE", config.to_str().unwrap())],
    ] {
        let out = apigw(&server.url, &args, &env);
        assert!(out.status.success(), "{env:?}: {}", stderr(&out));
        assert!(stdout(&out).contains("\"IntegrationId\": \"i1\""));
    }
    let out = apigw(
        &server.url,
        &args,
        &[("AWS_CA_BUNDLE", "/nonexistent/apigw-ca.pem")],
    );
    assert_eq!(out.status.code(), Some(255));
    assert!(
        stderr(&out).starts_with("cannot use the CA bundle"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn endpoints_with_a_query_a_bad_port_or_scheme_are_refused_without_echoing_a_password() {
    for (url, reason) in [
        ("http://127.0.0.1:1/?x=1", "query"),
        ("http://127.0.0.1:99999", "port"),
        ("ftp://127.0.0.1:21", "scheme"),
        ("http://admin:hunter2@127.0.0.1:1/#x", "fragment"),
    ] {
        let out = apigw(url, &["get-integrations", "--api-id", API], &[]);
        assert_eq!(out.status.code(), Some(255), "{url}");
        let err = stderr(&out);
        assert!(
            err.starts_with("invalid endpoint URL ") && err.contains(reason),
            "{err}"
        );
        assert!(!err.contains("hunter2"), "{err}");
    }
    // The service-specific variable wins over the global one.
    let server = PagingServer::start();
    server.add_api(API, 2);
    let out = Command::new(env!("CARGO_BIN_EXE_apigw"))
        .args(["get-integrations", "--api-id", API])
        .test_env()
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:1/?refused")
        .env("AWS_ENDPOINT_URL_APIGATEWAYV2", &server.url)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(server.requests().len(), 1);
}

fn item_ids_json(out: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(out).unwrap_or_default();
    value["Items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| i["IntegrationId"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The `--starting-token` printed on stderr after a failed listing.
fn resume_hint(err: &str) -> Option<String> {
    err.lines()
        .find_map(|l| l.split_once("run again with: --starting-token "))
        .map(|(_, token)| token.trim().to_owned())
}

#[test]
fn a_failed_page_leaves_a_token_that_resumes_exactly_after_what_was_printed() {
    let server = PagingServer::start();
    server.add_api(API, 95);
    let all = apigw(&server.url, &["get-integrations", "--api-id", API], &[]);
    let everything = item_ids_json(&stdout(&all));
    assert_eq!(everything.len(), 95);

    let mut tokens = BTreeSet::new();
    for format in ["json", "text", "table"] {
        // The third request fails (500, no retries): two pages of 20 were received.
        server.clear_requests();
        server.set(|b| b.fail_requests = vec![2]);
        let base = [
            "get-integrations",
            "--api-id",
            API,
            "--page-size",
            "20",
            "--max-attempts",
            "1",
            "--output",
            format,
        ];
        let first = apigw(&server.url, &base, &[]);
        assert_eq!(
            first.status.code(),
            Some(254),
            "{format}: {}",
            stderr(&first)
        );
        let err = stderr(&first);
        assert!(
            err.starts_with(
                "An error occurred (InternalServerError) when calling the GetIntegrations operation"
            ),
            "{err}"
        );
        let token = resume_hint(&err).unwrap_or_else(|| panic!("{format}: no token in {err}"));
        // botocore's resume token for the page after the two received: the service's
        // token for item 40, as Python's json.dumps writes it, in base64.
        let decoded = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &token)
            .unwrap_or_else(|e| panic!("{format}: {token} is not base64: {e}"));
        assert_eq!(
            String::from_utf8_lossy(&decoded),
            format!(
                r#"{{"NextToken": "{}"}}"#,
                apigw_tests::server::token_for(API, 40)
            ),
            "{format}: the resume token's bytes"
        );
        assert!(
            stdout(&first).contains(&token),
            "{format}: the output names the same NextToken"
        );
        tokens.insert(token.clone());

        server.set(|b| b.fail_requests = vec![]);
        let mut rest_args = base.to_vec();
        rest_args.extend(["--starting-token", &token]);
        let rest = apigw(&server.url, &rest_args, &[]);
        assert!(rest.status.success(), "{format}: {}", stderr(&rest));
        match format {
            "json" => {
                let mut ids = item_ids_json(&stdout(&first));
                assert_eq!(ids.len(), 40, "what was received is printed");
                ids.extend(item_ids_json(&stdout(&rest)));
                assert_eq!(ids, everything, "nothing lost, nothing repeated");
            }
            "text" => {
                let count = |s: &str| s.lines().filter(|l| l.starts_with("ITEMS\t")).count();
                assert_eq!(count(&stdout(&first)), 40);
                assert_eq!(count(&stdout(&first)) + count(&stdout(&rest)), 95);
            }
            _ => {
                // Each integration's id is a cell of its own.
                let shown = |s: &str| {
                    everything
                        .iter()
                        .filter(|id| s.contains(&format!(" {id} ")))
                        .count()
                };
                assert_eq!(shown(&stdout(&first)), 40, "table");
                assert_eq!(shown(&stdout(&rest)), 55, "table");
            }
        }
    }
    assert_eq!(tokens.len(), 1, "every format resumes at the same place");

    // A failure before anything arrived prints nothing and no token.
    let next = server.requests().len();
    server.set(|b| b.fail_requests = vec![next]);
    let out = apigw(
        &server.url,
        &["get-integrations", "--api-id", API, "--max-attempts", "1"],
        &[],
    );
    assert_eq!(out.status.code(), Some(254));
    assert!(stdout(&out).is_empty());
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
}
