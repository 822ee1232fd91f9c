//! What every call to one scope shares: the retry quota and the adaptive rate
//! limiter. A scope is the credentials' access key, the signing region, the service
//! and the endpoint: the granularity at which AWS throttles an account (API Gateway's
//! 10 requests per second are per account and region), with the endpoint added so
//! that two servers (AWS and a local emulator) never share a budget. Clients share
//! scopes through a [`RetryScopes`] registry: the process-wide one unless
//! [`crate::ClientBuilder::retry_scopes`] gives another.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::adaptive::RateLimiter;
use super::quota::RetryQuota;

/// The key of a scope.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ScopeKey {
    pub(crate) access_key: String,
    pub(crate) region: String,
    pub(crate) service: &'static str,
    pub(crate) endpoint: String,
}

/// The state of one scope.
#[derive(Debug)]
pub(crate) struct Scope {
    pub(crate) quota: Mutex<RetryQuota>,
    pub(crate) limiter: Mutex<RateLimiter>,
}

impl Scope {
    pub(crate) fn quota(&self) -> std::sync::MutexGuard<'_, RetryQuota> {
        self.quota
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn limiter(&self) -> std::sync::MutexGuard<'_, RateLimiter> {
        self.limiter
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A registry of scopes: clients given the same registry share the quota and rate
/// limiter of each (credentials, region, service, endpoint). Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct RetryScopes {
    scopes: Arc<Mutex<HashMap<ScopeKey, Arc<Scope>>>>,
}

impl RetryScopes {
    /// A registry of its own (clients built with it share nothing with others).
    pub fn new() -> Self {
        Self::default()
    }

    /// The process-wide registry, the default of every client.
    pub fn global() -> Self {
        static GLOBAL: OnceLock<RetryScopes> = OnceLock::new();
        GLOBAL.get_or_init(Self::new).clone()
    }

    /// How many scopes have been used.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no scope has been used.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The quota left in each scope used so far, by (access key, region), for
    /// reports and tests.
    pub fn quotas(&self) -> Vec<(String, String, u32)> {
        let mut out: Vec<_> = self
            .lock()
            .iter()
            .map(|(k, s)| {
                (
                    k.access_key.clone(),
                    k.region.clone(),
                    s.quota().available(),
                )
            })
            .collect();
        out.sort();
        out
    }

    pub(crate) fn get(&self, key: ScopeKey, now: f64) -> Arc<Scope> {
        Arc::clone(self.lock().entry(key).or_insert_with(|| {
            Arc::new(Scope {
                quota: Mutex::new(RetryQuota::default()),
                limiter: Mutex::new(RateLimiter::new(now)),
            })
        }))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ScopeKey, Arc<Scope>>> {
        self.scopes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
