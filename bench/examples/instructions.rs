//! Repeats one unit of work N times, for an instruction count under callgrind, which
//! unlike wall time does not move with the VM's neighbours:
//!
//! ```sh
//! cargo build --release -p apigw-bench --example instructions
//! for n in 1 21; do
//!   valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.$n \
//!     target/release/examples/instructions typed 100 $n
//! done
//! # per unit: (I refs at 21 - I refs at 1) / 20
//! ```
//!
//! Units: `typed` (`json_body` of a GetIntegrations page of ITEMS items into our
//! response), `view` (the same page into its borrowed view), `ours` and `sdk` (a whole
//! `get_integrations` call over in-memory HTTP returning that page, through our client
//! and aws-sdk-apigatewayv2), `ours_view` (the same call through our client, the body
//! read into its borrowed view), `codegen` and `codegen_without_views` (the
//! full official model into a crate; ITEMS is ignored). The system allocator, as in
//! the criterion benchmarks of deserialization (`cargo xtask codegen` itself runs with
//! mimalloc).

use apigw_model::client::ApiGatewayV2 as _;
use apigw_model::operation::get_integrations::{
    GetIntegrations, GetIntegrationsRequest, GetIntegrationsResponse,
};
use apigw_runtime::http::{HttpClient as _, Unparsed};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage =
        "usage: instructions typed|view|ours|ours_view|sdk|codegen|codegen_without_views ITEMS N";
    let (Some(unit), Some(items), Some(n)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let (Ok(items), Ok(n)) = (items.parse::<usize>(), n.parse::<usize>()) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let page = bytes::Bytes::from(apigw_tests::fixtures::page_bytes(items));
    let rt = apigw_bench::runtime();
    let mut total = 0usize;
    match unit.as_str() {
        "typed" => {
            for _ in 0..n {
                let r: GetIntegrationsResponse =
                    apigw_runtime::http::json_body(200, std::hint::black_box(&page)).unwrap();
                total += r.items.map_or(0, |i| i.len());
            }
        }
        "view" => {
            for _ in 0..n {
                let r = GetIntegrationsResponse::from_slice_borrowed(std::hint::black_box(&page))
                    .unwrap();
                total += r.items.map_or(0, |i| i.len());
            }
        }
        "ours_view" => {
            let client = apigw_bench::our_client(&rt, page.clone());
            let request = GetIntegrationsRequest::builder()
                .api_id("bench")
                .build()
                .unwrap();
            for _ in 0..n {
                let raw = rt
                    .block_on(client.send::<Unparsed<GetIntegrations>>(request.clone()))
                    .unwrap();
                let r = GetIntegrationsResponse::from_slice_borrowed(&raw.body).unwrap();
                total += r.items.map_or(0, |i| i.len());
            }
        }
        "ours" => {
            let client = apigw_bench::our_client(&rt, page.clone());
            let request = GetIntegrationsRequest::builder()
                .api_id("bench")
                .build()
                .unwrap();
            for _ in 0..n {
                let r = rt
                    .block_on(client.get_integrations(request.clone()))
                    .unwrap();
                total += r.items.map_or(0, |i| i.len());
            }
        }
        "sdk" => {
            let client = apigw_bench::sdk_client(page.clone());
            for _ in 0..n {
                let r = rt
                    .block_on(client.get_integrations().api_id("bench").send())
                    .unwrap();
                total += r.items().len();
            }
        }
        "codegen" | "codegen_without_views" => {
            let inputs = apigw_bench::official_model_inputs();
            let config = apigw_codegen::CrateConfig {
                name: "apigw-full-model".into(),
                version: "0.1.0".into(),
                runtime_dependency: "{ path = \"../apigw-runtime\" }".into(),
                paginator_dependency: "{ path = \"../apigw-paginator\" }".into(),
                client_dependency: "{ path = \"../apigw-client\" }".into(),
                views: unit == "codegen",
            };
            for _ in 0..n {
                total += apigw_codegen::generate(std::hint::black_box(&inputs), &config)
                    .unwrap()
                    .files
                    .len();
            }
        }
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    }
    println!("{total}");
}
