//! Codegen of the full official ApiGatewayV2 model: read + ir + emit + format, with the
//! borrowed views (as `cargo xtask codegen` writes crates) and without.

use apigw_codegen::CrateConfig;
use criterion::{Criterion, criterion_group, criterion_main};

// The allocator `cargo xtask codegen` runs with, so the figure is the tool's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What `cargo xtask codegen` writes (`views`), or the owned types alone.
fn config(views: bool) -> CrateConfig {
    CrateConfig {
        name: "apigw-full-model".into(),
        version: "0.1.0".into(),
        runtime_dependency: "{ path = \"../apigw-runtime\" }".into(),
        paginator_dependency: "{ path = \"../apigw-paginator\" }".into(),
        client_dependency: "{ path = \"../apigw-client\" }".into(),
        views,
    }
}

fn codegen(c: &mut Criterion) {
    let inputs = apigw_bench::official_model_inputs();
    let mut group = c.benchmark_group("codegen");
    group.sample_size(30);
    let config = config(true);
    group.bench_function("full_model", |b| {
        b.iter(|| apigw_codegen::generate(std::hint::black_box(&inputs), &config).unwrap())
    });
    // The scope of the runs before borrowed views were generated.
    let owned_only = self::config(false);
    group.bench_function("full_model_without_views", |b| {
        b.iter(|| apigw_codegen::generate(std::hint::black_box(&inputs), &owned_only).unwrap())
    });
    group.bench_function("full_model_read_ir", |b| {
        b.iter(|| apigw_codegen::resolve(std::hint::black_box(&inputs)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, codegen);
criterion_main!(benches);
