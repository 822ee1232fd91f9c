//! Codegen of the full official ApiGatewayV2 model: read + ir + emit + format.

use apigw_codegen::CrateConfig;

fn main() {
    divan::main();
}

fn config() -> CrateConfig {
    CrateConfig {
        name: "apigw-full-model".into(),
        version: "0.1.0".into(),
        runtime_dependency: "{ path = \"../apigw-runtime\" }".into(),
        paginator_dependency: "{ path = \"../apigw-paginator\" }".into(),
    }
}

/// All stages, as `cargo xtask codegen` runs them (file reading excluded).
#[divan::bench(sample_count = 30)]
fn full_model_generate(bencher: divan::Bencher) {
    let inputs = apigw_bench::official_model_inputs();
    let config = config();
    bencher.bench(|| apigw_codegen::generate(divan::black_box(&inputs), &config).unwrap());
}

/// read + ir only.
#[divan::bench(sample_count = 30)]
fn full_model_resolve(bencher: divan::Bencher) {
    let inputs = apigw_bench::official_model_inputs();
    bencher.bench(|| apigw_codegen::resolve(divan::black_box(&inputs)).unwrap());
}
