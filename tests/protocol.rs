//! Smithy's restJson1 protocol compliance suite, through the generator: the suite's
//! model (`../shared/external/smithy-protocol-tests/restjson1-protocol-tests.json`)
//! generates a crate whose own tests are the suite's 242 client cases (one `#[test]`
//! each, generated from `smithy.test#httpRequestTests` / `httpResponseTests`), and
//! they are run here.
//! Every one must pass.

use std::process::Command;

use apigw_tests::{cargo, require_shared, workspace_root};

const CLIENT_CASES: usize = 242;

#[test]
fn restjson1_protocol_compliance_cases() {
    let Some(model) =
        require_shared("external/smithy-protocol-tests/restjson1-protocol-tests.json")
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("restjson");
    xtask::codegen::generate_crate(&[model], &out, "apigw-restjson-protocol-tests")
        .unwrap_or_else(|e| panic!("{e}"));
    xtask::codegen::write_workspace(tmp.path(), &["restjson"]).unwrap_or_else(|e| panic!("{e}"));
    let root = workspace_root();

    let output = Command::new(cargo())
        // A copy of this workspace's lock file, which lists more than the temporary
        // workspace needs: `--offline` keeps every version it pins (all already
        // fetched) where `--locked` would refuse the pruning.
        .args(["test", "--quiet", "--offline", "--lib", "--manifest-path"])
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
        CLIENT_CASES,
        "every client case of the suite is a test: {summary}"
    );

    assert_eq!(
        (passed, failed),
        (CLIENT_CASES, 0),
        "{passed} of {CLIENT_CASES} client cases pass:\n{stdout}"
    );
    eprintln!("restJson1 protocol compliance: {passed} of {CLIENT_CASES} client cases pass");
}
