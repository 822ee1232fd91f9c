//! Inputs shared by the benchmarks.

use std::path::PathBuf;

use apigw_codegen::Input;

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
