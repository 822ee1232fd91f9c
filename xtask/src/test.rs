//! `cargo xtask test`: the project's one test command, the same locally and in CI.
//!
//! Steps, stopping at the first failure:
//! 0. the prerequisites (`python3`, `script`, the `../shared` inputs): a missing one
//!    fails the run at once, naming it, unless `--allow-missing` turns it into a skip
//!    listed at the end (every test that then skipped is named there);
//! 1. `cargo fmt --check` (generated code is excluded by `#[rustfmt::skip]`);
//! 2. (the `codegen --check` freshness check runs as a test in step 5:
//!    `tests/codegen.rs`, the same `write::check` the command uses);
//! 3. `cargo clippy --all-targets -- -D warnings` on the default members (`cargo xtask
//!    bench` lints the benchmark crate);
//! 4. the project-local Python environment `.venv` (moto server, boto3 and AWS CLI v1
//!    from `tests/requirements.txt`), made or refreshed when the requirements change;
//!    and AWS CLI v2 (Debian's `awscli` package, installed with `apt-get` when
//!    `/usr/bin/aws` is missing or not v2);
//! 5. `cargo test` with `INSTA_UPDATE=no` (snapshots are never accepted here): unit,
//!    snapshot and generality tests, and the tests that start and stop moto and the
//!    paginating test server themselves;
//! 6. `cargo doc` of the generated crate and the libraries with rustdoc warnings denied;
//! 7. `cargo check` of the benchmark crate, so `bench/` never rots between benchmark
//!    runs (it is not a default member, so the steps above do not see it).

use std::fs;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

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

/// Files from `../shared` that tests read.
const SHARED_INPUTS: &[&str] = &[
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
    cmd
}

pub(crate) fn step(name: &str, mut cmd: Command) -> Result<(), String> {
    eprintln!("==> {name}");
    let status = cmd
        .status()
        .map_err(|e| format!("{name}: cannot start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{name}: failed ({status})"))
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
    if !args.quick {
        let mut fmt = cargo();
        fmt.args(["fmt", "--all", "--check"]);
        step("cargo fmt --check", fmt)?;
    }

    if !args.quick {
        let mut clippy = cargo();
        // The default members: `bench` is linted by `cargo xtask bench`, which builds
        // the SDK it compares against; CI does not need to.
        clippy.args(["clippy", "--all-targets", "--", "-D", "warnings"]);
        step("cargo clippy -D warnings", clippy)?;
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
    let mut test = cargo();
    test.args(["test", "--quiet"]).env("INSTA_UPDATE", "no");
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

    let mut bench = cargo();
    bench.args(["check", "--quiet", "-p", "apigw-bench", "--all-targets"]);
    step("cargo check -p apigw-bench (the benchmarks build)", bench)?;

    let mut doc = cargo();
    doc.args([
        "doc",
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

/// Whether `program --version` says AWS CLI v2.
fn is_aws_cli_v2(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| {
            o.status.success() && String::from_utf8_lossy(&o.stdout).starts_with("aws-cli/2.")
        })
}

/// AWS CLI v2 from Debian's `awscli` package (2.9.x on bookworm), installed with
/// `apt-get` (as root, as in CI) when missing.
fn ensure_aws_cli_v2() -> Result<PathBuf, String> {
    if is_aws_cli_v2(AWS_CLI_V2) {
        eprintln!("==> AWS CLI v2 is installed ({AWS_CLI_V2})");
        return Ok(AWS_CLI_V2.into());
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
    if is_aws_cli_v2(AWS_CLI_V2) {
        Ok(AWS_CLI_V2.into())
    } else {
        Err(format!(
            "{AWS_CLI_V2} is not AWS CLI v2 after installing Debian's awscli"
        ))
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
    match run_steps(&args) {
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
