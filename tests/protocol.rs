//! Smithy's protocol compliance suites, through the generator: each suite's model
//! (`../shared/external/smithy-protocol-tests/*-protocol-tests.json`: restJson1,
//! awsJson1_1, awsJson1_0 and awsJson1_0 with `awsQueryCompatible`) generates a crate
//! whose own tests are the suite's client cases (one `#[test]` each, generated from
//! `smithy.test#httpRequestTests` / `httpResponseTests`), and they are run here.
//! Every one must pass.

use std::process::Command;

use apigw_tests::{cargo, require_shared, workspace_root};

/// Generates the crate of one suite file (`../shared/external/smithy-protocol-tests/`)
/// and runs its tests, the suite's client cases: every one must pass.
fn compliance(suite: &str, crate_name: &str, client_cases: usize) {
    let Some(model) = require_shared(&format!("external/smithy-protocol-tests/{suite}")) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("suite");
    xtask::codegen::generate_crate(&[model], &out, crate_name).unwrap_or_else(|e| panic!("{e}"));
    xtask::codegen::write_workspace(tmp.path(), &["suite"]).unwrap_or_else(|e| panic!("{e}"));
    let root = workspace_root();

    let output = Command::new(cargo())
        // Every feature: the suites' shapes also type-check as borrowed views (`views`)
        // and AWS CLI output (`botocore`).
        // A copy of this workspace's lock file, which lists more than the temporary
        // workspace needs: `--offline` keeps every version it pins (all already
        // fetched) where `--locked` would refuse the pruning.
        .args([
            "test",
            "--quiet",
            "--offline",
            "--lib",
            "--all-features",
            "--manifest-path",
        ])
        .arg(tmp.path().join("Cargo.toml"))
        .args(["--", "--test-threads=2"])
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", root.join("target/generality"))
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let summary = stdout
        .lines()
        .find(|l| l.starts_with("test result:"))
        .unwrap_or_else(|| panic!("the generated crate's tests did not run:\n{stdout}{stderr}"));
    let count = |word: &str| -> usize {
        summary
            .split(';')
            .find_map(|part| part.trim().strip_suffix(word))
            .and_then(|n| n.trim().rsplit(' ').next()?.parse().ok())
            .unwrap_or_else(|| panic!("no `{word}` count in {summary:?}"))
    };
    let (passed, failed) = (count("passed"), count("failed"));
    assert_eq!(
        passed + failed,
        client_cases,
        "every client case of {suite} is a test: {summary}"
    );
    assert_eq!(
        (passed, failed),
        (client_cases, 0),
        "{passed} of {client_cases} client cases of {suite} pass:\n{stdout}"
    );
    eprintln!("{suite}: {passed} of {client_cases} client cases pass");
}

#[test]
fn restjson1_protocol_compliance_cases() {
    compliance(
        "restjson1-protocol-tests.json",
        "apigw-restjson-protocol-tests",
        242,
    );
}

#[test]
fn awsjson1_1_protocol_compliance_cases() {
    compliance(
        "awsjson1_1-protocol-tests.json",
        "apigw-awsjson11-protocol-tests",
        118,
    );
}

#[test]
fn awsjson1_0_protocol_compliance_cases() {
    compliance(
        "awsjson1_0-protocol-tests.json",
        "apigw-awsjson10-protocol-tests",
        67,
    );
}

/// `awsQueryCompatible` over awsJson1_0: the `x-amzn-query-mode` request header, and
/// errors still matched by `__type` when `x-amzn-query-error` carries a custom code.
#[test]
fn awsjson1_0_query_compatible_protocol_compliance_cases() {
    compliance(
        "awsjson1_0-query-compatible-protocol-tests.json",
        "apigw-awsjson10-query-compatible-protocol-tests",
        3,
    );
}
