//! Retries proven rather than counted: the backoff's distribution, the gaps the server
//! sees growing, `Retry-After` and a throttling code over real HTTP, and the attempts
//! made on a refused connection.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigw_client::retry::{Clock, SystemClock};
use apigw_client::{Client, RetryConfig, RetryReason};
use apigw_model::client::ApiGatewayV2 as _;
use apigw_model::operation::get_integrations::GetIntegrationsRequest;
use apigw_tests::python::Refusing;
use apigw_tests::server::{ACCESS_KEY, PagingServer, SECRET_KEY};

const API: &str = "retry-api";

fn request() -> GetIntegrationsRequest {
    GetIntegrationsRequest::builder()
        .api_id(API)
        .build()
        .unwrap()
}

async fn client(url: &str, retry: RetryConfig) -> Client {
    Client::builder()
        .endpoint_url(url)
        .region("us-east-1")
        .credentials(aws_credential_types::Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "tests",
        ))
        .retry(retry)
        .build()
        .await
        .unwrap()
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Full jitter (the client's clock draws it): retry `k` waits uniformly in
/// `[0, base * 2^(k-1)]` (capped). With
/// 4,000 samples the mean is within 2 % of half the ceiling (the standard error is
/// 0.5 %), and both ends of the range are reached; a backoff of zero, a fixed one or a
/// ceiling that does not double all fail.
#[test]
fn the_backoff_is_uniform_up_to_a_doubling_ceiling() {
    let retry = RetryConfig::default()
        .with_max_attempts(10)
        .with_backoff(Duration::from_millis(100), Duration::from_millis(700));
    let clock = SystemClock::default();
    let backoff = |k, after| retry.backoff(k, RetryReason::Throttling, after, clock.jitter());
    for (k, ceiling) in [(1, 100.0), (2, 200.0), (3, 400.0), (4, 700.0), (9, 700.0)] {
        let samples: Vec<f64> = (0..4000).map(|_| millis(backoff(k, None))).collect();
        let mean = samples.iter().sum::<f64>() / samples.len() as f64;
        let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
        let max = samples.iter().copied().fold(0.0, f64::max);
        assert!(
            max <= ceiling,
            "retry {k}: {max} ms above the ceiling {ceiling}"
        );
        assert!(
            (mean - ceiling / 2.0).abs() < ceiling * 0.02,
            "retry {k}: mean {mean:.1} ms, expected about {}",
            ceiling / 2.0
        );
        assert!(
            min < ceiling * 0.02,
            "retry {k}: never near 0 (min {min:.1})"
        );
        assert!(
            max > ceiling * 0.98,
            "retry {k}: never near the ceiling (max {max:.1})"
        );
    }
    // x-amz-retry-after is a floor, at most 5 s above the drawn backoff.
    for _ in 0..1000 {
        let d = backoff(1, Some(Duration::from_millis(300)));
        assert!(d >= Duration::from_millis(300), "{d:?}");
        let d = backoff(1, Some(Duration::from_secs(60)));
        assert!(
            d >= Duration::from_secs(5) && d <= Duration::from_millis(5100),
            "{d:?}"
        );
    }
}

/// The gaps between the attempts the server receives grow: over 30 throttled calls,
/// the mean gap before retry k+2 is more than twice the mean before retry k (its
/// expected ratio is 4; the test would fail about once in 10^5 runs by chance), and
/// each mean stays within its backoff ceiling.
#[tokio::test]
async fn the_server_sees_growing_gaps_between_attempts() {
    let server = PagingServer::start();
    server.add_api(API, 1);
    let retry = RetryConfig::default()
        .with_max_attempts(5)
        .with_backoff(Duration::from_millis(20), Duration::from_secs(1));
    let client = client(&server.url, retry).await;
    let runs = 30;
    let mut sums = [0.0f64; 4];
    for _ in 0..runs {
        server.clear_requests();
        server.set(|b| b.throttle = 4);
        client.get_integrations(request()).await.unwrap();
        let requests = server.requests();
        assert_eq!(requests.len(), 5, "four throttles, then the answer");
        for (k, pair) in requests.windows(2).enumerate() {
            sums[k] += millis(pair[1].at - pair[0].at);
        }
    }
    let means: Vec<f64> = sums.iter().map(|s| s / f64::from(runs)).collect();
    // Full jitter draws each gap below its ceiling (20 ms doubling): the mean is half
    // the ceiling. One gap may be late on a loaded machine, so the bound is on the mean
    // (its ceiling, twice its expectation, plus scheduling slack), never on each gap.
    for (k, mean) in means.iter().enumerate() {
        let ceiling = 20.0 * f64::from(1u32 << k);
        assert!(
            *mean <= ceiling + 25.0,
            "mean gap before retry {}: {mean:.1} ms, beyond its ceiling of {ceiling} ms: {means:?}",
            k + 1
        );
    }
    for k in 0..2 {
        assert!(
            means[k + 2] > 2.0 * means[k],
            "mean gaps {means:?} do not grow (retry {} vs {})",
            k + 3,
            k + 1
        );
    }
}

#[tokio::test]
async fn retry_after_is_honoured_over_http() {
    let server = PagingServer::start();
    server.add_api(API, 1);
    server.set(|b| {
        b.throttle = 1;
        b.retry_after_ms = Some(1000);
    });
    let retry = RetryConfig::default()
        .with_max_attempts(2)
        .with_backoff(Duration::from_millis(1), Duration::from_secs(5));
    client(&server.url, retry)
        .await
        .get_integrations(request())
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let gap = requests[1].at - requests[0].at;
    assert!(
        gap >= Duration::from_secs(1),
        "retried after {gap:?}, before the x-amz-retry-after of 1 s"
    );
}

#[tokio::test]
async fn a_400_throttling_exception_is_retried() {
    let server = PagingServer::start();
    server.add_api(API, 3);
    server.set(|b| b.throttle_400 = 2);
    let retry = RetryConfig::default()
        .with_max_attempts(3)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5));
    let page = client(&server.url, retry)
        .await
        .get_integrations(request())
        .await
        .unwrap();
    assert_eq!(page.items.unwrap().len(), 3);
    assert_eq!(
        server.requests().len(),
        3,
        "two throttles by code, then the page"
    );

    // With no attempts left, the throttle is the error.
    server.clear_requests();
    server.set(|b| b.throttle_400 = 5);
    let retry = RetryConfig::default()
        .with_max_attempts(2)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5));
    let err = client(&server.url, retry)
        .await
        .get_integrations(request())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ThrottlingException"));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_tried_max_attempts_times() {
    let refusing = Refusing::new();
    /// (attempt number, failed, retry delay) per attempt.
    type Seen = Arc<Mutex<Vec<(u32, bool, Option<Duration>)>>>;
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    let client = Client::builder()
        .endpoint_url(format!("http://127.0.0.1:{}", refusing.port))
        .region("us-east-1")
        .anonymous()
        .retry(
            RetryConfig::default()
                .with_max_attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .on_attempt(move |a| {
            log.lock()
                .unwrap()
                .push((a.number, a.error.is_some(), a.retry_in));
        })
        .build()
        .await
        .unwrap();
    let err = client.get_integrations(request()).await.unwrap_err();
    assert!(err.to_string().starts_with("could not connect: "), "{err}");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(seen.iter().all(|(_, failed, _)| *failed));
    assert_eq!(
        seen.iter().map(|(n, _, _)| *n).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert!(seen[0].2.is_some() && seen[1].2.is_some() && seen[2].2.is_none());
}

/// The retry quota, call by call, against botocore's on the same server: a server that
/// always fails (500) gets 3 requests per call until the quota of 500 runs out (14 per
/// retry), then 2, then 1, from both clients alike.
#[tokio::test]
async fn the_retry_quota_runs_out_as_botocores_does() {
    let calls = 40;
    let server = PagingServer::start();
    server.add_api(API, 1);
    server.set(|b| b.server_errors = u32::MAX);
    let ours = Client::builder()
        .endpoint_url(&server.url)
        .region("us-east-1")
        .credentials(aws_credential_types::Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "tests",
        ))
        .retry_mode(apigw_client::RetryMode::Standard)
        .max_attempts(3)
        .retry_scopes(apigw_client::RetryScopes::new())
        .build()
        .await
        .unwrap();
    let mut ours_per_call = Vec::new();
    for _ in 0..calls {
        let before = server.requests().len();
        assert!(ours.get_integrations(request()).await.is_err());
        ours_per_call.push(server.requests().len() - before);
    }
    let script = r#"
import json, sys
import boto3, botocore.config
client = boto3.client(
    "apigatewayv2", endpoint_url=sys.argv[1],
    config=botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 3}),
)
attempts = []
for _ in range(int(sys.argv[2])):
    try:
        client.get_integrations(ApiId="retry-api")
        attempts.append(0)
    except client.exceptions.ClientError as e:
        attempts.append(e.response["ResponseMetadata"]["RetryAttempts"] + 1)
print(json.dumps(attempts))
"#;
    let Some(out) = apigw_tests::python::run_python(script, &[&server.url, &calls.to_string()])
    else {
        assert!(
            std::env::var("CI").is_err(),
            "CI=true: the virtualenv is required"
        );
        return;
    };
    let botocore: Vec<usize> = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(ours_per_call, botocore, "requests per call, call by call");
    let mut expected = vec![3; 17];
    expected.push(2);
    expected.resize(calls, 1);
    assert_eq!(ours_per_call, expected);
}

/// The whole loop on a manual clock (jitter 1): the exact sleeps standard mode takes
/// after throttles (1 s base) and server errors (50 ms base), the x-amz-retry-after
/// floor, and the retry headers the server sees.
#[tokio::test]
async fn exact_backoff_and_retry_headers_on_a_manual_clock() {
    use apigw_client::retry::ManualClock;
    let server = PagingServer::start();
    server.add_api(API, 1);
    let clock = ManualClock::new(1.0);
    let client = Client::builder()
        .endpoint_url(&server.url)
        .region("us-east-1")
        .credentials(aws_credential_types::Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "tests",
        ))
        .retry_mode(apigw_client::RetryMode::Standard)
        .max_attempts(3)
        .retry_scopes(apigw_client::RetryScopes::new())
        .clock(clock.clone())
        .build()
        .await
        .unwrap();
    server.set(|b| b.throttle = 2);
    client.get_integrations(request()).await.unwrap();
    server.set(|b| b.server_errors = 2);
    client.get_integrations(request()).await.unwrap();
    // A throttle by code asking for 1.5 s: above the 1 s backoff, so 1.5 s.
    server.set(|b| {
        b.throttle_400 = 1;
        b.retry_after_ms = Some(1500);
    });
    client.get_integrations(request()).await.unwrap();
    assert_eq!(
        clock.sleeps(),
        [
            Duration::from_secs(1),
            Duration::from_secs(2),
            Duration::from_millis(50),
            Duration::from_millis(100),
            Duration::from_millis(1500),
        ]
    );
    let requests = server.requests();
    let header = |i: usize, name: &str| {
        requests[i]
            .headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(header(0, "amz-sdk-request"), "attempt=1; max=3");
    let second = header(1, "amz-sdk-request");
    assert!(
        second.starts_with("ttl=") && second.ends_with("; attempt=2; max=3"),
        "{second}"
    );
    assert_eq!(
        header(2, "amz-sdk-request").split("; ").last(),
        Some("max=3")
    );
    let id = header(0, "amz-sdk-invocation-id");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(header(1, "amz-sdk-invocation-id"), id, "one id per call");
    assert_ne!(
        header(3, "amz-sdk-invocation-id"),
        id,
        "a new call, a new id"
    );
    assert!(
        requests.iter().all(|r| r.signature_ok == Some(true)),
        "the retry headers are signed with the rest"
    );
}
