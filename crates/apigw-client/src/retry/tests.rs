//! The retry policy against the SDKs' published vectors (botocore 1.43's
//! `tests/unit/retries/test_standard_retry_v2_1.py` and `_retry.json`).

use super::*;

fn close(a: Duration, b: f64) -> bool {
    (a.as_secs_f64() - b).abs() < 1e-9
}

fn error(status: u16, code: &str) -> ErrorResponse<'_> {
    ErrorResponse {
        status,
        code,
        modeled: ModeledRetry::Unmodeled,
        retry_after: None,
    }
}

#[test]
fn standard_backoff_doubles_from_its_base_up_to_20_s() {
    let standard = RetryConfig::default();
    let transient: Vec<f64> = (1..12)
        .map(|n| {
            standard
                .backoff(n, RetryReason::ServerError, None, 1.0)
                .as_secs_f64()
        })
        .collect();
    let expected = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 20.0, 20.0];
    for (got, want) in transient.iter().zip(expected) {
        assert!((got - want).abs() < 1e-9, "{transient:?}");
    }
    let throttled: Vec<f64> = (1..8)
        .map(|n| {
            standard
                .backoff(n, RetryReason::Throttling, None, 1.0)
                .as_secs_f64()
        })
        .collect();
    assert_eq!(throttled, [1.0, 2.0, 4.0, 8.0, 16.0, 20.0, 20.0]);
    assert!(close(
        standard.backoff(3, RetryReason::Throttling, None, 0.25),
        1.0
    ));
    assert_eq!(
        standard.backoff(5, RetryReason::Transient, None, 0.0),
        Duration::ZERO
    );
}

#[test]
fn x_amz_retry_after_raises_the_delay_by_at_most_5_s() {
    let standard = RetryConfig::default();
    // botocore's vectors: (header, delay) for a 500 on attempt 1 with jitter 1.
    for (header, expected) in [
        ("1500", 1.5),
        ("0", 0.05),
        ("10000", 5.05),
        ("invalid", 0.05),
        ("-5", 0.05),
    ] {
        let after = parse_retry_after(header);
        let delay = standard.backoff(1, RetryReason::ServerError, after, 1.0);
        assert!(close(delay, expected), "{header}: {delay:?}");
    }
    let legacy = RetryConfig::mode(RetryMode::Legacy);
    assert!(close(
        legacy.backoff(
            1,
            RetryReason::Throttling,
            Some(Duration::from_secs(9)),
            1.0
        ),
        1.0
    ));
}

#[test]
fn legacy_backoff_is_rand_times_two_to_the_attempt_uncapped() {
    let legacy = RetryConfig::mode(RetryMode::Legacy);
    assert_eq!(legacy.max_attempts, 5);
    let delays: Vec<f64> = (1..=6)
        .map(|n| {
            legacy
                .backoff(n, RetryReason::ServerError, None, 1.0)
                .as_secs_f64()
        })
        .collect();
    assert_eq!(delays, [1.0, 2.0, 4.0, 8.0, 16.0, 32.0]);
    assert!(close(
        legacy.backoff(2, RetryReason::Throttling, None, 0.5),
        1.0
    ));
    assert_eq!(
        legacy.backoff(u32::MAX, RetryReason::Throttling, None, 1.0),
        Duration::MAX
    );
}

#[test]
fn standard_mode_retries_what_the_sdks_retry() {
    let standard = |e: &ErrorResponse<'_>| RetryAction::for_response(RetryMode::Standard, e);
    let reason = |e: &ErrorResponse<'_>| match standard(e) {
        RetryAction::RetryIndicated { reason, .. } => Some(reason),
        RetryAction::RetryForbidden => None,
    };
    assert_eq!(
        reason(&error(429, "TooManyRequestsException")),
        Some(RetryReason::Throttling)
    );
    assert_eq!(
        reason(&error(400, "ThrottlingException")),
        Some(RetryReason::Throttling),
        "a throttling code at any status"
    );
    assert_eq!(
        reason(&error(429, "TooManyRequests")),
        Some(RetryReason::Throttling),
        "an unmodeled 429"
    );
    assert_eq!(
        reason(&error(503, "ServiceUnavailable")),
        Some(RetryReason::ServerError)
    );
    assert_eq!(
        reason(&error(400, "RequestTimeout")),
        Some(RetryReason::ServerError),
        "a transient code at any status"
    );
    assert_eq!(reason(&error(400, "BadRequestException")), None);
    assert_eq!(reason(&error(404, "NotFoundException")), None);
    assert_eq!(reason(&error(509, "Whatever")), None, "509 is legacy only");
    // The model decides for the errors it lists.
    let modeled = |modeled| ErrorResponse {
        modeled,
        ..error(429, "QuotaError")
    };
    assert_eq!(reason(&modeled(ModeledRetry::NotRetryable)), None);
    assert_eq!(
        reason(&modeled(ModeledRetry::Transient)),
        Some(RetryReason::ServerError)
    );
    assert_eq!(
        reason(&modeled(ModeledRetry::Throttling)),
        Some(RetryReason::Throttling)
    );
    let retry_after = Some(Duration::from_millis(1500));
    assert_eq!(
        standard(&ErrorResponse {
            retry_after,
            ..error(500, "InternalServerError")
        }),
        RetryAction::RetryIndicated {
            reason: RetryReason::ServerError,
            retry_after
        }
    );
    assert_eq!(
        RetryAction::for_transport(TransportErrorKind::Tls),
        RetryAction::RetryForbidden
    );
    assert!(!RetryAction::for_transport(TransportErrorKind::Timeout).is_throttling());
}

#[test]
fn legacy_mode_retries_what_retry_json_lists() {
    let legacy = |status, code| {
        RetryAction::for_response(RetryMode::Legacy, &error(status, code))
            != RetryAction::RetryForbidden
    };
    for status in [429, 500, 502, 503, 504, 509] {
        assert!(legacy(status, "Anything"), "{status}");
    }
    assert!(legacy(400, "ThrottlingException"));
    assert!(legacy(400, "ProvisionedThroughputExceededException"));
    assert!(
        !legacy(400, "TooManyRequestsException"),
        "not in legacy's list at 400"
    );
    assert!(!legacy(403, "ThrottlingException"), "only with a 400");
    assert!(!legacy(400, "RequestTimeout"));
}

#[test]
fn quota_costs_follow_the_error() {
    assert_eq!(RetryConfig::quota_cost(RetryReason::Throttling), 5);
    assert_eq!(RetryConfig::quota_cost(RetryReason::ServerError), 14);
    assert_eq!(RetryConfig::quota_cost(RetryReason::Transient), 14);
}

#[test]
fn modes_parse_as_config_files_spell_them() {
    for mode in [RetryMode::Legacy, RetryMode::Standard, RetryMode::Adaptive] {
        assert_eq!(RetryMode::parse(mode.name()), Some(mode));
    }
    assert_eq!(RetryMode::parse("Standard"), None);
    assert_eq!(RetryMode::default(), RetryMode::Standard);
}

#[test]
fn the_request_header_names_the_attempt() {
    assert_eq!(request_header(None, 1, Some(3)), "attempt=1; max=3");
    assert_eq!(request_header(None, 1, None), "attempt=1");
    assert_eq!(
        request_header(Some("20261206T061500Z"), 2, Some(3)),
        "ttl=20261206T061500Z; attempt=2; max=3"
    );
}

#[test]
fn a_max_rate_parses_and_paces() {
    assert_eq!(
        MaxRate::parse("10/40"),
        Ok(MaxRate {
            rate: 10.0,
            burst: 40.0
        })
    );
    assert_eq!(
        MaxRate::parse("0.5"),
        Ok(MaxRate {
            rate: 0.5,
            burst: 1.0
        })
    );
    for bad in ["", "0", "-1", "x/2", "10/0", "nan", "inf"] {
        let err = MaxRate::parse(bad).unwrap_err();
        assert!(err.contains("--max-rate"), "{bad}: {err}");
    }
    let mut bucket = FixedBucket::new(MaxRate::parse("10/2").unwrap());
    assert_eq!(bucket.acquire(0.0), Duration::ZERO);
    assert_eq!(bucket.acquire(0.0), Duration::ZERO);
    assert!(close(bucket.acquire(0.0), 0.1));
    assert!(close(bucket.acquire(0.0), 0.2), "reservations queue");
    // A second later the bucket is full again (2 tokens, not 10).
    assert_eq!(bucket.acquire(1.3), Duration::ZERO);
    assert_eq!(bucket.acquire(1.3), Duration::ZERO);
    assert!(bucket.acquire(1.3) > Duration::ZERO);
}
