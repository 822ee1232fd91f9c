//! Per-call overhead: an empty GetIntegrations page through our client and through
//! aws-sdk-apigatewayv2, both over in-memory HTTP (serialization, endpoint, SigV4
//! signing, response handling).

use apigw_model::client::ApiGatewayV2 as _;
use apigw_model::operation::get_integrations::GetIntegrationsRequest;
use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};

fn request(c: &mut Criterion) {
    let rt = apigw_bench::runtime();
    let empty = Bytes::from_static(br#"{"items": []}"#);
    let mut group = c.benchmark_group("request");
    let ours = apigw_bench::our_client(&rt, empty.clone());
    let input = GetIntegrationsRequest::builder()
        .api_id("a1b2c3")
        .build()
        .unwrap();
    group.bench_function("apigw_client_empty_page", |b| {
        b.iter(|| rt.block_on(ours.get_integrations(input.clone())).unwrap())
    });
    let sdk = apigw_bench::sdk_client(empty);
    group.bench_function("aws_sdk_empty_page", |b| {
        b.iter(|| {
            rt.block_on(sdk.get_integrations().api_id("a1b2c3").send())
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, request);
criterion_main!(benches);
