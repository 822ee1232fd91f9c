//! The retry quota: a budget of retries shared by every call to the same scope, so
//! that a service that keeps failing is not sent three requests per call for ever.
//! Each retry takes from it ([`sdk::QUOTA_RETRY_COST`], or
//! [`sdk::QUOTA_THROTTLING_RETRY_COST`] after a throttle); a call that succeeds gives
//! back what its last retry took, or [`sdk::QUOTA_NO_RETRY_INCREMENT`] when it needed
//! none. With the quota empty, failures are returned without retrying.

use super::sdk;

/// A retry quota.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryQuota {
    available: u32,
    max: u32,
}

impl Default for RetryQuota {
    fn default() -> Self {
        Self::new(sdk::QUOTA_CAPACITY)
    }
}

impl RetryQuota {
    /// A full quota of `capacity`.
    pub fn new(capacity: u32) -> Self {
        Self {
            available: capacity,
            max: capacity,
        }
    }

    /// Takes `amount` if that much is left.
    pub fn acquire(&mut self, amount: u32) -> bool {
        if amount > self.available {
            return false;
        }
        self.available -= amount;
        true
    }

    /// Gives back `amount`, never above the capacity.
    pub fn release(&mut self, amount: u32) {
        self.available = self.max.min(self.available.saturating_add(amount));
    }

    /// What is left.
    pub fn available(&self) -> u32 {
        self.available
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quota_is_taken_until_empty_and_refilled_up_to_its_capacity() {
        let mut quota = RetryQuota::default();
        assert_eq!(quota.available(), 500);
        // 35 non-throttling retries (14 each) leave 10; the 36th is refused.
        for _ in 0..35 {
            assert!(quota.acquire(sdk::QUOTA_RETRY_COST));
        }
        assert_eq!(quota.available(), 10);
        assert!(!quota.acquire(sdk::QUOTA_RETRY_COST));
        assert_eq!(quota.available(), 10, "a refused acquire takes nothing");
        // Two more throttling retries fit (5 each).
        assert!(quota.acquire(sdk::QUOTA_THROTTLING_RETRY_COST));
        assert!(quota.acquire(sdk::QUOTA_THROTTLING_RETRY_COST));
        assert!(!quota.acquire(1));
        quota.release(sdk::QUOTA_NO_RETRY_INCREMENT);
        assert_eq!(quota.available(), 1);
        quota.release(10_000);
        assert_eq!(quota.available(), 500, "never above the capacity");
    }
}
