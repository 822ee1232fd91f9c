//! Time and chance for retries: the clock the rate limiter reads, the sleep between
//! attempts, and the jitter. Injectable ([`crate::ClientBuilder::clock`]) so that tests
//! assert exact delays; [`ManualClock`] is the one tests use.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A future that completes after a sleep.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Where retries get the time, their sleeps and their randomness.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Seconds since an arbitrary start, never going back.
    fn now(&self) -> f64;
    /// Waits `duration`.
    fn sleep(&self, duration: Duration) -> Sleep;
    /// A random number in `[0, 1)`: the jitter of a backoff.
    fn jitter(&self) -> f64;
}

/// A shared clock.
pub type SharedClock = Arc<dyn Clock>;

/// The real clock (tokio's, so a paused tokio runtime pauses it too) with random
/// jitter.
#[derive(Debug)]
pub struct SystemClock {
    start: tokio::time::Instant,
}

impl Default for SystemClock {
    fn default() -> Self {
        Self {
            start: tokio::time::Instant::now(),
        }
    }
}

impl Clock for SystemClock {
    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }

    fn jitter(&self) -> f64 {
        fastrand::f64()
    }
}

/// A clock for tests: time moves only when something sleeps (by exactly the sleep),
/// every sleep is recorded, and the jitter is a fixed value.
#[derive(Debug)]
pub struct ManualClock {
    state: Mutex<(f64, Vec<Duration>)>,
    jitter: f64,
}

impl ManualClock {
    /// Starting at time 0, with jitter always `jitter`.
    pub fn new(jitter: f64) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new((0.0, Vec::new())),
            jitter,
        })
    }

    /// Moves time on by `by`.
    pub fn advance(&self, by: Duration) {
        self.lock().0 += by.as_secs_f64();
    }

    /// Every sleep so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().1.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (f64, Vec<Duration>)> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> f64 {
        self.lock().0
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        let mut state = self.lock();
        state.0 += duration.as_secs_f64();
        state.1.push(duration);
        Box::pin(std::future::ready(()))
    }

    fn jitter(&self) -> f64 {
        self.jitter
    }
}
