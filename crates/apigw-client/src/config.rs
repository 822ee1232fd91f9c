//! Building a client: the builder, settings from the environment and the shared
//! config and credentials files, and what can go wrong doing so.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;

use crate::hooks::{Attempt, AttemptHook, Exchange, ExchangeHook};
use crate::retry::{FixedBucket, MaxRate, RetryMode, RetryScopes, SharedClock, SystemClock};
use crate::transport::{self, Transport};
use crate::{Client, CredentialSource, Inner, RetryConfig, endpoint};

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
    /// The partition table of `APIGW_PARTITIONS_FILE` cannot be read.
    #[error("{0}")]
    Partitions(String),
    /// The service's endpoint rules give no endpoint for these settings (the rule
    /// set's own message, e.g. `FIPS is enabled but this partition does not support
    /// FIPS`).
    #[error("{0}")]
    EndpointRules(String),
    /// A retry setting that cannot be used (`AWS_RETRY_MODE`, `AWS_MAX_ATTEMPTS`, the
    /// profile's `retry_mode` or `max_attempts`), naming its source.
    #[error("{0}")]
    Retry(String),
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
    retry: Option<RetryConfig>,
    retry_mode: Option<RetryMode>,
    default_retry_mode: Option<RetryMode>,
    max_attempts: Option<u32>,
    retry_scopes: Option<RetryScopes>,
    clock: Option<SharedClock>,
    max_rate: Option<MaxRate>,
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
    endpoint_params: apigw_runtime::endpoint::Params,
}

/// The environment variable naming a partition table (the AWS SDKs' `partitions.json`
/// form) that replaces the built-in one.
pub const PARTITIONS_FILE: &str = "APIGW_PARTITIONS_FILE";

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

    /// The whole retry policy (mode, attempts, backoff): the environment and profile
    /// settings are then not read. [`Self::retry_mode`] and [`Self::max_attempts`]
    /// set one part each instead.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The retry mode (else `AWS_RETRY_MODE`, else the profile's `retry_mode`, else
    /// standard).
    pub fn retry_mode(mut self, mode: RetryMode) -> Self {
        self.retry_mode = Some(mode);
        self
    }

    /// The retry mode when neither the builder, the environment nor the profile sets
    /// one (the CLI's fan-out defaults to adaptive this way).
    pub fn default_retry_mode(mut self, mode: RetryMode) -> Self {
        self.default_retry_mode = Some(mode);
        self
    }

    /// Attempts per call, the first included (else `AWS_MAX_ATTEMPTS`, else the
    /// profile's `max_attempts`, else the mode's default: 3, legacy 5).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// The registry whose scopes (retry quota, adaptive rate limiter) this client
    /// shares (default: the process-wide [`RetryScopes::global`]).
    pub fn retry_scopes(mut self, scopes: RetryScopes) -> Self {
        self.retry_scopes = Some(scopes);
        self
    }

    /// The clock of retries: time, sleeps, jitter (default [`SystemClock`]).
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// At most `limit.rate` requests per second from this client, in bursts of at most
    /// `limit.burst`, whatever the mode (attempts wait their turn).
    pub fn max_rate(mut self, limit: MaxRate) -> Self {
        self.max_rate = Some(limit);
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
    /// [`apigw_runtime::endpoint::Partitions::builtin`]) or the one named by
    /// `APIGW_PARTITIONS_FILE`.
    pub fn partitions(mut self, partitions: apigw_runtime::endpoint::Partitions) -> Self {
        self.partitions = Some(Arc::new(partitions));
        self
    }

    /// Sets an endpoint rule parameter that no built-in fills: a service's
    /// `@clientContextParams` (e.g. `UseArnRegion`, `AccountIdEndpointMode`), for every
    /// request of this client. An operation's own context parameters win over it.
    pub fn endpoint_param(
        mut self,
        name: impl AsRef<str>,
        value: apigw_runtime::endpoint::Value,
    ) -> Self {
        self.endpoint_params.set(name.as_ref(), Some(value));
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
        // Retries are ours (`resolve_retry`): the loader must not read AWS_RETRY_MODE
        // itself, as it knows only `standard` and panics on `adaptive` or `legacy`.
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .retry_config(aws_config::retry::RetryConfig::disabled());
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
        // A partition table named in the environment replaces the built-in one; one that
        // cannot be read is refused here, never silently ignored.
        let partitions = match self.partitions {
            Some(table) => Some(table),
            None => match std::env::var_os(PARTITIONS_FILE).filter(|v| !v.is_empty()) {
                Some(path) => Some(Arc::new(
                    apigw_runtime::endpoint::Partitions::from_file(std::path::Path::new(&path))
                        .map_err(|e| ConfigError::Partitions(format!("{PARTITIONS_FILE}: {e}")))?,
                )),
                None => None,
            },
        };
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
        let retry = resolve_retry(
            self.retry,
            self.retry_mode,
            self.default_retry_mode,
            self.max_attempts,
            self.profile.as_deref(),
        )
        .await?;
        let read_timeout =
            transport::effective_timeout(self.read_timeout.unwrap_or(Duration::from_secs(60)));
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
                    read_timeout,
                    max_body,
                    ca_bundle,
                };
                Box::new(transport::Reqwest::new(&settings).map_err(ConfigError::Http)?)
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                endpoints: endpoint::Endpoints {
                    region,
                    endpoint_override: self.endpoint_url,
                    use_fips: self.use_fips.or(sdk_config.use_fips()).unwrap_or(false),
                    use_dual_stack: self
                        .use_dual_stack
                        .or(sdk_config.use_dual_stack())
                        .unwrap_or(false),
                    partitions,
                    client_params: self.endpoint_params,
                    sdk_config,
                    on_endpoint: self.on_endpoint,
                    cache: Default::default(),
                },
                credentials,
                retry,
                scopes: self.retry_scopes.unwrap_or_else(RetryScopes::global),
                clock: self
                    .clock
                    .unwrap_or_else(|| Arc::new(SystemClock::default())),
                max_rate: self
                    .max_rate
                    .map(|l| std::sync::Mutex::new(FixedBucket::new(l))),
                read_timeout,
                max_body,
                on_attempt: self.on_attempt,
                on_exchange: self.on_exchange,
            }),
        })
    }
}

/// The retry policy: what the builder set, else the environment, else the profile.
async fn resolve_retry(
    explicit: Option<RetryConfig>,
    mode: Option<RetryMode>,
    default_mode: Option<RetryMode>,
    attempts: Option<u32>,
    profile: Option<&str>,
) -> Result<RetryConfig, ConfigError> {
    if let Some(config) = explicit {
        return Ok(match attempts {
            Some(n) => config.with_max_attempts(n),
            None => config,
        });
    }
    let mode = match mode {
        Some(mode) => mode,
        None => match setting("AWS_RETRY_MODE", profile, "retry_mode").await {
            None => default_mode.unwrap_or_default(),
            Some((value, source)) => RetryMode::parse(&value).ok_or_else(|| {
                ConfigError::Retry(format!(
                    "invalid retry mode {value:?} (from {source}): expected legacy, standard or adaptive"
                ))
            })?,
        },
    };
    let attempts = match attempts {
        Some(n) => n,
        None => match setting("AWS_MAX_ATTEMPTS", profile, "max_attempts").await {
            None => mode.default_max_attempts(),
            Some((value, source)) => match value.trim().parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    return Err(ConfigError::Retry(format!(
                        "invalid max attempts {value:?} (from {source}): expected a whole number of at least 1"
                    )));
                }
            },
        },
    };
    if attempts == 0 {
        return Err(ConfigError::Retry(
            "invalid max attempts 0: expected a whole number of at least 1".to_owned(),
        ));
    }
    Ok(RetryConfig::mode(mode).with_max_attempts(attempts))
}

/// A setting from environment variable `env`, else the profile's `key`, with where it
/// came from.
async fn setting(env: &str, profile: Option<&str>, key: &str) -> Option<(String, String)> {
    if let Some(value) = std::env::var(env).ok().filter(|v| !v.is_empty()) {
        return Some((value, env.to_owned()));
    }
    profile_setting(profile, key)
        .await
        .filter(|v| !v.is_empty())
        .map(|v| (v, format!("the profile's {key}")))
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
