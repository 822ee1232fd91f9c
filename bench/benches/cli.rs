//! `apigw get-integrations` beside `aws apigatewayv2 get-integrations` (the AWS CLI from
//! the project's .venv) listing 5,000 integrations in pages of 100 from the local
//! paginating server: wall time per run, median and spread.
//!
//! Needs `APIGW_BIN` (a release build of `apigw`; `cargo xtask bench` sets it) and
//! `.venv/bin/aws` (`cargo xtask test` makes it).

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use apigw_tests::hostile::{Body, RawServer, Reply};
use apigw_tests::python::TestEnv as _;
use apigw_tests::server::PagingServer;

/// Items in the one page of the memory run: `{}` each, as small as an item gets, so
/// the page is as many items per byte as a service can send.
const MEMORY_ITEMS: usize = 1_000_000;

/// Peak resident memory (MiB) of `program args...` (stdout discarded), read from the
/// kernel's `ru_maxrss` through the project's Python (`os.wait4`), and its exit code.
fn peak_mib(python: &PathBuf, program: &PathBuf, args: &[&str]) -> (f64, i32) {
    const SCRIPT: &str = "import os, subprocess, sys\n\
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n\
_, status, usage = os.wait4(p.pid, 0)\n\
print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))\n";
    let out = Command::new(python)
        .arg("-c")
        .arg(SCRIPT)
        .arg(program)
        .args(args)
        .test_env()
        .output()
        .expect("python runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut fields = text.split_whitespace();
    let kib: f64 = fields
        .next()
        .and_then(|v| v.parse().ok())
        .expect("ru_maxrss");
    let code: i32 = fields
        .next()
        .and_then(|v| v.parse().ok())
        .expect("exit code");
    (kib / 1024.0, code)
}

const ITEMS: usize = 5_000;
const API: &str = "bench-api";

/// `program prefix... get-integrations ...` against `url` with the test credentials.
fn listing(program: &PathBuf, prefix: &[&str], url: &str) -> Command {
    let mut command = Command::new(program);
    command
        .args(prefix)
        .args([
            "get-integrations",
            "--api-id",
            API,
            "--page-size",
            "100",
            "--endpoint-url",
            url,
        ])
        .test_env();
    command
}

fn time_runs(program: &PathBuf, prefix: &[&str], url: &str, runs: usize) -> Vec<Duration> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let status = listing(program, prefix, url)
            .stdout(Stdio::null())
            .status()
            .expect("the program runs");
        times.push(start.elapsed());
        assert!(status.success(), "{} failed", program.display());
    }
    times.sort();
    times
}

fn describe(times: &[Duration]) -> String {
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    format!(
        "median {:.1} ms (min {:.1}, max {:.1}, {} runs)",
        ms(&times[times.len() / 2]),
        ms(&times[0]),
        ms(&times[times.len() - 1]),
        times.len()
    )
}

fn main() {
    let apigw = PathBuf::from(
        std::env::var("APIGW_BIN").expect("APIGW_BIN names a release build of apigw"),
    );
    let aws = apigw_tests::workspace_root().join(".venv/bin/aws");
    assert!(
        aws.is_file(),
        "{} is missing: run `cargo xtask test` first",
        aws.display()
    );
    let server = PagingServer::start();
    server.add_api(API, ITEMS);

    // The two print the same document.
    let out = |program: &PathBuf, prefix: &[&str]| {
        listing(program, prefix, &server.url)
            .output()
            .expect("runs")
            .stdout
    };
    let ours = out(&apigw, &[]);
    assert_eq!(
        ours,
        out(&aws, &["apigatewayv2"]),
        "apigw and aws print the same JSON"
    );
    println!(
        "output: {} bytes, {} requests per run",
        ours.len(),
        ITEMS / 100
    );

    let apigw_times = time_runs(&apigw, &[], &server.url, 15);
    let aws_times = time_runs(&aws, &["apigatewayv2"], &server.url, 7);
    let ratio = aws_times[aws_times.len() / 2].as_secs_f64()
        / apigw_times[apigw_times.len() / 2].as_secs_f64();
    println!("apigw: {}", describe(&apigw_times));
    println!("aws:   {}", describe(&aws_times));
    println!("apigw is {ratio:.1}x faster (median)");
    let seconds = |t: &[Duration]| t.iter().map(Duration::as_secs_f64).collect::<Vec<_>>();
    let aws_version = Command::new(&aws)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    // Peak memory on one page of a million empty items (3 MB of JSON), 3 runs each.
    let page = format!("{{\"items\": [{}]}}", vec!["{}"; MEMORY_ITEMS].join(", "));
    let page_bytes = page.len();
    let big = RawServer::start(move |_| Reply {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: Body::Bytes(page.clone().into_bytes()),
    });
    let python = apigw_tests::workspace_root().join(".venv/bin/python");
    let args = [
        "get-integrations",
        "--api-id",
        API,
        "--endpoint-url",
        &big.url,
    ];
    let mut aws_args = vec!["apigatewayv2"];
    aws_args.extend(args);
    let mut apigw_peaks = Vec::new();
    let mut aws_peaks = Vec::new();
    for _ in 0..3 {
        let (mib, code) = peak_mib(&python, &apigw, &args);
        assert_eq!(code, 0, "apigw lists the big page");
        apigw_peaks.push(mib);
        let (mib, code) = peak_mib(&python, &aws, &aws_args);
        assert_eq!(code, 0, "aws lists the big page");
        aws_peaks.push(mib);
    }
    println!("peak memory, {MEMORY_ITEMS} items: apigw {apigw_peaks:?} MiB, aws {aws_peaks:?} MiB");

    let results = serde_json::json!({
        "memory_items": MEMORY_ITEMS,
        "memory_page_bytes": page_bytes,
        "apigw_peak_mib": apigw_peaks,
        "aws_peak_mib": aws_peaks,
        "items": ITEMS,
        "output_bytes": ours.len(),
        "apigw_seconds": seconds(&apigw_times),
        "aws_seconds": seconds(&aws_times),
        "aws_version": aws_version,
    });
    std::fs::write(
        apigw_bench::results_dir().join("cli.json"),
        serde_json::to_vec_pretty(&results).expect("results serialize"),
    )
    .expect("target/apigw-bench is writable");
}
