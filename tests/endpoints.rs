//! Endpoint resolution against every published test case we have: the
//! `smithy.rules#endpointTests` of the official models in `../shared` (with the
//! partition table of the models' time) and botocore's endpoint tests (with the newest
//! table). One test walks each suite and names every failing case (URL, headers,
//! properties and error text must be exact).

use std::path::{Path, PathBuf};

use apigw_runtime::endpoint::{Params, Partitions, RuleSet};
use apigw_tests::endpoints::read_json;
use apigw_tests::require_shared;
use serde_json::Value;

fn partitions(relative: &str) -> Option<Partitions> {
    let path = require_shared(relative)?;
    Some(Partitions::from_json(&read_json(&path)).unwrap_or_else(|e| panic!("{relative}: {e}")))
}

/// Runs `cases` (an `endpointTests` value or botocore's `endpoint-tests-1.json`)
/// against `rules`; returns how many ran and a line per failure.
fn run_cases(
    name: &str,
    rules: &RuleSet,
    cases: &Value,
    table: &Partitions,
) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let list = cases["testCases"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, case) in list.iter().enumerate() {
        let label = format!(
            "{name} case {i} ({})",
            case["documentation"].as_str().unwrap_or("")
        );
        let params = match case.get("params") {
            Some(p) => match Params::from_json(p) {
                Ok(p) => p,
                Err(e) => {
                    failures.push(format!("{label}: {e}"));
                    continue;
                }
            },
            None => Params::new(),
        };
        let got = rules.resolve(&params, table);
        let expect = &case["expect"];
        if let Some(error) = expect.get("error").and_then(Value::as_str) {
            match got {
                Err(e) if e.message() == error => {}
                Err(e) => {
                    failures.push(format!("{label}: error {:?}, want {error:?}", e.message()))
                }
                Ok(e) => {
                    failures.push(format!("{label}: resolved {}, want error {error:?}", e.url))
                }
            }
            continue;
        }
        let want = &expect["endpoint"];
        let endpoint = match got {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!(
                    "{label}: error {:?}, want {}",
                    e.message(),
                    want["url"]
                ));
                continue;
            }
        };
        if want["url"].as_str() != Some(endpoint.url.as_str()) {
            failures.push(format!(
                "{label}: url {}, want {}",
                endpoint.url, want["url"]
            ));
        }
        let want_headers = want
            .get("headers")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        let got_headers = serde_json::to_value(&endpoint.headers).unwrap();
        if want_headers != got_headers {
            failures.push(format!(
                "{label}: headers {got_headers}, want {want_headers}"
            ));
        }
        let want_properties = want
            .get("properties")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        let got_properties = Value::Object(endpoint.properties.clone());
        if want_properties != got_properties {
            failures.push(format!(
                "{label}: properties {got_properties}, want {want_properties}"
            ));
        }
    }
    (list.len(), failures)
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn report(suite: &str, models: usize, cases: usize, failures: &[String], want_cases: usize) {
    eprintln!(
        "{suite}: {models} rule sets, {cases} cases, {} failing",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{suite}: {} of {cases} cases fail:\n{}",
        failures.len(),
        failures
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(cases, want_cases, "{suite}: every case was found");
}

/// Every `smithy.rules#endpointTests` case of the official models in `../shared`
/// (`models/` and the corpus), with the partition table of the models' time.
#[test]
fn every_endpoint_test_of_the_official_models_resolves_as_published() {
    let Some(table) = partitions("external/endpoints/partitions-2025-04-03.json") else {
        return;
    };
    let Some(apigw) = require_shared("models/smithy/apigatewayv2-2018-11-29.json") else {
        return;
    };
    let Some(index) = require_shared("external/corpus/index.jsonl") else {
        return;
    };
    let mut models = vec![apigw];
    models.extend(json_files(&index.parent().unwrap().join("smithy")));
    let (mut sets, mut total, mut failures) = (0, 0, Vec::new());
    for path in &models {
        let model = read_json(path);
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        for shape in model["shapes"].as_object().unwrap().values() {
            let traits = &shape["traits"];
            let (Some(rules), Some(cases)) = (
                traits.get("smithy.rules#endpointRuleSet"),
                traits.get("smithy.rules#endpointTests"),
            ) else {
                continue;
            };
            let rules = match RuleSet::from_json(rules) {
                Ok(r) => r,
                Err(e) => {
                    failures.push(format!("{name}: {e}"));
                    continue;
                }
            };
            sets += 1;
            let (n, f) = run_cases(&name, &rules, cases, &table);
            total += n;
            failures.extend(f);
        }
    }
    // The corpus's 7,227 cases (its ApiGatewayV2 model among them) and the 43 of the
    // newer ApiGatewayV2 model in `models/`.
    report(
        "official models' endpointTests",
        sets,
        total,
        &failures,
        7_227 + 43,
    );
}

/// Every case of botocore's endpoint tests, with botocore's newest rule sets and the
/// newest partition table.
#[test]
fn every_botocore_endpoint_test_resolves_as_published() {
    let Some(table) = partitions("external/endpoints/partitions-2026-01-15.json") else {
        return;
    };
    let Some(readme) = require_shared("external/endpoints/README.md") else {
        return;
    };
    let dir = readme.parent().unwrap().join("botocore");
    let mut services: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    services.sort();
    let (mut sets, mut total, mut failures) = (0, 0, Vec::new());
    for service in &services {
        let name = service.file_name().unwrap().to_string_lossy().into_owned();
        let rules = match RuleSet::from_json(&read_json(&service.join("endpoint-rule-set-1.json")))
        {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        sets += 1;
        let cases = read_json(&service.join("endpoint-tests-1.json"));
        let (n, f) = run_cases(&name, &rules, &cases, &table);
        total += n;
        failures.extend(f);
    }
    report("botocore endpoint tests", sets, total, &failures, 7_276);
}
