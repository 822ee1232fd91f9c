//! Property: whatever the page sequence, `MaxItems`, `PageSize`, early stops and
//! injected errors, following resume tokens run after run yields every item exactly
//! once and in order.

use std::cell::Cell;
use std::future::{Ready, ready};
use std::rc::Rc;

use apigw_model::operation::get_integrations::{
    GetIntegrations, GetIntegrationsRequest, GetIntegrationsResponse,
};
use apigw_model::types::Integration;
use apigw_paginator::{PageSource, PaginationConfig, Paginator};
use proptest::prelude::*;

/// How the fake service cuts its items into pages.
#[derive(Clone, Debug)]
enum Layout {
    /// Fixed pages (empty ones allowed), requested by tokens `p1`, `p2`, ...; the
    /// page size is ignored, as some services do.
    Scripted(Vec<usize>),
    /// `total` items served from an offset token, honouring the page size (default
    /// `default_size`).
    Offsets { total: usize, default_size: usize },
}

#[derive(Clone)]
struct Service {
    layout: Rc<Layout>,
    requests: Rc<Cell<usize>>,
    fail_at: Option<usize>,
}

fn item(n: usize) -> Integration {
    Integration::builder().integration_id(n.to_string()).build()
}

impl Service {
    fn all_items(&self) -> Vec<String> {
        let total = match &*self.layout {
            Layout::Scripted(sizes) => sizes.iter().sum(),
            Layout::Offsets { total, .. } => *total,
        };
        (0..total).map(|n| n.to_string()).collect()
    }

    fn answer(&self, input: &GetIntegrationsRequest) -> GetIntegrationsResponse {
        match &*self.layout {
            Layout::Scripted(sizes) => {
                let index: usize = input
                    .next_token
                    .as_deref()
                    .map_or(0, |t| t.trim_start_matches('p').parse().unwrap());
                let first: usize = sizes[..index].iter().sum();
                GetIntegrationsResponse::builder()
                    .set_items(Some((first..first + sizes[index]).map(item).collect()))
                    .set_next_token((index + 1 < sizes.len()).then(|| format!("p{}", index + 1)))
                    .build()
            }
            Layout::Offsets {
                total,
                default_size,
            } => {
                let offset: usize = input
                    .next_token
                    .as_deref()
                    .map_or(0, |t| t.trim_start_matches('o').parse().unwrap());
                let size = input
                    .max_results
                    .as_deref()
                    .map_or(*default_size, |s| s.parse().unwrap());
                let end = (offset + size).min(*total);
                GetIntegrationsResponse::builder()
                    .set_items(Some((offset..end).map(item).collect()))
                    .set_next_token((end < *total).then(|| format!("o{end}")))
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
        if self.fail_at == Some(n) {
            return ready(Err(format!("injected failure at request {n}")));
        }
        ready(Ok(self.answer(&input)))
    }
}

fn layout() -> impl Strategy<Value = Layout> {
    prop_oneof![
        prop::collection::vec(0usize..5, 1..12).prop_map(Layout::Scripted),
        (0usize..40, 1usize..7).prop_map(|(total, default_size)| Layout::Offsets {
            total,
            default_size
        }),
    ]
}

/// Runs until no resume token is left; returns every item received.
fn drain(
    service: &Service,
    max_items: Option<u64>,
    page_size: Option<u32>,
    stop_after: Option<usize>,
) -> Vec<String> {
    let input = GetIntegrationsRequest::builder()
        .api_id("api")
        .build()
        .unwrap();
    let mut received = Vec::new();
    let mut start = None;
    for _run in 0..1000 {
        let config = PaginationConfig {
            max_items,
            page_size,
            starting_token: start.take(),
        };
        let mut items =
            Paginator::<GetIntegrations, _>::new(service.clone(), input.clone(), config)
                .unwrap()
                .items_blocking();
        let mut this_run = 0;
        loop {
            if stop_after.is_some_and(|n| this_run == n) {
                break; // the caller stops early, mid-page or not
            }
            match items.next() {
                Some(Ok(item)) => {
                    received.push(item.integration_id.unwrap());
                    this_run += 1;
                }
                Some(Err(_)) | None => break,
            }
        }
        match items.resume_token() {
            Some(token) => start = Some(token),
            None => return received,
        }
    }
    panic!("pagination did not finish in 1000 runs; received {received:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn resuming_loses_and_repeats_nothing(
        layout in layout(),
        max_items in prop::option::of(1u64..9),
        page_size in prop::option::of(1u32..6),
        stop_after in prop::option::of(1usize..7),
        fail_at in prop::option::of(0usize..12),
    ) {
        let service = Service {
            layout: Rc::new(layout),
            requests: Rc::default(),
            fail_at,
        };
        let received = drain(&service, max_items, page_size, stop_after);
        prop_assert_eq!(received, service.all_items());
    }
}
