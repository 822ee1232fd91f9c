//! `--query`: a JMESPath expression applied to the output as the AWS CLI applies it
//! (once on the whole result for json and table, per page for text, on the one
//! response with `--no-paginate`). The engine is jpx-core (spec functions only), on
//! `serde_json::Value` with insertion order kept, as jmespath.py keeps a dict's.

use serde_json::Value;

/// A compiled `--query`.
pub struct Query {
    expression: jpx_core::Expression<'static>,
}

impl Query {
    /// Compiles `text`; the error is the AWS CLI's line for a bad `--query`.
    pub fn new(text: &str) -> Result<Self, String> {
        jpx_core::compile(text)
            .map(|expression| Self { expression })
            .map_err(|e| {
                let reason = e.to_string();
                let reason = reason.lines().next().unwrap_or_default();
                format!("Bad value for --query {text}: Invalid jmespath expression: {reason}")
            })
    }

    /// The expression's result on `value`.
    pub fn apply(&self, value: &Value) -> Result<Value, String> {
        self.expression
            .search(value)
            .map_err(|e| format!("--query {}: {e}", self.expression.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn queries_select_project_and_keep_key_order() {
        let page = json!({"Items": [
            {"IntegrationId": "b", "IntegrationType": "HTTP", "TimeoutInMillis": 3},
            {"IntegrationId": "a", "IntegrationType": "MOCK", "TimeoutInMillis": 1}
        ], "NextToken": "t"});
        let q = |text: &str| Query::new(text).unwrap().apply(&page).unwrap();
        assert_eq!(q("Items[].IntegrationId"), json!(["b", "a"]));
        assert_eq!(
            q("Items[?IntegrationType=='MOCK'].IntegrationId"),
            json!(["a"])
        );
        assert_eq!(
            q("sort_by(Items, &TimeoutInMillis)[0].IntegrationId"),
            json!("a")
        );
        let hash = q("Items[0].{Z: IntegrationId, A: TimeoutInMillis}");
        let keys: Vec<&String> = hash.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Z", "A"], "multiselect keys keep their order");
        assert_eq!(q("Missing"), Value::Null);
    }

    #[test]
    fn a_bad_expression_gives_the_aws_cli_line() {
        let Err(e) = Query::new("Items[") else {
            panic!("accepted")
        };
        assert!(
            e.starts_with("Bad value for --query Items[: Invalid jmespath expression: "),
            "{e}"
        );
        assert!(!e.contains('\n'));
    }

    /// Numbers compare by value (`1` and `1.0` alike), everything else exactly.
    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
            }
            _ => a == b,
        }
    }

    /// The official JMESPath compliance suite (its JSON files ship in the jpx-core
    /// package, found through `cargo metadata`), run through `Query` as `--query`
    /// runs it: every result case gives its result, every error case fails.
    #[test]
    fn the_jmespath_compliance_suite_passes_through_query() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = std::process::Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--offline"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo metadata runs");
        let metadata: Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
        let manifest = metadata["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "jpx-core")
            .and_then(|p| p["manifest_path"].as_str())
            .expect("jpx-core is a dependency");
        let dir = std::path::Path::new(manifest)
            .parent()
            .unwrap()
            .join("tests/compliance");
        let (mut passed, mut failures) = (0, Vec::new());
        for entry in std::fs::read_dir(&dir).expect("the suite ships with jpx-core") {
            let path = entry.unwrap().path();
            let suites: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            for suite in suites.as_array().unwrap() {
                for case in suite["cases"].as_array().unwrap() {
                    if case.get("bench").is_some() {
                        // Timing cases (some deliberately invalid): no outcome to check.
                        continue;
                    }
                    let expression = case["expression"].as_str().unwrap();
                    let outcome = Query::new(expression).and_then(|q| q.apply(&suite["given"]));
                    let ok = match (case.get("result"), case.get("error"), &outcome) {
                        (Some(want), _, Ok(got)) => same(want, got),
                        (None, Some(_), Err(_)) => true,
                        _ => false,
                    };
                    if ok {
                        passed += 1;
                    } else {
                        failures.push(format!(
                            "{}: {expression}: {outcome:?}",
                            path.file_name().unwrap().to_string_lossy()
                        ));
                    }
                }
            }
        }
        assert!(
            passed > 800,
            "only {passed} cases found in {}",
            dir.display()
        );
        assert!(
            failures.is_empty(),
            "{passed} passed; failing:\n{}",
            failures.join("\n")
        );
    }
}
