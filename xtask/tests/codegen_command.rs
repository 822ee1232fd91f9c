//! `cargo xtask codegen` as maintainers run it: its exit codes (0 written or current,
//! 1 stale under `--check`, 2 a model it refuses), and that it writes only what
//! changed and nothing at all when it fails.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures")
}

fn codegen(args: &[&str], models: &[PathBuf], out: &Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.arg("codegen").args(args);
    for model in models {
        cmd.arg("--model").arg(model);
    }
    cmd.arg("--out")
        .arg(out)
        .args(["--crate-name", "codegen-command-test"])
        .output()
        .expect("xtask runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir` with its modification time.
fn files(dir: &Path) -> Vec<(PathBuf, SystemTime)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let modified = entry.metadata().unwrap().modified().unwrap();
                found.push((path, modified));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn codegen_writes_then_leaves_unchanged_files_alone_and_check_reports_stale_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("crate");
    let model = [
        fixtures().join("naming/model.json"),
        fixtures().join("naming/legacy.json"),
    ];

    let first = codegen(&[], &model, &out);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let written = files(&out);
    assert!(written.len() > 3, "a crate was written: {written:?}");

    // Run again: nothing changed, so no file is rewritten (mtimes stay).
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = codegen(&[], &model, &out);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(
        stderr(&again).contains(" 0 files written"),
        "{}",
        stderr(&again)
    );
    assert_eq!(files(&out), written, "unchanged files are not touched");

    let check = codegen(&["--check"], &model, &out);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));

    // A hand edit: --check exits 1 naming the file, and writes nothing.
    let (edited, _) = written
        .iter()
        .find(|(p, _)| p.extension().is_some_and(|e| e == "rs"))
        .expect("a Rust file");
    let mut text = fs::read_to_string(edited).unwrap();
    text.push_str("// edited by hand\n");
    fs::write(edited, &text).unwrap();
    let stale = codegen(&["--check"], &model, &out);
    assert_eq!(stale.status.code(), Some(1), "{}", stderr(&stale));
    let name = edited.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        stderr(&stale).contains(&name) && stderr(&stale).contains("is stale"),
        "{}",
        stderr(&stale)
    );
    assert_eq!(
        fs::read_to_string(edited).unwrap(),
        text,
        "--check writes nothing"
    );
}

#[test]
fn a_model_the_generator_refuses_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    for broken in ["malformed-json", "dangling-target"] {
        let out = tmp.path().join(broken);
        let dir = fixtures().join("broken").join(broken);
        let models: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        assert!(!models.is_empty(), "{broken} has a model");
        let refused = codegen(&[], &models, &out);
        assert_eq!(
            refused.status.code(),
            Some(2),
            "{broken}: {}",
            stderr(&refused)
        );
        let err = stderr(&refused);
        assert!(
            err.lines().next().is_some_and(|l| l.starts_with("error: ")),
            "{broken}: {err}"
        );
        assert!(!out.exists(), "{broken}: nothing is written");
    }
}
