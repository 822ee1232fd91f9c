//! Properties of pagination over generated page sequences, with an oracle per run:
//!
//! - following resume tokens run after run yields every item exactly once and in order,
//!   whatever the layout (pages without `items`, `""` as the last token, a service that
//!   ignores the page size), `MaxItems`, `PageSize`, early stops, injected errors and the
//!   consumer (items or pages, blocking or async), and whether the resume token is
//!   passed on as written or re-encoded in the legacy `<token>___<n>` form or with its
//!   keys reordered;
//! - every run yields at most `MaxItems` items, and ends for a reason consistent with
//!   its resume token (service exhausted: none; `MaxItems`: exactly `MaxItems` items and
//!   a token; an error or an early stop: a token);
//! - a service that returns tokens in a cycle (of any length, including one longer than
//!   the exact-compare window) ends the listing with a loop error and no resume token,
//!   having yielded a prefix of what it served and fetched a bounded number of pages;
//! - an injected error always fires (it is placed within the requests the listing must
//!   make) and is followed by a resume that loses nothing.

use std::cell::Cell;
use std::future::{Ready, ready};
use std::rc::Rc;

use apigw_model::operation::get_integrations::{
    GetIntegrations, GetIntegrationsRequest, GetIntegrationsResponse,
};
use apigw_model::types::Integration;
use apigw_paginator::token::{self, ServiceToken};
use apigw_paginator::{CYCLE_WINDOW, PageSource, PaginationConfig, PaginationError, Paginator};
use futures::StreamExt as _;
use proptest::prelude::*;

/// One page of a scripted layout.
#[derive(Clone, Debug)]
struct PageSpec {
    size: usize,
    /// The page has no `items` member at all (counts as 0 items).
    absent: bool,
}

/// How the fake service cuts its items into pages.
#[derive(Clone, Debug)]
enum Layout {
    /// Fixed pages requested by tokens `p1`, `p2`, ... (the page size is ignored, as
    /// some services do). The last page's next token is absent, or `""` when
    /// `empty_last`.
    Scripted {
        pages: Vec<PageSpec>,
        empty_last: bool,
    },
    /// `total` items served from an offset token, honouring the page size.
    Offsets {
        total: usize,
        default_size: usize,
        empty_last: bool,
    },
    /// Pages `0..sizes.len()` in order, then the last page's next token sends the
    /// listing back to page `back_to`, forever: the tokens cycle.
    Cyclic { sizes: Vec<usize>, back_to: usize },
}

#[derive(Clone)]
struct Service {
    layout: Rc<Layout>,
    requests: Rc<Cell<usize>>,
    fail_at: Option<usize>,
    failed: Rc<Cell<bool>>,
}

fn item(id: String) -> Integration {
    Integration::builder().integration_id(id).build()
}

fn page_token(index: usize) -> String {
    format!("p{index}")
}

impl Service {
    fn new(layout: Layout, fail_at: Option<usize>) -> Self {
        Self {
            layout: Rc::new(layout),
            requests: Rc::default(),
            fail_at,
            failed: Rc::default(),
        }
    }

    /// Every item, in order (finite layouts).
    fn all_items(&self) -> Vec<String> {
        match &*self.layout {
            Layout::Scripted { pages, .. } => (0..pages.iter().map(|p| p.size).sum::<usize>())
                .map(|n| n.to_string())
                .collect(),
            Layout::Offsets { total, .. } => (0..*total).map(|n| n.to_string()).collect(),
            Layout::Cyclic { .. } => unreachable!("a cycle never ends"),
        }
    }

    /// The requests the listing must make at least (each page once).
    fn pages_at_least(&self) -> usize {
        match &*self.layout {
            Layout::Scripted { pages, .. } => pages.len(),
            // Each request returns at most `max_results` items (≤ 8 in these tests).
            Layout::Offsets { total, .. } => total.div_ceil(8).max(1),
            Layout::Cyclic { sizes, .. } => sizes.len(),
        }
    }

    fn answer(&self, input: &GetIntegrationsRequest) -> GetIntegrationsResponse {
        let token = input.next_token.as_deref();
        match &*self.layout {
            Layout::Scripted { pages, empty_last } => {
                let index: usize = token.map_or(0, |t| t[1..].parse().unwrap());
                let first: usize = pages[..index].iter().map(|p| p.size).sum();
                let spec = &pages[index];
                let items = (!spec.absent).then(|| {
                    (first..first + spec.size)
                        .map(|n| item(n.to_string()))
                        .collect()
                });
                let next = if index + 1 < pages.len() {
                    Some(page_token(index + 1))
                } else {
                    empty_last.then(String::new)
                };
                GetIntegrationsResponse::builder()
                    .set_items(items)
                    .set_next_token(next)
                    .build()
            }
            Layout::Offsets {
                total,
                default_size,
                empty_last,
            } => {
                let offset: usize = token.map_or(0, |t| t[1..].parse().unwrap());
                let size = input
                    .max_results
                    .as_deref()
                    .map_or(*default_size, |s| s.parse().unwrap());
                let end = (offset + size).min(*total);
                let next = if end < *total {
                    Some(format!("o{end}"))
                } else {
                    empty_last.then(String::new)
                };
                GetIntegrationsResponse::builder()
                    .set_items(Some((offset..end).map(|n| item(n.to_string())).collect()))
                    .set_next_token(next)
                    .build()
            }
            Layout::Cyclic { sizes, back_to } => {
                let index: usize = token.map_or(0, |t| t[1..].parse().unwrap());
                let next = if index + 1 < sizes.len() {
                    index + 1
                } else {
                    *back_to
                };
                GetIntegrationsResponse::builder()
                    .set_items(Some(
                        (0..sizes[index])
                            .map(|j| item(format!("{index}.{j}")))
                            .collect(),
                    ))
                    .set_next_token(Some(page_token(next)))
                    .build()
            }
        }
    }
}

impl PageSource<GetIntegrationsRequest, GetIntegrationsResponse> for Service {
    type Error = String;
    type Future = Ready<Result<GetIntegrationsResponse, String>>;

    fn send(&self, input: GetIntegrationsRequest) -> Self::Future {
        let n = self.requests.get();
        self.requests.set(n + 1);
        assert!(n < 100_000, "a runaway listing: {n} requests");
        if self.fail_at == Some(n) {
            self.failed.set(true);
            return ready(Err(format!("injected failure at request {n}")));
        }
        ready(Ok(self.answer(&input)))
    }
}

/// How a run consumes the paginator.
#[derive(Clone, Copy, Debug)]
enum Consumer {
    ItemsBlocking,
    ItemsStream,
    PagesBlocking,
    PagesStream,
}

/// How a resume token is handed to the next run.
#[derive(Clone, Copy, Debug)]
enum Handoff {
    AsIs,
    /// `<token>___<n>`, as older botocore wrote them.
    Legacy,
    /// The same JSON with `boto_truncate_amount` first and no spaces.
    Reordered,
}

fn handoff(resume: &str, how: Handoff) -> String {
    use base64::Engine as _;
    let point = token::decode("NextToken", resume, false).expect("our own token decodes");
    let skip = point.truncate.unwrap_or(0);
    match how {
        Handoff::AsIs => resume.to_owned(),
        Handoff::Legacy => match &point.token {
            ServiceToken::Null => format!("None___{skip}"),
            ServiceToken::Value(t) => format!("{t}___{skip}"),
        },
        Handoff::Reordered => {
            let t = match &point.token {
                ServiceToken::Null => serde_json::Value::Null,
                ServiceToken::Value(t) => serde_json::Value::String(t.clone()),
            };
            base64::engine::general_purpose::STANDARD.encode(format!(
                r#"{{"boto_truncate_amount":{skip},"NextToken":{t}}}"#
            ))
        }
    }
}

/// Why a run ended.
#[derive(Clone, Debug, PartialEq)]
enum Ended {
    Exhausted,
    MaxItems,
    Stopped,
    SourceError,
    Loop,
}

/// One run: items received, why it ended, the resume token.
fn run_once(
    service: &Service,
    config: PaginationConfig,
    consumer: Consumer,
    stop_after: Option<usize>,
) -> (Vec<String>, Ended, Option<String>) {
    let input = GetIntegrationsRequest::builder()
        .api_id("api")
        .build()
        .unwrap();
    let paginator = Paginator::<GetIntegrations, _>::new(service.clone(), input, config)
        .expect("our resume tokens are accepted");
    // Item consumers may stop mid-page; page consumers stop between pages. Each unit
    // is the ids it carries (one for an item, the page's for a page).
    let mut units = 0;
    let mut got = Vec::new();
    let mut error = None;
    let mut stopped = false;
    let mut consume =
        |next: &mut dyn FnMut() -> Option<Result<Vec<String>, PaginationError<String>>>| {
            loop {
                if stop_after.is_some_and(|n| units == n) {
                    stopped = true;
                    break;
                }
                match next() {
                    Some(Ok(ids)) => {
                        got.extend(ids);
                        units += 1;
                    }
                    Some(Err(e)) => {
                        error = Some(e);
                        break;
                    }
                    None => break,
                }
            }
        };
    let item = |i: Integration| vec![i.integration_id.unwrap()];
    let page = |p: GetIntegrationsResponse| {
        p.items
            .unwrap_or_default()
            .into_iter()
            .map(|i| i.integration_id.unwrap())
            .collect::<Vec<_>>()
    };
    // The blocking forms go through their `Iterator`s; the async ones through the
    // `Stream`s themselves.
    let resume = match consumer {
        Consumer::ItemsBlocking => {
            let mut items = paginator.items_blocking();
            consume(&mut || items.next().map(|r| r.map(item)));
            items.resume_token()
        }
        Consumer::ItemsStream => {
            let mut items = paginator.items();
            consume(&mut || futures::executor::block_on(items.next()).map(|r| r.map(item)));
            items.resume_token()
        }
        Consumer::PagesBlocking => {
            let mut pages = paginator.pages_blocking();
            consume(&mut || pages.next().map(|r| r.map(page)));
            pages.resume_token()
        }
        Consumer::PagesStream => {
            let mut pages = paginator.pages();
            consume(&mut || futures::executor::block_on(pages.next()).map(|r| r.map(page)));
            pages.resume_token()
        }
    };
    let ended = match error {
        Some(PaginationError::Source(_)) => Ended::SourceError,
        Some(PaginationError::DuplicateToken { .. } | PaginationError::Cycle { .. }) => Ended::Loop,
        Some(other) => panic!("unexpected error {other}"),
        None if stopped => Ended::Stopped,
        None if resume.is_some() => Ended::MaxItems,
        None => Ended::Exhausted,
    };
    (got, ended, resume)
}

/// A listing as a user drives it: runs until no resume token is left. Returns every
/// item received and how the last run ended.
#[allow(clippy::too_many_arguments)]
fn drain(
    service: &Service,
    max_items: Option<u64>,
    page_size: Option<u32>,
    stop_after: Option<usize>,
    consumers: &[Consumer],
    handoffs: &[Handoff],
) -> (Vec<String>, Ended) {
    let mut received = Vec::new();
    let mut start: Option<String> = None;
    for run in 0..2000 {
        let config = PaginationConfig {
            max_items,
            page_size,
            starting_token: start.take(),
        };
        let consumer = consumers[run % consumers.len()];
        let (got, ended, resume) = run_once(service, config, consumer, stop_after);
        if let Some(max) = max_items {
            assert!(
                got.len() as u64 <= max,
                "run {run} ({consumer:?}) yielded {} items, MaxItems {max}",
                got.len()
            );
        }
        match ended {
            Ended::Exhausted => assert_eq!(resume, None, "an exhausted run has no token"),
            Ended::MaxItems => {
                assert_eq!(
                    got.len() as u64,
                    max_items.expect("only MaxItems ends a run early")
                );
                assert!(resume.is_some());
            }
            Ended::SourceError => assert!(resume.is_some(), "an error leaves a token"),
            Ended::Loop => assert_eq!(resume, None, "no token after a loop"),
            Ended::Stopped => {}
        }
        received.extend(got);
        match resume {
            Some(token) => start = Some(handoff(&token, handoffs[run % handoffs.len()])),
            None => return (received, ended),
        }
    }
    panic!("pagination did not finish in 2000 runs; received {received:?}");
}

fn page_spec() -> impl Strategy<Value = PageSpec> {
    (0usize..5, prop::bool::weighted(0.15)).prop_map(|(size, absent)| PageSpec {
        size: if absent { 0 } else { size },
        absent,
    })
}

fn finite_layout() -> impl Strategy<Value = Layout> {
    prop_oneof![
        (prop::collection::vec(page_spec(), 1..12), any::<bool>())
            .prop_map(|(pages, empty_last)| Layout::Scripted { pages, empty_last }),
        (0usize..40, 1usize..7, any::<bool>()).prop_map(|(total, default_size, empty_last)| {
            Layout::Offsets {
                total,
                default_size,
                empty_last,
            }
        }),
    ]
}

fn consumers() -> impl Strategy<Value = Vec<Consumer>> {
    prop::collection::vec(
        prop_oneof![
            Just(Consumer::ItemsBlocking),
            Just(Consumer::ItemsStream),
            Just(Consumer::PagesBlocking),
            Just(Consumer::PagesStream),
        ],
        1..4,
    )
}

fn handoffs() -> impl Strategy<Value = Vec<Handoff>> {
    prop::collection::vec(
        prop_oneof![
            Just(Handoff::AsIs),
            Just(Handoff::Legacy),
            Just(Handoff::Reordered)
        ],
        1..4,
    )
}

/// The items of the walk through a cyclic layout, as far as `len` items.
fn cyclic_walk(sizes: &[usize], back_to: usize, len: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut index = 0;
    while out.len() < len {
        out.extend((0..sizes[index]).map(|j| format!("{index}.{j}")));
        index = if index + 1 < sizes.len() {
            index + 1
        } else {
            back_to
        };
    }
    out.truncate(len);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn resuming_loses_and_repeats_nothing(
        layout in finite_layout(),
        max_items in prop::option::of(1u64..9),
        page_size in prop::option::of(1u32..6),
        stop_after in prop::option::of(1usize..7),
        fail in prop::option::of(0usize..12),
        consumers in consumers(),
        handoffs in handoffs(),
    ) {
        let probe = Service::new(layout.clone(), None);
        // Within the requests the listing must make, so it always fires.
        let fail_at = fail.map(|f| f % probe.pages_at_least());
        let service = Service::new(layout, fail_at);
        let (received, ended) =
            drain(&service, max_items, page_size, stop_after, &consumers, &handoffs);
        prop_assert_eq!(received, service.all_items());
        // The last run ran out of pages, or stopped exactly at the last item.
        prop_assert!(matches!(ended, Ended::Exhausted | Ended::Stopped), "{ended:?}");
        prop_assert_eq!(service.failed.get(), fail_at.is_some(), "the injected error fired");
    }

    #[test]
    fn a_token_cycle_ends_the_listing_with_a_loop_error(
        sizes in prop::collection::vec(0usize..4, 1..10),
        back in any::<prop::sample::Index>(),
        fail in prop::option::of(0usize..10),
        consumers in consumers(),
        handoffs in handoffs(),
    ) {
        let back_to = back.index(sizes.len());
        let fail_at = fail.map(|f| f % sizes.len());
        let service = Service::new(Layout::Cyclic { sizes: sizes.clone(), back_to }, fail_at);
        let (received, ended) = drain(&service, None, None, None, &consumers, &handoffs);
        prop_assert_eq!(ended, Ended::Loop);
        let walk = cyclic_walk(&sizes, back_to, received.len());
        prop_assert_eq!(&received, &walk, "a prefix of what the service served");
        // The repeat is seen at the first token that comes back: within one lap after
        // the cycle starts (two runs when an error split the listing).
        let bound = 2 * (sizes.len() + 2);
        prop_assert!(service.requests.get() <= bound, "{} requests", service.requests.get());
        prop_assert_eq!(service.failed.get(), fail_at.is_some());
    }
}

/// A cycle longer than the window of tokens compared exactly is still caught, with a
/// bounded number of extra pages.
#[test]
fn a_cycle_longer_than_the_exact_window_is_still_caught() {
    let pages = CYCLE_WINDOW + 300;
    let sizes = vec![1; pages];
    for consumer in [Consumer::ItemsBlocking, Consumer::PagesStream] {
        let service = Service::new(
            Layout::Cyclic {
                sizes: sizes.clone(),
                back_to: 0,
            },
            None,
        );
        let (got, ended, resume) = run_once(&service, PaginationConfig::default(), consumer, None);
        assert_eq!(ended, Ended::Loop, "{consumer:?}");
        assert_eq!(resume, None);
        assert_eq!(got, cyclic_walk(&sizes, 0, got.len()));
        assert!(got.len() > pages, "it went round at least once");
        assert!(
            service.requests.get() <= 3 * pages,
            "{} requests for a cycle of {pages}",
            service.requests.get()
        );
    }
}
