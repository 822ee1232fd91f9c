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
//! - **Endpoints**: [`ClientBuilder::endpoint_url`], else `AWS_ENDPOINT_URL_<SERVICE>`,
//!   `AWS_ENDPOINT_URL`, the profile's `services` section, the profile's `endpoint_url`,
//!   else the regional default; `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` skips the
//!   configured ones. Resolved once per service and client. A query, fragment or bad
//!   port is refused; passwords are masked in messages.
//! - **Retries** ([`RetryConfig`]): throttling, 5xx and failures that may pass; TLS
//!   failures, bad URLs, oversized bodies and redirects fail at once.

/// The README's Rust examples, compiled as doc tests by the test command so that every
/// example a user copies builds (never part of the API).
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExamples;

pub mod endpoint;
pub mod testing;
pub mod transport;

pub use endpoint::default_endpoint;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use transport::{Transport, error_chain};

use apigw_runtime::http::{HttpClient, HttpOperation, SdkError, ServiceInfo};
use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};

/// Retry policy: up to `max_attempts` tries in all, with exponential backoff and full
/// jitter between them, for throttling (429 and throttling codes), server errors
/// (500, 502, 503, 504) and failed connections or timeouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// Tries in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// The backoff ceiling of the first retry; it doubles each retry.
    pub initial_backoff: Duration,
    /// The largest backoff.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryConfig {
    /// The delay before retry number `retry` (1-based): a random duration up to
    /// `min(max_backoff, initial_backoff * 2^(retry-1))`, and at least what the
    /// service asked for with `Retry-After`.
    pub fn backoff(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)))
            .min(self.max_backoff);
        let jittered = ceiling.mul_f64(fastrand::f64());
        match retry_after {
            Some(after) => jittered.max(after.min(self.max_backoff)),
            None => jittered,
        }
    }
}

/// What one attempt of a call came to, as [`ClientBuilder::on_attempt`] reports it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Attempt<'a> {
    /// The operation, e.g. `GetIntegrations`.
    pub operation: &'static str,
    /// 1 for the first try.
    pub number: u32,
    /// `None` when the attempt succeeded, else what went wrong (one line).
    pub error: Option<&'a str>,
    /// When the client will try again: after this delay.
    pub retry_in: Option<Duration>,
}

type AttemptHook = Arc<dyn Fn(&Attempt<'_>) + Send + Sync>;

/// One HTTP exchange (a signed request and its response, or why none came), as
/// [`ClientBuilder::on_exchange`] reports it. Secrets are already redacted: the
/// signature and access key in `authorization`, the session token, and any password
/// in the URL (see [`redact_header`]).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Exchange<'a> {
    /// The operation, e.g. `GetIntegrations`.
    pub operation: &'static str,
    /// 1 for the first try.
    pub attempt: u32,
    /// The HTTP method.
    pub method: &'a str,
    /// The URL, any password replaced by `***`.
    pub url: &'a str,
    /// The request headers as sent, redacted.
    pub request_headers: Vec<(String, String)>,
    /// The request body's size in bytes.
    pub request_bytes: usize,
    /// The response status, or `None` when no response came.
    pub status: Option<u16>,
    /// The response headers (none when no response came).
    pub response_headers: Vec<(String, String)>,
    /// The response body's size in bytes.
    pub response_bytes: usize,
    /// From sending the request to having the whole response (or the failure).
    pub elapsed: Duration,
    /// Why no response came (connection, TLS, timeout, size limit), one line.
    pub error: Option<&'a str>,
}

type ExchangeHook = Arc<dyn Fn(&Exchange<'_>) + Send + Sync>;

/// A header's value as it may be shown: the access key and signature of
/// `authorization` and the whole session token are replaced by `<redacted>`.
pub fn redact_header(name: &str, value: &str) -> String {
    let redacted = "<redacted>";
    match name.to_ascii_lowercase().as_str() {
        "authorization" => value
            .split(", ")
            .map(|part| {
                let (head, field) = part.rsplit_once(' ').unwrap_or(("", part));
                let redact = field.starts_with("Credential=") || field.starts_with("Signature=");
                match field.split_once('=') {
                    Some((key, _)) if redact => {
                        let space = if head.is_empty() { "" } else { " " };
                        format!("{head}{space}{key}={redacted}")
                    }
                    _ => part.to_owned(),
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        "x-amz-security-token" | "x-amz-session-token" | "cookie" | "set-cookie" => {
            redacted.to_owned()
        }
        _ => value.to_owned(),
    }
}

fn redacted_headers(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes());
            (
                name.as_str().to_owned(),
                redact_header(name.as_str(), &value),
            )
        })
        .collect()
}

/// The client could not be configured.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// No region anywhere (flag, environment, profile).
    #[error(
        "no region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or set region in the profile"
    )]
    NoRegion,
    /// The profile asked for (builder, `AWS_PROFILE`) is in neither shared file.
    #[error("The config profile ({0}) could not be found")]
    ProfileNotFound(String),
    /// An endpoint URL that cannot be used.
    #[error("invalid endpoint URL {url:?}{origin}: {reason}")]
    Endpoint {
        /// The URL as given, any password replaced by `***`.
        url: String,
        /// Where it came from (` (from AWS_ENDPOINT_URL)`), or empty.
        origin: String,
        /// What is wrong.
        reason: String,
    },
    /// The CA bundle (`AWS_CA_BUNDLE`, the profile's `ca_bundle`) cannot be read.
    #[error("cannot use the CA bundle {path:?}: {reason}")]
    CaBundle {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
    /// The service's endpoint rules give no endpoint for these settings (the rule
    /// set's own message, e.g. `FIPS is enabled but this partition does not support
    /// FIPS`).
    #[error("{0}")]
    EndpointRules(String),
}

/// Where credentials come from.
#[derive(Clone)]
enum CredentialSource {
    /// A provider (the default chain, or given).
    Provider(SharedCredentialsProvider),
    /// Send unsigned requests.
    Anonymous,
}

struct Inner {
    transport: Box<dyn Transport>,
    /// Region, endpoint settings and the endpoints resolved so far (once per client,
    /// service and parameter set, as the AWS SDKs do, not on every request).
    endpoints: endpoint::Endpoints,
    credentials: CredentialSource,
    retry: RetryConfig,
    max_body: u64,
    on_attempt: Option<AttemptHook>,
    on_exchange: Option<ExchangeHook>,
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

/// Builds a [`Client`]; unset settings come from the environment and the shared
/// config/credentials files, as the AWS CLI resolves them.
#[derive(Default)]
pub struct ClientBuilder {
    region: Option<String>,
    endpoint_url: Option<String>,
    profile: Option<String>,
    credentials: Option<SharedCredentialsProvider>,
    anonymous: bool,
    retry: RetryConfig,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    max_response_bytes: Option<u64>,
    ca_bundle: Option<std::path::PathBuf>,
    transport: Option<Box<dyn Transport>>,
    on_attempt: Option<AttemptHook>,
    on_exchange: Option<ExchangeHook>,
    on_endpoint: Option<endpoint::EndpointHook>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    partitions: Option<Arc<apigw_runtime::endpoint::Partitions>>,
}

/// The default largest response body accepted: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("profile", &self.profile)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|_| "(redacted)"),
            )
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The region (else `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The endpoint, e.g. `http://127.0.0.1:4566`. Without it, as the AWS SDKs and CLI
    /// resolve it for each service: `AWS_ENDPOINT_URL_<SERVICE>` (e.g.
    /// `AWS_ENDPOINT_URL_APIGATEWAYV2`), then `AWS_ENDPOINT_URL`, then the profile's
    /// `services` section, then the profile's `endpoint_url`, then the service's default
    /// `https://<prefix>.<region>.amazonaws.com`. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
    /// (or the profile's `ignore_configured_endpoint_urls`) skips the environment and
    /// profile endpoints, never this one. A URL with a query or a fragment is refused.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// The shared config/credentials profile (else `AWS_PROFILE`, else `default`).
    /// Credentials then come from this profile only (not from the environment's
    /// `AWS_ACCESS_KEY_ID`), as with the AWS CLI's `--profile`.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Fixed credentials instead of the default chain.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(credentials));
        self
    }

    /// Sends unsigned requests (local test servers).
    pub fn anonymous(mut self) -> Self {
        self.anonymous = true;
        self
    }

    /// The retry policy.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// How long to wait for a connection (default 60 s, as the AWS CLI). Zero means no
    /// timeout; values above [`transport::MAX_TIMEOUT`] (a year) are clamped to it.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long to wait for data once connected (default 60 s, as the AWS CLI). Zero
    /// means no timeout; values above [`transport::MAX_TIMEOUT`] are clamped to it.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// The largest response body accepted, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 64 MiB). A larger `Content-Length` is refused
    /// before the body is read, and a body without one is cut off once it passes the
    /// limit; either way the call fails with a transport error that is not retried.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Calls `hook` after every attempt (first tries and retries): what happened and
    /// whether, and when, the client tries again. For logging and tests.
    pub fn on_attempt(mut self, hook: impl Fn(&Attempt<'_>) + Send + Sync + 'static) -> Self {
        self.on_attempt = Some(Arc::new(hook));
        self
    }

    /// Calls `hook` after every HTTP exchange with what was sent and received (headers
    /// redacted), for a debug log.
    pub fn on_exchange(mut self, hook: impl Fn(&Exchange<'_>) + Send + Sync + 'static) -> Self {
        self.on_exchange = Some(Arc::new(hook));
        self
    }

    /// PEM certificates to trust instead of the system's roots (else `AWS_CA_BUNDLE`,
    /// else the profile's `ca_bundle`), as the AWS CLI.
    pub fn ca_bundle(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// Sends requests through `transport` instead of HTTP (tests, benchmarks); the
    /// timeouts then do not apply.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Box::new(transport));
        self
    }

    /// Use the region's FIPS endpoint (else `AWS_USE_FIPS_ENDPOINT`, else the
    /// profile's `use_fips_endpoint`). Ignored with a configured endpoint, as in the
    /// AWS SDKs.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.use_fips = Some(on);
        self
    }

    /// Use the region's dual-stack endpoint (else `AWS_USE_DUALSTACK_ENDPOINT`, else
    /// the profile's `use_dualstack_endpoint`). Ignored with a configured endpoint.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.use_dual_stack = Some(on);
        self
    }

    /// The partition table `aws.partition` reads, instead of the built-in one (see
    /// [`apigw_runtime::endpoint::Partitions::builtin`]).
    pub fn partitions(mut self, partitions: apigw_runtime::endpoint::Partitions) -> Self {
        self.partitions = Some(Arc::new(partitions));
        self
    }

    /// Called with each endpoint the client resolves (its parameters and the result),
    /// once per service and parameter set.
    pub fn on_endpoint(
        mut self,
        hook: impl Fn(&endpoint::EndpointReport<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.on_endpoint = Some(Arc::new(hook));
        self
    }

    /// Resolves what is not set and builds the client.
    pub async fn build(self) -> Result<Client, ConfigError> {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(profile) = &self.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &self.region {
            loader = loader.region(aws_config::Region::new(region.clone()));
        }
        let sdk_config = loader.load().await;
        check_profile(self.profile.as_deref()).await?;
        let region = self
            .region
            .or_else(|| sdk_config.region().map(ToString::to_string))
            .ok_or(ConfigError::NoRegion)?;
        if let Some(url) = &self.endpoint_url {
            endpoint::check_endpoint(url, "")?;
        }
        let credentials = if self.anonymous {
            CredentialSource::Anonymous
        } else {
            // A profile named here (the CLI's --profile) is where credentials come
            // from: the environment's keys are not used, as in the AWS CLI. AWS_PROFILE
            // keeps the whole default chain.
            let named_profile = self.profile.as_ref().map(|name| {
                SharedCredentialsProvider::new(
                    aws_config::profile::ProfileFileCredentialsProvider::builder()
                        .profile_name(name)
                        .build(),
                )
            });
            match self
                .credentials
                .or(named_profile)
                .or_else(|| sdk_config.credentials_provider())
            {
                Some(p) => CredentialSource::Provider(p),
                None => CredentialSource::Anonymous,
            }
        };
        let max_body = self
            .max_response_bytes
            .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        let transport = match self.transport {
            Some(t) => t,
            None => {
                let ca_bundle = match self.ca_bundle {
                    Some(path) => Some(path),
                    None => configured_ca_bundle(self.profile.as_deref()).await,
                };
                let ca_bundle = match ca_bundle {
                    None => None,
                    Some(path) => {
                        Some(std::fs::read(&path).map_err(|e| ConfigError::CaBundle {
                            path: path.display().to_string(),
                            reason: e.to_string(),
                        })?)
                    }
                };
                let settings = transport::Settings {
                    connect_timeout: transport::effective_timeout(
                        self.connect_timeout.unwrap_or(Duration::from_secs(60)),
                    ),
                    read_timeout: transport::effective_timeout(
                        self.read_timeout.unwrap_or(Duration::from_secs(60)),
                    ),
                    max_body,
                    ca_bundle,
                };
                Box::new(transport::Reqwest::new(&settings).map_err(ConfigError::Http)?)
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                endpoints: endpoint::Endpoints::new(
                    region,
                    self.endpoint_url,
                    self.use_fips.or(sdk_config.use_fips()).unwrap_or(false),
                    self.use_dual_stack
                        .or(sdk_config.use_dual_stack())
                        .unwrap_or(false),
                    self.partitions,
                    sdk_config,
                    self.on_endpoint,
                ),
                credentials,
                retry: self.retry,
                max_body,
                on_attempt: self.on_attempt,
                on_exchange: self.on_exchange,
            }),
        })
    }
}

/// Why a request could not be signed.
enum SignFailure {
    /// The credential chain found nothing.
    NoCredentials,
    /// Anything else, one line.
    Other(String),
}

/// Refuses a profile that was asked for (here or by `AWS_PROFILE`) but is in neither
/// shared file, as the AWS CLI does; the implicit `default` may be missing.
async fn check_profile(profile: Option<&str>) -> Result<(), ConfigError> {
    let asked = match profile {
        Some(p) => p.to_owned(),
        None => match std::env::var("AWS_PROFILE") {
            Ok(p) if !p.is_empty() => p,
            _ => return Ok(()),
        },
    };
    let profiles = aws_config::profile::load(
        &aws_types::os_shim_internal::Fs::real(),
        &aws_types::os_shim_internal::Env::real(),
        &aws_runtime::env_config::file::EnvConfigFiles::default(),
        None,
    )
    .await;
    match profiles {
        Ok(set) if set.get_profile(&asked).is_none() => Err(ConfigError::ProfileNotFound(asked)),
        // A file that cannot be read or parsed is reported where it is used.
        _ => Ok(()),
    }
}

/// `AWS_CA_BUNDLE`, else the selected profile's `ca_bundle`.
async fn configured_ca_bundle(profile: Option<&str>) -> Option<std::path::PathBuf> {
    if let Some(path) = std::env::var_os("AWS_CA_BUNDLE").filter(|v| !v.is_empty()) {
        return Some(path.into());
    }
    profile_setting(profile, "ca_bundle")
        .await
        .filter(|v| !v.is_empty())
        .map(Into::into)
}

/// A setting of the selected profile (`profile`, else `AWS_PROFILE`, else `default`)
/// in the shared config and credentials files, e.g. `output` or `cli_pager`; `None`
/// when the files or the setting are missing.
pub async fn profile_setting(profile: Option<&str>, key: &str) -> Option<String> {
    let profiles = aws_config::profile::load(
        &aws_types::os_shim_internal::Fs::real(),
        &aws_types::os_shim_internal::Env::real(),
        &aws_runtime::env_config::file::EnvConfigFiles::default(),
        profile.map(|p| std::borrow::Cow::Owned(p.to_owned())),
    )
    .await
    .ok()?;
    profiles.get(key).map(str::to_owned)
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

    async fn attempt<Op: HttpOperation>(
        &self,
        parts: &http::request::Parts,
        endpoint: &endpoint::ResolvedEndpoint,
        url: &str,
        body: &[u8],
        number: u32,
    ) -> Result<Op::Output, (SdkError<Op::Error>, Option<Option<Duration>>)> {
        // (error, Some(retry_after)) when the error is worth retrying.
        let mut request = http::Request::builder()
            .method(parts.method.clone())
            .uri(url);
        for (name, value) in &parts.headers {
            request = request.header(name, value);
        }
        for (name, value) in &endpoint.headers {
            request = request.header(name, value);
        }
        let mut request = request
            .body(body.to_vec())
            .map_err(|e| (SdkError::Transport(format!("invalid request: {e}")), None))?;
        self.sign(Op::SERVICE, endpoint, &mut request)
            .await
            .map_err(|e| {
                let error = match e {
                    SignFailure::NoCredentials => SdkError::NoCredentials,
                    SignFailure::Other(message) => SdkError::Credentials(message),
                };
                (error, None)
            })?;
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
        let response = self.inner.transport.send(request).await.map_err(|e| {
            report(None, Vec::new(), 0, Some(&e.to_string()));
            let retry = e.kind.is_retryable().then_some(None);
            (SdkError::Transport(e.to_string()), retry)
        })?;
        let (head, body) = response.into_parts();
        report(
            Some(head.status.as_u16()),
            redacted_headers(&head.headers),
            body.len(),
            None,
        );
        // The default transport enforces the limit while reading; this covers others.
        if body.len() as u64 > self.inner.max_body {
            return Err((
                SdkError::Transport(format!(
                    "response too large: the response body ({} bytes) is larger than the limit of {} bytes",
                    body.len(),
                    self.inner.max_body
                )),
                None,
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
                None,
            ));
        }
        if status.is_success() {
            return Op::deserialize(&head, &body).map_err(|e| (SdkError::Response(e), None));
        }
        let (code, message) = apigw_runtime::http::error_code_and_message(&head, &body);
        let code = code.unwrap_or_else(|| default_code(status.as_u16()).to_owned());
        let retryable = matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
            || THROTTLING_CODES.contains(&code.as_str());
        let retry_after = head
            .headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let request_id = head
            .headers
            .get("x-amzn-requestid")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let error = Op::deserialize_error(&code, message.as_deref(), &head, &body);
        Err((
            SdkError::Service {
                error,
                status: status.as_u16(),
                request_id,
            },
            retryable.then_some(retry_after),
        ))
    }

    async fn sign(
        &self,
        service: &ServiceInfo,
        endpoint: &endpoint::ResolvedEndpoint,
        request: &mut http::Request<Vec<u8>>,
    ) -> Result<(), SignFailure> {
        let provider = match &self.inner.credentials {
            CredentialSource::Anonymous => return Ok(()),
            CredentialSource::Provider(p) => p,
        };
        let credentials = provider.provide_credentials().await.map_err(|e| match e {
            aws_credential_types::provider::error::CredentialsError::CredentialsNotLoaded(_) => {
                SignFailure::NoCredentials
            }
            // One line: a provider's report may span several.
            e => SignFailure::Other(format!(
                "Unable to locate credentials: {}",
                error_chain(&e)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
        })?;
        let identity: aws_smithy_runtime_api::client::identity::Identity = credentials.into();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            // The endpoint's auth scheme may sign for another name or region (a global
            // endpoint signed for its home region, a FIPS host).
            .region(
                endpoint
                    .signing_region
                    .as_deref()
                    .unwrap_or(&self.inner.endpoints.region),
            )
            .name(
                endpoint
                    .signing_name
                    .as_deref()
                    .unwrap_or(service.signing_name),
            )
            .time(SystemTime::now())
            .settings(aws_sigv4::http_request::SigningSettings::default())
            .build()
            .map_err(|e| SignFailure::Other(format!("cannot sign: {e}")))?
            .into();
        let headers: Vec<(&str, &str)> = request
            .headers()
            .iter()
            .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str(), v)))
            .collect();
        let signable = aws_sigv4::http_request::SignableRequest::new(
            request.method().as_str(),
            request.uri().to_string(),
            headers.into_iter(),
            aws_sigv4::http_request::SignableBody::Bytes(request.body()),
        )
        .map_err(|e| SignFailure::Other(format!("cannot sign: {e}")))?;
        let (instructions, _signature) = aws_sigv4::http_request::sign(signable, &params)
            .map_err(|e| SignFailure::Other(format!("cannot sign: {e}")))?
            .into_parts();
        instructions.apply_to_request_http1x(request);
        Ok(())
    }
}

/// Error codes that mean "slow down", whatever the status.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// The code of an error response that carries none, as botocore names them.
fn default_code(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        403 => "Forbidden",
        404 => "NotFound",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => "Unknown",
    }
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
        let retry = self.inner.retry;
        let mut attempt = 1;
        loop {
            let result = self
                .attempt::<Op>(&parts, &endpoint, &url, &body, attempt)
                .await;
            let delay = match &result {
                Err((_, Some(retry_after))) if attempt < retry.max_attempts.max(1) => {
                    Some(retry.backoff(attempt, *retry_after))
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
                (Ok(output), _) => return Ok(output),
                (Err(_), Some(delay)) => {
                    tokio::time::sleep(delay).await;
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
    fn backoff_grows_with_jitter_and_honours_retry_after() {
        let retry = RetryConfig {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
        };
        for _ in 0..100 {
            assert!(retry.backoff(1, None) <= Duration::from_millis(100));
            assert!(retry.backoff(3, None) <= Duration::from_millis(400));
            assert!(retry.backoff(10, None) <= Duration::from_secs(1));
            assert!(
                retry.backoff(1, Some(Duration::from_millis(700))) >= Duration::from_millis(700)
            );
        }
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

#[cfg(test)]
mod redaction_tests {
    use super::redact_header;

    #[test]
    fn the_access_key_signature_and_session_token_are_redacted() {
        let auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/apigateway/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef";
        assert_eq!(
            redact_header("Authorization", auth),
            "AWS4-HMAC-SHA256 Credential=<redacted>, SignedHeaders=host;x-amz-date, Signature=<redacted>"
        );
        assert_eq!(
            redact_header("x-amz-security-token", "FQoGZXIvYXdzE"),
            "<redacted>"
        );
        assert_eq!(
            redact_header("x-amz-date", "20261125T000000Z"),
            "20261125T000000Z"
        );
    }
}
