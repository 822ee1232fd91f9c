//! The pagination state machine, free of I/O: it says which request to send next and
//! turns each response into the page to yield. The async stream and the blocking
//! iterator both drive this one engine.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use crate::token::{self, ResumePoint, ServiceToken};
use crate::{Paginated, PaginationConfig};

/// Token problems found after a page was yielded (rule 6 and the cycle check).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TokenProblem {
    Duplicate(String),
    Cycle(String),
}

/// How many recent tokens are compared exactly for cycles. Beyond this window a cycle
/// is still found (Brent's algorithm over a checkpoint token) but a few pages later.
pub const CYCLE_WINDOW: usize = 1024;

/// Remembers tokens seen in this run, in bounded memory.
#[derive(Debug, Default)]
struct CycleGuard {
    recent: VecDeque<Arc<str>>,
    recent_set: HashSet<Arc<str>>,
    checkpoint: Option<Arc<str>>,
    power: u64,
    steps: u64,
}

impl CycleGuard {
    /// Records `token`; `true` when it was seen before in this run.
    fn seen_before(&mut self, token: &str) -> bool {
        if self.recent_set.contains(token) || self.checkpoint.as_deref() == Some(token) {
            return true;
        }
        if self.recent.len() == CYCLE_WINDOW
            && let Some(old) = self.recent.pop_front()
        {
            self.recent_set.remove(&old);
        }
        // One allocation per token, shared by the queue and the set.
        let token: Arc<str> = Arc::from(token);
        self.recent.push_back(Arc::clone(&token));
        self.recent_set.insert(Arc::clone(&token));
        // Brent: move the checkpoint at powers of two, so a cycle longer than the
        // window returns to the checkpoint within two cycle lengths.
        self.steps += 1;
        if self.steps >= self.power.max(1) {
            self.checkpoint = Some(token);
            self.power = self.power.max(1) * 2;
            self.steps = 0;
        }
        false
    }
}

/// Why the run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Finish {
    /// The service had no more pages.
    End,
    /// `MaxItems` was reached; this is the resume token.
    MaxItems(ResumePoint),
    /// An error ended the run; resume from the cursor.
    Failed,
    /// The service repeated a token (duplicate or cycle): there is no resume token,
    /// since resuming would only run the same loop again (as botocore, which has none).
    Looped,
}

/// Where the page just yielded came from, so item-level consumers can compute a resume
/// point inside it.
#[derive(Clone, Debug)]
pub(crate) struct PageOrigin {
    /// The token that requested the page.
    pub requested_by: ServiceToken,
    /// Items dropped at its front by the starting token.
    pub skipped_front: u64,
}

/// The engine for one run of an operation.
pub(crate) struct Engine<Op: Paginated> {
    base: Op::Input,
    max_items: Option<u64>,
    page_size: Option<u32>,
    /// The first item not yet delivered: the page its token requests, minus a skip.
    cursor: ResumePoint,
    first: bool,
    first_skip: u64,
    explicit_start: bool,
    total: u64,
    previous: Option<String>,
    guard: CycleGuard,
    finished: Option<Finish>,
    problem: Option<TokenProblem>,
}

impl<Op: Paginated> Engine<Op> {
    /// A new run. `starting` is the decoded starting token, if any.
    pub fn new(base: Op::Input, config: &PaginationConfig, starting: Option<ResumePoint>) -> Self {
        let explicit_start = starting.is_some();
        let cursor = starting.unwrap_or_else(|| ResumePoint {
            token: Op::input_token(&base)
                .map_or(ServiceToken::Null, |t| ServiceToken::Value(t.into_owned())),
            truncate: None,
        });
        Self {
            first_skip: cursor.truncate.unwrap_or(0),
            base,
            max_items: config.max_items,
            page_size: config.page_size,
            cursor,
            first: true,
            explicit_start,
            total: 0,
            previous: None,
            guard: CycleGuard::default(),
            finished: None,
            problem: None,
        }
    }

    /// The request to send next, or `None` when the run is over.
    pub fn next_request(&self) -> Option<Op::Input> {
        if self.finished.is_some() || self.problem.is_some() {
            return None;
        }
        let mut input = self.base.clone();
        if !self.first || self.explicit_start {
            Op::set_input_token(&mut input, self.cursor.token.to_send().map(str::to_owned));
        }
        if let Some(size) = self.page_size {
            Op::set_page_size(&mut input, size);
        }
        Some(input)
    }

    /// A token problem found after the last page, to yield before ending.
    pub fn take_problem(&mut self) -> Option<TokenProblem> {
        let problem = self.problem.take();
        if problem.is_some() {
            self.finished = Some(Finish::Looped);
        }
        problem
    }

    /// Records a failed request: the run ends, the cursor stays where it is.
    pub fn fail(&mut self) {
        self.finished = Some(Finish::Failed);
    }

    /// Applies the rules to one response and returns the page to yield.
    pub fn on_page(&mut self, mut page: Op::Output) -> (Op::Output, PageOrigin) {
        let origin = PageOrigin {
            requested_by: self.cursor.token.clone(),
            skipped_front: if self.first { self.first_skip } else { 0 },
        };
        if self.first && self.first_skip > 0 {
            let len = Op::item_count(&page);
            let skip = usize::try_from(self.first_skip)
                .unwrap_or(usize::MAX)
                .min(len);
            Op::retain_items(&mut page, skip..len);
        }
        self.first = false;
        let count = Op::item_count(&page) as u64;

        if let Some(max) = self.max_items
            && self.total + count > max
        {
            let keep = max - self.total;
            Op::retain_items(&mut page, 0..usize::try_from(keep).unwrap_or(usize::MAX));
            self.total = max;
            let resume = ResumePoint {
                token: origin.requested_by.clone(),
                truncate: Some(origin.skipped_front + keep),
            };
            self.cursor = resume.clone();
            self.finished = Some(Finish::MaxItems(resume));
            return (page, origin);
        }
        self.total += count;
        let next = Op::output_token(&page)
            .filter(|t| !t.is_empty())
            .map(std::borrow::Cow::into_owned);
        let Some(next) = next else {
            self.finished = Some(Finish::End);
            return (page, origin);
        };
        self.cursor = ResumePoint {
            token: ServiceToken::Value(next.clone()),
            truncate: None,
        };
        if self.max_items == Some(self.total) {
            self.finished = Some(Finish::MaxItems(self.cursor.clone()));
            return (page, origin);
        }
        if self.previous.as_deref() == Some(next.as_str()) {
            self.problem = Some(TokenProblem::Duplicate(next));
            return (page, origin);
        }
        if self.guard.seen_before(&next) {
            self.problem = Some(TokenProblem::Cycle(next));
            return (page, origin);
        }
        self.previous = Some(next);
        (page, origin)
    }

    /// The resume token after everything yielded so far: botocore's token when
    /// `MaxItems` ended the run, none when the service ran out of pages, else the
    /// position of the first item not yet yielded.
    pub fn resume_token(&self) -> Option<String> {
        if self.problem.is_some() {
            return None;
        }
        match &self.finished {
            Some(Finish::End | Finish::Looped) => None,
            Some(Finish::MaxItems(point)) => {
                Some(token::encode(Op::INPUT_TOKEN, point, Op::JSON_TOKEN))
            }
            Some(Finish::Failed) | None => {
                Some(token::encode(Op::INPUT_TOKEN, &self.cursor, Op::JSON_TOKEN))
            }
        }
    }

    /// The resume token for a position inside the page that came from `origin`, after
    /// `delivered` of its items.
    pub fn resume_inside(&self, origin: &PageOrigin, delivered: u64) -> String {
        let skip = origin.skipped_front + delivered;
        token::encode(
            Op::INPUT_TOKEN,
            &ResumePoint {
                token: origin.requested_by.clone(),
                truncate: (skip > 0).then_some(skip),
            },
            Op::JSON_TOKEN,
        )
    }
}
