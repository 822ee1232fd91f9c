//! A GetIntegrations page (every member filled) of 100 and 1,000 integrations, on the
//! same bytes: into our typed response, into its borrowed view, into
//! `serde_json::Value`, through our client over in-memory HTTP (into the typed
//! response, and unparsed then into the borrowed view), and through
//! aws-sdk-apigatewayv2's `get_integrations().send()` over in-memory HTTP.

use apigw_model::client::ApiGatewayV2 as _;
use apigw_model::operation::get_integrations::{
    GetIntegrations, GetIntegrationsRequest, GetIntegrationsResponse,
};
use apigw_runtime::http::{HttpClient as _, Unparsed};
use apigw_tests::fixtures::page_bytes;
use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn deserialize(c: &mut Criterion) {
    let rt = apigw_bench::runtime();
    let mut group = c.benchmark_group("deserialize");
    for items in [100usize, 1000] {
        let bytes = Bytes::from(page_bytes(items));
        // The same bytes for the botocore reference (`cargo xtask bench` parses them).
        std::fs::write(
            apigw_bench::results_dir().join(format!("page-{items}.json")),
            &bytes,
        )
        .expect("target/apigw-bench is writable");
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        // What the client does with a response body.
        group.bench_with_input(
            BenchmarkId::new("apigw_typed", items),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    apigw_runtime::http::json_body::<GetIntegrationsResponse>(
                        200,
                        std::hint::black_box(bytes),
                    )
                    .unwrap()
                })
            },
        );
        // The same body, strings borrowed from it.
        group.bench_with_input(BenchmarkId::new("apigw_view", items), &bytes, |b, bytes| {
            b.iter(|| {
                GetIntegrationsResponse::from_slice_borrowed(std::hint::black_box(bytes))
                    .unwrap()
                    .items
                    .map(|i| i.len())
            })
        });
        group.bench_with_input(
            BenchmarkId::new("serde_json_value", items),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    serde_json::from_slice::<serde_json::Value>(std::hint::black_box(bytes))
                        .unwrap()
                })
            },
        );
        let ours = apigw_bench::our_client(&rt, bytes.clone());
        let request = GetIntegrationsRequest::builder()
            .api_id("bench")
            .build()
            .unwrap();
        group.bench_with_input(
            BenchmarkId::new("apigw_client_send", items),
            &items,
            |b, &items| {
                b.iter(|| {
                    let page = rt.block_on(ours.get_integrations(request.clone())).unwrap();
                    assert_eq!(page.items.map(|i| i.len()), Some(items));
                })
            },
        );
        // The whole call, its body read into the borrowed view: every member readable.
        group.bench_with_input(
            BenchmarkId::new("apigw_client_view", items),
            &items,
            |b, &items| {
                b.iter(|| {
                    let page = rt
                        .block_on(ours.send::<Unparsed<GetIntegrations>>(request.clone()))
                        .unwrap();
                    let view = GetIntegrationsResponse::from_slice_borrowed(&page.body).unwrap();
                    assert_eq!(view.items.map(|i| i.len()), Some(items));
                })
            },
        );
        let sdk = apigw_bench::sdk_client(bytes.clone());
        group.bench_with_input(
            BenchmarkId::new("aws_sdk_send", items),
            &items,
            |b, &items| {
                b.iter(|| {
                    let page = rt
                        .block_on(sdk.get_integrations().api_id("bench").send())
                        .unwrap();
                    assert_eq!(page.items().len(), items);
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, deserialize);
criterion_main!(benches);
