//! `cargo xtask bench-fanout`: every integration of every API under API Gateway's
//! quota, by `apigw --all-apis`, boto3 (adaptive and standard) and an AWS CLI v2
//! `xargs -P 8` loop, against a fresh local server per client that throttles as the
//! service does (`bench/fanout.py` drives it). The table goes into BENCHMARKS.md
//! between two markers, which `cargo xtask bench` keeps.

use std::fs;
use std::process::{Command, ExitCode};

use crate::test::{cargo, ensure_aws_cli_v2, ensure_venv, step};
use crate::workspace_root;

/// The start of the section in BENCHMARKS.md.
pub const START: &str = "<!-- bench-fanout: start -->";
/// Its end.
pub const END: &str = "<!-- bench-fanout: end -->";

/// `cargo xtask bench-fanout` flags.
#[derive(clap::Args)]
pub struct Args {
    /// APIs served.
    #[arg(long, default_value_t = 1000)]
    apis: usize,
    /// Integrations per API.
    #[arg(long, default_value_t = 50)]
    items: usize,
    /// Page size of every request.
    #[arg(long, default_value_t = 100)]
    page_size: usize,
    /// The server's quota: requests per second per access key and region.
    #[arg(long, default_value_t = 10.0)]
    rate: f64,
    /// The quota's burst.
    #[arg(long, default_value_t = 40.0)]
    burst: f64,
    /// Print the table without writing BENCHMARKS.md (for a quick run).
    #[arg(long)]
    print_only: bool,
}

fn run_all(args: &Args) -> Result<(), String> {
    let root = workspace_root();
    let venv = ensure_venv()?;
    let aws = ensure_aws_cli_v2()?;
    let mut build = cargo();
    build.args([
        "build",
        "--quiet",
        "--release",
        "--locked",
        "-p",
        "apigw-cli",
    ]);
    step("cargo build --release -p apigw-cli", build)?;
    let mut build = cargo();
    build.args([
        "build",
        "--quiet",
        "--release",
        "--locked",
        "-p",
        "apigw-tests",
        "--bin",
        "apigw-test-server",
    ]);
    step("cargo build --release apigw-test-server", build)?;
    let python = venv.join("bin/python");
    eprintln!(
        "==> bench/fanout.py ({} APIs, {} requests/s)",
        args.apis, args.rate
    );
    let out = Command::new(&python)
        .arg(root.join("bench/fanout.py"))
        .arg("--apigw")
        .arg(root.join("target/release/apigw"))
        .arg("--server")
        .arg(root.join("target/release/apigw-test-server"))
        .arg("--python")
        .arg(&python)
        .arg("--aws")
        .arg(&aws)
        .args(["--apis", &args.apis.to_string()])
        .args(["--items", &args.items.to_string()])
        .args(["--page-size", &args.page_size.to_string()])
        .args(["--rate", &args.rate.to_string()])
        .args(["--burst", &args.burst.to_string()])
        .output()
        .map_err(|e| format!("bench/fanout.py: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "bench/fanout.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let table = String::from_utf8_lossy(&out.stdout).into_owned();
    print!("{table}");
    if args.print_only {
        return Ok(());
    }
    let path = root.join("BENCHMARKS.md");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let section = format!(
        "{START}\n## Fan-out under API Gateway's quota\n\nWritten by `cargo xtask bench-fanout` (flags: `--apis {} --items {} --page-size {} --rate {} --burst {}`).\n\n{table}{END}\n",
        args.apis, args.items, args.page_size, args.rate, args.burst
    );
    let updated = match (text.find(START), text.find(END)) {
        (Some(a), Some(b)) if a < b => {
            format!(
                "{}{section}{}",
                &text[..a],
                &text[b + END.len()..].trim_start_matches('\n')
            )
        }
        _ => match text.find(crate::bench::GAPS) {
            Some(at) => format!("{}\n{section}{}", &text[..at], &text[at..]),
            None => format!("{text}\n{section}"),
        },
    };
    fs::write(&path, updated).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("==> wrote {}", path.display());
    Ok(())
}

/// Runs the benchmark.
pub fn run(args: Args) -> ExitCode {
    match run_all(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
