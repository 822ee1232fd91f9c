//! `cargo xtask test`: the project's one test command, the same locally and in CI.
//!
//! Steps, stopping at the first failure, each timed (and the whole run):
//! 0. the prerequisites (`python3`, `script`, every `../shared` input the tests read):
//!    a missing one fails the run at once, naming it, unless `--allow-missing` turns it
//!    into a skip listed at the end (every test that then skipped is named there);
//! 1. `cargo fetch --locked`: every package of the lock file (a new machine has an
//!    empty registry); every cargo call that resolves passes `--locked`, so a stale
//!    `Cargo.lock` fails instead of being rewritten;
//! 2. `cargo fmt --check` (generated code is excluded by `#[rustfmt::skip]`);
//! 3. `cargo clippy --all-targets -- -D warnings` on the default members, then on the
//!    benchmark crate (not a default member, so this is also what keeps `bench/`
//!    building between benchmark runs);
//! 4. the project-local Python environment `.venv` (moto server, boto3 and AWS CLI v1
//!    from `tests/requirements.txt`), made or refreshed when the requirements change;
//!    and AWS CLI v2 2.9 (Debian's `awscli` package, installed with `apt-get` when
//!    `/usr/bin/aws` is missing; any other version there fails the run);
//! 5. `cargo test` with `INSTA_UPDATE=no` (snapshots are never accepted here): unit,
//!    snapshot, doc (the README's examples) and generality tests, the `codegen --check`
//!    freshness check (`tests/codegen.rs`, the same `write::check` the command uses),
//!    and the tests that start and stop moto and the paginating test server themselves;
//! 6. `cargo doc` of the generated crate and the libraries with rustdoc warnings denied.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::workspace_root;

#[derive(clap::Args)]
pub struct Args {
    /// Skip formatting and clippy (faster local iterations; CI never skips them).
    #[arg(long)]
    quick: bool,
    /// Run without a missing prerequisite: the tests that need it skip, and each skip
    /// is listed at the end. Without this flag a missing prerequisite fails the run.
    #[arg(long)]
    allow_missing: bool,
}

/// Files from `../shared` that tests read (a unit test below checks that every
/// `require_shared("...")` in the tests' sources is listed here).
pub const SHARED_INPUTS: &[&str] = &[
    "external/smithy-protocol-tests/restjson1-protocol-tests.json",
    "external/smithy-protocol-tests/awsjson1_1-protocol-tests.json",
    "external/smithy-protocol-tests/awsjson1_0-protocol-tests.json",
    "external/smithy-protocol-tests/awsjson1_0-query-compatible-protocol-tests.json",
    "external/jmespath-compliance/basic.json",
    "external/endpoints/README.md",
    "external/endpoints/partitions-2025-04-03.json",
    "external/endpoints/partitions-2026-01-15.json",
    "external/corpus/index.jsonl",
    "external/corpus/smithy/dynamodb-2012-08-10.json",
    "external/corpus/botocore/dynamodb/2012-08-10/paginators-1.json",
    "models/smithy/apigatewayv2-2018-11-29.json",
    "models/botocore/apigatewayv2/2018-11-29/paginators-1.json",
    "external/models/smithy/api-gateway-2015-07-09.json",
    "external/models/botocore/apigateway/2015-07-09/paginators-1.json",
    "external/models/smithy/lambda-2015-03-31.json",
    "external/models/botocore/lambda/2015-03-31/paginators-1.json",
    "external/models/smithy/bedrock-runtime-2023-09-30.json",
    "external/models/botocore/bedrock-runtime/2023-09-30/paginators-1.json",
    "external/models/smithy/mediastore-data-2017-09-01.json",
    "external/models/botocore/mediastore-data/2017-09-01/paginators-1.json",
];

/// Programs tests run, and what for.
const PROGRAMS: &[(&str, &str)] = &[
    (
        "python3",
        "makes .venv: moto, boto3, botocore and the AWS CLI",
    ),
    ("script", "util-linux: runs apigw under a pseudo-terminal"),
];

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// What is missing, one line each.
fn missing_prerequisites() -> Vec<String> {
    let mut missing = Vec::new();
    for (program, why) in PROGRAMS {
        if !on_path(program) {
            missing.push(format!("`{program}` is not on PATH ({why})"));
        }
    }
    let shared = workspace_root().join("../shared");
    for relative in SHARED_INPUTS {
        let path = shared.join(relative);
        if !path.is_file() {
            missing.push(format!(
                "{} is missing (../shared must be beside the checkout)",
                path.display()
            ));
        }
    }
    missing
}

pub(crate) fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(workspace_root());
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        // A CI run builds once and reads no debugger: incremental caches, line tables
        // and the standard library's debug info would only take disk (the cargo calls
        // the tests make inherit this).
        cmd.env("CARGO_INCREMENTAL", "0")
            .env("CARGO_PROFILE_DEV_DEBUG", "false")
            .env("CARGO_PROFILE_DEV_STRIP", "debuginfo");
    }
    cmd
}

/// Bytes under `dir`, symbolic links not followed.
fn disk_usage(dir: &std::path::Path) -> u64 {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => disk_usage(&entry.path()),
            Ok(kind) if kind.is_file() => entry.metadata().map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum()
}

/// `cargo <subcommand> --locked`: the workspace's `Cargo.lock` is used as it is, and a
/// stale one fails the step instead of being rewritten.
pub(crate) fn cargo_locked(subcommand: &str) -> Command {
    let mut cmd = cargo();
    cmd.args([subcommand, "--locked"]);
    cmd
}

/// Runs one step, printing its name before and its time after.
pub(crate) fn step(name: &str, mut cmd: Command) -> Result<(), String> {
    eprintln!("==> {name}");
    let start = Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("{name}: cannot start: {e}"))?;
    eprintln!("    ({name}: {})", elapsed(start));
    if status.success() {
        Ok(())
    } else {
        Err(format!("{name}: failed ({status})"))
    }
}

/// A duration as `1 min 05 s` or `4.2 s`.
fn elapsed(start: Instant) -> String {
    let secs = start.elapsed().as_secs_f64();
    if secs >= 60.0 {
        format!("{} min {:02} s", (secs / 60.0) as u64, secs as u64 % 60)
    } else {
        format!("{secs:.1} s")
    }
}

fn run_steps(args: &Args) -> Result<(), String> {
    eprintln!("==> prerequisites");
    let missing = missing_prerequisites();
    if !missing.is_empty() && !args.allow_missing {
        return Err(format!(
            "missing prerequisites (install them, or pass --allow-missing to skip the tests that need them):\n  {}",
            missing.join("\n  ")
        ));
    }
    for line in &missing {
        eprintln!("warning: {line}; the tests that need it will skip");
    }
    // Every package of the lock file, once: on a new machine (an empty registry) the
    // later steps, and the generated crates the tests build offline, find them here.
    step("cargo fetch --locked", cargo_locked("fetch"))?;
    if !args.quick {
        // `cargo fmt` resolves nothing (it takes no `--locked`).
        let mut fmt = cargo();
        fmt.args(["fmt", "--all", "--check"]);
        step("cargo fmt --check", fmt)?;
    }

    if !args.quick {
        let mut clippy = cargo_locked("clippy");
        clippy.args(["--all-targets", "--", "-D", "warnings"]);
        step("cargo clippy -D warnings (default members)", clippy)?;
        // The benchmark crate is not a default member; its hand-written code is held
        // to the same lints.
        let mut clippy = cargo_locked("clippy");
        clippy.args(["-p", "apigw-bench", "--all-targets", "--", "-D", "warnings"]);
        step("cargo clippy -p apigw-bench -D warnings", clippy)?;
    }

    let venv = if args.allow_missing && !on_path("python3") {
        None
    } else {
        Some(ensure_venv()?)
    };
    let aws_v2 = match ensure_aws_cli_v2() {
        Ok(path) => Some(path),
        Err(e) if args.allow_missing => {
            eprintln!("warning: {e}; the tests that compare with AWS CLI v2 will skip");
            None
        }
        Err(e) => return Err(e),
    };
    let skip_log = workspace_root().join("target/apigw-test-skips.log");
    let _ = fs::remove_file(&skip_log);
    let mut test = cargo_locked("test");
    test.arg("--quiet").env("INSTA_UPDATE", "no");
    if let Some(venv) = &venv {
        test.env("APIGW_TEST_VENV", venv);
    }
    if let Some(aws) = &aws_v2 {
        test.env("APIGW_TEST_AWS_V2", aws);
    }
    if args.allow_missing {
        test.env("APIGW_SKIP_LOG", &skip_log);
    } else {
        // A test that lacks an input fails instead of skipping, as under CI.
        test.env("APIGW_REQUIRE_INPUTS", "1");
    }
    step("cargo test", test)?;

    if args.quick {
        // Without the clippy step above, at least check that the benchmarks build.
        let mut bench = cargo_locked("check");
        bench.args(["--quiet", "-p", "apigw-bench", "--all-targets"]);
        step("cargo check -p apigw-bench (the benchmarks build)", bench)?;
    }

    let mut doc = cargo_locked("doc");
    doc.args([
        "--quiet",
        "--no-deps",
        "-p",
        "apigw-model",
        "-p",
        "apigw-runtime",
        "-p",
        "apigw-paginator",
        "-p",
        "apigw-client",
        "-p",
        "apigw-codegen",
    ])
    .env("RUSTDOCFLAGS", "-D warnings");
    step(
        "cargo doc (generated crate and libraries, warnings denied)",
        doc,
    )?;
    Ok(())
}

/// Where Debian's `awscli` package puts AWS CLI v2.
const AWS_CLI_V2: &str = "/usr/bin/aws";

/// The AWS CLI v2 release the comparisons are pinned to (Debian bookworm's `awscli`).
pub const AWS_CLI_V2_RELEASE: &str = "aws-cli/2.9.";

/// What `program --version` prints (its first word, e.g. `aws-cli/2.9.19`), if it runs.
fn aws_cli_version(program: &str) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    out.status.success().then(|| {
        text.split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    })
}

/// AWS CLI v2 2.9.x from Debian's `awscli` package, installed with `apt-get` (as root,
/// as in CI) when `/usr/bin/aws` is missing. Any other program there fails: the tests
/// compare `apigw` byte for byte with 2.9's output, never with another release's.
pub(crate) fn ensure_aws_cli_v2() -> Result<PathBuf, String> {
    match aws_cli_version(AWS_CLI_V2) {
        Some(v) if v.starts_with(AWS_CLI_V2_RELEASE) => {
            eprintln!("==> AWS CLI v2 is installed ({AWS_CLI_V2}, {v})");
            return Ok(AWS_CLI_V2.into());
        }
        Some(v) => {
            return Err(format!(
                "{AWS_CLI_V2} is {v}, not {AWS_CLI_V2_RELEASE}x (Debian's awscli): the tests compare with that release only"
            ));
        }
        None if std::path::Path::new(AWS_CLI_V2).exists() => {
            return Err(format!("{AWS_CLI_V2} exists but `--version` fails"));
        }
        None => {}
    }
    let install = || {
        let mut apt = Command::new("apt-get");
        apt.args(["install", "-y", "-q", "--no-install-recommends", "awscli"])
            .env("DEBIAN_FRONTEND", "noninteractive");
        step("apt-get install awscli (AWS CLI v2)", apt)
    };
    if install().is_err() {
        // A fresh machine may not have the package lists yet.
        let mut update = Command::new("apt-get");
        update.args(["update", "-q"]);
        step("apt-get update", update)?;
        install()?;
    }
    match aws_cli_version(AWS_CLI_V2) {
        Some(v) if v.starts_with(AWS_CLI_V2_RELEASE) => Ok(AWS_CLI_V2.into()),
        other => Err(format!(
            "{AWS_CLI_V2} is {other:?} after installing Debian's awscli, not {AWS_CLI_V2_RELEASE}x"
        )),
    }
}

/// Makes `.venv` with the test requirements unless it already has exactly them.
pub(crate) fn ensure_venv() -> Result<PathBuf, String> {
    let root = workspace_root();
    let venv = root.join(".venv");
    let requirements_path = root.join("tests/requirements.txt");
    let requirements = fs::read_to_string(&requirements_path)
        .map_err(|e| format!("{}: {e}", requirements_path.display()))?;
    let marker = venv.join(".apigw-requirements");
    let python = venv.join("bin/python");
    if python.is_file()
        && fs::read_to_string(&marker).ok().as_deref() == Some(requirements.as_str())
    {
        eprintln!("==> .venv is up to date");
        return Ok(venv);
    }
    let mut make = Command::new("python3");
    make.args(["-m", "venv"]).arg(&venv);
    step("python3 -m venv .venv", make)?;
    let mut install = Command::new(venv.join("bin/pip"));
    install
        .args(["install", "--disable-pip-version-check", "--quiet", "-r"])
        .arg(&requirements_path);
    step(
        "pip install -r tests/requirements.txt (moto, boto3, awscli)",
        install,
    )?;
    fs::write(&marker, &requirements).map_err(|e| format!("{}: {e}", marker.display()))?;
    Ok(venv)
}

pub fn run(args: Args) -> ExitCode {
    let start = Instant::now();
    let result = run_steps(&args);
    eprintln!("==> cargo xtask test took {}", elapsed(start));
    eprintln!(
        "==> target/ holds {} MiB",
        disk_usage(&workspace_root().join("target")) >> 20
    );
    match result {
        Ok(()) => {
            let skips = fs::read_to_string(workspace_root().join("target/apigw-test-skips.log"))
                .unwrap_or_default();
            if skips.trim().is_empty() {
                eprintln!("==> all checks passed");
            } else {
                eprintln!(
                    "==> all checks passed, but these tests SKIPPED (--allow-missing):\n{}",
                    skips.trim_end()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `require_shared("...")` path in the project's sources, with where it is.
    fn required_shared_paths() -> Vec<(String, String)> {
        fn walk(dir: &std::path::Path, found: &mut Vec<(String, String)>) {
            let Ok(entries) = fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = fs::read_to_string(&path).unwrap_or_default();
                    for (at, _) in text.match_indices("require_shared(") {
                        let rest = text[at + "require_shared(".len()..].trim_start();
                        if let Some(literal) = rest.strip_prefix('"') {
                            let literal = &literal[..literal.find('"').unwrap_or(0)];
                            found.push((literal.to_owned(), path.display().to_string()));
                        }
                    }
                }
            }
        }
        let root = workspace_root();
        let mut found = Vec::new();
        for dir in ["tests", "crates", "codegen", "xtask"] {
            walk(&root.join(dir), &mut found);
        }
        found
    }

    /// The prerequisite check names every `../shared` input a test reads, so a missing
    /// one fails the run up front rather than in the middle of `cargo test`.
    #[test]
    fn the_prerequisite_check_lists_every_shared_input_the_tests_read() {
        let found = required_shared_paths();
        assert!(
            found.len() >= 4,
            "the scan found the tests' inputs: {found:?}"
        );
        for (path, file) in &found {
            // `fn require_shared(relative: &str)` itself, helpers passing a variable, and
            // prose naming the call (`require_shared("...")`): not a path.
            if !path.contains('/') {
                continue;
            }
            assert!(
                SHARED_INPUTS.contains(&path.as_str()),
                "{file} reads ../shared/{path}, which SHARED_INPUTS (the prerequisite check) does not list"
            );
        }
    }
}
