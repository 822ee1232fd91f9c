//! The client over an in-memory transport: what it puts on the wire (endpoint, path,
//! SigV4 headers) and how it treats what comes back.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigw_client::{Client, RetryConfig, transport};
use apigw_model::client::ApiGatewayV2 as _;
use apigw_model::operation::get_integrations::GetIntegrationsRequest;
use bytes::Bytes;

type Seen = Arc<Mutex<Vec<http::Request<Vec<u8>>>>>;

/// A transport answering with `responses` in turn (the last one repeats).
fn scripted(responses: Vec<(u16, &'static str)>) -> (impl transport::Transport, Seen) {
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    let calls = Arc::new(Mutex::new(0usize));
    let t = transport::from_fn(move |request| {
        log.lock().unwrap().push(request);
        let mut n = calls.lock().unwrap();
        let (status, body) = responses[(*n).min(responses.len() - 1)];
        *n += 1;
        http::Response::builder()
            .status(status)
            .body(Bytes::from_static(body.as_bytes()))
            .unwrap()
    });
    (t, seen)
}

fn request() -> GetIntegrationsRequest {
    GetIntegrationsRequest::builder()
        .api_id("a1b2c3")
        .max_results("2")
        .build()
        .unwrap()
}

fn credentials() -> aws_credential_types::Credentials {
    aws_credential_types::Credentials::new(
        "AKIDTRANSPORT",
        "secret",
        Some("session".into()),
        None,
        "tests",
    )
}

#[tokio::test]
async fn requests_go_to_the_regional_endpoint_signed_with_sigv4() {
    let (t, seen) = scripted(vec![(200, r#"{"items": [{"integrationId": "i1"}]}"#)]);
    let client = Client::builder()
        .region("eu-west-1")
        .credentials(credentials())
        .transport(t)
        .build()
        .await
        .unwrap();
    let page = client.get_integrations(request()).await.unwrap();
    assert_eq!(page.items.unwrap()[0].integration_id.as_deref(), Some("i1"));
    let seen = seen.lock().unwrap();
    let sent = &seen[0];
    assert_eq!(
        sent.uri(),
        "https://apigateway.eu-west-1.amazonaws.com/v2/apis/a1b2c3/integrations?maxResults=2"
    );
    let auth = sent.headers()["authorization"].to_str().unwrap();
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDTRANSPORT/"),
        "{auth}"
    );
    assert!(
        auth.contains("/eu-west-1/apigateway/aws4_request"),
        "{auth}"
    );
    assert!(sent.headers().contains_key("x-amz-date"));
    assert_eq!(sent.headers()["x-amz-security-token"], "session");
}

#[tokio::test]
async fn anonymous_requests_carry_no_signature() {
    let (t, seen) = scripted(vec![(200, "{}")]);
    let client = Client::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:4566/")
        .anonymous()
        .transport(t)
        .build()
        .await
        .unwrap();
    client.get_integrations(request()).await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen[0].uri(),
        "http://127.0.0.1:4566/v2/apis/a1b2c3/integrations?maxResults=2"
    );
    assert!(!seen[0].headers().contains_key("authorization"));
}

#[tokio::test]
async fn unavailable_is_retried_and_bad_request_is_not() {
    let (t, seen) = scripted(vec![
        (503, r#"{"message": "busy"}"#),
        (503, r#"{"message": "busy"}"#),
        (200, r#"{"items": []}"#),
    ]);
    let client = Client::builder()
        .region("us-east-1")
        .credentials(credentials())
        .retry(
            RetryConfig::default()
                .with_max_attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .transport(t)
        .build()
        .await
        .unwrap();
    client.get_integrations(request()).await.unwrap();
    assert_eq!(seen.lock().unwrap().len(), 3);

    let (t, seen) = scripted(vec![(400, r#"{"message": "no"}"#)]);
    let client = Client::builder()
        .region("us-east-1")
        .credentials(credentials())
        .transport(t)
        .build()
        .await
        .unwrap();
    let err = client.get_integrations(request()).await.unwrap_err();
    assert_eq!(err.to_string(), "BadRequest (HTTP 400): no");
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_bad_endpoint_url_is_refused_when_building() {
    let err = Client::builder()
        .region("us-east-1")
        .endpoint_url("ftp://example.com")
        .build()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid endpoint URL \"ftp://example.com\": the scheme must be http or https"
    );
}
