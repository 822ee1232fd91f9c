//! `--query`: a JMESPath expression applied to the output as the AWS CLI applies it
//! (once on the whole result for json and table, per page for text, on the one
//! response with `--no-paginate`). The engine is jpx-core (spec functions only), on
//! `serde_json::Value` with insertion order kept, as jmespath.py keeps a dict's.

use std::sync::LazyLock;

use jpx_core::functions::{ArgumentType, CustomFunction, Signature};
use jpx_core::{Runtime, SearchResult};
use serde_json::{Number, Value};

/// The spec's functions, with those whose results differ from jmespath.py's (which
/// the AWS CLI uses) replaced: `abs`, `ceil`, `floor` and `sum` keep Python's int vs
/// float, `to_string` escapes non-ASCII as `json.dumps` does.
static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    let mut runtime = Runtime::new();
    runtime.register_builtin_functions();
    let number = || Signature::new(vec![ArgumentType::Number], None);
    let numbers = || {
        Signature::new(
            vec![ArgumentType::TypedArray(Box::new(ArgumentType::Number))],
            None,
        )
    };
    let custom = |signature, f: fn(&[Value]) -> Value| {
        Box::new(CustomFunction::new(
            signature,
            Box::new(
                move |args: &[Value], _: &mut jpx_core::Context<'_>| -> SearchResult {
                    Ok(f(args))
                },
            ),
        ))
    };
    runtime.register_function("abs", custom(number(), |a| python_abs(&a[0])));
    runtime.register_function("ceil", custom(number(), |a| python_round(&a[0], f64::ceil)));
    runtime.register_function(
        "floor",
        custom(number(), |a| python_round(&a[0], f64::floor)),
    );
    runtime.register_function("sum", custom(numbers(), |a| python_sum(&a[0])));
    runtime.register_function(
        "to_string",
        custom(Signature::new(vec![ArgumentType::Any], None), |a| {
            python_to_string(&a[0])
        }),
    );
    runtime
});

fn float(value: f64) -> Value {
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

/// `abs`: an int stays an int.
fn python_abs(value: &Value) -> Value {
    match value.as_i64() {
        Some(i) if i != i64::MIN => Value::from(i.abs()),
        _ => match value.as_u64() {
            Some(u) => Value::from(u),
            None => float(value.as_f64().unwrap_or(f64::NAN).abs()),
        },
    }
}

/// `ceil` and `floor`: Python's `math.ceil`/`math.floor` give an int.
fn python_round(value: &Value, round: fn(f64) -> f64) -> Value {
    if value.is_i64() || value.is_u64() {
        return value.clone();
    }
    let rounded = round(value.as_f64().unwrap_or(f64::NAN));
    if rounded.abs() < 9.0e15 {
        Value::from(rounded as i64)
    } else {
        float(rounded)
    }
}

/// `sum`: ints add up to an int; a float anywhere makes a float (Python's `sum`).
fn python_sum(values: &Value) -> Value {
    let items = values.as_array().map(Vec::as_slice).unwrap_or_default();
    if items.iter().all(Value::is_i64) {
        let total = items
            .iter()
            .try_fold(0i64, |acc, v| acc.checked_add(v.as_i64().unwrap_or(0)));
        if let Some(total) = total {
            return Value::from(total);
        }
    }
    float(items.iter().filter_map(Value::as_f64).sum())
}

/// `to_string`: a string as is, anything else as `json.dumps(value, separators=(',',
/// ':'))`, non-ASCII characters escaped.
fn python_to_string(value: &Value) -> Value {
    if let Value::String(s) = value {
        return Value::String(s.clone());
    }
    let compact = serde_json::to_string(value).unwrap_or_default();
    let mut out = String::with_capacity(compact.len());
    for c in compact.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    Value::String(out)
}

/// A compiled `--query`.
pub struct Query {
    expression: jpx_core::Expression<'static>,
}

impl Query {
    /// Compiles `text`; the error is the AWS CLI's line for a bad `--query`.
    pub fn new(text: &str) -> Result<Self, String> {
        RUNTIME
            .compile(text)
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

    /// The same expressions through jmespath.py (the AWS CLI's engine, in `.venv`) and
    /// through `Query`: equal results, ints and floats told apart, key order included.
    #[test]
    fn results_equal_jmespath_py_including_int_versus_float() {
        let Some(python) = apigw_tests::python::venv_program("python") else {
            return;
        };
        let data = json!({
            "Items": [
                {"Id": "b", "Timeout": 30000, "Ratio": 2.5, "Name": "caf\u{e9}", "Tags": {"z": "1", "a": "2"}},
                {"Id": "a", "Timeout": 50, "Ratio": -1.25, "Name": "\u{1f600}", "Tags": {}}
            ],
            "Empty": [],
            "Mixed": [1, 2.5, 3]
        });
        let expressions = [
            "abs(Items[1].Ratio)",
            "abs(`-3`)",
            "ceil(Items[0].Ratio)",
            "floor(Items[1].Ratio)",
            "ceil(Items[0].Timeout)",
            "sum(Items[].Timeout)",
            "sum(Mixed)",
            "sum(Empty)",
            "avg(Items[].Timeout)",
            "to_string(Items[0].Name)",
            "to_string(Items[1])",
            "to_string(Items[].Name)",
            "max(Items[].Timeout)",
            "min_by(Items, &Ratio).Id",
            "sort(Items[].Id)",
            "Items[0].Tags",
            "keys(Items[0].Tags)",
            "Items[].{N: Name, T: Timeout}",
            "length(Items[0].Name)",
            "reverse(Items[].Id)",
            "not_null(Missing, Items[0].Id)",
            "join(', ', Items[].Id)",
            "to_number('1.50')",
            "to_number('12')",
        ];
        let script = "import json, sys, jmespath\n\
            data, exprs = json.load(sys.stdin)\n\
            out = []\n\
            for e in exprs:\n\
            \x20   try:\n\
            \x20       out.append({'ok': jmespath.search(e, data)})\n\
            \x20   except Exception as x:\n\
            \x20       out.append({'error': str(x)})\n\
            print(json.dumps(out))\n";
        let mut child = std::process::Command::new(python)
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python runs");
        {
            use std::io::Write as _;
            let input = serde_json::to_vec(&json!([data, expressions])).unwrap();
            child.stdin.take().unwrap().write_all(&input).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let theirs: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(theirs.len(), expressions.len());
        for (expression, theirs) in expressions.iter().zip(theirs) {
            let ours = Query::new(expression).and_then(|q| q.apply(&data));
            match (theirs.get("ok"), ours) {
                (Some(want), Ok(got)) => {
                    assert_eq!(&got, want, "{expression}");
                    assert_eq!(
                        serde_json::to_string(&got).unwrap(),
                        serde_json::to_string(want).unwrap(),
                        "{expression}: key order"
                    );
                }
                (None, Err(_)) => {}
                (want, got) => panic!("{expression}: jmespath.py {want:?}, ours {got:?}"),
            }
        }
    }
}
