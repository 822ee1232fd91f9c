//! Adaptive mode's client-side rate limiter: a token bucket whose fill rate follows
//! CUBIC congestion control (a throttle cuts the rate by `beta`; successes grow it
//! back along a cubic curve), bounded by twice the send rate actually measured. Off
//! until the first throttle. Every function takes the time, in seconds, so that the
//! arithmetic is tested exactly against the SDKs' published vectors.

use std::time::Duration;

use super::sdk;

/// CUBIC: the rate to send at, from the rate at the last throttle (`w_max`) and the
/// time since it.
#[derive(Clone, Debug, PartialEq)]
pub struct Cubic {
    w_max: f64,
    k: f64,
    last_fail: f64,
}

impl Cubic {
    /// Starting from rate `w_max` at time `start`.
    pub fn new(w_max: f64, start: f64) -> Self {
        Self {
            w_max,
            k: zero_point(w_max),
            last_fail: start,
        }
    }

    /// The time after a throttle at which the rate is back to `w_max`.
    pub fn k(&self) -> f64 {
        self.k
    }

    /// The rate after a success at `now`.
    pub fn success(&self, now: f64) -> f64 {
        sdk::CUBIC_SCALE * (now - self.last_fail - self.k).powi(3) + self.w_max
    }

    /// A throttle at `now` while sending at `rate`: the new rate.
    pub fn throttle(&mut self, rate: f64, now: f64) -> f64 {
        self.w_max = rate;
        self.k = zero_point(rate);
        self.last_fail = now;
        rate * sdk::CUBIC_BETA
    }
}

fn zero_point(w_max: f64) -> f64 {
    (w_max * (1.0 - sdk::CUBIC_BETA) / sdk::CUBIC_SCALE).cbrt()
}

/// The measured send rate: requests counted per time bucket, smoothed.
#[derive(Clone, Debug, PartialEq)]
pub struct RateClock {
    rate: f64,
    last_bucket: f64,
    count: u64,
}

impl RateClock {
    /// Measuring from time `now`.
    pub fn new(now: f64) -> Self {
        Self {
            rate: 0.0,
            last_bucket: now.floor(),
            count: 0,
        }
    }

    /// Counts one response at `now`; the smoothed rate.
    pub fn record(&mut self, now: f64) -> f64 {
        let scale = 1.0 / sdk::RATE_TIME_BUCKET;
        let bucket = (now * scale).floor() / scale;
        self.count += 1;
        if bucket > self.last_bucket {
            let current = self.count as f64 / (bucket - self.last_bucket);
            self.rate = current * sdk::RATE_SMOOTHING + self.rate * (1.0 - sdk::RATE_SMOOTHING);
            self.count = 0;
            self.last_bucket = bucket;
        }
        self.rate
    }

    /// The rate measured so far.
    pub fn rate(&self) -> f64 {
        self.rate
    }
}

/// A token bucket with a settable fill rate (at least [`sdk::MIN_FILL_RATE`]) whose
/// capacity is the rate (at least 1). A request takes one token; one that finds none
/// is told how long until there is one, waits, and asks again (as botocore's waiters
/// do), so a rate raised meanwhile takes effect at once.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenBucket {
    fill_rate: f64,
    max_capacity: f64,
    capacity: f64,
    last: Option<f64>,
}

impl TokenBucket {
    /// An empty bucket filling at `rate`.
    pub fn new(rate: f64) -> Self {
        let mut bucket = Self {
            fill_rate: sdk::MIN_FILL_RATE,
            max_capacity: 1.0,
            capacity: 0.0,
            last: None,
        };
        bucket.set_rate(rate, None);
        bucket
    }

    /// The fill rate.
    pub fn rate(&self) -> f64 {
        self.fill_rate
    }

    /// Tokens available now (negative: reserved by waiting requests).
    pub fn capacity(&self) -> f64 {
        self.capacity
    }

    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last {
            let filled = (now - last).max(0.0) * self.fill_rate;
            self.capacity = self.max_capacity.min(self.capacity + filled);
        }
        self.last = Some(now);
    }

    /// Sets the fill rate (and the capacity with it) at `now`.
    pub fn set_rate(&mut self, rate: f64, now: Option<f64>) {
        if let Some(now) = now {
            self.refill(now);
        }
        self.fill_rate = rate.max(sdk::MIN_FILL_RATE);
        self.max_capacity = if rate >= 1.0 { rate } else { 1.0 };
        self.capacity = self.capacity.min(self.max_capacity);
    }

    /// Takes a token at `now` if there is one (zero), else takes nothing and says how
    /// long until there is one.
    pub fn acquire(&mut self, now: f64) -> Duration {
        self.refill(now);
        if self.capacity >= 1.0 {
            self.capacity -= 1.0;
            Duration::ZERO
        } else {
            Duration::from_secs_f64((1.0 - self.capacity) / self.fill_rate)
        }
    }
}

/// Adaptive mode's limiter: off until a throttle, then every attempt waits for a
/// token.
#[derive(Clone, Debug, PartialEq)]
pub struct RateLimiter {
    cubic: Cubic,
    clock: RateClock,
    bucket: TokenBucket,
    enabled: bool,
}

impl RateLimiter {
    /// A limiter created at time `now`.
    pub fn new(now: f64) -> Self {
        Self {
            cubic: Cubic::new(0.0, now),
            clock: RateClock::new(now),
            bucket: TokenBucket::new(1.0),
            enabled: false,
        }
    }

    /// Before an attempt at `now`: zero when it may go (a token is taken), else how
    /// long to wait before asking again.
    pub fn before_send(&mut self, now: f64) -> Duration {
        if self.enabled {
            self.bucket.acquire(now)
        } else {
            Duration::ZERO
        }
    }

    /// After any response (or failure to get one) at `now`: adjusts the rate.
    pub fn after_response(&mut self, throttled: bool, now: f64) {
        let measured = self.clock.record(now);
        let rate = if throttled {
            let current = if self.enabled {
                measured.min(self.bucket.rate())
            } else {
                measured
            };
            self.enabled = true;
            self.cubic.throttle(current, now)
        } else {
            self.cubic.success(now)
        };
        self.bucket
            .set_rate(rate.min(sdk::MAX_RATE_ADJUST_SCALE * measured), Some(now));
    }

    /// Whether a throttle has switched the limiter on.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The measured send rate.
    pub fn measured_rate(&self) -> f64 {
        self.clock.rate()
    }

    /// The token bucket's fill rate.
    pub fn fill_rate(&self) -> f64 {
        self.bucket.rate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    /// botocore's CUBIC vectors (`tests/unit/retries/test_throttling.py`).
    #[test]
    fn cubic_matches_the_sdk_vectors() {
        let cubic = Cubic::new(10.0, 0.0);
        assert!(close(cubic.k(), 1.9574338205844317));
        assert!(cubic.success(cubic.k() / 3.0) <= 10.0);
        assert!(cubic.success(cubic.k() / 1.1) <= 10.0);
        assert!(close(cubic.success(cubic.k()), 10.0));
        assert!(cubic.success(cubic.k() * 1.1) >= 10.0);
        let mut cubic = Cubic::new(10.0, 0.0);
        assert!(close(cubic.throttle(8.0, 1.0), 8.0 * 0.7));
        assert!(close(cubic.k(), 1.8171205928321397));
        assert!(
            close(cubic.success(1.0), 5.6),
            "right after a throttle: beta * rate"
        );
    }

    /// The cross-SDK vectors of the rate after successes and throttles from a throttle
    /// at rate 10, t = 5 (aws-sdk-go-v2's `adaptive_ratelimit_test.go`, also in
    /// smithy-rs).
    #[test]
    fn cubic_rates_follow_the_published_sequence() {
        let cubic = Cubic::new(10.0, 5.0);
        for (t, expected) in [
            (5.0, 7.0),
            (6.0, 9.64893600966),
            (7.0, 10.000030849917364),
            (8.0, 10.453284520772092),
            (9.0, 13.408697022224185),
            (10.0, 21.26626835427364),
            (11.0, 36.425998516920465),
        ] {
            assert!(close(cubic.success(t), expected), "t={t}");
        }
        // This sequence records the rate after the decrease as the new `w_max` (the
        // published test's own convention), so each throttle restarts the curve there.
        let mut cubic = Cubic::new(10.0, 5.0);
        let mut rate = 0.0;
        for (throttled, t, expected) in [
            (false, 5.0, 7.0),
            (false, 6.0, 9.64893600966),
            (true, 7.0, 6.754255206761999),
            (true, 8.0, 4.727978644733399),
            (false, 9.0, 4.670125557970046),
            (false, 10.0, 4.770870456867401),
            (false, 11.0, 6.011819748005445),
            (false, 12.0, 10.792973431384178),
        ] {
            rate = if throttled {
                let decreased = cubic.throttle(rate, t);
                assert!(close(decreased, rate * sdk::CUBIC_BETA));
                cubic = Cubic::new(decreased, t);
                decreased
            } else {
                cubic.success(t)
            };
            assert!(close(rate, expected), "t={t}: {rate} != {expected}");
        }
    }

    /// botocore's rate-measurement vectors (`tests/unit/retries/test_adaptive.py`).
    #[test]
    fn the_send_rate_is_measured_per_half_second_and_smoothed() {
        let mut clock = RateClock::new(0.0);
        assert_eq!(clock.record(1.0), 0.8);
        let mut clock = RateClock::new(0.0);
        for t in 1..=20 {
            clock.record(f64::from(t));
        }
        assert!(close(clock.rate(), 1.0) || (clock.rate() - 1.0).abs() < 1e-6);
        let mut clock = RateClock::new(0.0);
        for t in [0.1, 0.2, 0.3, 0.4, 0.49] {
            clock.record(t);
        }
        assert_eq!(clock.rate(), 0.0, "still inside the first bucket");
        clock.record(0.5);
        assert!(close(clock.rate(), 12.0 * 0.8));
        let mut clock = RateClock::new(0.0);
        for t in [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0] {
            clock.record(t);
        }
        assert!((1.99..=2.0).contains(&clock.rate()));
        clock.record(14.0);
        assert!((0.1..=2.0).contains(&clock.rate()));
    }

    /// The cross-SDK vectors of the measured rate and the fill rate, a response every
    /// 0.2 s with throttles at 2.0 and 3.2 s (smithy-rs's `test_client_sending_rates`,
    /// from the SDKs' shared specification).
    #[test]
    fn the_limiter_matches_the_published_sending_rates() {
        let mut limiter = RateLimiter::new(0.0);
        let table = [
            (false, 0.2, 0.0, 0.5),
            (false, 0.4, 0.0, 0.5),
            (false, 0.6, 4.800000000000001, 0.5),
            (false, 0.8, 4.800000000000001, 0.5),
            (false, 1.0, 4.16, 0.5),
            (false, 1.2, 4.16, 0.6912),
            (false, 1.4, 4.16, 1.0975999999999997),
            (false, 1.6, 5.632000000000001, 1.6384000000000005),
            (false, 1.8, 5.632000000000001, 2.3328),
            (true, 2.0, 4.3264, 3.0284799999999996),
            (false, 2.2, 4.3264, 3.48663917347026),
            (false, 2.4, 4.3264, 3.821874416040255),
            (false, 2.6, 5.66528, 4.053385727709987),
            (false, 2.8, 5.66528, 4.200373108479454),
            (false, 3.0, 4.333056, 4.282036558348658),
            (true, 3.2, 4.333056, 2.99742559084406),
            (false, 3.4, 4.333056, 3.4522263943863463),
        ];
        for (throttled, t, measured, fill) in table {
            limiter.after_response(throttled, t);
            assert!(
                close(limiter.measured_rate(), measured),
                "t={t}: measured {} != {measured}",
                limiter.measured_rate()
            );
            assert!(
                close(limiter.fill_rate(), fill),
                "t={t}: fill {} != {fill}",
                limiter.fill_rate()
            );
        }
        assert!(limiter.enabled());
    }

    /// botocore's `ClientRateLimiter` unit tests: no waiting before the first throttle;
    /// the rate is capped at twice the measured rate.
    #[test]
    fn the_limiter_is_off_until_a_throttle_and_capped_by_the_measured_rate() {
        let mut limiter = RateLimiter::new(0.0);
        for i in 0..100 {
            assert_eq!(limiter.before_send(f64::from(i) * 0.001), Duration::ZERO);
        }
        limiter.after_response(true, 0.1);
        assert!(limiter.enabled());
        // Enabled with a rate of 0.5/s (the minimum), from an empty bucket: a send
        // waits 2 s for its token, and is let through once the time has passed.
        assert_eq!(limiter.before_send(0.1), Duration::from_secs(2));
        assert_eq!(limiter.before_send(0.1), Duration::from_secs(2));
        assert_eq!(limiter.before_send(2.1), Duration::ZERO);
        assert_eq!(limiter.before_send(2.1), Duration::from_secs(2));
        // A long run of successes: the fill rate never exceeds 2 x the measured rate.
        let mut limiter = RateLimiter::new(0.0);
        limiter.after_response(true, 0.0);
        for i in 1..200 {
            limiter.after_response(false, f64::from(i) * 0.05);
            assert!(limiter.fill_rate() <= (2.0 * limiter.measured_rate()).max(0.5) + 1e-9);
        }
    }

    #[test]
    fn a_token_bucket_fills_at_its_rate_up_to_its_capacity() {
        let mut bucket = TokenBucket::new(10.0);
        assert_eq!(bucket.acquire(0.0), Duration::from_millis(100));
        assert_eq!(bucket.acquire(0.1), Duration::ZERO);
        // 10 s later the bucket is full (10 tokens), not 100.
        bucket.refill(10.0);
        assert!(close(bucket.capacity(), 10.0));
        bucket.set_rate(0.1, Some(10.0));
        assert_eq!(bucket.rate(), 0.5, "never below the minimum fill rate");
        assert!(
            close(bucket.capacity(), 1.0),
            "capacity follows the rate (at least 1)"
        );
    }
}
