//! Whether and when a failed attempt is tried again, as the AWS SDKs decide it: the
//! three retry modes ([`RetryMode`]), each decision a named value ([`RetryAction`]),
//! the backoff, the shared retry quota and adaptive mode's rate limiter. Every constant
//! is in [`sdk`], with its source.

pub mod adaptive;
pub mod clock;
pub mod quota;
pub mod scope;
pub mod sdk;

use std::time::Duration;

use apigw_runtime::http::ModeledRetry;

use crate::transport::TransportErrorKind;

pub use clock::{Clock, ManualClock, SharedClock, SystemClock};
pub use scope::RetryScopes;

/// How failed attempts are retried (`retry_mode` in the profile, `AWS_RETRY_MODE`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RetryMode {
    /// The SDKs' first policy: 5 attempts, `rand * 2^(n-1)` seconds, no quota.
    Legacy,
    /// The default (as AWS CLI v2 and current SDKs): 3 attempts, capped exponential
    /// backoff with full jitter (1 s base after a throttle, 50 ms otherwise), the
    /// `x-amz-retry-after` header, and a retry quota shared per scope.
    #[default]
    Standard,
    /// Standard, plus a client-side rate limiter (CUBIC) shared per scope that slows
    /// every request down once the service throttles.
    Adaptive,
}

impl RetryMode {
    /// The mode named `name` (`legacy`, `standard`, `adaptive`, as the AWS config
    /// files spell them).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "legacy" => Some(Self::Legacy),
            "standard" => Some(Self::Standard),
            "adaptive" => Some(Self::Adaptive),
            _ => None,
        }
    }

    /// The name in config files.
    pub fn name(self) -> &'static str {
        match self {
            Self::Legacy => "legacy",
            Self::Standard => "standard",
            Self::Adaptive => "adaptive",
        }
    }

    /// Attempts in all when none is configured.
    pub fn default_max_attempts(self) -> u32 {
        match self {
            Self::Legacy => sdk::LEGACY_MAX_ATTEMPTS,
            Self::Standard | Self::Adaptive => sdk::STANDARD_MAX_ATTEMPTS,
        }
    }
}

/// The retry policy. [`Default`] is standard mode with the SDKs' constants; the
/// backoff bases are settable (tests shorten them), nothing else about the policy is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// The mode.
    pub mode: RetryMode,
    /// Tries in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// The backoff base after a throttle (standard, adaptive) and after any error
    /// (legacy); it doubles each retry.
    pub throttling_backoff: Duration,
    /// The backoff base after other errors (standard, adaptive).
    pub transient_backoff: Duration,
    /// The longest backoff (standard, adaptive; legacy has no cap).
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::mode(RetryMode::Standard)
    }
}

impl RetryConfig {
    /// The SDKs' policy for `mode`.
    pub fn mode(mode: RetryMode) -> Self {
        Self {
            mode,
            max_attempts: mode.default_max_attempts(),
            throttling_backoff: match mode {
                RetryMode::Legacy => sdk::LEGACY_BACKOFF_BASE,
                _ => sdk::THROTTLING_BACKOFF_BASE,
            },
            transient_backoff: sdk::TRANSIENT_BACKOFF_BASE,
            max_backoff: sdk::MAX_BACKOFF,
        }
    }

    /// With `n` attempts in all.
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n;
        self
    }

    /// With both backoff bases set to `base` and the cap to `max` (tests use short
    /// ones).
    pub fn with_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.throttling_backoff = base;
        self.transient_backoff = base;
        self.max_backoff = max;
        self
    }

    /// The delay before retry number `retry` (1-based) after an error of `reason`,
    /// with `jitter` in `[0, 1)`: standard `jitter * min(base * 2^(retry-1), max)`,
    /// raised to the service's `x-amz-retry-after` but by at most 5 s; legacy
    /// `jitter * base * 2^(retry-1)`.
    pub fn backoff(
        &self,
        retry: u32,
        reason: RetryReason,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> Duration {
        let doubling = 2f64.powi(i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX));
        match self.mode {
            RetryMode::Legacy => {
                duration(jitter * self.throttling_backoff.as_secs_f64() * doubling)
            }
            RetryMode::Standard | RetryMode::Adaptive => {
                let base = match reason {
                    RetryReason::Throttling => self.throttling_backoff,
                    RetryReason::ServerError | RetryReason::Transient => self.transient_backoff,
                };
                let ceiling = (base.as_secs_f64() * doubling).min(self.max_backoff.as_secs_f64());
                let delay = duration(jitter * ceiling);
                match retry_after {
                    Some(after) => delay.max(after.min(delay + sdk::RETRY_AFTER_MAX_ADDITIONAL)),
                    None => delay,
                }
            }
        }
    }

    /// What a retry after an error of `reason` takes from the quota.
    pub fn quota_cost(reason: RetryReason) -> u32 {
        match reason {
            RetryReason::Throttling => sdk::QUOTA_THROTTLING_RETRY_COST,
            RetryReason::ServerError | RetryReason::Transient => sdk::QUOTA_RETRY_COST,
        }
    }
}

/// Seconds as a duration, saturating (an uncapped legacy backoff can be huge).
fn duration(seconds: f64) -> Duration {
    Duration::try_from_secs_f64(seconds.max(0.0)).unwrap_or(Duration::MAX)
}

/// Why an attempt may be tried again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryReason {
    /// The service asked to slow down (a throttling code, a modeled throttling error,
    /// or a 429 the operation does not model).
    Throttling,
    /// A server error that may pass (500, 502, 503, 504, or a transient code).
    ServerError,
    /// No response, for a reason that may pass (refused connection, timeout, broken
    /// exchange).
    Transient,
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryAction {
    /// Try again (if attempts and quota remain), waiting at least `retry_after` when
    /// the service named a delay.
    RetryIndicated {
        /// Why.
        reason: RetryReason,
        /// The service's `x-amz-retry-after`, if it sent one (standard and adaptive
        /// modes read it).
        retry_after: Option<Duration>,
    },
    /// Never try again: the request is wrong, unsigned, redirected, too large, or the
    /// service refused it for good.
    RetryForbidden,
}

/// An error response, as the retry decision sees it.
#[derive(Clone, Copy, Debug)]
pub struct ErrorResponse<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The error code (the status's default name when the response had none).
    pub code: &'a str,
    /// What the operation's model says about the error.
    pub modeled: ModeledRetry,
    /// The `x-amz-retry-after` header, parsed.
    pub retry_after: Option<Duration>,
}

impl RetryAction {
    /// The decision for an error response under `mode`.
    pub fn for_response(mode: RetryMode, response: &ErrorResponse<'_>) -> Self {
        let ErrorResponse {
            status,
            code,
            modeled,
            retry_after,
        } = *response;
        if mode == RetryMode::Legacy {
            let retried = sdk::LEGACY_STATUSES.contains(&status)
                || (status == 400 && sdk::LEGACY_CODES_AT_400.contains(&code));
            if !retried {
                return Self::RetryForbidden;
            }
            let reason = if status == 429 || sdk::LEGACY_CODES_AT_400.contains(&code) {
                RetryReason::Throttling
            } else {
                RetryReason::ServerError
            };
            return Self::RetryIndicated {
                reason,
                retry_after: None,
            };
        }
        let reason = if is_throttling(response) {
            RetryReason::Throttling
        } else if sdk::TRANSIENT_CODES.contains(&code)
            || sdk::TRANSIENT_STATUSES.contains(&status)
            || modeled == ModeledRetry::Transient
        {
            RetryReason::ServerError
        } else {
            return Self::RetryForbidden;
        };
        Self::RetryIndicated {
            reason,
            retry_after,
        }
    }

    /// The decision for an attempt that got no response.
    pub fn for_transport(kind: TransportErrorKind) -> Self {
        if kind.is_retryable() {
            Self::RetryIndicated {
                reason: RetryReason::Transient,
                retry_after: None,
            }
        } else {
            Self::RetryForbidden
        }
    }

    /// Whether this is a throttle (adaptive mode slows down on one).
    pub fn is_throttling(&self) -> bool {
        matches!(
            self,
            Self::RetryIndicated {
                reason: RetryReason::Throttling,
                ..
            }
        )
    }
}

/// A throttle, as the SDKs detect one: a throttling code; else what the model says
/// when it marks the error retryable; else a 429 whose code the operation does not
/// model.
pub fn is_throttling(response: &ErrorResponse<'_>) -> bool {
    if sdk::THROTTLING_CODES.contains(&response.code) {
        return true;
    }
    match response.modeled {
        ModeledRetry::Throttling => true,
        ModeledRetry::Transient => false,
        ModeledRetry::NotRetryable => false,
        ModeledRetry::Unmodeled => response.status == sdk::THROTTLING_STATUS,
    }
}

/// The `x-amz-retry-after` value (milliseconds): a delay, or nothing when absent,
/// negative or not a number.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_millis)
}

/// The code of an error response that carries none, as botocore names them.
pub(crate) fn default_code(status: u16) -> &'static str {
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

/// A fixed client-side rate (`--max-rate R/BURST`): a token bucket filling at `rate`
/// per second up to `burst`, full at the start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MaxRate {
    /// Requests per second.
    pub rate: f64,
    /// Requests that may go at once after an idle time.
    pub burst: f64,
}

impl MaxRate {
    /// `R` or `R/BURST` (the burst defaults to `R`, at least 1).
    pub fn parse(text: &str) -> Result<Self, String> {
        let (rate, burst) = match text.split_once('/') {
            Some((r, b)) => (r, Some(b)),
            None => (text, None),
        };
        let number = |s: &str, what: &str| match s.trim().parse::<f64>() {
            Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
            _ => Err(format!(
                "invalid --max-rate {text:?}: the {what} must be a positive number (R or R/BURST)"
            )),
        };
        let rate = number(rate, "rate")?;
        let burst = match burst {
            Some(b) => number(b, "burst")?.max(1.0),
            None => rate.max(1.0),
        };
        Ok(Self { rate, burst })
    }
}

/// The bucket of a [`MaxRate`], with reservations as [`adaptive::TokenBucket`].
#[derive(Debug)]
pub(crate) struct FixedBucket {
    limit: MaxRate,
    tokens: f64,
    last: Option<f64>,
}

impl FixedBucket {
    pub(crate) fn new(limit: MaxRate) -> Self {
        Self {
            limit,
            tokens: limit.burst,
            last: None,
        }
    }

    /// Takes a token at `now`: how long to wait first.
    pub(crate) fn acquire(&mut self, now: f64) -> Duration {
        if let Some(last) = self.last {
            self.tokens =
                (self.tokens + (now - last).max(0.0) * self.limit.rate).min(self.limit.burst);
        }
        self.last = Some(now);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.limit.rate)
        }
    }
}

/// The `amz-sdk-request` value of attempt `attempt`.
pub(crate) fn request_header(ttl: Option<&str>, attempt: u32, max: Option<u32>) -> String {
    let mut parts = Vec::with_capacity(3);
    if let Some(ttl) = ttl {
        parts.push(format!("ttl={ttl}"));
    }
    parts.push(format!("attempt={attempt}"));
    if let Some(max) = max {
        parts.push(format!("max={max}"));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests;
