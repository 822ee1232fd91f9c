//! The client against servers that misbehave on purpose (redirects, oversized bodies,
//! untrusted TLS), inputs that would address another resource, and the endpoint
//! precedence of the AWS SDKs. The CLI's side of the same defects is in
//! `crates/apigw-cli/tests/hostile.rs`.

use std::process::Command;
use std::time::Duration;

use apigw_client::{Client, RetryConfig, transport};
use apigw_model::client::ApiGatewayV2 as _;
use apigw_model::operation::get_integrations::GetIntegrationsRequest;
use apigw_runtime::http::SdkError;
use apigw_tests::hostile::{Body, RawServer, Reply, TestCert};

const PAGE: &str = r#"{"items": [{"integrationId": "i1"}]}"#;

fn credentials() -> aws_credential_types::Credentials {
    aws_credential_types::Credentials::new(
        "AKIDHOSTILE",
        "hostile/secret",
        Some("SESSION-TOKEN-MUST-NOT-LEAK".into()),
        None,
        "tests",
    )
}

fn request(api: &str) -> GetIntegrationsRequest {
    GetIntegrationsRequest::builder()
        .api_id(api)
        .build()
        .unwrap()
}

fn retry(attempts: u32) -> RetryConfig {
    RetryConfig::default()
        .with_max_attempts(attempts)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

async fn client(endpoint: &str) -> Client {
    Client::builder()
        .endpoint_url(endpoint)
        .region("us-east-1")
        .credentials(credentials())
        .retry(retry(3))
        .read_timeout(Duration::from_secs(10))
        .build()
        .await
        .unwrap()
}

/// A client of `endpoint` that trusts only the certificates in `pem`.
async fn trusting(endpoint: &str, pem: &std::path::Path) -> Client {
    Client::builder()
        .endpoint_url(endpoint)
        .region("us-east-1")
        .credentials(credentials())
        .ca_bundle(pem)
        .build()
        .await
        .unwrap()
}

/// Writes `cert`'s PEM to a temporary file (kept while the returned guard lives).
fn pem_file(cert: &TestCert) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &cert.cert_pem).unwrap();
    file
}

#[tokio::test]
async fn redirects_are_errors_and_nothing_reaches_the_location() {
    for status in [301, 302, 303, 307, 308] {
        let elsewhere = RawServer::start(|_| Reply::json(200, PAGE));
        for location in [
            // Another origin: it would receive the signed headers and the session token.
            format!("{}/v2/apis/a1/integrations", elsewhere.url),
            // The same origin, another resource.
            "/v2/apis/other/integrations".to_owned(),
        ] {
            let target = location.clone();
            let origin = RawServer::start(move |_| Reply::redirect(status, &target));
            let err = client(&origin.url)
                .await
                .get_integrations(request("a1"))
                .await
                .unwrap_err();
            assert!(
                matches!(err, SdkError::Redirect { status: s } if s == status),
                "{status} to {location}: {err:?}"
            );
            assert_eq!(
                origin.requests().len(),
                1,
                "{status} to {location}: one request, not followed, not retried"
            );
            assert!(
                origin.requests()[0].header("referer").is_none(),
                "no Referer is sent"
            );
        }
        assert!(
            elsewhere.requests().is_empty(),
            "{status}: the other origin received nothing"
        );
    }
}

#[tokio::test]
async fn an_https_redirect_to_http_sends_nothing_in_clear_text() {
    let cert = TestCert::new();
    let pem = pem_file(&cert);
    let clear = RawServer::start(|_| Reply::json(200, PAGE));
    let target = format!("{}/v2/apis/a1/integrations", clear.url);
    let secure = RawServer::start_tls(&cert, move |_| Reply::redirect(302, &target));
    let client = trusting(&secure.url, pem.path()).await;
    let err = client.get_integrations(request("a1")).await.unwrap_err();
    assert!(matches!(err, SdkError::Redirect { status: 302 }), "{err:?}");
    assert_eq!(secure.requests().len(), 1, "the TLS server was reached");
    assert!(clear.requests().is_empty(), "nothing went out over http");
}

#[tokio::test]
async fn oversized_bodies_are_refused_declared_or_streamed_and_not_retried() {
    const LIMIT: u64 = 1024 * 1024;
    let cases = [
        // A Content-Length over the limit is refused before any of the body is read.
        (
            Body::Filler {
                len: 0,
                declared: Some(4 * 1024 * 1024 * 1024),
            },
            "(Content-Length 4294967296)",
        ),
        // Without one, the body is cut off as soon as it passes the limit.
        (
            Body::Filler {
                len: 2 * LIMIT,
                declared: None,
            },
            "(streamed)",
        ),
    ];
    for (body, detail) in cases {
        let server = RawServer::start(move |_| Reply {
            status: 200,
            headers: vec![],
            body: body.clone(),
        });
        let client = Client::builder()
            .endpoint_url(&server.url)
            .region("us-east-1")
            .credentials(credentials())
            .retry(retry(3))
            .max_response_bytes(LIMIT)
            .build()
            .await
            .unwrap();
        let err = client
            .get_integrations(request("a1"))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("response too large: ")
                && err.contains(detail)
                && err.ends_with("is larger than the limit of 1048576 bytes"),
            "{err}"
        );
        assert_eq!(server.requests().len(), 1, "not retried: {err}");
    }

    // A body of exactly the limit is accepted.
    let mut exact = PAGE.as_bytes().to_vec();
    exact.resize(LIMIT as usize, b' ');
    let server = RawServer::start(move |_| Reply {
        status: 200,
        headers: vec![],
        body: Body::Bytes(exact.clone()),
    });
    let client = Client::builder()
        .endpoint_url(&server.url)
        .region("us-east-1")
        .anonymous()
        .max_response_bytes(LIMIT)
        .build()
        .await
        .unwrap();
    let page = client.get_integrations(request("a1")).await.unwrap();
    assert_eq!(page.items.unwrap().len(), 1);
}

#[tokio::test]
async fn the_limit_also_holds_for_a_custom_transport() {
    let t = transport::from_fn(|_| {
        http::Response::builder()
            .status(200)
            .body(bytes::Bytes::from(vec![b' '; 2048]))
            .unwrap()
    });
    let client = Client::builder()
        .region("us-east-1")
        .anonymous()
        .max_response_bytes(1024)
        .transport(t)
        .build()
        .await
        .unwrap();
    let err = client.get_integrations(request("a1")).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("larger than the limit of 1024 bytes"),
        "{err}"
    );
}

#[tokio::test]
async fn dot_segment_labels_are_refused_before_anything_is_sent() {
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&sent);
    let t = transport::from_fn(move |_| {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        http::Response::builder()
            .status(200)
            .body(bytes::Bytes::from_static(PAGE.as_bytes()))
            .unwrap()
    });
    let client = Client::builder()
        .region("us-east-1")
        .credentials(credentials())
        .transport(t)
        .build()
        .await
        .unwrap();
    for api in [".", ".."] {
        let err = client.get_integrations(request(api)).await.unwrap_err();
        assert!(matches!(err, SdkError::Build(_)), "{api}: {err:?}");
        assert!(err.to_string().contains("path label ApiId"), "{err}");
    }
    assert_eq!(sent.load(std::sync::atomic::Ordering::SeqCst), 0);
    // Dots inside an identifier are ordinary.
    client.get_integrations(request("a.b")).await.unwrap();
}

#[tokio::test]
async fn an_untrusted_certificate_fails_once_and_a_ca_bundle_makes_it_trusted() {
    let cert = TestCert::new();
    let server = RawServer::start_tls(&cert, |_| Reply::json(200, PAGE));
    let untrusting = client(&server.url).await;
    let err = untrusting
        .get_integrations(request("a1"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("TLS failure: "), "{err}");
    assert_eq!(
        server.connections(),
        1,
        "a TLS verification failure is not retried (3 attempts allowed)"
    );
    let pem = pem_file(&cert);
    let page = trusting(&server.url, pem.path())
        .await
        .get_integrations(request("a1"))
        .await
        .unwrap();
    assert_eq!(page.items.unwrap()[0].integration_id.as_deref(), Some("i1"));
    let err = Client::builder()
        .region("us-east-1")
        .ca_bundle("/nonexistent/apigw-ca.pem")
        .build()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("cannot use the CA bundle \"/nonexistent/apigw-ca.pem\""),
        "{err}"
    );
}

/// The endpoint the client resolves with exactly `vars` in the environment (plus a
/// region and no shared files unless given), and `explicit` from the builder.
fn resolved(vars: &[(&str, &str)], explicit: Option<&str>) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_apigw-endpoint-probe"));
    command
        .env_clear()
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/apigw-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/apigw-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(vars.iter().copied());
    if let Some(url) = explicit {
        command.arg(url);
    }
    let out = command.output().expect("the probe runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn endpoints_resolve_in_the_sdks_order() {
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        config.path(),
        "[default]\nendpoint_url = http://profile.test\nservices = local\n\n\
         [services local]\napigatewayv2 =\n  endpoint_url = http://profile-service.test\n\n\
         [profile plain]\nendpoint_url = http://profile.test\n",
    )
    .unwrap();
    let config = config.path().to_str().unwrap();
    let service = ("AWS_ENDPOINT_URL_APIGATEWAYV2", "http://service.test");
    let global = ("AWS_ENDPOINT_URL", "http://global.test");
    let profile = ("AWS_CONFIG_FILE", config);
    let ignore = ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    let default = "https://apigateway.us-east-1.amazonaws.com";

    assert_eq!(resolved(&[], None), default);
    assert_eq!(
        resolved(&[service, global, profile], None),
        "http://service.test"
    );
    assert_eq!(resolved(&[global, service], None), "http://service.test");
    assert_eq!(resolved(&[global, profile], None), "http://global.test");
    assert_eq!(resolved(&[profile], None), "http://profile-service.test");
    assert_eq!(
        resolved(&[profile, ("AWS_PROFILE", "plain")], None),
        "http://profile.test"
    );
    assert_eq!(
        resolved(&[service, global, profile], Some("http://explicit.test/")),
        "http://explicit.test",
        "the builder's endpoint wins"
    );
    // Ignoring configured endpoints skips the environment and the profile, never the
    // endpoint given to the builder (--endpoint-url).
    assert_eq!(resolved(&[service, global, profile, ignore], None), default);
    assert_eq!(
        resolved(&[service, ignore], Some("http://explicit.test")),
        "http://explicit.test"
    );
    // A query or fragment would swallow the operation's path: refused, naming where the
    // URL came from; a password is never echoed.
    let refused = resolved(&[("AWS_ENDPOINT_URL", "http://global.test/?x=1")], None);
    assert!(
        refused.starts_with("error: invalid endpoint URL \"http://global.test/?x=1\" (from ")
            && refused.contains("query"),
        "{refused}"
    );
    let refused = resolved(&[], Some("http://user:hunter2@explicit.test/#top"));
    assert!(refused.contains("fragment"), "{refused}");
    assert!(!refused.contains("hunter2"), "{refused}");
}
