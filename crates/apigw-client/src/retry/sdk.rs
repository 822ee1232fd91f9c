//! Every retry constant that must equal the AWS SDKs', in one place, with where it
//! comes from. The reference is botocore 1.43 (`botocore/retries/standard.py`,
//! `adaptive.py`, `bucket.py`, `throttling.py`, `quota.py`, `data/_retry.json`), the
//! version the test suite compares against side by side; the adaptive figures are the
//! ones every SDK shares (the cross-SDK rate-limiter vectors in our tests pass
//! unchanged).

use std::time::Duration;

/// Attempts in all, the first included, in standard and adaptive modes.
pub const STANDARD_MAX_ATTEMPTS: u32 = 3;
/// Attempts in all in legacy mode (`_retry.json`'s `max_attempts`).
pub const LEGACY_MAX_ATTEMPTS: u32 = 5;

/// Standard backoff: `rand(0, 1) * min(base * 2^(attempt - 1), MAX_BACKOFF)`, with this
/// base for a throttling error...
pub const THROTTLING_BACKOFF_BASE: Duration = Duration::from_secs(1);
/// ... and this one for any other retryable error.
pub const TRANSIENT_BACKOFF_BASE: Duration = Duration::from_millis(50);
/// The longest standard backoff.
pub const MAX_BACKOFF: Duration = Duration::from_secs(20);
/// Legacy backoff: `rand(0, 1) * LEGACY_BACKOFF_BASE * 2^(attempt - 1)`, uncapped.
pub const LEGACY_BACKOFF_BASE: Duration = Duration::from_secs(1);

/// The header in which a service names the delay it wants before a retry, in
/// milliseconds.
pub const RETRY_AFTER_HEADER: &str = "x-amz-retry-after";
/// A service's `x-amz-retry-after` raises the delay to at most this much more than
/// the computed backoff.
pub const RETRY_AFTER_MAX_ADDITIONAL: Duration = Duration::from_secs(5);

/// The retry quota: capacity at the start and at most.
pub const QUOTA_CAPACITY: u32 = 500;
/// What a retry after a non-throttling error takes from the quota.
pub const QUOTA_RETRY_COST: u32 = 14;
/// What a retry after a throttling error takes from the quota.
pub const QUOTA_THROTTLING_RETRY_COST: u32 = 5;
/// What a call that succeeds at once gives back (a call that succeeds after a retry
/// gives back what its last retry took).
pub const QUOTA_NO_RETRY_INCREMENT: u32 = 1;

/// Adaptive mode, CUBIC: the scale constant `C`.
pub const CUBIC_SCALE: f64 = 0.4;
/// Adaptive mode, CUBIC: the multiplicative decrease `beta` on a throttle.
pub const CUBIC_BETA: f64 = 0.7;
/// Adaptive mode: the send rate never rises above this multiple of the measured rate.
pub const MAX_RATE_ADJUST_SCALE: f64 = 2.0;
/// Adaptive mode: the token bucket's lowest fill rate (requests per second).
pub const MIN_FILL_RATE: f64 = 0.5;
/// Adaptive mode: the weight of the newest measurement of the send rate.
pub const RATE_SMOOTHING: f64 = 0.8;
/// Adaptive mode: the send rate is measured over buckets of this many seconds.
pub const RATE_TIME_BUCKET: f64 = 0.5;

/// Error codes that mean "slow down", at any status.
pub const THROTTLING_CODES: &[&str] = &[
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

/// Error codes of failures that may pass, at any status.
pub const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

/// Statuses of failures that may pass.
pub const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// The status that means "slow down" when the error code is not one the operation
/// models.
pub const THROTTLING_STATUS: u16 = 429;

/// Legacy mode: statuses retried whatever the code.
pub const LEGACY_STATUSES: &[u16] = &[429, 500, 502, 503, 504, 509];
/// Legacy mode: codes retried when they come with a 400.
pub const LEGACY_CODES_AT_400: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "ProvisionedThroughputExceededException",
];

/// The header naming one call across its attempts (a fresh UUID v4 per call).
pub const INVOCATION_ID_HEADER: &str = "amz-sdk-invocation-id";
/// The header `attempt=N; max=M` (with `ttl=` once the server's clock is known).
pub const REQUEST_HEADER: &str = "amz-sdk-request";
