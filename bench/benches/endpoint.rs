//! Endpoint resolution: the bundled model's rule set (`apigw_model::endpoint_rules()`)
//! with the built-in partition table, for a listed region, FIPS with dual-stack in
//! another partition, and a region no table lists (matched by its partition's pattern).
//! The client resolves once per service and parameter set; this is that one time.

use apigw_runtime::endpoint::{Params, Partitions};
use criterion::{Criterion, criterion_group, criterion_main};

fn endpoint(c: &mut Criterion) {
    let rules = apigw_model::endpoint_rules();
    let partitions = Partitions::builtin();
    let mut group = c.benchmark_group("endpoint");
    let cases = [
        ("us_east_1", "us-east-1", false, false),
        ("fips_dual_stack_cn", "cn-north-1", true, true),
        ("unlisted_region", "eu-west-9", false, false),
    ];
    for (name, region, fips, dual_stack) in cases {
        let mut params = Params::new();
        params
            .set_str("Region", region)
            .set_bool("UseFIPS", fips)
            .set_bool("UseDualStack", dual_stack);
        // Resolved once before timing, as a check that the case resolves.
        rules
            .resolve(&params, partitions)
            .expect("the case resolves");
        group.bench_function(name, |b| {
            b.iter(|| rules.resolve(std::hint::black_box(&params), partitions))
        });
    }
    group.finish();
}

criterion_group!(benches, endpoint);
criterion_main!(benches);
