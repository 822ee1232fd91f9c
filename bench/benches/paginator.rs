//! Paginator overhead: 1,000,000 items in pages of 100 from an in-memory source, beside
//! producing and walking the same pages by hand; and the peak memory of a run over
//! 100,000, 1,000,000 and 4,000,000 items (written to target/apigw-bench/paginator.json):
//! equal figures mean memory does not grow with the number of items.

use std::alloc::{GlobalAlloc, Layout, System};
use std::convert::Infallible;
use std::future::ready;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use apigw_paginator::{Paginated, PaginationConfig, Paginator};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use futures::StreamExt;

/// Counts live bytes and remembers the peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counters only
// observe sizes.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                - layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        // SAFETY: forwarded as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

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

    fn input_token(input: &Input) -> Option<std::borrow::Cow<'_, str>> {
        input.token.as_deref().map(std::borrow::Cow::Borrowed)
    }
    fn set_input_token(input: &mut Input, token: Option<String>) {
        input.token = token;
    }
    fn set_page_size(input: &mut Input, page_size: u32) {
        input.size = Some(page_size.to_string());
    }
    fn output_token(output: &Output) -> Option<std::borrow::Cow<'_, str>> {
        output.next.as_deref().map(std::borrow::Cow::Borrowed)
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

fn by_hand(total: u64) -> u64 {
    let mut input = Input {
        token: None,
        size: Some(PAGE.to_string()),
    };
    let mut sum = 0u64;
    loop {
        let page = serve(std::hint::black_box(&input), total);
        for item in page.items.unwrap_or_default() {
            sum = sum.wrapping_add(std::hint::black_box(item));
        }
        match page.next {
            Some(next) => {
                input.token = Some(next);
                input.size = Some(PAGE.to_string());
            }
            None => return sum,
        }
    }
}

fn items_blocking(total: u64) -> u64 {
    let source = move |input: Input| {
        ready(Ok::<_, Infallible>(serve(
            std::hint::black_box(&input),
            total,
        )))
    };
    Paginator::<Numbers, _>::new(source, Input::default(), config())
        .unwrap()
        .items_blocking()
        .fold(0u64, |sum, item| {
            sum.wrapping_add(std::hint::black_box(item.unwrap()))
        })
}

fn items_stream(total: u64) -> u64 {
    let source = move |input: Input| {
        ready(Ok::<_, Infallible>(serve(
            std::hint::black_box(&input),
            total,
        )))
    };
    let stream = Paginator::<Numbers, _>::new(source, Input::default(), config())
        .unwrap()
        .items();
    futures::executor::block_on(stream.fold(0u64, |sum, item| {
        ready(sum.wrapping_add(std::hint::black_box(item.unwrap())))
    }))
}

fn pages_blocking(total: u64) -> u64 {
    let source = move |input: Input| {
        ready(Ok::<_, Infallible>(serve(
            std::hint::black_box(&input),
            total,
        )))
    };
    let mut sum = 0u64;
    for page in Paginator::<Numbers, _>::new(source, Input::default(), config())
        .unwrap()
        .pages_blocking()
    {
        for item in page.unwrap().items.unwrap_or_default() {
            sum = sum.wrapping_add(std::hint::black_box(item));
        }
    }
    sum
}

/// Peak bytes allocated (above what was live before) while `f` runs.
fn peak_of(f: impl FnOnce() -> u64) -> usize {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    std::hint::black_box(f());
    PEAK.load(Ordering::Relaxed) - base
}

fn paginator(c: &mut Criterion) {
    const TOTAL: u64 = 1_000_000;
    let mut group = c.benchmark_group("paginator");
    group.sample_size(20);
    group.throughput(Throughput::Elements(TOTAL));
    group.bench_with_input(BenchmarkId::new("by_hand", TOTAL), &TOTAL, |b, &t| {
        b.iter(|| by_hand(t))
    });
    group.bench_with_input(
        BenchmarkId::new("items_blocking", TOTAL),
        &TOTAL,
        |b, &t| b.iter(|| items_blocking(t)),
    );
    group.bench_with_input(BenchmarkId::new("items_stream", TOTAL), &TOTAL, |b, &t| {
        b.iter(|| items_stream(t))
    });
    group.bench_with_input(
        BenchmarkId::new("pages_blocking", TOTAL),
        &TOTAL,
        |b, &t| b.iter(|| pages_blocking(t)),
    );
    group.finish();

    let mut rows = Vec::new();
    for (name, run) in [
        ("items_blocking", items_blocking as fn(u64) -> u64),
        ("items_stream", items_stream),
        ("pages_blocking", pages_blocking),
    ] {
        for total in [100_000u64, 1_000_000, 4_000_000] {
            rows.push(serde_json::json!({"run": name, "items": total, "peak_bytes": peak_of(|| run(total))}));
        }
    }
    let path = apigw_bench::results_dir().join("paginator.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&rows).unwrap()).unwrap();
    println!("peak memory: {}", serde_json::to_string(&rows).unwrap());
}

criterion_group!(benches, paginator);
criterion_main!(benches);
