//! The generator against the real inputs: the committed crate is current, and the
//! whole official ApiGatewayV2 model generates a crate that builds with warnings denied.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use apigw_codegen::write;
use apigw_tests::{cargo, require_shared, workspace_root};

/// The same check `cargo xtask codegen --check` runs, so plain `cargo test` catches a
/// hand edit to `crates/apigw-model`.
#[test]
fn committed_model_crate_matches_the_generator() {
    let plan = xtask::codegen::plan(&[], None, None).expect("model/ is readable");
    let generated = apigw_codegen::generate(&plan.inputs, &plan.config).expect("model/ is valid");
    let stale = write::check(&plan.out, &generated.files).expect("crate is readable");
    let listed: Vec<String> = stale.iter().map(ToString::to_string).collect();
    assert!(
        listed.is_empty(),
        "generated files differ from the generator's output; run `cargo xtask codegen` and commit:\n{}",
        listed.join("\n")
    );
}

fn generate_into(models: &[PathBuf], out: &Path, name: &str) -> apigw_codegen::Stats {
    xtask::codegen::generate_crate(models, out, name)
        .unwrap_or_else(|e| panic!("{e}"))
        .stats
}

/// A temporary workspace of generated crates, built with warnings denied in a target
/// directory the generality tests share.
fn build_with_warnings_denied(dir: &Path, members: &[&str], what: &str) {
    xtask::codegen::write_workspace(dir, members).unwrap_or_else(|e| panic!("{e}"));
    cargo_in(
        dir,
        &["build", "--workspace", "--all-features"],
        &format!("{what} does not build with warnings denied"),
    );
}

/// Runs `cargo <args> --quiet` on the workspace in `dir` with warnings denied, in the
/// target directory the generality tests share; fails with `failure` and cargo's output.
fn cargo_in(dir: &Path, args: &[&str], failure: &str) {
    cargo_in_with(dir, args, &[], failure);
}

/// [`cargo_in`] with extra environment variables (for the tests the crate runs).
fn cargo_in_with(dir: &Path, args: &[&str], env: &[(&str, &str)], failure: &str) {
    let output = Command::new(cargo())
        .args(args)
        // A temporary workspace with a copy of this workspace's lock file, which lists
        // more than it needs: `--offline` keeps every version the lock file pins (all
        // already fetched) where `--locked` would refuse the pruning.
        .args(["--quiet", "--offline", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("RUSTFLAGS", "-D warnings")
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/generality"),
        )
        .envs(env.iter().copied())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{failure}:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The naming obstacle course (keywords, shapes named `String`/`Option`/`Result`,
/// recursion, every simple type) generates a crate that builds with warnings denied.
/// It lives in the repository, so this test never skips.
#[test]
fn naming_fixture_builds_with_warnings_denied() {
    let dir = workspace_root().join("codegen/tests/fixtures/naming");
    let tmp = tempfile::tempdir().unwrap();
    generate_into(
        &[dir.join("model.json"), dir.join("legacy.json")],
        &tmp.path().join("naming"),
        "apigw-naming-fixture",
    );
    build_with_warnings_denied(tmp.path(), &["naming"], "the naming fixture crate");
}

/// The HTTP bindings fixture (every binding kind: headers, prefix headers, query lists
/// and params, greedy and non-string labels, payloads, response codes) generates a crate
/// that builds with warnings denied, and its bindings behave as restJson1 says (a
/// behaviour test run inside the generated crate). Never skips.
#[test]
fn http_fixture_builds_and_its_bindings_behave() {
    let dir = workspace_root().join("codegen/tests/fixtures/http");
    let tmp = tempfile::tempdir().unwrap();
    let http = tmp.path().join("http");
    generate_into(&[dir.join("model.json")], &http, "apigw-http-fixture");
    fs::create_dir_all(http.join("tests")).unwrap();
    fs::copy(dir.join("bindings.rs"), http.join("tests/bindings.rs")).unwrap();
    let manifest = fs::read_to_string(http.join("Cargo.toml")).unwrap();
    fs::write(
        http.join("Cargo.toml"),
        format!(
            "{manifest}\n[dev-dependencies]\nserde_json = \"1\"\nbase64 = \"0.23\"\napigw-client = {{ path = {:?} }}\n",
            workspace_root().join("crates/apigw-client")
        ),
    )
    .unwrap();
    build_with_warnings_denied(tmp.path(), &["http"], "the HTTP fixture crate");
    cargo_in(
        tmp.path(),
        &["test", "-p", "apigw-http-fixture", "--test", "bindings"],
        "the generated HTTP bindings misbehave",
    );
}

/// The generator is general: the full official model (449 shapes, 103 operations, 20
/// enums) plus botocore's 15 paginators gives a crate that compiles with every warning
/// denied. Needs `../shared` (fails under CI, or under `cargo xtask test`, without it).
#[test]
fn full_official_model_builds_with_warnings_denied() {
    let Some(model) = require_shared("models/smithy/apigatewayv2-2018-11-29.json") else {
        return;
    };
    let Some(paginators) =
        require_shared("models/botocore/apigatewayv2/2018-11-29/paginators-1.json")
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let full = tmp.path().join("full");
    let stats = generate_into(&[model, paginators], &full, "apigw-full-model");
    assert_eq!(
        stats.shapes, 449,
        "every shape of the model is in the service closure"
    );
    assert_eq!(stats.operations, 103);
    assert_eq!(stats.enums, 20);
    assert_eq!(stats.structures, 239);
    assert_eq!(
        stats.paginated, 15,
        "botocore's paginators-1.json lists 15 operations"
    );

    // One file per operation; beside some, a directory holding its borrowed views.
    let module_files = || {
        fs::read_dir(full.join("src/operation"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
    };
    assert_eq!(module_files().count(), 103, "one module per operation");
    for view in fs::read_dir(full.join("src/operation"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
    {
        assert!(view.with_extension("rs").is_file(), "{}", view.display());
        assert!(view.join("view.rs").is_file(), "{}", view.display());
    }
    let paginated: Vec<String> = module_files()
        .filter(|p| {
            fs::read_to_string(p)
                .unwrap()
                .contains("impl ::apigw_paginator::Paginated for")
        })
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        paginated.len(),
        15,
        "a Paginated impl per paginator: {paginated:?}"
    );
    let types = fs::read_to_string(full.join("src/types.rs")).unwrap();
    assert_eq!(
        types
            .matches("Unknown(::apigw_runtime::UnknownValue)")
            .count(),
        20
    );
    build_with_warnings_denied(tmp.path(), &["full"], "the full-model crate");
    let model = require_shared("models/smithy/apigatewayv2-2018-11-29.json").unwrap();
    assert_eq!(embedded_rules_pass_the_model_tests(&model, &full), 43);

    // Per-operation features: each enables exactly what its operation reaches, so any
    // one alone (and none at all) type-checks with warnings denied.
    let manifest = fs::read_to_string(full.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("default = [\"all\"]"), "{manifest}");
    for features in [
        "get_integrations",
        "create_api",
        "get_apis",
        "update_route",
        "delete_domain_name",
        "get_integrations,botocore",
    ] {
        cargo_in(
            tmp.path(),
            &["check", "--no-default-features", "--features", features],
            &format!("the full-model crate with only {features} does not type-check"),
        );
    }
    cargo_in(
        tmp.path(),
        &["check", "--no-default-features"],
        "the full-model crate with no operation does not type-check",
    );
}

/// The endpoint rules a generated crate carries (`ENDPOINT_RULES` in its `lib.rs`,
/// what its `endpoint_rules()` reads) resolve every `endpointTests` case of its model as
/// published (with the partition table of the models' time) and exactly as the rule
/// set read from the model does. Returns how many cases ran.
fn embedded_rules_pass_the_model_tests(model: &Path, crate_dir: &Path) -> usize {
    use apigw_runtime::endpoint::{Partitions, RuleSet};
    use apigw_tests::endpoints::{
        assert_resolves_as_published, case_params, endpoint_cases, read_json, service_traits,
    };
    let table = require_shared("external/endpoints/partitions-2025-04-03.json")
        .expect("the partition table");
    let table = Partitions::from_json(&read_json(&table)).unwrap();
    let lib = fs::read_to_string(crate_dir.join("src/lib.rs")).unwrap();
    let file = syn::parse_file(&lib).expect("the generated lib.rs parses");
    let embedded = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Const(c) if c.ident == "ENDPOINT_RULES" => match &*c.expr {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .expect("the crate carries its endpoint rules");
    let embedded = RuleSet::embedded(&embedded);
    let model_json = read_json(model);
    let from_json =
        RuleSet::from_json(&service_traits(&model_json)["smithy.rules#endpointRuleSet"]).unwrap();
    let cases = endpoint_cases(model);
    for case in &cases {
        let params = case_params(case);
        assert_eq!(
            embedded.resolve(&params, &table),
            from_json.resolve(&params, &table),
            "{case}"
        );
        assert_resolves_as_published(&embedded, case, &table);
    }
    cases.len()
}

/// Another AWS service's official model (with botocore's paginators for it) generates,
/// with the warnings expected of it, and type-checks with every warning denied. `check`
/// is enough here: the full ApiGatewayV2 model above proves the generated code also
/// builds; what other models add is code paths, which type checking covers.
fn external_model_checks(
    name: &str,
    model: &str,
    paginators: &str,
    operations: usize,
    expected_warnings: &[&str],
) {
    let Some(model) = require_shared(&format!("external/models/smithy/{model}")) else {
        return;
    };
    let Some(paginators) = require_shared(&format!("external/models/botocore/{paginators}")) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let generated =
        xtask::codegen::generate_crate(&[model.clone(), paginators], &tmp.path().join(name), name)
            .unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = generated
        .warnings
        .0
        .iter()
        .map(|d| d.error.to_string())
        .collect();
    assert_eq!(warnings, expected_warnings, "{name}: warnings");
    assert_eq!(generated.stats.operations, operations, "{name}: operations");
    assert!(
        embedded_rules_pass_the_model_tests(&model, &tmp.path().join(name)) > 0,
        "{name}: the model's endpoint tests ran"
    );
    xtask::codegen::write_workspace(tmp.path(), &[name]).unwrap_or_else(|e| panic!("{e}"));
    cargo_in(
        tmp.path(),
        &["check", "--workspace", "--all-features"],
        &format!("{name} does not type-check with warnings denied"),
    );
}

#[test]
fn api_gateway_v1_model_checks_with_warnings_denied() {
    external_model_checks(
        "x-apigateway",
        "api-gateway-2015-07-09.json",
        "apigateway/2015-07-09/paginators-1.json",
        124,
        &[
            "com.amazonaws.apigateway#GetSdkTypes: left out: pagination entry \"GetSdkTypes\" skipped: outputToken member position not found in com.amazonaws.apigateway#SdkTypes",
        ],
    );
}

#[test]
fn lambda_model_checks_with_warnings_denied() {
    external_model_checks(
        "x-lambda",
        "lambda-2015-03-31.json",
        "lambda/2015-03-31/paginators-1.json",
        67,
        &[
            "com.amazonaws.lambda#InvokeWithResponseStream: left out: com.amazonaws.lambda#InvokeWithResponseStreamResponse$EventStream is an event stream (vnd.amazon.eventstream framing is not generated)",
        ],
    );
}

#[test]
fn bedrock_runtime_model_checks_with_warnings_denied() {
    external_model_checks(
        "x-bedrock-runtime",
        "bedrock-runtime-2023-09-30.json",
        "bedrock-runtime/2023-09-30/paginators-1.json",
        6,
        &[
            "com.amazonaws.bedrockruntime#ConverseStream: left out: com.amazonaws.bedrockruntime#ConverseStreamResponse$stream is an event stream (vnd.amazon.eventstream framing is not generated)",
            "com.amazonaws.bedrockruntime#InvokeModelWithResponseStream: left out: com.amazonaws.bedrockruntime#InvokeModelWithResponseStreamResponse$body is an event stream (vnd.amazon.eventstream framing is not generated)",
        ],
    );
}

#[test]
fn mediastore_data_model_checks_with_warnings_denied() {
    external_model_checks(
        "x-mediastore-data",
        "mediastore-data-2017-09-01.json",
        "mediastore-data/2017-09-01/paginators-1.json",
        5,
        &[],
    );
}

/// The corpus sample (`cargo xtask corpus --sample`): the official models that once
/// exposed a generator defect, and the largest model of each protocol, generate and
/// type-check with warnings denied, with every operation feature on and with one
/// operation's feature alone. The whole corpus is `cargo xtask corpus`.
#[test]
fn corpus_sample_generates_and_builds_with_warnings_denied() {
    use xtask::corpus::{self, Outcome};
    let Some(index) = require_shared("external/corpus/index.jsonl") else {
        return;
    };
    let index = corpus::read_index(index.parent().unwrap()).unwrap_or_else(|e| panic!("{e}"));
    let entries = corpus::select(&index, &[], true, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(entries.len(), corpus::SAMPLE.len());
    for protocol in ["restJson1", "awsJson1_0", "awsJson1_1"] {
        assert!(
            entries.iter().any(|e| e.protocol == protocol),
            "the sample has a {protocol} model"
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let report = corpus::run_models(
        &entries,
        tmp.path(),
        Some(&workspace_root().join("target/generality")),
        &mut |_| {},
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let failed: Vec<String> =
        report
            .models
            .iter()
            .filter(|m| m.outcome != Outcome::Built)
            .map(|m| format!("{}: {:?}", m.entry.name, m.outcome))
            .chain(report.single_features.iter().filter_map(|(model, op, e)| {
                Some(format!("{model} --features {op}: {}", e.as_ref()?))
            }))
            .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert!(
        !report.single_features.is_empty(),
        "single-operation features were checked"
    );
    // DynamoDB's map-token pagination is left out with a warning, not refused.
    let dynamodb = report
        .models
        .iter()
        .find(|m| m.entry.name.starts_with("dynamodb-"))
        .expect("the sample has DynamoDB");
    assert!(dynamodb.left_out > 0 && dynamodb.lines > 0);
}

/// awsJson1_0 end to end: DynamoDB, generated from the official model with botocore's
/// paginators, through `apigw_client::Client` against moto: `ListTables` paginated
/// (the same names as boto3's paginator), `CreateTable`, `PutItem`, `Scan` and a
/// modeled error (`tests/e2e/dynamodb_moto.rs`, run inside the generated crate).
#[test]
fn dynamodb_works_end_to_end_against_moto() {
    use apigw_tests::python::{Moto, run_python};
    let (Some(model), Some(paginators)) = (
        require_shared("external/corpus/smithy/dynamodb-2012-08-10.json"),
        require_shared("external/corpus/botocore/dynamodb/2012-08-10/paginators-1.json"),
    ) else {
        return;
    };
    let Some(moto) = Moto::start() else {
        return;
    };
    let script = r#"
import json, sys, boto3
c = boto3.client("dynamodb", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
for i in range(11):
    c.create_table(TableName=f"t-{i:02d}", BillingMode="PAY_PER_REQUEST",
                   AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                   KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])
pages = c.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 4})
print(json.dumps(pages.build_full_result()["TableNames"]))
"#;
    let Some(expected) = run_python(script, &[&moto.url]) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("dynamodb");
    generate_into(&[model, paginators], &dir, "apigw-dynamodb");
    fs::create_dir_all(dir.join("tests")).unwrap();
    fs::copy(
        workspace_root().join("tests/e2e/dynamodb_moto.rs"),
        dir.join("tests/moto.rs"),
    )
    .unwrap();
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(
        !manifest.contains("[dev-dependencies]"),
        "the DynamoDB model has no protocol tests"
    );
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            "{manifest}\n[dev-dependencies]\nserde_json = \"1\"\naws-credential-types = \"1\"\ntokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }}\napigw-client = {{ path = {:?} }}\n",
            workspace_root().join("crates/apigw-client")
        ),
    )
    .unwrap();
    xtask::codegen::write_workspace(tmp.path(), &["dynamodb"]).unwrap_or_else(|e| panic!("{e}"));
    cargo_in_with(
        tmp.path(),
        &["test", "--test", "moto"],
        &[
            ("MOTO_URL", &moto.url),
            ("EXPECTED_TABLES", expected.trim()),
        ],
        "DynamoDB through the generated crate failed",
    );
}
