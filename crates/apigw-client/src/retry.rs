//! Whether and when a failed attempt is tried again: the retry policy, the decision as
//! a named value ([`RetryAction`]), and the error codes that mean "slow down".

use std::time::Duration;

use crate::transport::TransportErrorKind;

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

/// Why an attempt may be tried again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryReason {
    /// The service asked to slow down (429, or a throttling error code).
    Throttling,
    /// A server error that may pass (500, 502, 503, 504).
    ServerError,
    /// No response, for a reason that may pass (refused connection, timeout, broken
    /// exchange).
    Transient,
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryAction {
    /// Try again (if attempts remain), waiting at least `retry_after` when the service
    /// named a delay.
    RetryIndicated {
        /// Why.
        reason: RetryReason,
        /// The service's `Retry-After`, if it sent one.
        retry_after: Option<Duration>,
    },
    /// Never try again: the request is wrong, unsigned, redirected, too large, or the
    /// service refused it for good.
    RetryForbidden,
}

impl RetryAction {
    /// The decision for an error response: `status`, its error `code` and the
    /// `Retry-After` it sent.
    pub fn for_response(status: u16, code: &str, retry_after: Option<Duration>) -> Self {
        let reason = if status == 429 || THROTTLING_CODES.contains(&code) {
            RetryReason::Throttling
        } else if matches!(status, 500 | 502 | 503 | 504) {
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
}

/// Error codes that mean "slow down", whatever the status.
pub(crate) const THROTTLING_CODES: &[&str] = &[
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn throttling_and_server_errors_are_retried_the_rest_is_not() {
        let retried = |status, code| {
            matches!(
                RetryAction::for_response(status, code, None),
                RetryAction::RetryIndicated { .. }
            )
        };
        assert!(retried(429, "TooManyRequestsException"));
        assert!(
            retried(400, "ThrottlingException"),
            "a throttling code at any status"
        );
        assert!(retried(503, "ServiceUnavailable"));
        assert!(!retried(400, "BadRequestException"));
        assert!(!retried(404, "NotFoundException"));
        assert_eq!(
            RetryAction::for_response(429, "X", Some(Duration::from_secs(2))),
            RetryAction::RetryIndicated {
                reason: RetryReason::Throttling,
                retry_after: Some(Duration::from_secs(2))
            }
        );
        assert_eq!(
            RetryAction::for_transport(TransportErrorKind::Tls),
            RetryAction::RetryForbidden
        );
    }
}
