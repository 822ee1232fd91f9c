//! boto3-compatible pagination for any paginated operation, over any transport.
//!
//! This crate knows nothing of a particular service. A paginated operation implements
//! [`Paginated`] (generated code does this for every operation with pagination
//! metadata); anything that can send one request implements [`PageSource`] (an HTTP
//! client, a test double, or a closure). [`Paginator`] then yields pages or items as a
//! [`futures::Stream`] or a blocking [`Iterator`], and [`Paginator::full_result`] gives
//! boto3's `build_full_result`.
//!
//! # Behaviour (the rules boto3, botocore and the AWS CLI follow)
//!
//! - **Requests.** Nothing is sent before the first poll. The first request carries the
//!   starting token's service token (if any); each later one the previous page's next
//!   token. A page size, when set, is sent on every request.
//! - **End.** A page whose next token is absent, null or empty is the last one.
//! - **`MaxItems`** counts items. When a page would exceed it, the page is cut, yielded,
//!   and a resume token `{"NextToken": <token that requested the page>,
//!   "boto_truncate_amount": <items kept + items skipped at its front>}` is produced; when
//!   it is reached exactly at a page that has a next token, the resume token is that next
//!   token. The yielded page keeps the service's own next token untouched.
//! - **Resume tokens** are byte-identical to botocore's: base64 of Python's `json.dumps`.
//! - **Starting tokens** are read in botocore's form (any key order and spacing), in the
//!   legacy `<token>___<n>` form (`n` read as Python's `int()` reads it), and otherwise
//!   sent verbatim as the service's token. `boto_truncate_amount` items are dropped from
//!   the front of the first page only. Refused before any request, as botocore refuses
//!   them: a legacy token with two or more `___` separators, and a botocore-form token
//!   holding a key other than the operation's input token and `boto_truncate_amount`
//!   (a token of another operation would otherwise silently restart the listing).
//! - **Duplicate token.** A page whose next token equals the previous page's fails the
//!   run with botocore's message, after that page is yielded. After it (and after a
//!   cycle) there is no resume token: resuming would only run the loop again.
//! - **Cycles** (beyond botocore): any next token already seen in this run is an error
//!   too. Recent tokens (the last [`CYCLE_WINDOW`] pages) are compared exactly; longer
//!   cycles are still found, a few pages later, with memory that does not grow.
//! - **Errors mid-stream** are yielded and end the stream; `resume_token()` then points
//!   at the first item the caller has not received, so a later run neither loses nor
//!   repeats anything.
//! - **Memory** is one page at a time.
//!
//! # Deliberate departures from botocore
//!
//! - Cycles of any length are errors (botocore only catches a token repeated by the
//!   very next page, and loops forever on `A, B, A, ...`).
//! - `PageSize` 0 is refused before any request (botocore sends `maxResults=0`).
//! - A negative skip count (`boto_truncate_amount: -1`, or `token___-1`) is refused;
//!   botocore would slice the first page from its end (`items[-1:]`).
//!
//! # Example (async)
//!
//! ```
//! # use apigw_paginator::{Paginated, PaginationConfig, Paginator};
//! # use futures::StreamExt;
//! # #[derive(Clone, Default)]
//! # struct ListInput { token: Option<String>, limit: Option<String> }
//! # struct ListOutput { items: Option<Vec<u32>>, next: Option<String> }
//! # struct List;
//! # impl Paginated for List {
//! #     type Input = ListInput;
//! #     type Output = ListOutput;
//! #     type Item = u32;
//! #     const OPERATION: &'static str = "List";
//! #     const INPUT_TOKEN: &'static str = "NextToken";
//! #     const RESULT_KEY: &'static str = "Items";
//! #     const HAS_PAGE_SIZE: bool = true;
//! #     fn input_token(input: &ListInput) -> Option<std::borrow::Cow<'_, str>> { input.token.as_deref().map(Into::into) }
//! #     fn set_input_token(input: &mut ListInput, token: Option<String>) { input.token = token; }
//! #     fn set_page_size(input: &mut ListInput, size: u32) { input.limit = Some(size.to_string()); }
//! #     fn output_token(output: &ListOutput) -> Option<std::borrow::Cow<'_, str>> { output.next.as_deref().map(Into::into) }
//! #     fn item_count(output: &ListOutput) -> usize { output.items.as_ref().map_or(0, Vec::len) }
//! #     fn retain_items(output: &mut ListOutput, keep: std::ops::Range<usize>) {
//! #         if let Some(items) = &mut output.items { items.truncate(keep.end); items.drain(..keep.start); }
//! #     }
//! #     fn into_items(output: ListOutput) -> Vec<u32> { output.items.unwrap_or_default() }
//! # }
//! // A page source: here an in-memory "service" with 5 items, 2 per page by default.
//! let service = |input: ListInput| async move {
//!     let start: usize = input.token.as_deref().map_or(0, |t| t.parse().unwrap());
//!     let size: usize = input.limit.as_deref().map_or(2, |s| s.parse().unwrap());
//!     let end = (start + size).min(5);
//!     Ok::<_, std::convert::Infallible>(ListOutput {
//!         items: Some((start as u32..end as u32).collect()),
//!         next: (end < 5).then(|| end.to_string()),
//!     })
//! };
//! let config = PaginationConfig { max_items: Some(3), ..Default::default() };
//! # futures::executor::block_on(async {
//! let mut items = Paginator::<List, _>::new(service, ListInput::default(), config)?.items();
//! let mut seen = Vec::new();
//! while let Some(item) = items.next().await {
//!     seen.push(item?);
//! }
//! assert_eq!(seen, [0, 1, 2]);
//! // Resume where MaxItems stopped, as boto3 would: page "2" minus the 1 item kept.
//! let resume = items.resume_token().expect("items remain");
//! let rest = Paginator::<List, _>::new(
//!     service,
//!     ListInput::default(),
//!     PaginationConfig { starting_token: Some(resume), ..Default::default() },
//! )?
//! .full_result()
//! .await?;
//! assert_eq!(rest.items, [3, 4]);
//! assert_eq!(rest.next_token, None);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! # Example (blocking)
//!
//! ```
//! # use apigw_paginator::{Paginated, PaginationConfig, Paginator};
//! # #[derive(Clone, Default)]
//! # struct ListInput { token: Option<String>, limit: Option<String> }
//! # struct ListOutput { items: Option<Vec<u32>>, next: Option<String> }
//! # struct List;
//! # impl Paginated for List {
//! #     type Input = ListInput;
//! #     type Output = ListOutput;
//! #     type Item = u32;
//! #     const OPERATION: &'static str = "List";
//! #     const INPUT_TOKEN: &'static str = "NextToken";
//! #     const RESULT_KEY: &'static str = "Items";
//! #     const HAS_PAGE_SIZE: bool = true;
//! #     fn input_token(input: &ListInput) -> Option<std::borrow::Cow<'_, str>> { input.token.as_deref().map(Into::into) }
//! #     fn set_input_token(input: &mut ListInput, token: Option<String>) { input.token = token; }
//! #     fn set_page_size(input: &mut ListInput, size: u32) { input.limit = Some(size.to_string()); }
//! #     fn output_token(output: &ListOutput) -> Option<std::borrow::Cow<'_, str>> { output.next.as_deref().map(Into::into) }
//! #     fn item_count(output: &ListOutput) -> usize { output.items.as_ref().map_or(0, Vec::len) }
//! #     fn retain_items(output: &mut ListOutput, keep: std::ops::Range<usize>) {
//! #         if let Some(items) = &mut output.items { items.truncate(keep.end); items.drain(..keep.start); }
//! #     }
//! #     fn into_items(output: ListOutput) -> Vec<u32> { output.items.unwrap_or_default() }
//! # }
//! // A blocking source: any future that is ready when polled (no runtime needed).
//! let service = |input: ListInput| {
//!     let start: u32 = input.token.as_deref().map_or(0, |t| t.parse().unwrap());
//!     std::future::ready(Ok::<_, String>(ListOutput {
//!         items: Some(vec![start, start + 1]),
//!         next: (start < 4).then(|| (start + 2).to_string()),
//!     }))
//! };
//! let config = PaginationConfig { page_size: Some(2), ..Default::default() };
//! let pages: Vec<Vec<u32>> = Paginator::<List, _>::new(service, ListInput::default(), config)?
//!     .pages_blocking()
//!     .map(|page| page.map(|p| p.items.unwrap_or_default()))
//!     .collect::<Result<_, _>>()?;
//! assert_eq!(pages, [vec![0, 1], vec![2, 3], vec![4, 5]]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod engine;
pub mod token;

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::ops::Range;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;

pub use crate::engine::CYCLE_WINDOW;
use crate::engine::{Engine, PageOrigin, TokenProblem};

/// `PaginationConfig` as boto3 takes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaginationConfig {
    /// The most items to yield in this run (`MaxItems`). When more remain, a resume
    /// token is produced.
    pub max_items: Option<u64>,
    /// The page size sent on every request (`PageSize`), in the operation's own type.
    pub page_size: Option<u32>,
    /// Where to start (`StartingToken`): a resume token from boto3, the AWS CLI or this
    /// crate, or a raw service token.
    pub starting_token: Option<String>,
}

/// What pagination needs to know about one operation. Generated for every operation
/// with pagination metadata; it only moves tokens, page sizes and items.
pub trait Paginated {
    /// The operation's input.
    type Input: Clone;
    /// The operation's output (one page).
    type Output;
    /// One item of a page's result list.
    type Item;

    /// The operation's name, for messages.
    const OPERATION: &'static str;
    /// The input token member's name (`NextToken`): the key inside resume tokens.
    const INPUT_TOKEN: &'static str;
    /// The result member's name (`Items`): the key of the full result.
    const RESULT_KEY: &'static str;
    /// Whether the operation has a page size member.
    const HAS_PAGE_SIZE: bool;
    /// Whether the token is a JSON value (a map member, such as DynamoDB's
    /// `ExclusiveStartKey`) carried as its compact JSON text, rather than a string.
    /// Resume tokens then hold the value itself, as botocore writes them.
    const JSON_TOKEN: bool = false;

    /// The token already set on an input, if any.
    fn input_token(input: &Self::Input) -> Option<Cow<'_, str>>;
    /// Sets (or clears) the input token.
    fn set_input_token(input: &mut Self::Input, token: Option<String>);
    /// Sets the page size, converted to the member's own type (a decimal string for a
    /// string member).
    fn set_page_size(input: &mut Self::Input, page_size: u32);
    /// The page's next token.
    fn output_token(output: &Self::Output) -> Option<Cow<'_, str>>;
    /// Why `token` (a starting token's service token) cannot be this operation's
    /// token, if it cannot: a JSON token must read as the member's type.
    fn check_token(token: &str) -> Result<(), String> {
        let _ = token;
        Ok(())
    }
    /// How many items the page holds (0 when the result member is absent).
    fn item_count(output: &Self::Output) -> usize;
    /// Keeps only the items at `keep` (a range within `0..item_count`).
    fn retain_items(output: &mut Self::Output, keep: Range<usize>);
    /// Takes the page's items.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
}

/// Sends one request of an operation: the only thing pagination needs from a client.
pub trait PageSource<Input, Output> {
    /// The client's error (transport or service).
    type Error;
    /// The response future. It must not borrow the source (clone what it needs).
    type Future: Future<Output = Result<Output, Self::Error>>;

    /// Sends `input`.
    fn send(&self, input: Input) -> Self::Future;
}

impl<F, Fut, Input, Output, E> PageSource<Input, Output> for F
where
    F: Fn(Input) -> Fut,
    Fut: Future<Output = Result<Output, E>>,
{
    type Error = E;
    type Future = Fut;

    fn send(&self, input: Input) -> Fut {
        self(input)
    }
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum PaginationError<E> {
    /// The page source failed (transport or service error).
    #[error("{0}")]
    Source(E),
    /// The starting token decodes but cannot be used.
    /// Printed as botocore prints it (`Bad starting token: <token>`), plus why.
    #[error("Bad starting token: {token} ({reason})")]
    InvalidStartingToken {
        /// The token as given.
        token: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A page size was given for an operation without a page size member.
    #[error("{operation} has no page size member, so PageSize cannot be used")]
    PageSizeUnsupported {
        /// The operation.
        operation: &'static str,
    },
    /// A page size of zero.
    #[error("PageSize must be at least 1")]
    ZeroPageSize,
    /// A page's next token equals the previous page's (botocore's check and message).
    #[error(
        "Error during pagination: The same next token was received twice: {{{}: {}}}",
        token::python_repr(input_token),
        token::python_repr(token)
    )]
    DuplicateToken {
        /// The input token member (`NextToken`).
        input_token: &'static str,
        /// The repeated token.
        token: String,
    },
    /// A page's next token was already received earlier in this run.
    #[error(
        "Error during pagination: The next token {{{}: {}}} was already received in this run; the service is returning tokens in a cycle",
        token::python_repr(input_token),
        token::python_repr(token)
    )]
    Cycle {
        /// The input token member (`NextToken`).
        input_token: &'static str,
        /// The token seen again.
        token: String,
    },
}

impl<E> PaginationError<E> {
    fn from_problem(input_token: &'static str, problem: TokenProblem) -> Self {
        match problem {
            TokenProblem::Duplicate(token) => Self::DuplicateToken { input_token, token },
            TokenProblem::Cycle(token) => Self::Cycle { input_token, token },
        }
    }
}

/// A configured run of a paginated operation. Nothing is sent until the stream (or
/// iterator) it becomes is polled.
pub struct Paginator<Op: Paginated, S> {
    engine: Engine<Op>,
    source: S,
}

impl<Op: Paginated, S> fmt::Debug for Paginator<Op, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &Op::OPERATION)
            .finish_non_exhaustive()
    }
}

impl<Op, S> Paginator<Op, S>
where
    Op: Paginated,
    S: PageSource<Op::Input, Op::Output>,
{
    /// A run of `Op` starting from `input`, sending requests through `source`. Fails
    /// when the configuration cannot be used (a starting token that decodes to
    /// something invalid, a page size the operation does not have, or zero).
    pub fn new(
        source: S,
        input: Op::Input,
        config: PaginationConfig,
    ) -> Result<Self, PaginationError<S::Error>> {
        if let Some(size) = config.page_size {
            if !Op::HAS_PAGE_SIZE {
                return Err(PaginationError::PageSizeUnsupported {
                    operation: Op::OPERATION,
                });
            }
            if size == 0 {
                return Err(PaginationError::ZeroPageSize);
            }
        }
        let starting = match &config.starting_token {
            None => None,
            Some(t) => {
                let bad = |reason: String| PaginationError::InvalidStartingToken {
                    token: t.clone(),
                    reason,
                };
                let point =
                    token::decode(Op::INPUT_TOKEN, t, Op::JSON_TOKEN).map_err(|e| bad(e.0))?;
                if let Some(service) = point.token.to_send() {
                    Op::check_token(service).map_err(bad)?;
                }
                Some(point)
            }
        };
        Ok(Self {
            engine: Engine::new(input, &config, starting),
            source,
        })
    }

    /// Pages, as a stream.
    pub fn pages(self) -> Pages<Op, S> {
        Pages {
            engine: self.engine,
            source: self.source,
            in_flight: None,
        }
    }

    /// Items of every page, as a stream.
    pub fn items(self) -> Items<Op, S> {
        Items {
            pages: self.pages(),
            current: None,
        }
    }

    /// Pages, as a blocking iterator. Each request's future is driven on the current
    /// thread; it must not need a particular async runtime.
    pub fn pages_blocking(self) -> Blocking<Pages<Op, S>> {
        Blocking(self.pages())
    }

    /// Items, as a blocking iterator (see [`Paginator::pages_blocking`]).
    pub fn items_blocking(self) -> Blocking<Items<Op, S>> {
        Blocking(self.items())
    }

    /// Every item of the run and the resume token (boto3's `build_full_result`).
    pub async fn full_result(self) -> Result<FullResult<Op::Item>, PaginationError<S::Error>> {
        use futures::StreamExt as _;
        let mut pages = self.pages();
        let mut items = Vec::new();
        while let Some(page) = pages.next().await {
            items.extend(Op::into_items(page?));
        }
        Ok(FullResult {
            items,
            next_token: pages.resume_token(),
        })
    }

    /// [`Paginator::full_result`], blocking.
    pub fn full_result_blocking(self) -> Result<FullResult<Op::Item>, PaginationError<S::Error>> {
        futures::executor::block_on(self.full_result())
    }
}

/// boto3's full result: `{"Items": [...], "NextToken": "..."}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FullResult<T> {
    /// Every item yielded.
    pub items: Vec<T>,
    /// The resume token, when items remain (`MaxItems` was reached).
    pub next_token: Option<String>,
}

/// A page with where it came from, or the error that ended the run.
type PageResult<Op, E> = Result<(<Op as Paginated>::Output, PageOrigin), PaginationError<E>>;

/// The pages of a run. Yields each page (cut by `MaxItems` where needed); an error is
/// yielded once and ends the stream.
pub struct Pages<Op: Paginated, S: PageSource<Op::Input, Op::Output>> {
    engine: Engine<Op>,
    source: S,
    in_flight: Option<Pin<Box<S::Future>>>,
}

// The only pinned state is behind `Pin<Box<_>>`; nothing else is ever pinned.
impl<Op: Paginated, S: PageSource<Op::Input, Op::Output>> Unpin for Pages<Op, S> {}

impl<Op: Paginated, S: PageSource<Op::Input, Op::Output>> Pages<Op, S> {
    /// A token to resume after everything yielded so far: botocore's resume token when
    /// `MaxItems` ended the run, `None` when the service has no more pages, otherwise
    /// (in progress, or after an error) the position of the first item not yet yielded.
    pub fn resume_token(&self) -> Option<String> {
        self.engine.resume_token()
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<PageResult<Op, S::Error>>> {
        if let Some(problem) = self.engine.take_problem() {
            return Poll::Ready(Some(Err(PaginationError::from_problem(
                Op::INPUT_TOKEN,
                problem,
            ))));
        }
        if self.in_flight.is_none() {
            match self.engine.next_request() {
                None => return Poll::Ready(None),
                Some(input) => self.in_flight = Some(Box::pin(self.source.send(input))),
            }
        }
        let Some(future) = self.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        match future.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(result) => {
                self.in_flight = None;
                match result {
                    Ok(output) => Poll::Ready(Some(Ok(self.engine.on_page(output)))),
                    Err(e) => {
                        self.engine.fail();
                        Poll::Ready(Some(Err(PaginationError::Source(e))))
                    }
                }
            }
        }
    }
}

impl<Op: Paginated, S: PageSource<Op::Input, Op::Output>> Stream for Pages<Op, S> {
    type Item = Result<Op::Output, PaginationError<S::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut()
            .poll_page(cx)
            .map(|r| r.map(|r| r.map(|(page, _)| page)))
    }
}

/// The items of a run, one at a time, holding one page in memory.
pub struct Items<Op: Paginated, S: PageSource<Op::Input, Op::Output>> {
    pages: Pages<Op, S>,
    current: Option<(std::vec::IntoIter<Op::Item>, PageOrigin, u64)>,
}

impl<Op: Paginated, S: PageSource<Op::Input, Op::Output>> Unpin for Items<Op, S> {}

impl<Op: Paginated, S: PageSource<Op::Input, Op::Output>> Items<Op, S> {
    /// A token to resume at the first item not yet yielded (inside a page when the
    /// caller stopped or an error came mid-way), or botocore's resume token when
    /// `MaxItems` ended the run; `None` when nothing remains.
    pub fn resume_token(&self) -> Option<String> {
        match &self.current {
            Some((rest, origin, delivered)) if rest.len() > 0 => {
                Some(self.pages.engine.resume_inside(origin, *delivered))
            }
            _ => self.pages.resume_token(),
        }
    }
}

impl<Op: Paginated, S: PageSource<Op::Input, Op::Output>> Stream for Items<Op, S> {
    type Item = Result<Op::Item, PaginationError<S::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some((rest, _, delivered)) = &mut this.current {
                if let Some(item) = rest.next() {
                    *delivered += 1;
                    return Poll::Ready(Some(Ok(item)));
                }
                this.current = None;
            }
            match this.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok((page, origin)))) => {
                    this.current = Some((Op::into_items(page).into_iter(), origin, 0));
                }
            }
        }
    }
}

/// A stream of this crate driven as a blocking [`Iterator`] on the current thread.
pub struct Blocking<T>(T);

impl<T> Blocking<T> {
    /// The stream inside (for `resume_token()`).
    pub fn get_ref(&self) -> &T {
        &self.0
    }
}

impl<T: Stream + Unpin> Iterator for Blocking<T> {
    type Item = T::Item;

    fn next(&mut self) -> Option<T::Item> {
        use futures::StreamExt as _;
        futures::executor::block_on(self.0.next())
    }
}

impl<Op: Paginated, S: PageSource<Op::Input, Op::Output>> Blocking<Pages<Op, S>> {
    /// See [`Pages::resume_token`].
    pub fn resume_token(&self) -> Option<String> {
        self.0.resume_token()
    }
}

impl<Op: Paginated, S: PageSource<Op::Input, Op::Output>> Blocking<Items<Op, S>> {
    /// See [`Items::resume_token`].
    pub fn resume_token(&self) -> Option<String> {
        self.0.resume_token()
    }
}
