//! `cargo xtask test`: the project's one test command, the same locally and in CI.
//!
//! Steps, stopping at the first failure:
//! 1. `cargo fmt --check` (generated code is excluded by `#[rustfmt::skip]`);
//! 2. the `cargo xtask codegen --check` logic;
//! 3. `cargo clippy --all-targets -- -D warnings` on the default members (`cargo xtask
//!    bench` lints the benchmark crate);
//! 4. the project-local Python environment `.venv` (moto server, boto3 and the AWS CLI
//!    from `tests/requirements.txt`), made or refreshed when the requirements change;
//! 5. `cargo test` with `INSTA_UPDATE=no` (snapshots are never accepted here): unit,
//!    snapshot and generality tests, and the tests that start and stop moto and the
//!    paginating test server themselves;
//! 6. `cargo doc` of the generated and runtime crates with rustdoc warnings denied.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

use crate::workspace_root;

#[derive(clap::Args)]
pub struct Args {
    /// Skip formatting and clippy (faster local iterations; CI never skips them).
    #[arg(long)]
    quick: bool,
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
    if !args.quick {
        let mut fmt = cargo();
        fmt.args(["fmt", "--all", "--check"]);
        step("cargo fmt --check", fmt)?;
    }

    eprintln!("==> cargo xtask codegen --check");
    let plan = crate::codegen::plan(&[], None, None).map_err(|e| e.join("\n"))?;
    let generated = apigw_codegen::generate(&plan.inputs, &plan.config)
        .map_err(|d| format!("model/ does not generate:\n{d}"))?;
    let stale = apigw_codegen::write::check(&plan.out, &generated.files)
        .map_err(|e| format!("cannot read the generated crate: {e}"))?;
    if !stale.is_empty() {
        let listed: Vec<String> = stale.iter().map(ToString::to_string).collect();
        return Err(format!(
            "{}\nrun `cargo xtask codegen` and commit",
            listed.join("\n")
        ));
    }

    if !args.quick {
        let mut clippy = cargo();
        // The default members: `bench` is linted by `cargo xtask bench`, which builds
        // the SDK it compares against; CI does not need to.
        clippy.args(["clippy", "--all-targets", "--", "-D", "warnings"]);
        step("cargo clippy -D warnings", clippy)?;
    }

    let venv = ensure_venv()?;
    let mut test = cargo();
    test.args(["test", "--quiet"])
        .env("INSTA_UPDATE", "no")
        .env("APIGW_TEST_VENV", &venv);
    step("cargo test", test)?;

    let mut doc = cargo();
    doc.args([
        "doc",
        "--quiet",
        "--no-deps",
        "-p",
        "apigw-model",
        "-p",
        "apigw-runtime",
    ])
    .env("RUSTDOCFLAGS", "-D warnings");
    step("cargo doc (generated crate, warnings denied)", doc)?;
    Ok(())
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
            eprintln!("==> all checks passed");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
