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

fn generate_into(models: &[PathBuf], out: &Path, name: &str) -> apigw_codegen::ir::Stats {
    let plan = xtask::codegen::plan(models, Some(out), Some(name)).expect("inputs are readable");
    let generated = apigw_codegen::generate(&plan.inputs, &plan.config)
        .unwrap_or_else(|e| panic!("{name} does not generate:\n{e}"));
    write::write(out, &generated.files).expect("temporary crate is writable");
    generated.stats
}

/// The generator is general: the full official model (449 shapes, 103 operations, 20
/// enums) plus botocore's 15 paginators, the naming obstacle course fixture and the HTTP
/// bindings fixture give crates that compile with every warning denied, and the HTTP
/// fixture's bindings behave as restJson1 says.
#[test]
fn full_official_model_and_naming_fixture_build_with_warnings_denied() {
    let Some(model) = require_shared("models/smithy/apigatewayv2-2018-11-29.json") else {
        return;
    };
    let Some(paginators) =
        require_shared("models/botocore/apigatewayv2/2018-11-29/paginators-1.json")
    else {
        return;
    };
    let root = workspace_root();
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

    let operations = fs::read_dir(full.join("src/operation")).unwrap().count();
    assert_eq!(operations, 103, "one module per operation");
    let paginated: Vec<String> = fs::read_dir(full.join("src/operation"))
        .unwrap()
        .map(|e| e.unwrap().path())
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

    let naming_dir = root.join("codegen/tests/fixtures/naming");
    let naming_models = vec![
        naming_dir.join("model.json"),
        naming_dir.join("legacy.json"),
    ];
    generate_into(
        &naming_models,
        &tmp.path().join("naming"),
        "apigw-naming-fixture",
    );

    // Every HTTP binding kind (headers, prefix headers, query lists and params, greedy
    // and non-string labels, payloads, response codes), with a behaviour test run in
    // the generated crate.
    let http_dir = root.join("codegen/tests/fixtures/http");
    let http = tmp.path().join("http");
    generate_into(&[http_dir.join("model.json")], &http, "apigw-http-fixture");
    fs::create_dir_all(http.join("tests")).unwrap();
    fs::copy(http_dir.join("bindings.rs"), http.join("tests/bindings.rs")).unwrap();
    let manifest = fs::read_to_string(http.join("Cargo.toml")).unwrap();
    fs::write(
        http.join("Cargo.toml"),
        format!("{manifest}\n[dev-dependencies]\nserde_json = \"1\"\n"),
    )
    .unwrap();

    fs::write(
        tmp.path().join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"full\", \"naming\", \"http\"]\n",
    )
    .unwrap();
    // Same dependency versions as the workspace.
    fs::copy(root.join("Cargo.lock"), tmp.path().join("Cargo.lock")).unwrap();
    let output = Command::new(cargo())
        .args(["build", "--workspace", "--quiet", "--manifest-path"])
        .arg(tmp.path().join("Cargo.toml"))
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", root.join("target/generality"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "generated crates do not build with warnings denied:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = Command::new(cargo())
        .args([
            "test",
            "--quiet",
            "-p",
            "apigw-http-fixture",
            "--test",
            "bindings",
        ])
        .arg("--manifest-path")
        .arg(tmp.path().join("Cargo.toml"))
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", root.join("target/generality"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the generated HTTP bindings misbehave:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
