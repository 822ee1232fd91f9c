//! Listing many things at once, under one quota: one paginated listing per unit (an
//! API in a region of an account), run concurrently, merged in a stable order, with
//! one resume token for the whole run.
//!
//! ```no_run
//! use apigw_client::Client;
//! use apigw_client::fanout::{FanOut, Unit, UnitKey};
//! use apigw_model::operation::get_integrations::{GetIntegrations, GetIntegrationsRequest};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder()
//!     .retry_mode(apigw_client::RetryMode::Adaptive)
//!     .build()
//!     .await?;
//! let units = ["a1b2c3", "d4e5f6"].map(|api| Unit {
//!     key: UnitKey::new("default", client.region(), api),
//!     client: client.clone(),
//!     input: GetIntegrationsRequest::builder().api_id(api).build().unwrap(),
//! });
//! let result = FanOut::default()
//!     .run::<GetIntegrations>(units.into(), std::future::pending())
//!     .await?;
//! for unit in &result.units {
//!     println!("{} {}: {} integrations", unit.key.region, unit.key.id, unit.items().count());
//! }
//! # Ok(()) }
//! ```
//!
//! Order: units are sorted by [`UnitKey`] (profile, region, id) and their results come
//! in that order, whatever order they finish in. Memory: at most `max_concurrency`
//! units' items are held beyond what the caller keeps.

use std::future::Future;

use apigw_paginator::token::{self, ResumePoint, ServiceToken};
use apigw_paginator::{Paginated, PaginationConfig, PaginationError, Paginator};
use apigw_runtime::http::{HttpOperation, OperationSource, SdkError};
use base64::Engine as _;
use futures::{Stream, StreamExt};
use serde::{Deserialize, Serialize};

use crate::Client;

/// Which unit: the profile, region and identifier (e.g. the ApiId) it lists.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct UnitKey {
    /// The profile whose credentials list it.
    pub profile: String,
    /// The region.
    pub region: String,
    /// What is listed, e.g. the ApiId.
    pub id: String,
}

impl UnitKey {
    /// A key.
    pub fn new(
        profile: impl Into<String>,
        region: impl Into<String>,
        id: impl Into<String>,
    ) -> Self {
        Self {
            profile: profile.into(),
            region: region.into(),
            id: id.into(),
        }
    }
}

/// One listing: a client (its credentials and region) and the operation's input.
#[derive(Clone, Debug)]
pub struct Unit<I> {
    /// Which unit.
    pub key: UnitKey,
    /// The client to list with (clients of one account and region share their quota
    /// and rate limiter; see [`crate::RetryScopes`]).
    pub client: Client,
    /// The input (its token and page size are set by the run).
    pub input: I,
}

/// Units listed at once by default. API Gateway's quota is 10 requests per second: 4
/// requests in flight keep that rate with latencies up to 400 ms, and each one more
/// only adds a throttled request at the start, before adaptive mode's limiter is on
/// (measured in BENCHMARKS.md).
pub const DEFAULT_MAX_CONCURRENCY: usize = 4;

/// The settings of a run.
#[derive(Clone, Debug)]
pub struct FanOut {
    /// Units listed at once (at least 1; default [`DEFAULT_MAX_CONCURRENCY`]).
    pub max_concurrency: usize,
    /// The page size of every request.
    pub page_size: Option<u32>,
    /// The most items in all; the run stops there with a resume token.
    pub max_items: Option<u64>,
    /// A failing unit is reported and the run goes on (else the run stops there, with
    /// a resume token).
    pub keep_going: bool,
    /// A token from an earlier run with the same settings: this run lists exactly the
    /// rest.
    pub starting_token: Option<String>,
    /// What must be equal for a token to resume a run (the CLI puts its flags here); a
    /// token of a run with another fingerprint is refused.
    pub fingerprint: String,
}

impl Default for FanOut {
    fn default() -> Self {
        Self {
            max_concurrency: DEFAULT_MAX_CONCURRENCY,
            page_size: None,
            max_items: None,
            keep_going: false,
            starting_token: None,
            fingerprint: String::new(),
        }
    }
}

/// What one unit gave.
#[derive(Debug)]
pub struct UnitOutcome<T, E> {
    /// Which unit.
    pub key: UnitKey,
    /// Its pages: where each started (a resume token), and its items.
    pages: Vec<(String, Vec<T>)>,
    /// Why it stopped early, if it did.
    pub error: Option<PaginationError<SdkError<E>>>,
    /// Where it stopped (a unit resume token), when it did not finish.
    resume: Option<String>,
}

impl<T, E> UnitOutcome<T, E> {
    /// The items, in order.
    pub fn items(&self) -> impl Iterator<Item = &T> {
        self.pages.iter().flat_map(|(_, items)| items)
    }

    /// The items, taken.
    pub fn into_items(self) -> Vec<T> {
        self.pages
            .into_iter()
            .flat_map(|(_, items)| items)
            .collect()
    }

    /// The key, the items and the error, taken.
    pub fn into_parts(self) -> (UnitKey, Vec<T>, Option<PaginationError<SdkError<E>>>) {
        let items = self
            .pages
            .into_iter()
            .flat_map(|(_, items)| items)
            .collect();
        (self.key, items, self.error)
    }

    /// Keeps the first `n` items; the unit token that resumes after them.
    fn truncate(&mut self, input_token: &str, json_token: bool, mut n: u64) -> Option<String> {
        let mut cut = None;
        for (index, (start, items)) in self.pages.iter_mut().enumerate() {
            let len = items.len() as u64;
            if cut.is_none() && n < len {
                let point = token::decode(input_token, start, json_token).ok()?;
                let skip = point.truncate.unwrap_or(0) + n;
                items.truncate(usize::try_from(n).unwrap_or(usize::MAX));
                cut = Some((
                    index,
                    token::encode(
                        input_token,
                        &ResumePoint {
                            token: point.token,
                            truncate: Some(skip),
                        },
                        json_token,
                    ),
                ));
            }
            n = n.saturating_sub(len);
        }
        let (index, token) = cut?;
        self.pages.truncate(index + 1);
        self.error = None;
        Some(token)
    }
}

/// Why a run stopped before the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// A unit failed (without `keep_going`).
    Failure,
    /// `max_items` were listed.
    MaxItems,
    /// The interrupt future completed (Ctrl-C).
    Interrupted,
}

/// What a run gave.
#[derive(Debug)]
pub struct FanOutResult<T, E> {
    /// The units listed (the last one possibly in part), in key order; with
    /// `keep_going`, failed units too (with their error).
    pub units: Vec<UnitOutcome<T, E>>,
    /// Resumes exactly after what `units` holds, when the run stopped early.
    pub next_token: Option<String>,
    /// Why the run stopped early, if it did.
    pub stopped: Option<Stopped>,
}

/// A run could not start.
#[derive(Debug, thiserror::Error)]
pub enum FanOutError {
    /// The starting token is not one of these runs' tokens, or was made with other
    /// settings.
    #[error("invalid starting token: {0}")]
    BadToken(String),
}

/// The run's resume token: the unit to resume at, the position inside it, and the
/// fingerprint of the run's settings.
#[derive(Debug, Serialize, Deserialize)]
struct RunToken {
    fanout: u32,
    flags: String,
    unit: UnitKey,
    token: Option<String>,
}

impl RunToken {
    fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        base64::engine::general_purpose::STANDARD.encode(json)
    }

    fn decode(text: &str, fingerprint: &str) -> Result<Self, FanOutError> {
        let token: Self = base64::engine::general_purpose::STANDARD
            .decode(text.trim().as_bytes())
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .filter(|t: &Self| t.fanout == 1)
            .ok_or_else(|| {
                FanOutError::BadToken(
                    "not a token of a run over several APIs, regions or profiles".to_owned(),
                )
            })?;
        if token.flags != fingerprint {
            return Err(FanOutError::BadToken(format!(
                "it was made by a run with other settings ({}), not these ({fingerprint})",
                token.flags
            )));
        }
        Ok(token)
    }
}

/// A unit to list and the unit token it starts at (`None`: its beginning).
type Planned<I> = (Unit<I>, Option<String>);

impl FanOut {
    /// The units to list, sorted, and where the first starts: those before the
    /// starting token's unit are dropped.
    fn plan<I>(&self, mut units: Vec<Unit<I>>) -> Result<Vec<Planned<I>>, FanOutError> {
        units.sort_by(|a, b| a.key.cmp(&b.key));
        units.dedup_by(|a, b| a.key == b.key);
        let start = self
            .starting_token
            .as_deref()
            .map(|t| RunToken::decode(t, &self.fingerprint))
            .transpose()?;
        Ok(units
            .into_iter()
            .filter(|u| start.as_ref().is_none_or(|s| u.key >= s.unit))
            .map(|u| {
                let inner = start
                    .as_ref()
                    .filter(|s| s.unit == u.key)
                    .and_then(|s| s.token.clone());
                (u, inner)
            })
            .collect())
    }

    fn token(&self, unit: &UnitKey, inner: Option<String>) -> String {
        RunToken {
            fanout: 1,
            flags: self.fingerprint.clone(),
            unit: unit.clone(),
            token: inner,
        }
        .encode()
    }

    /// Every unit's outcome, in key order, listing up to `max_concurrency` units at
    /// once (the raw stream: no `max_items`, no stop on failure).
    pub fn outcomes<Op>(
        &self,
        units: Vec<Unit<<Op as Paginated>::Input>>,
    ) -> Result<impl Stream<Item = UnitOutcome<Op::Item, <Op as HttpOperation>::Error>>, FanOutError>
    where
        Op: Paginated
            + HttpOperation<Input = <Op as Paginated>::Input, Output = <Op as Paginated>::Output>,
    {
        let plan = self.plan(units)?;
        let page_size = self.page_size;
        Ok(futures::stream::iter(plan)
            .map(move |(unit, inner)| list_unit::<Op>(unit, inner, page_size))
            .buffered(self.max_concurrency.max(1)))
    }

    /// Runs to the end, or until a failure (without `keep_going`), `max_items`, or
    /// `interrupt` completes; then `next_token` resumes exactly after what was
    /// returned.
    pub async fn run<Op>(
        &self,
        units: Vec<Unit<<Op as Paginated>::Input>>,
        interrupt: impl Future<Output = ()>,
    ) -> Result<FanOutResult<Op::Item, <Op as HttpOperation>::Error>, FanOutError>
    where
        Op: Paginated
            + HttpOperation<Input = <Op as Paginated>::Input, Output = <Op as Paginated>::Output>,
    {
        let plan = self.plan(units)?;
        let starts: Vec<(UnitKey, Option<String>)> = plan
            .iter()
            .map(|(u, inner)| (u.key.clone(), inner.clone()))
            .collect();
        let page_size = self.page_size;
        let mut outcomes = futures::stream::iter(plan)
            .map(move |(unit, inner)| list_unit::<Op>(unit, inner, page_size))
            .buffered(self.max_concurrency.max(1));
        let mut interrupt = std::pin::pin!(interrupt);
        let mut result = FanOutResult {
            units: Vec::new(),
            next_token: None,
            stopped: None,
        };
        let mut remaining = self.max_items;
        let mut index = 0;
        loop {
            let next = tokio::select! {
                biased;
                () = &mut interrupt => {
                    if let Some((key, inner)) = starts.get(index) {
                        result.next_token = Some(self.token(key, inner.clone()));
                        result.stopped = Some(Stopped::Interrupted);
                    }
                    return Ok(result);
                }
                next = outcomes.next() => next,
            };
            let Some(mut outcome) = next else {
                return Ok(result);
            };
            index += 1;
            let count = outcome.items().count() as u64;
            if let Some(left) = remaining.as_mut() {
                if count > *left || (count == *left && outcome.error.is_some()) {
                    let inner = outcome.truncate(Op::INPUT_TOKEN, Op::JSON_TOKEN, *left);
                    result.next_token = Some(self.token(&outcome.key, inner));
                    result.stopped = Some(Stopped::MaxItems);
                    result.units.push(outcome);
                    return Ok(result);
                }
                *left -= count;
            }
            if outcome.error.is_some() && !self.keep_going {
                result.next_token = Some(self.token(&outcome.key, outcome.resume.take()));
                result.stopped = Some(Stopped::Failure);
                result.units.push(outcome);
                return Ok(result);
            }
            result.units.push(outcome);
            if remaining == Some(0) {
                if let Some((key, inner)) = starts.get(index) {
                    result.next_token = Some(self.token(key, inner.clone()));
                    result.stopped = Some(Stopped::MaxItems);
                }
                return Ok(result);
            }
        }
    }
}

/// Lists one unit to its end or its first error.
async fn list_unit<Op>(
    unit: Unit<<Op as Paginated>::Input>,
    inner: Option<String>,
    page_size: Option<u32>,
) -> UnitOutcome<Op::Item, <Op as HttpOperation>::Error>
where
    Op: Paginated
        + HttpOperation<Input = <Op as Paginated>::Input, Output = <Op as Paginated>::Output>,
{
    let start = inner.clone().unwrap_or_else(|| {
        token::encode(
            Op::INPUT_TOKEN,
            &ResumePoint {
                token: ServiceToken::Null,
                truncate: None,
            },
            Op::JSON_TOKEN,
        )
    });
    let mut outcome = UnitOutcome {
        key: unit.key,
        pages: Vec::new(),
        error: None,
        resume: None,
    };
    let config = PaginationConfig {
        max_items: None,
        page_size,
        starting_token: inner,
    };
    let source = OperationSource::<Client, Op>::new(unit.client);
    let mut pages = match Paginator::<Op, _>::new(source, unit.input, config) {
        Ok(paginator) => paginator.pages(),
        Err(e) => {
            outcome.error = Some(e);
            outcome.resume = Some(start);
            return outcome;
        }
    };
    let mut page_start = start;
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                outcome.pages.push((page_start, Op::into_items(page)));
                page_start = pages.resume_token().unwrap_or_default();
            }
            Err(e) => {
                outcome.error = Some(e);
                outcome.resume = Some(page_start);
                return outcome;
            }
        }
    }
    outcome
}
