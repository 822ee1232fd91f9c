//! An async HTTP client for generated restJson1 operations: endpoint resolution, SigV4
//! signing, credentials from the standard places, retries with backoff and jitter, and
//! timeouts. It knows no operation: anything implementing
//! [`HttpOperation`] can be sent, and every
//! paginated operation can be paged through.
//!
//! ```no_run
//! use apigw_client::Client;
//! use apigw_model::client::ApiGatewayV2 as _;
//! use apigw_model::operation::get_integrations::GetIntegrationsRequest;
//! use apigw_paginator::PaginationConfig;
//! use futures::StreamExt;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // Region, credentials and endpoint from the environment and ~/.aws, as the AWS CLI.
//! let client = Client::builder().build().await?;
//! let request = GetIntegrationsRequest::builder().api_id("a1b2c3").build()?;
//! let page = client.get_integrations(request.clone()).await?;
//! println!("{} on the first page", page.items.unwrap_or_default().len());
//!
//! let config = PaginationConfig { max_items: Some(500), ..Default::default() };
//! let mut items = client.get_integrations_paginator(request, config)?.items();
//! while let Some(integration) = items.next().await {
//!     println!("{:?}", integration?.integration_id);
//! }
//! # Ok(()) }
//! ```
//!
//! # Defaults and limits
//!
//! - **Redirects are never followed**: a 3xx is [`SdkError::Redirect`], not retried, so
//!   signed headers and session tokens never reach another origin or plain HTTP; no
//!   `Referer` is sent.
//! - **TLS is verified**, against the system's roots or, when set, only the PEM bundle of
//!   [`ClientBuilder::ca_bundle`], `AWS_CA_BUNDLE` or the profile's `ca_bundle`.
//! - **Bodies are capped** at [`DEFAULT_MAX_RESPONSE_BYTES`] (64 MiB,
//!   [`ClientBuilder::max_response_bytes`]): a larger `Content-Length` is refused before
//!   reading, a body without one is cut off once past the cap; not retried.
//! - **Timeouts** default to 60 s; zero means none; longer than a year is clamped.
//! - **Endpoints** come from the service's endpoint rules ([`endpoint`]): region,
//!   FIPS and dual-stack settings, and a configured endpoint
//!   ([`ClientBuilder::endpoint_url`], else `AWS_ENDPOINT_URL_<SERVICE>`,
//!   `AWS_ENDPOINT_URL`, the profile's `services` section, the profile's `endpoint_url`;
//!   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` skips the configured ones). Resolved once per
//!   client, service and parameter set. A query, fragment or bad port is refused;
//!   passwords are masked in messages.
//! - **Retries** ([`RetryConfig`], each decision a [`RetryAction`]): throttling, 5xx
//!   and failures that may pass; TLS failures, bad URLs, oversized bodies and redirects
//!   fail at once.

/// The README's Rust examples, compiled as doc tests by the test command so that every
/// example a user copies builds (never part of the API).
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExamples;

mod config;
pub mod endpoint;
pub mod fanout;
mod hooks;
pub mod retry;
mod signing;
pub mod testing;
pub mod transport;

pub use config::{
    ClientBuilder, ConfigError, DEFAULT_MAX_RESPONSE_BYTES, PARTITIONS_FILE, profile_setting,
};
pub use endpoint::default_endpoint;
pub use hooks::{Attempt, Exchange, redact_header};
pub use retry::{MaxRate, RetryAction, RetryConfig, RetryMode, RetryReason, RetryScopes};

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use transport::Transport;

use apigw_runtime::http::{HttpClient, HttpOperation, SdkError, ServiceInfo};
use aws_credential_types::provider::SharedCredentialsProvider;

use hooks::{AttemptHook, ExchangeHook, redacted_headers};
use retry::scope::{Scope, ScopeKey};
use retry::{ErrorResponse, FixedBucket, SharedClock, default_code, sdk};
use signing::SignFailure;

/// Where credentials come from.
#[derive(Clone)]
pub(crate) enum CredentialSource {
    /// A provider (the default chain, or given).
    Provider(SharedCredentialsProvider),
    /// Send unsigned requests.
    Anonymous,
}

pub(crate) struct Inner {
    pub(crate) transport: Box<dyn Transport>,
    /// Region, endpoint settings and the endpoints resolved so far (once per client,
    /// service and parameter set, as the AWS SDKs do, not on every request).
    pub(crate) endpoints: endpoint::Endpoints,
    pub(crate) credentials: CredentialSource,
    pub(crate) retry: RetryConfig,
    /// Quota and rate limiter, shared per scope with every client of the registry.
    pub(crate) scopes: RetryScopes,
    /// Time, sleeps and jitter for retries.
    pub(crate) clock: SharedClock,
    /// A fixed rate for this client's requests (`--max-rate`), if any.
    pub(crate) max_rate: Option<Mutex<FixedBucket>>,
    /// The read timeout (the `ttl` of `amz-sdk-request` adds it to the server's time).
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) max_body: u64,
    pub(crate) on_attempt: Option<AttemptHook>,
    pub(crate) on_exchange: Option<ExchangeHook>,
}

/// The HTTP client. Cheap to clone (shared inside); credentials never appear in its
/// `Debug` output.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("region", &self.inner.endpoints.region)
            .field("endpoint_override", &self.inner.endpoints.endpoint_override)
            .field("use_fips", &self.inner.endpoints.use_fips)
            .field("use_dual_stack", &self.inner.endpoints.use_dual_stack)
            .field(
                "credentials",
                &match self.inner.credentials {
                    CredentialSource::Provider(_) => "provider (redacted)",
                    CredentialSource::Anonymous => "anonymous",
                },
            )
            .field("retry", &self.inner.retry)
            .finish()
    }
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The region requests go to.
    pub fn region(&self) -> &str {
        &self.inner.endpoints.region
    }

    /// The endpoint URL for `service` (for an operation without context parameters):
    /// resolved from the service's endpoint rules with the client's region, FIPS and
    /// dual-stack settings and any configured endpoint (see
    /// [`ClientBuilder::endpoint_url`]); for a service without rules, the configured
    /// endpoint or the region's.
    pub fn endpoint(&self, service: &ServiceInfo) -> Result<String, ConfigError> {
        self.inner
            .endpoints
            .resolve("", service, &apigw_runtime::endpoint::Params::new())
            .map(|e| e.url.clone())
            .map_err(ConfigError::EndpointRules)
    }

    /// One attempt: sign and send, then read the response. Besides the result, the
    /// server's `Date` when a response came (for the next attempt's `ttl`).
    #[allow(clippy::too_many_arguments)]
    async fn attempt<Op: HttpOperation>(
        &self,
        parts: &http::request::Parts,
        endpoint: &endpoint::ResolvedEndpoint,
        url: &str,
        body: &[u8],
        number: u32,
        credentials: Option<&aws_credential_types::Credentials>,
        retry_headers: [(&'static str, String); 2],
    ) -> (
        Result<Op::Output, (SdkError<Op::Error>, RetryAction)>,
        Option<String>,
    ) {
        let mut request = http::Request::builder()
            .method(parts.method.clone())
            .uri(url);
        for (name, value) in &parts.headers {
            request = request.header(name, value);
        }
        for (name, value) in &endpoint.headers {
            request = request.header(name, value);
        }
        for (name, value) in retry_headers {
            request = request.header(name, value);
        }
        let mut request = match request.body(body.to_vec()) {
            Ok(request) => request,
            Err(e) => {
                return (
                    Err((
                        SdkError::Transport(format!("invalid request: {e}")),
                        RetryAction::RetryForbidden,
                    )),
                    None,
                );
            }
        };
        if let Some(credentials) = credentials
            && let Err(e) = self.sign(Op::SERVICE, endpoint, credentials, &mut request)
        {
            return (
                Err((SdkError::Credentials(e), RetryAction::RetryForbidden)),
                None,
            );
        }
        let sent = self.inner.on_exchange.as_ref().map(|_| {
            (
                request.method().to_string(),
                redacted_headers(request.headers()),
                request.body().len(),
                std::time::Instant::now(),
            )
        });
        let report = |status: Option<u16>,
                      response_headers: Vec<(String, String)>,
                      response_bytes: usize,
                      error: Option<&str>| {
            if let (Some(hook), Some((method, request_headers, request_bytes, start))) =
                (&self.inner.on_exchange, &sent)
            {
                hook(&Exchange {
                    operation: Op::NAME,
                    attempt: number,
                    method,
                    url: &transport::redact_url(url),
                    request_headers: request_headers.clone(),
                    request_bytes: *request_bytes,
                    status,
                    response_headers,
                    response_bytes,
                    elapsed: start.elapsed(),
                    error,
                });
            }
        };
        // Failures that may pass (no connection, timeout, broken exchange) are retried;
        // TLS failures, bad requests and oversized bodies are not.
        let response = match self.inner.transport.send(request).await {
            Ok(response) => response,
            Err(e) => {
                report(None, Vec::new(), 0, Some(&e.to_string()));
                let retry = RetryAction::for_transport(e.kind);
                return (Err((SdkError::Transport(e.to_string()), retry)), None);
            }
        };
        let (head, body) = response.into_parts();
        report(
            Some(head.status.as_u16()),
            redacted_headers(&head.headers),
            body.len(),
            None,
        );
        let header = |name: &str| {
            head.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let date = header("date");
        (self.read_response::<Op>(&head, &body, header), date)
    }

    /// The operation's output, or its error with the retry decision.
    fn read_response<Op: HttpOperation>(
        &self,
        head: &http::response::Parts,
        body: &[u8],
        header: impl Fn(&str) -> Option<String>,
    ) -> Result<Op::Output, (SdkError<Op::Error>, RetryAction)> {
        // The default transport enforces the limit while reading; this covers others.
        if body.len() as u64 > self.inner.max_body {
            return Err((
                SdkError::Transport(format!(
                    "response too large: the response body ({} bytes) is larger than the limit of {} bytes",
                    body.len(),
                    self.inner.max_body
                )),
                RetryAction::RetryForbidden,
            ));
        }
        let status = head.status;
        if status.is_redirection() {
            // Never followed (as the AWS SDKs): the signed headers would go to whatever
            // the Location names, and another origin's body is not the service's answer.
            return Err((
                SdkError::Redirect {
                    status: status.as_u16(),
                },
                RetryAction::RetryForbidden,
            ));
        }
        if status.is_success() {
            return Op::deserialize(head, body)
                .map_err(|e| (SdkError::Response(e), RetryAction::RetryForbidden));
        }
        let (code, message) = apigw_runtime::http::error_code_and_message(head, body);
        let code = code.unwrap_or_else(|| default_code(status.as_u16()).to_owned());
        let error = Op::deserialize_error(&code, message.as_deref(), head, body);
        let action = RetryAction::for_response(
            self.inner.retry.mode,
            &ErrorResponse {
                status: status.as_u16(),
                code: &code,
                modeled: apigw_runtime::http::OperationError::modeled_retry(&error),
                retry_after: header(sdk::RETRY_AFTER_HEADER)
                    .as_deref()
                    .and_then(retry::parse_retry_after),
            },
        );
        Err((
            SdkError::Service {
                error,
                status: status.as_u16(),
                request_id: header("x-amzn-requestid"),
                query_error: apigw_runtime::http::query_error(Op::SERVICE, head),
            },
            action,
        ))
    }

    /// The credentials for this call (`None`: unsigned).
    async fn credentials(&self) -> Result<Option<aws_credential_types::Credentials>, SignFailure> {
        match &self.inner.credentials {
            CredentialSource::Anonymous => Ok(None),
            CredentialSource::Provider(provider) => signing::credentials(provider).await.map(Some),
        }
    }

    /// Waits for the fixed rate (`--max-rate`) and, in adaptive mode, the scope's rate
    /// limiter before an attempt.
    async fn pace(&self, scope: &Scope) {
        if let Some(bucket) = &self.inner.max_rate {
            let wait = bucket
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .acquire(self.inner.clock.now());
            if !wait.is_zero() {
                self.inner.clock.sleep(wait).await;
            }
        }
        if self.inner.retry.mode == RetryMode::Adaptive {
            // Asks again after each wait: the rate may have changed meanwhile.
            loop {
                let wait = scope.limiter().before_send(self.inner.clock.now());
                if wait.is_zero() {
                    break;
                }
                self.inner.clock.sleep(wait).await;
            }
        }
    }
}

/// The `ttl` of `amz-sdk-request`: the server's time (from its `Date`) plus the read
/// timeout, when both are known.
fn request_ttl(date: Option<&str>, read_timeout: Option<Duration>) -> Option<String> {
    use apigw_runtime::{DateTime, TimestampFormat};
    let server = DateTime::parse(TimestampFormat::HttpDate, date?).ok()?;
    let ttl = DateTime::from_secs_f64(server.as_secs_f64() + read_timeout?.as_secs_f64())?;
    let text = ttl.fmt(TimestampFormat::DateTime).ok()?;
    // 2026-12-06T06:15:00Z -> 20261206T061500Z (whole seconds).
    let whole = text.split('.').next()?.trim_end_matches('Z');
    Some(format!("{}Z", whole.replace(['-', ':'], "")))
}

impl HttpClient for Client {
    async fn send<Op: HttpOperation>(
        &self,
        input: Op::Input,
    ) -> Result<Op::Output, SdkError<Op::Error>> {
        let request = Op::serialize(&input).map_err(SdkError::Build)?;
        let (parts, body) = request.into_parts();
        let mut context = apigw_runtime::endpoint::Params::new();
        Op::endpoint_params(&input, &mut context);
        let endpoint = self
            .inner
            .endpoints
            .resolve(Op::NAME, Op::SERVICE, &context)
            .map_err(SdkError::Endpoint)?;
        let url = apigw_runtime::http::request_url(&endpoint.url, &parts.uri, &parts.extensions);
        let credentials = self.credentials().await.map_err(|e| match e {
            SignFailure::NoCredentials => SdkError::NoCredentials,
            SignFailure::Other(message) => SdkError::Credentials(message),
        })?;
        let retry = self.inner.retry;
        let clock = &self.inner.clock;
        let scope = self.inner.scopes.get(
            ScopeKey {
                access_key: credentials
                    .as_ref()
                    .map(|c| c.access_key_id().to_owned())
                    .unwrap_or_default(),
                region: endpoint
                    .signing_region
                    .clone()
                    .unwrap_or_else(|| self.inner.endpoints.region.clone()),
                service: Op::SERVICE.sdk_id,
                endpoint: endpoint.url.clone(),
            },
            clock.now(),
        );
        let uses_quota = retry.mode != RetryMode::Legacy;
        let invocation_id = uuid::Uuid::new_v4().to_string();
        let max_attempts = retry.max_attempts.max(1);
        // What the last retry took from the quota (given back on success).
        let mut quota_held = None;
        let mut ttl = None;
        let mut attempt = 1;
        loop {
            self.pace(&scope).await;
            // Legacy mode names the maximum only once a retry has been decided.
            let max = (retry.mode != RetryMode::Legacy || attempt > 1).then_some(max_attempts);
            let headers = [
                (sdk::INVOCATION_ID_HEADER, invocation_id.clone()),
                (
                    sdk::REQUEST_HEADER,
                    retry::request_header(ttl.as_deref(), attempt, max),
                ),
            ];
            let (result, date) = self
                .attempt::<Op>(
                    &parts,
                    &endpoint,
                    &url,
                    &body,
                    attempt,
                    credentials.as_ref(),
                    headers,
                )
                .await;
            if retry.mode == RetryMode::Adaptive {
                let throttled = matches!(&result, Err((_, action)) if action.is_throttling());
                scope.limiter().after_response(throttled, clock.now());
            }
            ttl = request_ttl(date.as_deref(), self.inner.read_timeout);
            let delay = match &result {
                Err((
                    _,
                    RetryAction::RetryIndicated {
                        reason,
                        retry_after,
                    },
                )) if attempt < max_attempts => {
                    let cost = RetryConfig::quota_cost(*reason);
                    if !uses_quota || scope.quota().acquire(cost) {
                        quota_held = uses_quota.then_some(cost);
                        Some(retry.backoff(attempt, *reason, *retry_after, clock.jitter()))
                    } else {
                        // The quota is spent: the service keeps failing; stop retrying.
                        None
                    }
                }
                _ => None,
            };
            if let Some(hook) = &self.inner.on_attempt {
                let error = result.as_ref().err().map(|(e, _)| e.to_string());
                hook(&Attempt {
                    operation: Op::NAME,
                    number: attempt,
                    error: error.as_deref(),
                    retry_in: delay,
                });
            }
            match (result, delay) {
                (Ok(output), _) => {
                    if uses_quota {
                        scope
                            .quota()
                            .release(quota_held.unwrap_or(sdk::QUOTA_NO_RETRY_INCREMENT));
                    }
                    return Ok(output);
                }
                (Err(_), Some(delay)) => {
                    clock.sleep(delay).await;
                    attempt += 1;
                }
                (Err((error, _)), None) => return Err(error),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: ServiceInfo = ServiceInfo {
        sdk_id: "ApiGatewayV2",
        signing_name: "apigateway",
        endpoint_prefix: "apigateway",
        version: "2018-11-29",
        endpoint_rules: None,
        query_compatible: false,
    };

    #[test]
    fn default_endpoints_follow_the_partition() {
        use crate::endpoint::default_endpoint;
        assert_eq!(
            default_endpoint(&SERVICE, "eu-west-1"),
            "https://apigateway.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            default_endpoint(&SERVICE, "cn-north-1"),
            "https://apigateway.cn-north-1.amazonaws.com.cn"
        );
    }

    #[test]
    fn endpoints_are_checked() {
        assert!(endpoint::check_endpoint("http://127.0.0.1:4566", "").is_ok());
        assert!(endpoint::check_endpoint("https://example.com/base/path", "").is_ok());
        assert!(endpoint::check_endpoint("http://[::1]:8080", "").is_ok());
        assert!(endpoint::check_endpoint("http://u:p@h:443", "").is_ok());
        for (url, reason) in [
            ("ftp://x", "scheme"),
            ("not a url", "not a URL"),
            ("http://127.0.0.1:4566/?x=1", "query"),
            ("http://127.0.0.1:4566?", "query"),
            ("http://127.0.0.1:4566/#frag", "fragment"),
            ("http://127.0.0.1:99999", "port"),
            ("http://[::1]:70000", "port"),
        ] {
            let err = endpoint::check_endpoint(url, "").unwrap_err().to_string();
            assert!(err.contains(reason), "{url}: {err}");
        }
    }

    #[test]
    fn a_password_in_an_endpoint_is_never_echoed() {
        let err = endpoint::check_endpoint("http://user:hunter2@127.0.0.1:4566/?q", " (from X)")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter2"), "{err}");
        assert!(err.contains("user:***@127.0.0.1:4566"), "{err}");
        assert!(err.contains("(from X)"), "{err}");
        assert_eq!(
            transport::redact_url("https://a:b@h/p?x=y@z"),
            "https://a:***@h/p?x=y@z"
        );
        assert_eq!(transport::redact_url("https://h/p@x"), "https://h/p@x");
    }

    #[test]
    fn timeouts_zero_means_none_and_huge_ones_are_clamped() {
        assert_eq!(transport::effective_timeout(Duration::ZERO), None);
        assert_eq!(
            transport::effective_timeout(Duration::from_secs(5)),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            transport::effective_timeout(Duration::from_secs(u64::MAX)),
            Some(transport::MAX_TIMEOUT)
        );
        assert_eq!(
            transport::effective_timeout(Duration::MAX),
            Some(transport::MAX_TIMEOUT)
        );
    }
}
