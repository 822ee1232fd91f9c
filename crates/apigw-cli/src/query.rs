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

/// What kind of failure a `--query` is, in the JMESPath specification's terms (the
/// error kinds of its compliance suite).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The expression does not parse.
    Syntax,
    /// A function got an argument of the wrong type.
    InvalidType,
    /// A value is not allowed (a slice step of 0).
    InvalidValue,
    /// A function got too many or too few arguments.
    InvalidArity,
    /// A function that does not exist.
    UnknownFunction,
    /// Anything else (e.g. nesting too deep).
    Other,
}

impl ErrorKind {
    /// The kind of a jpx-core error.
    fn of(error: &jpx_core::JmespathError) -> Self {
        use jpx_core::{ErrorReason, RuntimeError};
        match &error.reason {
            ErrorReason::Parse(_) => Self::Syntax,
            ErrorReason::Runtime(RuntimeError::InvalidSlice) => Self::InvalidValue,
            ErrorReason::Runtime(
                RuntimeError::TooManyArguments { .. } | RuntimeError::NotEnoughArguments { .. },
            ) => Self::InvalidArity,
            ErrorReason::Runtime(RuntimeError::UnknownFunction(_)) => Self::UnknownFunction,
            ErrorReason::Runtime(
                RuntimeError::InvalidType { .. } | RuntimeError::InvalidReturnType { .. },
            ) => Self::InvalidType,
            _ => Self::Other,
        }
    }
}

/// A `--query` that does not compile or fails on its input: its kind, and the one line
/// the CLI prints.
#[derive(Clone, Debug)]
pub struct QueryError {
    kind: ErrorKind,
    line: String,
}

impl QueryError {
    /// The kind of failure.
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "the compliance tests read it; the CLI prints the line"
        )
    )]
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.line)
    }
}

/// A compiled `--query`.
pub struct Query {
    expression: jpx_core::Expression<'static>,
}

impl Query {
    /// Compiles `text`; the error's line is the AWS CLI's for a bad `--query`.
    pub fn new(text: &str) -> Result<Self, QueryError> {
        RUNTIME
            .compile(text)
            .map(|expression| Self { expression })
            .map_err(|e| {
                let reason = e.to_string();
                let reason = reason.lines().next().unwrap_or_default();
                QueryError {
                    kind: ErrorKind::of(&e),
                    line: format!(
                        "Bad value for --query {text}: Invalid jmespath expression: {reason}"
                    ),
                }
            })
    }

    /// The expression's result on `value`.
    pub fn apply(&self, value: &Value) -> Result<Value, QueryError> {
        self.expression.search(value).map_err(|e| QueryError {
            kind: ErrorKind::of(&e),
            line: format!("--query {}: {e}", self.expression.as_str()),
        })
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
        assert_eq!(e.kind(), ErrorKind::Syntax);
        let e = e.to_string();
        assert!(
            e.starts_with("Bad value for --query Items[: Invalid jmespath expression: "),
            "{e}"
        );
        assert!(!e.contains('\n'));
    }

    /// Equal as JSON, with a number's kind counting: `1` (an integer) is not `1.0` (a
    /// float), as jmespath.py prints them differently. Object members compare
    /// regardless of order (JMESPath objects are unordered).
    fn strictly_equal(a: &Value, b: &Value) -> bool {
        equal(a, b, true)
    }

    /// Equal as JSON with numbers compared by value only (`1` equals `1.0`).
    fn loosely_equal(a: &Value, b: &Value) -> bool {
        equal(a, b, false)
    }

    fn equal(a: &Value, b: &Value, kinds: bool) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                if x.is_f64() || y.is_f64() {
                    (!kinds || x.is_f64() == y.is_f64()) && x.as_f64() == y.as_f64()
                } else {
                    x.as_i64() == y.as_i64() && x.as_u64() == y.as_u64()
                }
            }
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b, kinds))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w, kinds)))
            }
            _ => a == b,
        }
    }

    /// The compliance suite's name for an error kind.
    fn suite_kind(kind: ErrorKind) -> &'static str {
        match kind {
            ErrorKind::Syntax => "syntax",
            ErrorKind::InvalidType => "invalid-type",
            ErrorKind::InvalidValue => "invalid-value",
            ErrorKind::InvalidArity => "invalid-arity",
            ErrorKind::UnknownFunction => "unknown-function",
            ErrorKind::Other => "other",
        }
    }

    /// One case of the compliance suite.
    struct Case {
        name: String,
        given: Value,
        expression: String,
        expected: Result<Value, String>,
    }

    /// Every case of the JMESPath compliance suite as jmespath.py ships it
    /// (`../shared/external/jmespath-compliance/`), timing-only cases left out.
    fn compliance_cases() -> Option<Vec<Case>> {
        let first = apigw_tests::require_shared("external/jmespath-compliance/basic.json")?;
        let dir = first.parent().expect("a directory");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("the suite's directory is readable")
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        assert_eq!(
            files.len(),
            16,
            "the suite has 16 files in {}",
            dir.display()
        );
        let mut cases = Vec::new();
        for path in files {
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let suites: Value = serde_json::from_slice(&std::fs::read(&path).unwrap())
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            for (s, suite) in suites.as_array().unwrap().iter().enumerate() {
                for (c, case) in suite["cases"].as_array().unwrap().iter().enumerate() {
                    if case.get("bench").is_some() {
                        continue;
                    }
                    let expected = match (case.get("result"), case.get("error")) {
                        (Some(result), None) => Ok(result.clone()),
                        (None, Some(Value::String(kind))) => Err(kind.clone()),
                        _ => panic!("{file} suite {s} case {c}: neither result nor error"),
                    };
                    cases.push(Case {
                        name: format!("{file} suite {s} case {c}"),
                        given: suite["given"].clone(),
                        expression: case["expression"].as_str().unwrap().to_owned(),
                        expected,
                    });
                }
            }
        }
        Some(cases)
    }

    /// Runs `script` with `.venv`'s `python`, `input` as JSON on its stdin; the JSON
    /// list it prints.
    fn run_python(python: &std::path::Path, script: &str, input: &Value) -> Vec<Value> {
        use std::io::Write as _;
        let mut child = std::process::Command::new(python)
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("python runs");
        let bytes = serde_json::to_vec(input).unwrap();
        child.stdin.take().unwrap().write_all(&bytes).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "python failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("python prints a JSON list")
    }

    /// jmespath.py's (the AWS CLI's engine, from `.venv`) result for each case: the
    /// result as `json.dumps` prints it, or the suite's name for its error kind.
    fn jmespath_py(cases: &[&Case]) -> Option<Vec<Result<Value, String>>> {
        let python = apigw_tests::python::venv_program("python")?;
        let script = "import json, sys, jmespath\n\
            from jmespath import exceptions as x\n\
            # ArityError is a ParseError in jmespath.py: the narrower class first.\n\
            out = []\n\
            for given, expression in json.load(sys.stdin):\n\
            \x20   try:\n\
            \x20       out.append({'ok': jmespath.search(expression, given)})\n\
            \x20   except x.ArityError:\n\
            \x20       out.append({'error': 'invalid-arity'})\n\
            \x20   except x.ParseError:\n\
            \x20       out.append({'error': 'syntax'})\n\
            \x20   except x.UnknownFunctionError:\n\
            \x20       out.append({'error': 'unknown-function'})\n\
            \x20   except x.JMESPathTypeError:\n\
            \x20       out.append({'error': 'invalid-type'})\n\
            \x20   except ValueError:\n\
            \x20       out.append({'error': 'invalid-value'})\n\
            print(json.dumps(out))\n";
        let input: Vec<(&Value, &str)> = cases
            .iter()
            .map(|c| (&c.given, c.expression.as_str()))
            .collect();
        let results = run_python(&python, script, &serde_json::to_value(input).unwrap());
        Some(
            results
                .into_iter()
                .map(|r| match r.get("ok") {
                    Some(v) => Ok(v.clone()),
                    None => Err(r["error"].as_str().unwrap().to_owned()),
                })
                .collect(),
        )
    }

    /// Cases where `--query` departs from the suite on purpose, with why. None today.
    const DEPARTURES: &[(&str, &str)] = &[];

    /// What `--query` gives for a case: its result, or the suite's name for its error.
    fn ours(case: &Case) -> Result<Value, String> {
        Query::new(&case.expression)
            .and_then(|q| q.apply(&case.given))
            .map_err(|e| suite_kind(e.kind()).to_owned())
    }

    /// The official JMESPath compliance suite (from jmespath.py, the engine the AWS CLI
    /// uses; not from the package of the engine under test), run through `Query` as
    /// `--query` runs it. A result must be equal with numbers' kinds counting (where
    /// the suite writes `1.0` and jmespath.py itself prints `1`, jmespath.py decides);
    /// an error case passes only with the same error kind.
    #[test]
    fn the_jmespath_compliance_suite_passes_through_query() {
        let Some(cases) = compliance_cases() else {
            return;
        };
        assert_eq!(cases.len(), 892, "908 cases, 16 of them timing-only");
        let mut failures = Vec::new();
        let mut kind_only = Vec::new();
        for case in &cases {
            if DEPARTURES.iter().any(|(name, _)| *name == case.name) {
                continue;
            }
            match (&case.expected, ours(case)) {
                (Ok(want), Ok(got)) if strictly_equal(want, &got) => {}
                (Ok(want), Ok(got)) if loosely_equal(want, &got) => kind_only.push((case, got)),
                (Err(want), Err(got)) if *want == got => {}
                (want, got) => failures.push(format!(
                    "{}: {}: want {want:?}, got {got:?}",
                    case.name, case.expression
                )),
            }
        }
        if !kind_only.is_empty() {
            // Equal but for a number's kind: right only if jmespath.py prints it so.
            let Some(theirs) = jmespath_py(&kind_only.iter().map(|(c, _)| *c).collect::<Vec<_>>())
            else {
                return;
            };
            for ((case, got), theirs) in kind_only.iter().zip(theirs) {
                if !theirs.as_ref().is_ok_and(|t| strictly_equal(t, got)) {
                    failures.push(format!(
                        "{}: {}: a number's kind: got {got}, jmespath.py {theirs:?}",
                        case.name, case.expression
                    ));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} cases fail:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
    }

    /// The suite's strictness is real: a result of another number kind, and an error of
    /// another kind, are failures.
    #[test]
    fn the_compliance_comparison_tells_kinds_apart() {
        assert!(!strictly_equal(&json!(1), &json!(1.0)));
        assert!(!strictly_equal(&json!([{"a": 2.0}]), &json!([{"a": 2}])));
        assert!(strictly_equal(
            &json!({"a": 1, "b": 2}),
            &json!({"b": 2, "a": 1})
        ));
        assert!(loosely_equal(
            &json!([1, {"a": 2.0}]),
            &json!([1.0, {"a": 2}])
        ));
        assert!(!loosely_equal(&json!(1), &json!(1.5)));
        let case = |expression: &str| Case {
            name: "planted".into(),
            given: json!({"foo": [1, 2]}),
            expression: expression.into(),
            expected: Ok(Value::Null),
        };
        assert_eq!(ours(&case("foo[")), Err("syntax".into()));
        assert_eq!(ours(&case("abs(`\"x\"`)")), Err("invalid-type".into()));
        assert_eq!(ours(&case("foo[::0]")), Err("invalid-value".into()));
        assert_eq!(ours(&case("abs(`1`, `2`)")), Err("invalid-arity".into()));
        assert_eq!(ours(&case("nope(foo)")), Err("unknown-function".into()));
    }

    /// jmespath.py, given the suite, passes it with the same comparison (so the
    /// comparison and the error-kind mapping are the suite's, not ours).
    #[test]
    fn jmespath_py_passes_the_suite_under_the_same_comparison() {
        let Some(cases) = compliance_cases() else {
            return;
        };
        let all: Vec<&Case> = cases.iter().collect();
        let Some(theirs) = jmespath_py(&all) else {
            return;
        };
        let mut failures = Vec::new();
        for (case, theirs) in cases.iter().zip(theirs) {
            let ok = match (&case.expected, &theirs) {
                // Python's `==`, as jmespath.py's own compliance runner compares.
                (Ok(want), Ok(got)) => loosely_equal(want, got),
                (Err(want), Err(got)) => want == got,
                _ => false,
            };
            if !ok {
                failures.push(format!("{}: {}: {theirs:?}", case.name, case.expression));
            }
        }
        assert!(failures.is_empty(), "jmespath.py:\n{}", failures.join("\n"));
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
        let theirs = run_python(&python, script, &json!([data, expressions]));
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
