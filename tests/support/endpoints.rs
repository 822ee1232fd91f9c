//! Endpoint test cases of a model (`smithy.rules#endpointTests`), and the check that a
//! rule set resolves one as published.

use std::path::Path;

use apigw_runtime::endpoint::{Params, Partitions, RuleSet};
use serde_json::Value;

/// A JSON file, read and parsed (a test input: failures panic naming the file).
pub fn read_json(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The traits of the model's service shape.
pub fn service_traits(model: &Value) -> &Value {
    model["shapes"]
        .as_object()
        .and_then(|shapes| shapes.values().find(|s| s["type"] == "service"))
        .map(|s| &s["traits"])
        .expect("the model has a service shape")
}

/// The `endpointTests` cases of the model in `path` (none when it has none).
pub fn endpoint_cases(path: &Path) -> Vec<Value> {
    service_traits(&read_json(path))["smithy.rules#endpointTests"]["testCases"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// A case's `params` (none given: no parameter set).
pub fn case_params(case: &Value) -> Params {
    Params::from_json(case.get("params").unwrap_or(&serde_json::json!({})))
        .unwrap_or_else(|e| panic!("{case}: {e}"))
}

/// `rules` resolves `case` to the URL or the error message it publishes.
pub fn assert_resolves_as_published(rules: &RuleSet, case: &Value, table: &Partitions) {
    let got = rules.resolve(&case_params(case), table);
    match case["expect"].get("error").and_then(Value::as_str) {
        Some(error) => assert_eq!(
            got.map(|e| e.url).map_err(|e| e.message().to_owned()),
            Err(error.to_owned()),
            "{case}"
        ),
        None => assert_eq!(
            got.map(|e| e.url).map_err(|e| e.message().to_owned()),
            Ok(case["expect"]["endpoint"]["url"]
                .as_str()
                .unwrap_or_default()
                .to_owned()),
            "{case}"
        ),
    }
}
