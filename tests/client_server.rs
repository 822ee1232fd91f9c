//! The HTTP client against the paginating test server: signed requests, pagination with
//! page sizes and opaque tokens, retries, timeouts, error mapping, malformed bodies.

use std::time::{Duration, Instant};

use apigw_client::{Client, RetryConfig};
use apigw_model::client::ApiGatewayV2 as _;
use apigw_model::operation::get_integrations::{GetIntegrationsError, GetIntegrationsRequest};
use apigw_paginator::{PaginationConfig, PaginationError};
use apigw_runtime::http::{OperationError, SdkError};
use apigw_tests::fixtures;
use apigw_tests::server::{ACCESS_KEY, PagingServer, SECRET_KEY};
use futures::StreamExt;

const API: &str = "a1b2c3";

fn server(items: usize) -> PagingServer {
    let server = PagingServer::start();
    server.add_api(API, items);
    server
}

async fn client_for(url: &str, attempts: u32) -> Client {
    Client::builder()
        .endpoint_url(url)
        .region("us-east-1")
        .credentials(aws_credential_types::Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "tests",
        ))
        .retry(
            RetryConfig::default()
                .with_max_attempts(attempts)
                .with_backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .read_timeout(Duration::from_secs(5))
        .build()
        .await
        .expect("client builds")
}

fn b64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

fn request() -> GetIntegrationsRequest {
    GetIntegrationsRequest::builder()
        .api_id(API)
        .build()
        .unwrap()
}

fn expected_ids(range: std::ops::Range<usize>) -> Vec<String> {
    range
        .map(|i| {
            fixtures::integration(i)["integrationId"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

async fn collect_ids(
    client: &Client,
    config: PaginationConfig,
) -> (Vec<String>, Option<String>, Option<String>) {
    let mut items = client
        .get_integrations_paginator(request(), config)
        .unwrap()
        .items();
    let mut ids = Vec::new();
    let mut error = None;
    while let Some(item) = items.next().await {
        match item {
            Ok(i) => ids.push(i.integration_id.unwrap()),
            Err(e) => error = Some(e.to_string()),
        }
    }
    (ids, items.resume_token(), error)
}

#[tokio::test]
async fn every_item_arrives_through_signed_pages_with_the_page_size_on_each_request() {
    let server = server(230);
    let client = client_for(&server.url, 3).await;
    let config = PaginationConfig {
        page_size: Some(100),
        ..Default::default()
    };
    let (ids, resume, error) = collect_ids(&client, config).await;
    assert_eq!(error, None);
    assert_eq!(ids, expected_ids(0..230));
    assert_eq!(resume, None);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for (i, r) in requests.iter().enumerate() {
        assert_eq!(r.method, "GET");
        assert_eq!(r.path, format!("/v2/apis/{API}/integrations"));
        assert_eq!(
            r.query_value("maxResults"),
            Some("100"),
            "page size on request {i}"
        );
        assert_eq!(
            r.signature_ok,
            Some(true),
            "request {i} is signed with SigV4"
        );
    }
    assert_eq!(requests[0].query_value("nextToken"), None);
    assert_eq!(
        requests[1].query_value("nextToken"),
        Some(apigw_tests::server::token_for(API, 100).as_str())
    );
}

#[tokio::test]
async fn max_items_stops_inside_a_page_and_the_resume_token_continues_exactly() {
    let server = server(230);
    let client = client_for(&server.url, 3).await;
    let first = PaginationConfig {
        max_items: Some(130),
        page_size: Some(50),
        starting_token: None,
    };
    let (head, resume, _) = collect_ids(&client, first).await;
    assert_eq!(head, expected_ids(0..130));
    let resume = resume.expect("items remain");
    // botocore's token: the token that requested the cut page, and the items kept of it.
    assert_eq!(
        resume,
        b64(&format!(
            r#"{{"NextToken": "{}", "boto_truncate_amount": 30}}"#,
            apigw_tests::server::token_for(API, 100)
        ))
    );
    let rest = PaginationConfig {
        page_size: Some(50),
        starting_token: Some(resume),
        ..Default::default()
    };
    let (tail, resume, _) = collect_ids(&client, rest).await;
    assert_eq!(tail, expected_ids(130..230));
    assert_eq!(resume, None);
}

#[tokio::test]
async fn throttling_is_retried_with_backoff() {
    let server = server(10);
    server.set(|b| b.throttle = 2);
    let client = client_for(&server.url, 3).await;
    let page = client.get_integrations(request()).await.unwrap();
    assert_eq!(page.items.unwrap().len(), 10);
    assert_eq!(server.requests().len(), 3, "two 429s, then the page");
}

#[tokio::test]
async fn throttling_beyond_the_attempts_is_the_modeled_error() {
    let server = server(10);
    server.set(|b| b.throttle = 10);
    let client = client_for(&server.url, 2).await;
    let err = client.get_integrations(request()).await.unwrap_err();
    assert_eq!(server.requests().len(), 2, "max_attempts bounds the tries");
    let SdkError::Service {
        error,
        status,
        request_id,
        query_error,
    } = err
    else {
        panic!("expected a service error, got {err}");
    };
    assert_eq!(status, 429);
    assert!(request_id.is_some());
    assert_eq!(query_error, None, "API Gateway is not awsQueryCompatible");
    let GetIntegrationsError::TooManyRequestsException(e) = &error else {
        panic!("expected TooManyRequestsException, got {error:?}");
    };
    assert_eq!(e.limit_type.as_deref(), Some("Account"));
    assert_eq!(error.code(), "TooManyRequestsException");
    assert_eq!(error.message(), Some("Too Many Requests"));
}

#[tokio::test]
async fn an_unknown_api_is_the_modeled_not_found_error_and_is_not_retried() {
    let server = server(10);
    let client = client_for(&server.url, 3).await;
    let missing = GetIntegrationsRequest::builder()
        .api_id("nope")
        .build()
        .unwrap();
    let err = client.get_integrations(missing).await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
    let SdkError::Service {
        error: GetIntegrationsError::NotFoundException(e),
        status: 404,
        ..
    } = &err
    else {
        panic!("expected NotFoundException, got {err:?}");
    };
    assert_eq!(e.message(), Some("Invalid API identifier specified nope"));
    assert_eq!(e.resource_type.as_deref(), Some("Api"));
    assert_eq!(
        err.to_string(),
        "NotFoundException: Invalid API identifier specified nope"
    );
}

#[tokio::test]
async fn a_bad_page_size_is_the_modeled_bad_request_error() {
    let server = server(10);
    let client = client_for(&server.url, 3).await;
    let bad = GetIntegrationsRequest::builder()
        .api_id(API)
        .max_results("lots")
        .build()
        .unwrap();
    let err = client.get_integrations(bad).await.unwrap_err();
    let SdkError::Service {
        error: GetIntegrationsError::BadRequestException(e),
        status: 400,
        ..
    } = &err
    else {
        panic!("expected the modeled BadRequestException, got {err:?}");
    };
    assert_eq!(
        e.message(),
        Some("maxResults must be an integer between 1 and 500, not \"lots\"")
    );
}

#[tokio::test]
async fn server_errors_without_a_code_are_retried_then_unhandled() {
    let server = server(10);
    server.set(|b| b.server_errors = 5);
    let client = client_for(&server.url, 3).await;
    let err = client.get_integrations(request()).await.unwrap_err();
    assert_eq!(server.requests().len(), 3);
    let SdkError::Service {
        error: GetIntegrationsError::Unhandled(e),
        status: 500,
        ..
    } = &err
    else {
        panic!("expected an unhandled 500, got {err:?}");
    };
    assert_eq!(e.code(), "InternalServerError");
    assert_eq!(e.message(), Some("Internal server error"));
}

#[tokio::test]
async fn a_malformed_body_is_a_clear_error_not_a_panic() {
    let server = server(10);
    server.set(|b| b.malformed = 1);
    let client = client_for(&server.url, 3).await;
    let err = client.get_integrations(request()).await.unwrap_err();
    assert!(matches!(err, SdkError::Response(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("malformed response (HTTP 200): body is not the expected JSON"),
        "{text}"
    );
    assert_eq!(server.requests().len(), 1, "a malformed 200 is not retried");
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    let refusing = apigw_tests::python::Refusing::new();
    let client = client_for(&format!("http://127.0.0.1:{}", refusing.port), 2).await;
    let err = client.get_integrations(request()).await.unwrap_err();
    assert!(matches!(err, SdkError::Transport(_)), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("could not connect: http://127.0.0.1:"),
        "{err}"
    );
}

#[tokio::test]
async fn a_slow_response_times_out() {
    let server = server(10);
    server.set(|b| b.delay = Some(Duration::from_secs(3)));
    let client = Client::builder()
        .endpoint_url(&server.url)
        .region("us-east-1")
        .credentials(aws_credential_types::Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "tests",
        ))
        .retry(RetryConfig::default().with_max_attempts(1))
        .read_timeout(Duration::from_millis(300))
        .build()
        .await
        .unwrap();
    let start = Instant::now();
    let err = client.get_integrations(request()).await.unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "the timeout cut the wait"
    );
    assert!(err.to_string().contains("timed out"), "{err}");
}

#[tokio::test]
async fn an_error_mid_pagination_resumes_without_loss_or_duplicates() {
    let server = server(230);
    // The second page fails on every attempt.
    server.set(|b| b.fail_requests = vec![1, 2, 3]);
    let client = client_for(&server.url, 3).await;
    let config = PaginationConfig {
        page_size: Some(100),
        ..Default::default()
    };
    let (first, resume, error) = collect_ids(&client, config).await;
    assert_eq!(first, expected_ids(0..100));
    assert!(error.unwrap().contains("InternalServerError"));
    let resume = resume.expect("a resume token after an error");
    assert_eq!(
        resume,
        b64(&format!(
            r#"{{"NextToken": "{}"}}"#,
            apigw_tests::server::token_for(API, 100)
        )),
        "resumes at the page that failed, nothing skipped"
    );
    let config = PaginationConfig {
        page_size: Some(100),
        starting_token: Some(resume),
        ..Default::default()
    };
    let (rest, resume, error) = collect_ids(&client, config).await;
    assert_eq!(error, None);
    assert_eq!(rest, expected_ids(100..230));
    assert_eq!(resume, None);
}

#[tokio::test]
async fn tokens_with_reserved_characters_survive_the_query_string() {
    let server = server(10);
    let client = client_for(&server.url, 1).await;
    let config = PaginationConfig {
        starting_token: Some("a+b/c= d".into()),
        ..Default::default()
    };
    let err = client
        .get_integrations_paginator(request(), config)
        .unwrap()
        .full_result()
        .await
        .unwrap_err();
    let PaginationError::Source(err) = err else {
        panic!("expected the service's error");
    };
    assert_eq!(
        err.code(),
        Some("BadRequestException"),
        "the server rejects the token"
    );
    let sent = &server.requests()[0];
    assert_eq!(sent.query_value("nextToken"), Some("a+b/c= d"));
    assert_eq!(sent.raw_query, "nextToken=a%2Bb%2Fc%3D%20d");
    assert_eq!(
        sent.signature_ok,
        Some(true),
        "signed over the encoded query"
    );
}

#[tokio::test]
async fn the_client_never_shows_its_credentials() {
    let client = client_for("http://127.0.0.1:9", 1).await;
    let shown = format!("{client:?}");
    assert!(
        !shown.contains(SECRET_KEY) && !shown.contains(ACCESS_KEY),
        "{shown}"
    );
    assert!(shown.contains("redacted"));
}

/// The paginating server as a program (`apigw-test-server`, for manual runs and for
/// benchmarking other tools against it) starts, prints its URL and serves a listing.
#[tokio::test]
async fn the_test_server_program_serves_a_listing() {
    use std::io::BufRead as _;
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_apigw-test-server"))
        .args(["--api-id", API, "--items", "7"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("apigw-test-server starts");
    let mut url = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let client = client_for(url.trim(), 1).await;
    let (ids, resume, error) = collect_ids(&client, PaginationConfig::default()).await;
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(error, None);
    assert_eq!(ids, expected_ids(0..7));
    assert_eq!(resume, None);
}

/// `search()` on the paginator against boto3's `PageIterator.search` on the same
/// server, pages and limits: the same results in the same order (lists flattened
/// across pages, other results one per page, `null` included).
#[tokio::test]
async fn search_matches_boto3_page_iterator_search() {
    use apigw_runtime::search::PaginatorSearch as _;
    let server = server(23);
    let client = client_for(&server.url, 1).await;
    for (expression, page_size, max_items) in [
        ("Items[].IntegrationId", Some(7), None),
        ("Items[].IntegrationId", Some(5), Some(12)),
        (
            "Items[?IntegrationType=='HTTP'].[IntegrationId, TimeoutInMillis]",
            Some(10),
            None,
        ),
        (
            "Items[0].{id: IntegrationId, uri: IntegrationUri}",
            Some(6),
            None,
        ),
        ("NextToken", Some(10), None),
        ("length(Items)", Some(4), Some(10)),
        ("Items[?TimeoutInMillis > `100000`]", Some(9), None),
    ] {
        let expected = tokio::task::spawn_blocking({
            let url = server.url.clone();
            move || apigw_tests::python::boto3_search(&url, API, expression, page_size, max_items)
        })
        .await
        .unwrap();
        let Some(expected) = expected else {
            return;
        };
        let config = PaginationConfig {
            page_size,
            max_items,
            starting_token: None,
        };
        let ours: Vec<serde_json::Value> = client
            .get_integrations_paginator(request(), config)
            .unwrap()
            .search(expression)
            .unwrap()
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(
            ours, expected,
            "{expression} (page size {page_size:?}, max items {max_items:?})"
        );
    }
}

/// The server checks the signature against the scope it expects (its own region, the
/// service's signing name), not the one the request claims: a client signing for
/// another region is refused, as the service refuses it.
#[tokio::test]
async fn a_request_signed_for_another_region_is_refused() {
    let server = server(3);
    let client = Client::builder()
        .endpoint_url(&server.url)
        .region("eu-west-1")
        .credentials(aws_credential_types::Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "tests",
        ))
        .retry(RetryConfig::default().with_max_attempts(1))
        .build()
        .await
        .expect("client builds");
    let err = client.get_integrations(request()).await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidSignatureException"), "{err}");
    assert_eq!(server.requests()[0].signature_ok, Some(false));
    // The same client for the server's region is accepted.
    let ok = client_for(&server.url, 1).await;
    ok.get_integrations(request())
        .await
        .expect("signed for us-east-1");
    assert_eq!(server.requests()[1].signature_ok, Some(true));
}

#[tokio::test]
async fn an_unparsed_call_gives_the_body_for_a_borrowed_view_and_errors_as_usual() {
    use apigw_model::operation::get_integrations::{GetIntegrations, GetIntegrationsResponse};
    use apigw_runtime::http::{HttpClient as _, Unparsed};
    let server = server(30);
    let client = client_for(&server.url, 3).await;
    let page = client
        .send::<Unparsed<GetIntegrations>>(request())
        .await
        .unwrap();
    assert_eq!(page.status, 200);
    let view = GetIntegrationsResponse::from_slice_borrowed(&page.body).unwrap();
    let ids: Vec<String> = view
        .items
        .unwrap()
        .iter()
        .map(|i| i.integration_id.as_deref().unwrap().to_owned())
        .collect();
    let owned = client.get_integrations(request()).await.unwrap();
    let owned_ids: Vec<String> = owned
        .items
        .unwrap()
        .into_iter()
        .map(|i| i.integration_id.unwrap())
        .collect();
    assert_eq!(ids, owned_ids);
    assert_eq!(view.next_token.as_deref(), owned.next_token.as_deref());
    // Signed, and the modeled error of the operation, as a typed call.
    assert!(
        server.requests()[0]
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("authorization"))
    );
    let missing = GetIntegrationsRequest::builder()
        .api_id("nope")
        .build()
        .unwrap();
    let err = client
        .send::<Unparsed<GetIntegrations>>(missing)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            SdkError::Service {
                error: GetIntegrationsError::NotFoundException(_),
                status: 404,
                ..
            }
        ),
        "{err:?}"
    );
}
