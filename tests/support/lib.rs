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

/// A test input is missing: a failure under `CI=true`, otherwise a printed skip (the
/// caller returns early on `None`).
pub fn missing_input<T>(message: &str) -> Option<T> {
    assert!(!in_ci(), "{message}; CI=true, so this is a failure");
    eprintln!("SKIPPED: {message}");
    None
}

/// The cargo binary running the tests.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

pub mod fixtures;
pub mod hostile;
pub mod python;
pub mod server;
