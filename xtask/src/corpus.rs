//! `cargo xtask corpus [--protocol P] [--sample] [NAME...]`: the official AWS models of
//! `../shared/external/corpus/` as a test input.
//!
//! Every chosen model is generated (with its botocore paginators) into one temporary
//! workspace, the crates are type-checked together with warnings denied and every
//! operation feature on, and a few are checked again with one operation's feature alone.
//! One line per model says what happened (generated and built, refused with the first
//! diagnostic, or does not build with the first compiler error), then a summary with
//! the run's time and peak memory.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::workspace_root;

#[derive(clap::Args)]
pub struct Args {
    /// Only the models of this protocol: restJson1, awsJson1_0 or awsJson1_1.
    #[arg(long, value_name = "PROTOCOL")]
    protocol: Option<String>,
    /// Only the coverage sample the test command runs (see `SAMPLE`).
    #[arg(long)]
    sample: bool,
    /// Generate only (no `cargo check`): with `--keep`, a tree to compare with another
    /// run's, e.g. to prove a generator refactor changes no output.
    #[arg(long)]
    generate_only: bool,
    /// Keep the generated workspace in this directory (default: a temporary one,
    /// removed afterwards).
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// Model names as `index.jsonl` gives them (e.g. `dynamodb-2012-08-10`); default
    /// every model.
    names: Vec<String>,
}

/// The models the test command runs: the ones that exercised each corpus defect found
/// so far and the largest of each protocol.
pub const SAMPLE: &[&str] = &[
    // restJson1: a map with constrained keys and unconstrained values (validate()).
    "iottwinmaker-2021-11-29",
    // restJson1: an enum value named `Iterator` (strum's associated type).
    "bedrock-agent-2023-06-05",
    // restJson1, the largest (2,348 shapes, 209 operations).
    "quicksight-2018-04-01",
    // awsJson1_0, the largest: a map-typed pagination token.
    "dynamodb-2012-08-10",
    // awsJson1_1, the largest.
    "cognito-identity-provider-2016-04-18",
];

/// One line of `index.jsonl`.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub protocol: String,
    pub model: PathBuf,
    pub paginators: Option<PathBuf>,
}

/// The corpus folder beside the checkout.
pub fn corpus_dir() -> PathBuf {
    workspace_root().join("../shared/external/corpus")
}

/// Reads `index.jsonl`; an unreadable or malformed line is an error naming it.
pub fn read_index(dir: &Path) -> Result<Vec<Entry>, String> {
    let path = dir.join("index.jsonl");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut entries = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let at = || format!("{}:{}", path.display(), n + 1);
        let row: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}: {e}", at()))?;
        let field = |key: &str| -> Result<String, String> {
            row[key]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{}: no string `{key}`", at()))
        };
        entries.push(Entry {
            name: field("name")?,
            protocol: field("protocol")?,
            model: dir.join(field("model")?),
            paginators: row["paginators"].as_str().map(|p| dir.join(p)),
        });
    }
    Ok(entries)
}

/// Picks the entries a run covers: `names` (each must exist), else the sample or every
/// model, then only those of `protocol`.
pub fn select(
    index: &[Entry],
    names: &[String],
    sample: bool,
    protocol: Option<&str>,
) -> Result<Vec<Entry>, String> {
    const PROTOCOLS: &[&str] = &["restJson1", "awsJson1_0", "awsJson1_1"];
    if let Some(p) = protocol
        && !PROTOCOLS.contains(&p)
    {
        return Err(format!(
            "--protocol {p}: unknown (one of {})",
            PROTOCOLS.join(", ")
        ));
    }
    let wanted: Vec<&str> = if !names.is_empty() {
        names.iter().map(String::as_str).collect()
    } else if sample {
        SAMPLE.to_vec()
    } else {
        index.iter().map(|e| e.name.as_str()).collect()
    };
    let mut chosen = Vec::new();
    for name in wanted {
        let entry = index
            .iter()
            .find(|e| e.name == name)
            .ok_or_else(|| format!("{name}: no such model in the corpus index"))?;
        if protocol.is_none_or(|p| p == entry.protocol) {
            chosen.push(entry.clone());
        }
    }
    Ok(chosen)
}

/// What happened to one model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Generated, and type-checked with warnings denied.
    Built,
    /// The generator refused it: its first diagnostic.
    Refused(String),
    /// Generated, but the crate does not type-check: the first compiler error.
    DoesNotBuild(String),
}

/// One model's line of the report.
#[derive(Debug, Clone)]
pub struct ModelResult {
    pub entry: Entry,
    pub outcome: Outcome,
    /// Lines of Rust generated (0 when refused).
    pub lines: usize,
    /// What the generator left out (warnings).
    pub left_out: usize,
}

/// The whole run.
#[derive(Debug)]
pub struct Report {
    pub models: Vec<ModelResult>,
    /// `cargo check` of one operation's feature alone: (model, feature, first error).
    pub single_features: Vec<(String, String, Option<String>)>,
    pub generate_time: Duration,
    pub check_time: Duration,
    /// Whether the crates were type-checked (`false`: generated only).
    pub checked: bool,
    /// The largest resident memory of this process and its children together, sampled.
    pub peak_memory: Option<u64>,
}

impl Report {
    pub fn failures(&self) -> usize {
        self.models
            .iter()
            .filter(|m| m.outcome != Outcome::Built)
            .count()
            + self
                .single_features
                .iter()
                .filter(|(_, _, e)| e.is_some())
                .count()
    }
}

/// A crate's package name for a corpus model.
fn package_name(model: &str) -> String {
    format!("corpus-{model}")
}

/// Generates one model into `dir/<name>`: its outcome so far, lines, warnings and the
/// operation features of its crate.
fn generate_one(entry: &Entry, dir: &Path) -> (Outcome, usize, usize, Vec<String>) {
    let mut models = vec![entry.model.clone()];
    models.extend(entry.paginators.clone());
    let out = dir.join(&entry.name);
    let run = catch_unwind(AssertUnwindSafe(|| {
        let plan = crate::codegen::plan(&models, Some(&out), Some(&package_name(&entry.name)))
            .map_err(|e| e.join("; "))?;
        let generated = apigw_codegen::generate(&plan.inputs, &plan.config).map_err(|d| {
            d.0.first()
                .map_or_else(|| "refused".to_owned(), ToString::to_string)
        })?;
        apigw_codegen::write::write(&out, &generated.files)
            .map_err(|e| format!("{}: {e}", out.display()))?;
        Ok::<_, String>(generated)
    }));
    match run {
        Ok(Ok(generated)) => {
            let lines = generated
                .files
                .iter()
                .filter(|f| f.path.ends_with(".rs"))
                .map(|f| f.contents.lines().count())
                .sum();
            let features = generated
                .files
                .iter()
                .find(|f| f.path == "Cargo.toml")
                .map(|f| operation_features(&f.contents))
                .unwrap_or_default();
            (Outcome::Built, lines, generated.warnings.0.len(), features)
        }
        Ok(Err(first)) => (Outcome::Refused(first), 0, 0, Vec::new()),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            (
                Outcome::Refused(format!("the generator panicked: {message}")),
                0,
                0,
                Vec::new(),
            )
        }
    }
}

/// The operation features of a generated manifest: the members of its `all` feature.
fn operation_features(manifest: &str) -> Vec<String> {
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("all = ["))
        .map(|rest| {
            rest.trim_end_matches(']')
                .split(',')
                .map(|f| f.trim().trim_matches('"').to_owned())
                .filter(|f| !f.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// `cargo check` in `workspace` with warnings denied, in `target`; the first error of
/// each package (by its directory name), or an error when cargo itself failed without
/// naming a package.
fn check(
    workspace: &Path,
    target: &Path,
    args: &[&str],
) -> Result<BTreeMap<String, String>, String> {
    let mut child = crate::test::cargo()
        .args([
            "check",
            "--offline",
            "--keep-going",
            "--message-format=json",
        ])
        .args(args)
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", target)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cargo check: cannot start: {e}"))?;
    let stderr = child.stderr.take().expect("piped");
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            text.push_str(&line);
            text.push('\n');
        }
        text
    });
    let mut first_errors = BTreeMap::new();
    let stdout = child.stdout.take().expect("piped");
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
            continue;
        }
        let Some(member) = message["manifest_path"]
            .as_str()
            .and_then(|p| Path::new(p).parent()?.file_name())
            .map(|n| n.to_string_lossy().into_owned())
        else {
            continue;
        };
        let text = message["message"]["message"].as_str().unwrap_or("error");
        let span = &message["message"]["spans"][0];
        let at = match (span["file_name"].as_str(), span["line_start"].as_u64()) {
            (Some(file), Some(line)) => format!(" ({file}:{line})"),
            _ => String::new(),
        };
        first_errors
            .entry(member)
            .or_insert_with(|| format!("{text}{at}"));
    }
    let status = child
        .wait()
        .map_err(|e| format!("cargo check: cannot wait: {e}"))?;
    let stderr = stderr.join().unwrap_or_default();
    if !status.success() && first_errors.is_empty() {
        let last = stderr
            .lines()
            .rfind(|l| l.starts_with("error"))
            .unwrap_or("cargo check failed");
        return Err(format!(
            "cargo check failed without a compiler error: {last}"
        ));
    }
    Ok(first_errors)
}

/// Samples the resident memory of this process and its descendants every 200 ms
/// (Linux: `/proc`); the peak in bytes, or `None` where `/proc` is not there.
struct MemorySampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl MemorySampler {
    fn start() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let thread = Path::new("/proc/self/statm").exists().then(|| {
            let (stop, peak) = (stop.clone(), peak.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    peak.fetch_max(tree_rss(std::process::id()), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(200));
                }
            })
        });
        MemorySampler { stop, peak, thread }
    }

    fn finish(mut self) -> Option<u64> {
        self.stop.store(true, Ordering::Relaxed);
        let thread = self.thread.take()?;
        let _ = thread.join();
        Some(self.peak.load(Ordering::Relaxed))
    }
}

/// Resident bytes of `root` and every process below it.
fn tree_rss(root: u32) -> u64 {
    let Ok(entries) = fs::read_dir("/proc") else {
        return 0;
    };
    let mut parent = BTreeMap::new();
    let mut rss = BTreeMap::new();
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid ...`: comm may hold spaces, so split after its `)`.
        let Some(ppid) = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
        else {
            continue;
        };
        let pages = fs::read_to_string(entry.path().join("statm"))
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .unwrap_or(0);
        parent.insert(pid, ppid);
        rss.insert(pid, pages * 4096);
    }
    rss.iter()
        .filter(|&(&pid, _)| {
            let mut at = pid;
            for _ in 0..64 {
                if at == root {
                    return true;
                }
                match parent.get(&at) {
                    Some(&p) if p != 0 => at = p,
                    _ => return false,
                }
            }
            false
        })
        .map(|(_, bytes)| bytes)
        .sum()
}

/// How many crates get one operation's feature checked alone.
const SINGLE_FEATURE_CRATES: usize = 3;

/// Generates and checks `entries` in `workspace` (created if needed), building in
/// `target` (`None`: generate only); `progress` gets a line per refusal and step.
pub fn run_models(
    entries: &[Entry],
    workspace: &Path,
    target: Option<&Path>,
    progress: &mut dyn FnMut(&str),
) -> Result<Report, String> {
    fs::create_dir_all(workspace).map_err(|e| format!("{}: {e}", workspace.display()))?;
    let sampler = MemorySampler::start();
    let started = Instant::now();
    let mut models = Vec::new();
    let mut features = BTreeMap::new();
    for entry in entries {
        let (outcome, lines, left_out, ops) = generate_one(entry, workspace);
        if let Outcome::Refused(why) = &outcome {
            progress(&format!("{}: refused: {why}", entry.name));
        }
        features.insert(entry.name.clone(), ops);
        models.push(ModelResult {
            entry: entry.clone(),
            outcome,
            lines,
            left_out,
        });
    }
    let generate_time = started.elapsed();

    let generated: Vec<&str> = models
        .iter()
        .filter(|m| m.outcome == Outcome::Built)
        .map(|m| m.entry.name.as_str())
        .collect();
    let checked = Instant::now();
    let mut single_features = Vec::new();
    if let Some(target) = target
        && !generated.is_empty()
    {
        crate::codegen::write_workspace(workspace, &generated)?;
        progress(&format!(
            "cargo check of {} crates, warnings denied, every feature on",
            generated.len()
        ));
        let errors = check(workspace, target, &["--workspace", "--all-features"])?;
        for m in &mut models {
            if let Some(first) = errors.get(&m.entry.name) {
                m.outcome = Outcome::DoesNotBuild(first.clone());
            }
        }
        // One operation's feature alone, on the first few crates that built: the
        // feature graph (which types an operation needs) is complete.
        let built: Vec<&ModelResult> = models
            .iter()
            .filter(|m| m.outcome == Outcome::Built)
            .collect();
        for m in built.iter().take(SINGLE_FEATURE_CRATES) {
            let ops = &features[&m.entry.name];
            let Some(op) = ops.get(ops.len() / 2) else {
                continue;
            };
            let package = package_name(&m.entry.name);
            progress(&format!("cargo check -p {package} --features {op} alone"));
            let errors = check(
                workspace,
                target,
                &["-p", &package, "--no-default-features", "--features", op],
            )?;
            single_features.push((
                m.entry.name.clone(),
                op.clone(),
                errors.get(&m.entry.name).cloned(),
            ));
        }
    }
    Ok(Report {
        models,
        single_features,
        generate_time,
        check_time: checked.elapsed(),
        checked: target.is_some(),
        peak_memory: sampler.finish(),
    })
}

/// The report as printed: a line per model, then the summary.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let width = report
        .models
        .iter()
        .map(|m| m.entry.name.len())
        .max()
        .unwrap_or(0);
    for m in &report.models {
        let what = match &m.outcome {
            Outcome::Built => format!(
                "{} ({} lines{})",
                if report.checked { "built" } else { "generated" },
                m.lines,
                if m.left_out > 0 {
                    format!(", {} left out", m.left_out)
                } else {
                    String::new()
                }
            ),
            Outcome::Refused(why) => format!("REFUSED: {why}"),
            Outcome::DoesNotBuild(error) => format!("DOES NOT BUILD: {error}"),
        };
        out.push_str(&format!(
            "{:<width$}  {:<10}  {what}\n",
            m.entry.name, m.entry.protocol
        ));
    }
    for (model, feature, error) in &report.single_features {
        match error {
            None => out.push_str(&format!("{model}: feature {feature} alone: built\n")),
            Some(e) => out.push_str(&format!(
                "{model}: feature {feature} alone: DOES NOT BUILD: {e}\n"
            )),
        }
    }
    let mut by_protocol: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for m in &report.models {
        let counts = by_protocol.entry(&m.entry.protocol).or_default();
        counts.1 += 1;
        if m.outcome == Outcome::Built {
            counts.0 += 1;
        }
    }
    let summary: Vec<String> = by_protocol
        .iter()
        .map(|(p, (built, all))| format!("{p} {built}/{all}"))
        .collect();
    let lines: usize = report.models.iter().map(|m| m.lines).sum();
    out.push_str(&format!(
        "summary: {} of {} models generate{} ({}); {} lines of Rust; {:.1} s (generate {:.1} s, cargo check {:.1} s); peak memory {}\n",
        report.models.iter().filter(|m| m.outcome == Outcome::Built).count(),
        report.models.len(),
        if report.checked { " and build" } else { " (not checked)" },
        summary.join(", "),
        lines,
        (report.generate_time + report.check_time).as_secs_f64(),
        report.generate_time.as_secs_f64(),
        report.check_time.as_secs_f64(),
        report
            .peak_memory
            .map_or("not measured".to_owned(), |b| format!("{} MiB", b >> 20)),
    ));
    out
}

pub fn run(args: Args) -> ExitCode {
    let result = (|| {
        let index = read_index(&corpus_dir())?;
        let entries = select(&index, &args.names, args.sample, args.protocol.as_deref())?;
        if entries.is_empty() {
            return Err("no model chosen".to_owned());
        }
        let tmp;
        let workspace = match &args.keep {
            Some(dir) => dir.clone(),
            None => {
                tmp = TempDir::new()?;
                tmp.0.clone()
            }
        };
        eprintln!(
            "==> generating {} models into {}",
            entries.len(),
            workspace.display()
        );
        let report = run_models(
            &entries,
            &workspace,
            (!args.generate_only)
                .then(|| workspace_root().join("target/corpus"))
                .as_deref(),
            &mut |line| eprintln!("==> {line}"),
        )?;
        print!("{}", render(&report));
        Ok(report.failures())
    })();
    match result {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// A directory under `target/` removed on drop (the generated workspace of one run).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<Self, String> {
        let dir = workspace_root()
            .join("target/corpus-workspace")
            .join(format!("run-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_features_are_the_members_of_all() {
        let manifest = "[features]\ndefault = [\"all\"]\nall = [\"get_apis\", \"get_integrations\"]\nbotocore = []\n";
        assert_eq!(
            operation_features(manifest),
            ["get_apis", "get_integrations"]
        );
    }

    #[test]
    fn unknown_names_and_protocols_are_refused_by_name() {
        let index = vec![Entry {
            name: "a-1".into(),
            protocol: "restJson1".into(),
            model: "a.json".into(),
            paginators: None,
        }];
        assert_eq!(
            select(&index, &["b-2".into()], false, None).unwrap_err(),
            "b-2: no such model in the corpus index"
        );
        assert!(
            select(&index, &[], false, Some("awsQuery"))
                .unwrap_err()
                .starts_with("--protocol awsQuery: unknown")
        );
        assert!(
            select(&index, &[], false, Some("awsJson1_0"))
                .unwrap()
                .is_empty()
        );
    }
}
