//! Inputs and clients shared by the benchmarks: the official model, pages of
//! integrations, and our client and the SDK's, both over in-memory HTTP.

use std::path::PathBuf;

use apigw_codegen::Input;
use bytes::Bytes;

/// The full official model and botocore's paginators, as codegen inputs. Benchmarks
/// need them: a missing file is an error, not a skipped benchmark.
pub fn official_model_inputs() -> Vec<Input> {
    let shared = apigw_tests::workspace_root().join("../shared/models");
    [
        shared.join("smithy/apigatewayv2-2018-11-29.json"),
        shared.join("botocore/apigatewayv2/2018-11-29/paginators-1.json"),
    ]
    .iter()
    .map(|path: &PathBuf| Input {
        name: path.file_name().unwrap().to_string_lossy().into_owned(),
        text: std::fs::read_to_string(path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (../shared must be beside the checkout)",
                path.display()
            )
        }),
    })
    .collect()
}

/// Where benchmarks leave results for `cargo xtask bench` (beside criterion's).
pub fn results_dir() -> PathBuf {
    let dir = apigw_tests::workspace_root().join("target/apigw-bench");
    std::fs::create_dir_all(&dir).expect("target/apigw-bench is writable");
    dir
}

/// A single-threaded runtime for driving async clients in benchmark loops.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Our client, answering every request with `body` (status 200), signing included.
pub fn our_client(rt: &tokio::runtime::Runtime, body: Bytes) -> apigw_client::Client {
    let transport = apigw_client::transport::from_fn(move |_request| {
        http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(body.clone())
            .expect("a response")
    });
    rt.block_on(
        apigw_client::Client::builder()
            .region("us-east-1")
            .credentials(aws_credential_types::Credentials::new(
                "AKIDBENCH",
                "bench/secret",
                None,
                None,
                "bench",
            ))
            .transport(transport)
            .build(),
    )
    .expect("our client builds")
}

/// aws-sdk-apigatewayv2's client, answering every request with `body` (status 200),
/// signing included.
pub fn sdk_client(body: Bytes) -> aws_sdk_apigatewayv2::Client {
    let http_client = aws_smithy_http_client::test_util::infallible_client_fn(move |_request| {
        http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(aws_smithy_types::body::SdkBody::from(body.clone()))
            .expect("a response")
    });
    let config = aws_sdk_apigatewayv2::Config::builder()
        .behavior_version(aws_sdk_apigatewayv2::config::BehaviorVersion::latest())
        .region(aws_sdk_apigatewayv2::config::Region::new("us-east-1"))
        .credentials_provider(aws_credential_types::Credentials::new(
            "AKIDBENCH",
            "bench/secret",
            None,
            None,
            "bench",
        ))
        .http_client(http_client)
        .build();
    aws_sdk_apigatewayv2::Client::from_conf(config)
}
