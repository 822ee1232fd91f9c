//! `cargo xtask bench`: every benchmark in one run, beside aws-sdk-apigatewayv2,
//! botocore and the AWS CLI, written to BENCHMARKS.md with the machine, the command,
//! medians and spreads, and each target met or not.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use serde_json::Value;

use crate::test::{cargo, ensure_venv, step};
use crate::workspace_root;

#[derive(clap::Args)]
pub struct Args {
    /// Builds timed per crate and profile (median reported).
    #[arg(long, default_value_t = 3)]
    compile_runs: usize,
    /// Skip the compile-time measurement (it rebuilds the SDK crate several times).
    #[arg(long)]
    skip_compile: bool,
    /// Reuse the criterion and CLI results of the last run instead of benchmarking again
    /// (to rework the report).
    #[arg(long)]
    reuse_results: bool,
}

/// Median, min and max of a sample.
#[derive(Clone, Copy, Debug)]
struct Stats {
    median: f64,
    min: f64,
    max: f64,
}

impl Stats {
    fn of(mut values: Vec<f64>) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let mid = values.len() / 2;
        let median = if values.len().is_multiple_of(2) {
            (values[mid - 1] + values[mid]) / 2.0
        } else {
            values[mid]
        };
        Some(Self {
            median,
            min: values[0],
            max: values[values.len() - 1],
        })
    }

    fn map(self, f: impl Fn(f64) -> f64) -> Self {
        // A decreasing map (time -> throughput) swaps the ends.
        let (a, b) = (f(self.min), f(self.max));
        Self {
            median: f(self.median),
            min: a.min(b),
            max: a.max(b),
        }
    }
}

/// Seconds per iteration from criterion's samples of `path` (e.g. `deserialize/apigw_typed/100`).
fn criterion(path: &str) -> Result<Stats, String> {
    let file = workspace_root()
        .join("target/criterion")
        .join(path)
        .join("new/sample.json");
    let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let sample: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    let iters = sample["iters"].as_array().cloned().unwrap_or_default();
    let times = sample["times"].as_array().cloned().unwrap_or_default();
    let per: Vec<f64> = iters
        .iter()
        .zip(&times)
        .filter_map(|(i, t)| Some(t.as_f64()? / i.as_f64()? / 1e9))
        .collect();
    Stats::of(per).ok_or_else(|| format!("{}: no samples", file.display()))
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn seconds_list(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

fn command_output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .map(|o| {
            let text = if o.stdout.is_empty() {
                o.stderr
            } else {
                o.stdout
            };
            String::from_utf8_lossy(&text).trim().to_owned()
        })
        .unwrap_or_else(|_| "unknown".into())
}

fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or("unknown".into(), |kb| {
            format!("{:.0} GiB", kb / 1024.0 / 1024.0)
        });
    format!(
        "{cpu}, {cores} cores, {memory} RAM; {}",
        command_output("rustc", &["--version"])
    )
}

fn locked_version(name: &str) -> String {
    let lock = fs::read_to_string(workspace_root().join("Cargo.lock")).unwrap_or_default();
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{name}\"")
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = "))
        {
            return v.trim_matches('"').to_owned();
        }
    }
    "unknown".into()
}

/// Times `runs` clean builds of `package` (its dependencies already built); the stats
/// and the raw seconds.
fn compile_times(package: &str, release: bool, runs: usize) -> Result<(Stats, Vec<f64>), String> {
    compile_times_in(None, package, release, &[], runs)
}

/// [`compile_times`] of a package in another workspace (`manifest`, built into this
/// workspace's target directory so dependencies are shared), with cargo `flags` such as
/// `--no-default-features`.
fn compile_times_in(
    manifest: Option<&Path>,
    package: &str,
    release: bool,
    flags: &[&str],
    runs: usize,
) -> Result<(Stats, Vec<f64>), String> {
    let profile: &[&str] = if release { &["--release"] } else { &[] };
    let target = workspace_root().join("target");
    let command = |verb: &str| {
        let mut c = cargo();
        c.args([verb, "--quiet", "-p", package]).args(profile);
        if let Some(manifest) = manifest {
            c.arg("--manifest-path")
                .arg(manifest)
                .env("CARGO_TARGET_DIR", &target);
        }
        c
    };
    let mut warm = command("build");
    warm.args(flags);
    step(
        &format!("build {package} {flags:?} and its dependencies"),
        warm,
    )?;
    let mut times = Vec::new();
    for _ in 0..runs {
        step(&format!("cargo clean -p {package}"), command("clean"))?;
        let mut build = command("build");
        build.args(flags);
        let start = Instant::now();
        step(&format!("timed build of {package} {flags:?}"), build)?;
        times.push(start.elapsed().as_secs_f64());
    }
    let stats = Stats::of(times.clone()).ok_or("no compile runs")?;
    Ok((stats, times))
}

fn fmt_time(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.2} ms", seconds * 1e3)
    } else {
        format!("{:.2} µs", seconds * 1e6)
    }
}

fn fmt_stats_time(s: Stats) -> String {
    format!(
        "{} [{} – {}]",
        fmt_time(s.median),
        fmt_time(s.min),
        fmt_time(s.max)
    )
}

fn fmt_rate(s: Stats, unit: &str) -> String {
    let text = format!("{:.0} [{:.0} – {:.0}]", s.median, s.min, s.max);
    if unit.is_empty() {
        text
    } else {
        format!("{text} {unit}")
    }
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

fn run_all(args: &Args) -> Result<String, String> {
    let root = workspace_root();
    let venv = ensure_venv()?;

    let mut build = cargo();
    build.args(["build", "--quiet", "--release", "-p", "apigw-cli"]);
    step("cargo build --release -p apigw-cli", build)?;
    let apigw = root.join("target/release/apigw");

    let mut lint = cargo();
    lint.args([
        "clippy",
        "--quiet",
        "-p",
        "apigw-bench",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    step(
        "cargo clippy -p apigw-bench (the benchmarks' own code)",
        lint,
    )?;

    if !args.reuse_results {
        let mut bench = cargo();
        bench
            .args(["bench", "-p", "apigw-bench"])
            .env("APIGW_BIN", &apigw);
        step("cargo bench -p apigw-bench", bench)?;
    }

    let results = root.join("target/apigw-bench");
    let python = venv.join("bin/python");
    let botocore_out = Command::new(&python)
        .arg(root.join("bench/botocore_parse.py"))
        .arg(results.join("page-100.json"))
        .arg(results.join("page-1000.json"))
        .output()
        .map_err(|e| format!("botocore benchmark: {e}"))?;
    if !botocore_out.status.success() {
        return Err(format!(
            "botocore benchmark failed: {}",
            String::from_utf8_lossy(&botocore_out.stderr)
        ));
    }
    let botocore: Value = serde_json::from_slice(&botocore_out.stdout)
        .map_err(|e| format!("botocore benchmark output: {e}"))?;

    let compile_file = results.join("compile.json");
    let compile = if args.skip_compile {
        None
    } else if args.reuse_results && compile_file.is_file() {
        let saved = read_json(&compile_file)?;
        let get = |k: &str| {
            Stats::of(seconds_list(&saved[k])).ok_or(format!("{k} missing in compile.json"))
        };
        Some([
            get("model_debug")?,
            get("model_release")?,
            get("sdk_debug")?,
            get("sdk_release")?,
            get("full_debug")?,
            get("full_release")?,
            get("full_one_operation_debug")?,
            get("full_without_rules_debug")?,
            get("full_views_debug")?,
        ])
    } else {
        let runs = args.compile_runs.max(1);
        let mut raw = serde_json::Map::new();
        let without_rules = full_service_crate_without_rules(&root)?;
        let (without_rules_debug, times) = compile_times_in(
            Some(&without_rules),
            "apigw-full-without-rules",
            false,
            &[],
            runs,
        )?;
        raw.insert("full_without_rules_debug".to_owned(), Value::from(times));
        let full = full_service_crate(&root)?;
        let mut timed_full = |key: &str, release: bool, flags: &[&str]| -> Result<Stats, String> {
            let (stats, times) = compile_times_in(Some(&full), "apigw-full", release, flags, runs)?;
            raw.insert(key.to_owned(), Value::from(times));
            Ok(stats)
        };
        let full_measured = [
            timed_full("full_debug", false, &[])?,
            timed_full("full_release", true, &[])?,
            timed_full(
                "full_one_operation_debug",
                false,
                &["--no-default-features", "--features", "get_integrations"],
            )?,
            timed_full("full_views_debug", false, &["--features", "views"])?,
        ];
        let mut timed = |key: &str, package: &str, release: bool| -> Result<Stats, String> {
            let (stats, times) = compile_times(package, release, runs)?;
            raw.insert(key.to_owned(), Value::from(times));
            Ok(stats)
        };
        let measured = [
            timed("model_debug", "apigw-model", false)?,
            timed("model_release", "apigw-model", true)?,
            timed("sdk_debug", "aws-sdk-apigatewayv2", false)?,
            timed("sdk_release", "aws-sdk-apigatewayv2", true)?,
            full_measured[0],
            full_measured[1],
            full_measured[2],
            without_rules_debug,
            full_measured[3],
        ];
        fs::write(&compile_file, Value::Object(raw).to_string())
            .map_err(|e| format!("{}: {e}", compile_file.display()))?;
        Some(measured)
    };

    // ---- gather ---------------------------------------------------------------------
    let page_bytes = |items: usize| -> Result<f64, String> {
        fs::metadata(results.join(format!("page-{items}.json")))
            .map(|m| m.len() as f64)
            .map_err(|e| e.to_string())
    };
    let mut md = String::new();
    let sdk_version = locked_version("aws-sdk-apigatewayv2");
    let cli: Value = read_json(&results.join("cli.json"))?;
    writeln!(md, "# Benchmarks\n").ok();
    writeln!(
        md,
        "Written by `cargo xtask bench` (one command: builds, runs every benchmark, writes this file).\n\n\
         - Machine: {}\n- Compared with: aws-sdk-apigatewayv2 {sdk_version} (Rust), the AWS CLI ({}), \
         botocore {}'s rest-json parser (Python)\n\
         - Figures: median [min – max]. In-process figures are per iteration over criterion's samples \
         (`target/criterion/`); process and build figures are per run.\n",
        machine(),
        cli["aws_version"].as_str().unwrap_or("aws-cli"),
        botocore["botocore_version"].as_str().unwrap_or("unknown"),
    )
    .ok();

    // Deserialize.
    let mut targets: Vec<(String, String, bool)> = Vec::new();
    writeln!(md, "## Deserialize a GetIntegrations page\n").ok();
    writeln!(
        md,
        "Pages generated deterministically (`apigw_tests::fixtures`): every one of the 20 members of \
         each integration filled with realistic values, maps included. The same bytes go through each \
         contender in the same run. `apigw` is `json_body` into `GetIntegrationsResponse` (what the \
         client does with a body); `apigw (borrowed view)` is `from_slice_borrowed` (every member \
         readable, strings borrowed from the body unless escaped); `apigw client` and `aws-sdk` are a \
         whole `get_integrations` call (request, SigV4, response) over an in-memory HTTP client \
         returning those bytes, `apigw client, whole call, borrowed view` the same call through \
         `Unparsed<GetIntegrations>` with its body read by `from_slice_borrowed`.\n"
    )
    .ok();
    writeln!(
        md,
        "| page | contender | MB/s | items/s |\n| --- | --- | --- | --- |"
    )
    .ok();
    for items in [100usize, 1000] {
        let bytes = page_bytes(items)?;
        let rows = [
            (
                "apigw (typed)",
                criterion(&format!("deserialize/apigw_typed/{items}"))?,
            ),
            (
                "apigw client, whole call",
                criterion(&format!("deserialize/apigw_client_send/{items}"))?,
            ),
            (
                "aws-sdk-apigatewayv2, whole call",
                criterion(&format!("deserialize/aws_sdk_send/{items}"))?,
            ),
            (
                "serde_json::Value",
                criterion(&format!("deserialize/serde_json_value/{items}"))?,
            ),
            (
                "apigw (borrowed view)",
                criterion(&format!("deserialize/apigw_view/{items}"))?,
            ),
            (
                "apigw client, whole call, borrowed view",
                criterion(&format!("deserialize/apigw_client_view/{items}"))?,
            ),
        ];
        let boto = Stats::of(seconds_list(
            &botocore["pages"][items.to_string()]["seconds"],
        ));
        for (name, t) in rows
            .iter()
            .map(|(n, t)| (*n, Some(*t)))
            .chain([("botocore rest-json parser (Python)", boto)])
        {
            let Some(t) = t else { continue };
            writeln!(
                md,
                "| {items} items ({:.0} KB) | {name} | {} | {} |",
                bytes / 1000.0,
                fmt_rate(t.map(|s| bytes / s / 1e6), "MB/s"),
                fmt_rate(t.map(|s| items as f64 / s), ""),
            )
            .ok();
        }
        let ours = rows[0].1.median;
        let ours_client = rows[1].1.median;
        let sdk = rows[2].1.median;
        let value = rows[3].1.median;
        let view = rows[4].1.median;
        let client_view = rows[5].1.median;
        targets.push((
            format!(
                "whole call into the owned response, {items} items: ≥ 2.5× aws-sdk-apigatewayv2's whole call \
                 (same bytes, same run; both return owned structures)"
            ),
            format!(
                "{:.2}× (typed parse alone {:.2}×)",
                sdk / ours_client,
                sdk / ours
            ),
            sdk / ours_client >= 2.5,
        ));
        targets.push((
            format!(
                "whole call into the borrowed view, {items} items: ≥ 2.5×, stretch 3× aws-sdk-apigatewayv2's \
                 whole call (same bytes, same run; every member readable, strings borrowed instead of owned)"
            ),
            format!(
                "{:.2}×{} (view parse alone {:.2}×)",
                sdk / client_view,
                if sdk / client_view >= 3.0 { ", stretch met" } else { "" },
                sdk / view
            ),
            sdk / client_view >= 2.5,
        ));
        if let Some(then) = TYPED_OVER_VALUE_BEFORE_SERDE_CHANGE
            .iter()
            .find(|(n, _)| *n == items)
            .map(|(_, r)| *r)
        {
            targets.push((
                format!(
                    "bare typed parse, {items} items: no slower than before structures' serde was written out \
                     (its speed over `serde_json::Value`'s, same bytes, same run: {then:.2}× then)"
                ),
                format!(
                    "{:.2}× ({:.0} MB/s)",
                    value / ours,
                    bytes / ours / 1e6
                ),
                value / ours >= then,
            ));
        }
    }

    // Request overhead.
    let ours = criterion("request/apigw_client_empty_page")?;
    let sdk = criterion("request/aws_sdk_empty_page")?;
    writeln!(
        md,
        "\n## Request overhead\n\nAn empty page (`{{\"items\": []}}`) through each client over in-memory HTTP: \
         serialization, endpoint, SigV4 signing, response handling.\n\n| client | per call |\n| --- | --- |\n\
         | apigw-client | {} |\n| aws-sdk-apigatewayv2 | {} |\n",
        fmt_stats_time(ours),
        fmt_stats_time(sdk)
    )
    .ok();
    targets.push((
        "request overhead ≤ ¼ of aws-sdk-apigatewayv2".into(),
        format!(
            "{:.2} of it ({:.1}× less)",
            ours.median / sdk.median,
            sdk.median / ours.median
        ),
        ours.median <= sdk.median / 4.0,
    ));

    // Endpoint resolution.
    let endpoint_cases = [
        ("us_east_1", "us-east-1"),
        ("fips_dual_stack_cn", "cn-north-1, FIPS and dual-stack"),
        (
            "unlisted_region",
            "eu-west-9 (in no table: its partition's pattern)",
        ),
    ];
    let mut rows = String::new();
    let mut slowest: f64 = 0.0;
    for (id, label) in endpoint_cases {
        let t = criterion(&format!("endpoint/{id}"))?;
        slowest = slowest.max(t.median);
        rows.push_str(&format!("| {label} | {} |\n", fmt_stats_time(t)));
    }
    writeln!(
        md,
        "## Endpoint resolution\n\nThe bundled model's endpoint rules with the built-in partition \
         table (`RuleSet::resolve`); the client does this once per service and parameter set \
         and reuses the result (the request overhead above includes that lookup).\n\n\
         | parameters | per resolution |\n| --- | --- |\n{rows}"
    )
    .ok();
    targets.push((
        "resolving an endpoint ≤ 2 µs".into(),
        format!("{} (slowest of the three)", fmt_time(slowest)),
        slowest <= 2e-6,
    ));

    // Codegen.
    let full = criterion("codegen/full_model")?;
    let without_views = criterion("codegen/full_model_without_views")?;
    let read_ir = criterion("codegen/full_model_read_ir")?;
    writeln!(
        md,
        "## Codegen of the full official model\n\nThe official ApiGatewayV2 Smithy JSON AST (667 KB, 449 \
         shapes, 103 operations) plus botocore's paginators, in memory, into the files of a crate (183 with the views, 109 without) \
         (release build with mimalloc, the allocator `cargo xtask codegen` uses; files emitted and formatted on all cores).\n\n| stage | time |\n| --- | --- |\n\
         | read + ir + emit + format (with the borrowed views, as `cargo xtask codegen` writes crates) | {} |\n\
         | read + ir + emit + format, owned types alone (`CrateConfig::views` off: the scope of runs before views) | {} |\n\
         | read + ir | {} |\n",
        fmt_stats_time(full),
        fmt_stats_time(without_views),
        fmt_stats_time(read_ir)
    )
    .ok();
    targets.push((
        "codegen of the full model ≤ 100 ms".into(),
        format!(
            "{} ({} without the views, the scope of earlier runs)",
            fmt_time(full.median),
            fmt_time(without_views.median)
        ),
        full.median <= 0.1,
    ));

    // Compile time.
    if let Some(
        [
            model_debug,
            model_release,
            sdk_debug,
            sdk_release,
            full_debug,
            full_release,
            one_operation,
            without_rules,
            with_views,
        ],
    ) = compile
    {
        writeln!(
            md,
            "## Compile time at equal scope\n\nThe crate generated from the whole official model \
             (`apigw-full`: 103 operations, every operation's feature on, not `botocore` nor `views`) beside \
             aws-sdk-apigatewayv2 {sdk_version} (103 operations), each built alone the same way \
             in the same run (`cargo clean -p X && cargo build -p X`, dependencies built), \
             median of {} runs. **Equal scope**: same service, same operations.\n\n\
             | crate | debug | release |\n| --- | --- | --- |\n| apigw-full (103 operations) | {} | {} |\n\
             | aws-sdk-apigatewayv2 {sdk_version} | {} | {} |\n\
             | apigw-full, `--no-default-features --features get_integrations` | {} | |\n\
             | apigw-full, `--features views` (borrowed views of every response body too) | {} | |\n",
            args.compile_runs,
            fmt_stats_time(full_debug),
            fmt_stats_time(full_release),
            fmt_stats_time(sdk_debug),
            fmt_stats_time(sdk_release),
            fmt_stats_time(one_operation),
            fmt_stats_time(with_views),
        )
        .ok();
        for (profile, ours, theirs) in [
            ("debug", full_debug, sdk_debug),
            ("release", full_release, sdk_release),
        ] {
            targets.push((
                format!(
                    "full-service crate builds in ≤ 1/4 of aws-sdk-apigatewayv2 (equal scope: 103 operations each) ({profile})"
                ),
                format!("{:.2} of it", ours.median / theirs.median),
                ours.median * 4.0 <= theirs.median,
            ));
        }
        writeln!(
            md,
            "The same crate generated from the model without its endpoint rule set \
             (`smithy.rules#endpointRuleSet` removed), built the same way in the same run: \
             {} (debug). The rules are carried as data (one JSON string and a function \
             reading it), not as code per rule.\n",
            fmt_stats_time(without_rules)
        )
        .ok();
        targets.push((
            "the full-service crate's debug build grows ≤ 2 % with its endpoint rules (same crate without them, same run)".into(),
            format!(
                "{:+.1} % ({} vs {})",
                (full_debug.median / without_rules.median - 1.0) * 100.0,
                fmt_time(full_debug.median),
                fmt_time(without_rules.median)
            ),
            full_debug.median <= without_rules.median * 1.02,
        ));
        targets.push((
            "full-service crate with only get_integrations builds in ≤ 1 s (debug)".into(),
            fmt_stats_time(one_operation),
            one_operation.median <= 1.0,
        ));
        writeln!(
            md,
            "## Compile time\n\nA clean build of the crate alone (`cargo clean -p X && cargo build -p X`, \
             dependencies already built), {} runs each; the figures include cargo's own start-up. \
             **Not equal scope:** `apigw-model` is the committed GetIntegrations slice (1 operation), \
             the SDK crate has all 103 operations; the ratio says what a user of one operation \
             compiles, not how the generators compare.\n\n\
             | crate | debug | release |\n| --- | --- | --- |\n| apigw-model (1-operation slice) | {} | {} |\n\
             | aws-sdk-apigatewayv2 {sdk_version} | {} | {} |\n",
            args.compile_runs,
            fmt_stats_time(model_debug),
            fmt_stats_time(model_release),
            fmt_stats_time(sdk_debug),
            fmt_stats_time(sdk_release),
        )
        .ok();
        for (profile, ours, theirs) in [
            ("debug", model_debug, sdk_debug),
            ("release", model_release, sdk_release),
        ] {
            targets.push((
                format!(
                    "apigw-model (1-operation slice) builds in ≤ 1/10 of aws-sdk-apigatewayv2 (103 operations; not equal scope) ({profile})"
                ),
                format!("1/{:.1}", theirs.median / ours.median),
                ours.median * 10.0 <= theirs.median,
            ));
        }
    }

    // CLI.
    let ours = Stats::of(seconds_list(&cli["apigw_seconds"])).ok_or("no apigw runs")?;
    let aws = Stats::of(seconds_list(&cli["aws_seconds"])).ok_or("no aws runs")?;
    writeln!(
        md,
        "## CLI\n\n`get-integrations --page-size 100` listing {} integrations (50 signed requests, {:.1} MB of \
         JSON output, checked identical) from the paginating test server on 127.0.0.1, stdout to \
         /dev/null; wall time per run, the server's time included.\n\n| tool | per run |\n| --- | --- |\n\
         | apigw (release) | {} |\n| aws apigatewayv2 ({}) | {} |\n",
        cli["items"],
        cli["output_bytes"].as_f64().unwrap_or(0.0) / 1e6,
        fmt_stats_time(ours),
        cli["aws_version"].as_str().unwrap_or("aws-cli"),
        fmt_stats_time(aws),
    )
    .ok();
    let apigw_peak = Stats::of(seconds_list(&cli["apigw_peak_mib"])).ok_or("no apigw peak")?;
    let aws_peak = Stats::of(seconds_list(&cli["aws_peak_mib"])).ok_or("no aws peak")?;
    writeln!(
        md,
        concat!(
            "Peak memory (the kernel's `ru_maxrss`, 3 runs each) listing one page of {} empty items ",
            "(`{{}}`, {:.1} MB of JSON) from a raw server on 127.0.0.1, stdout to /dev/null; the same ",
            "page and the same run for both. The CLI keeps one typed item at a time: each page's list ",
            "is taken out of the JSON and turned into output values item by item.\n\n",
            "| tool | peak memory |\n| --- | --- |\n",
            "| apigw (release) | {:.0} MiB [{:.0} – {:.0}] |\n",
            "| aws apigatewayv2 | {:.0} MiB [{:.0} – {:.0}] |\n",
        ),
        cli["memory_items"],
        cli["memory_page_bytes"].as_f64().unwrap_or(0.0) / 1e6,
        apigw_peak.median,
        apigw_peak.min,
        apigw_peak.max,
        aws_peak.median,
        aws_peak.min,
        aws_peak.max,
    )
    .ok();
    targets.push((
        "CLI peak memory on a 1,000,000-item page ≤ the AWS CLI's (same page, same run)".into(),
        format!(
            "{:.0} MiB vs {:.0} MiB ({:.2} of it)",
            apigw_peak.median,
            aws_peak.median,
            apigw_peak.median / aws_peak.median
        ),
        apigw_peak.median <= aws_peak.median,
    ));
    targets.push((
        "CLI ≥ 5× faster than the AWS CLI".into(),
        format!("{:.1}×", aws.median / ours.median),
        aws.median / ours.median >= 5.0,
    ));

    // Paginator.
    let by_hand = criterion("paginator/by_hand/1000000")?;
    let memory = read_json(&results.join("paginator.json"))?;
    writeln!(
        md,
        "## Paginator\n\n1,000,000 items in pages of 100 from an in-memory source (string page size and \
         tokens parsed as a service would); overhead is the time beyond producing and walking the same \
         pages by hand ({} per run). Peak memory is the most bytes live during a run, counted by a \
         forwarding global allocator.\n\n| run | per run | overhead per item | peak memory, 100k / 1M / 4M items |\n\
         | --- | --- | --- | --- |",
        fmt_stats_time(by_hand)
    )
    .ok();
    let mut worst = 0.0f64;
    for name in ["items_blocking", "items_stream", "pages_blocking"] {
        let t = criterion(&format!("paginator/{name}/1000000"))?;
        let overhead = (t.median - by_hand.median) / 1e6;
        worst = worst.max(overhead);
        let peaks: Vec<String> = memory
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["run"] == name)
            .map(|r| format!("{:.0} KB", r["peak_bytes"].as_f64().unwrap_or(0.0) / 1000.0))
            .collect();
        writeln!(
            md,
            "| {name} | {} | {:.1} ns | {} |",
            fmt_stats_time(t),
            overhead * 1e9,
            peaks.join(" / ")
        )
        .ok();
    }
    writeln!(
        md,
        "\nMemory is one page plus the cycle guard, which keeps the last 1,024 tokens exactly (longer \
         cycles are caught by a checkpoint token) and so stops growing after 1,024 pages.\n"
    )
    .ok();
    targets.push((
        "paginator overhead ≤ 50 ns per item".into(),
        format!("{:.1} ns (worst of the three)", worst * 1e9),
        worst <= 50e-9,
    ));

    let mut head = String::from("## Targets\n\n| target | figure | |\n| --- | --- | --- |\n");
    for (name, figure, met) in &targets {
        writeln!(head, "| {name} | {figure} | {} |", verdict(*met)).ok();
    }
    let (intro, rest) = md.split_once("## Deserialize").unwrap_or((&md, ""));
    let mut out = format!("{intro}{head}\n## Deserialize{rest}");
    writeln!(
        out,
        "## How to reproduce\n\n```sh\ncargo xtask bench            # everything above, rewrites BENCHMARKS.md\n\
         cargo xtask bench --skip-compile\ncargo bench -p apigw-bench --bench deserialize   # one group\n```\n\n\
         It needs `python3` (for `.venv`: the AWS CLI and botocore) and `../shared` (the official model). \
         Figures on this 2-core VM vary by about ±10 % within a run and by up to 2× between \
         hours (its neighbours); compare ratios of one run, never figures of two."
    )
    .ok();
    Ok(out)
}

/// Generates the crate of the whole official ApiGatewayV2 model (plus botocore's
/// paginators) as the one member of a workspace under `target/bench-full`; the
/// workspace's manifest.
fn full_service_crate(root: &Path) -> Result<PathBuf, String> {
    let shared = root.join("../shared/models");
    let models = [
        shared.join("smithy/apigatewayv2-2018-11-29.json"),
        shared.join("botocore/apigatewayv2/2018-11-29/paginators-1.json"),
    ];
    let dir = root.join("target/bench-full");
    crate::codegen::generate_crate(&models, &dir.join("apigw-full"), "apigw-full")?;
    crate::codegen::write_workspace(&dir, &["apigw-full"])
}

/// The same crate from the model without its endpoint rule set, under
/// `target/bench-full-without-rules`: what the rules add to the build is the difference.
fn full_service_crate_without_rules(root: &Path) -> Result<PathBuf, String> {
    let shared = root.join("../shared/models");
    let model_path = shared.join("smithy/apigatewayv2-2018-11-29.json");
    let mut model = read_json(&model_path)?;
    if let Some(shapes) = model.get_mut("shapes").and_then(Value::as_object_mut) {
        for shape in shapes.values_mut() {
            if let Some(traits) = shape.get_mut("traits").and_then(Value::as_object_mut) {
                traits.remove("smithy.rules#endpointRuleSet");
                traits.remove("smithy.rules#endpointTests");
            }
        }
    }
    let dir = root.join("target/bench-full-without-rules");
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let stripped = dir.join("model.json");
    fs::write(&stripped, model.to_string()).map_err(|e| format!("{}: {e}", stripped.display()))?;
    let models = [
        stripped,
        shared.join("botocore/apigatewayv2/2018-11-29/paginators-1.json"),
    ];
    crate::codegen::generate_crate(
        &models,
        &dir.join("apigw-full-without-rules"),
        "apigw-full-without-rules",
    )?;
    crate::codegen::write_workspace(&dir, &["apigw-full-without-rules"])
}

/// The typed parse's speed over `serde_json::Value`'s on the same page in the last
/// run before structures' serde was written out by the generator (commit 9953c00's
/// BENCHMARKS.md: 464 vs 158 MB/s at 100 items, 356 vs 171 MB/s at 1,000): a ratio,
/// so the target holds across machines, where MB/s do not.
const TYPED_OVER_VALUE_BEFORE_SERDE_CHANGE: &[(usize, f64)] =
    &[(100, 464.0 / 158.0), (1000, 356.0 / 171.0)];

/// The heading of the section of BENCHMARKS.md written by hand (what a missed target
/// lacks and why), which a run keeps.
pub(crate) const GAPS: &str = "\n## Open gaps";

pub fn run(args: Args) -> ExitCode {
    match run_all(&args) {
        Ok(markdown) => {
            let path: PathBuf = workspace_root().join("BENCHMARKS.md");
            // The fan-out section (`cargo xtask bench-fanout`) and the hand-written
            // "Open gaps" section at the end are kept as they are.
            let gaps = fs::read_to_string(&path)
                .ok()
                .and_then(|text| {
                    let at = text
                        .find(crate::fanout_bench::START)
                        .map(|a| a.saturating_sub(1))
                        .or_else(|| text.find(GAPS))?;
                    Some(text[at..].to_owned())
                })
                .unwrap_or_default();
            match fs::write(&path, markdown + &gaps) {
                Ok(()) => {
                    eprintln!("==> wrote {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {}: {e}", path.display());
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
