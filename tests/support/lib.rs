//! Helpers shared by the workspace-level tests.

use std::path::PathBuf;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is one level below the workspace root")
        .to_path_buf()
}

/// Whether the tests run under CI (`CI=true`), where a missing input is a failure.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether a missing input must fail the test: under CI, and under `cargo xtask test`
/// (which sets `APIGW_REQUIRE_INPUTS=1` unless run with `--allow-missing`).
pub fn inputs_required() -> bool {
    in_ci() || std::env::var("APIGW_REQUIRE_INPUTS").is_ok_and(|v| v == "1")
}

/// A file from `../shared` (beside the checkout) that a test needs. Under `CI=true` a
/// missing file fails the test loudly; elsewhere the test is told to stop early and the
/// reason is printed.
pub fn require_shared(relative: &str) -> Option<PathBuf> {
    let path = workspace_root().join("../shared").join(relative);
    if path.is_file() {
        return Some(path);
    }
    missing_input(&format!(
        "test input {} is missing (expected ../shared beside the checkout)",
        path.display()
    ))
}

/// A test input is missing: a failure when [`inputs_required`], otherwise a skip that is
/// printed and, when `APIGW_SKIP_LOG` names a file, recorded there (so that
/// `cargo xtask test --allow-missing` can list every skip at the end, whatever cargo's
/// output capture hides). The caller returns early on `None`.
pub fn missing_input<T>(message: &str) -> Option<T> {
    assert!(
        !inputs_required(),
        "{message}; inputs are required here (CI=true or cargo xtask test), so this is a failure"
    );
    eprintln!("SKIPPED: {message}");
    if let Some(log) = std::env::var_os("APIGW_SKIP_LOG") {
        use std::io::Write as _;
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = writeln!(file, "{}: {message}", current_test());
        }
    }
    None
}

/// The name of the running test (its thread's name under the standard harness).
fn current_test() -> String {
    std::thread::current().name().unwrap_or("a test").to_owned()
}

/// The cargo binary running the tests.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

pub mod background;
pub mod endpoints;
pub mod fixtures;
pub mod hostile;
pub mod python;
pub mod server;
pub mod sigv4;
