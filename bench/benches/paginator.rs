//! Paginator overhead: 1,000,000 items in pages of 100 from an in-memory source, beside
//! producing and walking the same pages by hand. Peak memory ("max alloc") is reported
//! by divan's allocation profiler for 100,000 and 1,000,000 items: equal figures mean
//! memory does not grow with the number of items.

use std::convert::Infallible;
use std::future::ready;
use std::ops::Range;

use apigw_paginator::{Paginated, PaginationConfig, Paginator};
use divan::counter::ItemsCount;
use futures::StreamExt;

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

const PAGE: u64 = 100;

#[derive(Clone, Default)]
struct Input {
    token: Option<String>,
    size: Option<String>,
}

struct Output {
    items: Option<Vec<u64>>,
    next: Option<String>,
}

/// An operation shaped like GetIntegrations (string page size, optional members).
struct Numbers;

impl Paginated for Numbers {
    type Input = Input;
    type Output = Output;
    type Item = u64;
    const OPERATION: &'static str = "Numbers";
    const INPUT_TOKEN: &'static str = "NextToken";
    const RESULT_KEY: &'static str = "Items";
    const HAS_PAGE_SIZE: bool = true;

    fn input_token(input: &Input) -> Option<&str> {
        input.token.as_deref()
    }
    fn set_input_token(input: &mut Input, token: Option<String>) {
        input.token = token;
    }
    fn set_page_size(input: &mut Input, page_size: u32) {
        input.size = Some(page_size.to_string());
    }
    fn output_token(output: &Output) -> Option<&str> {
        output.next.as_deref()
    }
    fn item_count(output: &Output) -> usize {
        output.items.as_ref().map_or(0, Vec::len)
    }
    fn retain_items(output: &mut Output, keep: Range<usize>) {
        if let Some(items) = &mut output.items {
            items.truncate(keep.end);
            items.drain(..keep.start.min(items.len()));
        }
    }
    fn into_items(output: Output) -> Vec<u64> {
        output.items.unwrap_or_default()
    }
}

/// The in-memory service: parses the token and page size like a server would.
fn serve(input: &Input, total: u64) -> Output {
    let start: u64 = input.token.as_deref().map_or(0, |t| t.parse().unwrap());
    let size: u64 = input.size.as_deref().map_or(PAGE, |s| s.parse().unwrap());
    let end = (start + size).min(total);
    Output {
        items: Some((start..end).collect()),
        next: (end < total).then(|| end.to_string()),
    }
}

fn config() -> PaginationConfig {
    PaginationConfig {
        page_size: Some(PAGE as u32),
        ..Default::default()
    }
}

/// Producing and walking the pages without the paginator: the cost to subtract.
#[divan::bench(args = [100_000, 1_000_000, 4_000_000], sample_count = 10)]
fn by_hand(bencher: divan::Bencher, total: u64) {
    bencher.counter(ItemsCount::new(total)).bench(|| {
        let mut input = Input {
            token: None,
            size: Some(PAGE.to_string()),
        };
        let mut sum = 0u64;
        loop {
            let page = serve(divan::black_box(&input), total);
            for item in page.items.unwrap_or_default() {
                sum = sum.wrapping_add(divan::black_box(item));
            }
            match page.next {
                Some(next) => {
                    input.token = Some(next);
                    input.size = Some(PAGE.to_string());
                }
                None => break,
            }
        }
        sum
    });
}

#[divan::bench(args = [100_000, 1_000_000, 4_000_000], sample_count = 10)]
fn items_blocking(bencher: divan::Bencher, total: u64) {
    bencher.counter(ItemsCount::new(total)).bench(|| {
        let source =
            |input: Input| ready(Ok::<_, Infallible>(serve(divan::black_box(&input), total)));
        Paginator::<Numbers, _>::new(source, Input::default(), config())
            .unwrap()
            .items_blocking()
            .fold(0u64, |sum, item| {
                sum.wrapping_add(divan::black_box(item.unwrap()))
            })
    });
}

#[divan::bench(args = [100_000, 1_000_000, 4_000_000], sample_count = 10)]
fn items_stream(bencher: divan::Bencher, total: u64) {
    bencher.counter(ItemsCount::new(total)).bench(|| {
        let source =
            |input: Input| ready(Ok::<_, Infallible>(serve(divan::black_box(&input), total)));
        let stream = Paginator::<Numbers, _>::new(source, Input::default(), config())
            .unwrap()
            .items();
        futures::executor::block_on(stream.fold(0u64, |sum, item| {
            ready(sum.wrapping_add(divan::black_box(item.unwrap())))
        }))
    });
}

#[divan::bench(args = [100_000, 1_000_000, 4_000_000], sample_count = 10)]
fn pages_blocking(bencher: divan::Bencher, total: u64) {
    bencher.counter(ItemsCount::new(total)).bench(|| {
        let source =
            |input: Input| ready(Ok::<_, Infallible>(serve(divan::black_box(&input), total)));
        let mut sum = 0u64;
        for page in Paginator::<Numbers, _>::new(source, Input::default(), config())
            .unwrap()
            .pages_blocking()
        {
            for item in page.unwrap().items.unwrap_or_default() {
                sum = sum.wrapping_add(divan::black_box(item));
            }
        }
        sum
    });
}
