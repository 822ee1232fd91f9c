//! Deserializing a GetIntegrations page (every member filled) into the typed response,
//! beside `serde_json::Value` on the same bytes.

use apigw_model::operation::get_integrations::GetIntegrationsResponse;
use apigw_tests::fixtures::page_bytes;
use divan::counter::{BytesCount, ItemsCount};

fn main() {
    divan::main();
}

#[divan::bench(args = [100, 1000])]
fn typed_response(bencher: divan::Bencher, items: usize) {
    let bytes = page_bytes(items);
    bencher
        .counter(BytesCount::of_slice(&bytes))
        .counter(ItemsCount::new(items))
        .bench(|| {
            serde_json::from_slice::<GetIntegrationsResponse>(divan::black_box(&bytes)).unwrap()
        });
}

#[divan::bench(args = [100, 1000])]
fn json_value(bencher: divan::Bencher, items: usize) {
    let bytes = page_bytes(items);
    bencher
        .counter(BytesCount::of_slice(&bytes))
        .counter(ItemsCount::new(items))
        .bench(|| serde_json::from_slice::<serde_json::Value>(divan::black_box(&bytes)).unwrap());
}
