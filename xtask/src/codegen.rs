//! `cargo xtask codegen [--check] [--model PATH]... [--out DIR] [--crate-name NAME]`

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use apigw_codegen::{CrateConfig, Input, write};

use crate::workspace_root;

/// Exit code for a model the generator refuses (bad JSON, dangling target, ...).
const EXIT_BAD_MODEL: u8 = 2;
/// Exit code for `--check` finding stale files.
const EXIT_STALE: u8 = 1;

#[derive(clap::Args)]
pub struct Args {
    /// Write nothing; fail naming each file that differs from what would be generated.
    #[arg(long)]
    check: bool,
    /// A Smithy JSON AST or a paginators-1.json-form override file (repeatable).
    /// Default: every `*.json` in `model/`.
    #[arg(long = "model", value_name = "PATH")]
    models: Vec<PathBuf>,
    /// The crate directory to write. Default: `crates/apigw-model`.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The generated package's name. Default: `apigw-model`, or the name of `--out`.
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,
}

/// How a path is named in headers and messages: relative to the workspace root when it
/// lies inside it (so the committed output does not depend on the checkout's location).
fn display(path: &Path, root: &Path) -> String {
    let absolute = absolute(path);
    match absolute.strip_prefix(root) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => path.to_string_lossy().into_owned(),
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn default_models(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut models: Vec<PathBuf> = fs::read_dir(root.join("model"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    models.sort();
    Ok(models)
}

/// The inputs and configuration a run works on.
/// The inputs and configuration of one run.
pub struct Plan {
    pub inputs: Vec<Input>,
    pub out: PathBuf,
    pub config: CrateConfig,
}

/// Resolves arguments to inputs and a crate configuration; errors are one line each.
pub fn plan(
    models: &[PathBuf],
    out: Option<&Path>,
    crate_name: Option<&str>,
) -> Result<Plan, Vec<String>> {
    let root = workspace_root();
    let models = if models.is_empty() {
        default_models(&root).map_err(|e| vec![format!("model/: cannot list model files: {e}")])?
    } else {
        models.to_vec()
    };
    if models.is_empty() {
        return Err(vec!["model/: no *.json model files found".into()]);
    }
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in &models {
        let name = display(path, &root);
        match fs::read_to_string(path) {
            Ok(text) => inputs.push(Input { name, text }),
            Err(e) => errors.push(format!("{name}: cannot read: {e}")),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let default_out = root.join("crates/apigw-model");
    let out = out.map_or(default_out.clone(), absolute);
    let name = match crate_name {
        Some(n) => n.to_owned(),
        None if out == default_out => "apigw-model".to_owned(),
        None => out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "generated-model".to_owned()),
    };
    // Runtime crates by a path relative to the generated crate, so the committed
    // crate does not depend on where the checkout lives.
    let dependency = |krate: &str| {
        let target = root.join("crates").join(krate);
        let relative = pathdiff::diff_paths(&target, &out).unwrap_or(target);
        format!(
            "{{ path = \"{}\" }}",
            relative.to_string_lossy().replace('\\', "/")
        )
    };
    let config = CrateConfig {
        name,
        version: "0.1.0".into(),
        runtime_dependency: dependency("apigw-runtime"),
        paginator_dependency: dependency("apigw-paginator"),
        client_dependency: dependency("apigw-client"),
        views: true,
    };
    Ok(Plan {
        inputs,
        out,
        config,
    })
}

/// Generates `models` as crate `name` into `out` (all files written), for tests and
/// benchmarks that build a model other than the bundled one. Errors are one string.
pub fn generate_crate(
    models: &[PathBuf],
    out: &Path,
    name: &str,
) -> Result<apigw_codegen::Generated, String> {
    let plan = plan(models, Some(out), Some(name)).map_err(|e| e.join("; "))?;
    let generated = apigw_codegen::generate(&plan.inputs, &plan.config)
        .map_err(|e| format!("{name} does not generate:\n{e}"))?;
    write::write(out, &generated.files).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(generated)
}

/// Makes `dir` a workspace of the generated crates `members` (directories under it),
/// with this workspace's `Cargo.lock` so dependency versions are the same; its manifest.
pub fn write_workspace(dir: &Path, members: &[&str]) -> Result<PathBuf, String> {
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    let manifest = dir.join("Cargo.toml");
    fs::write(
        &manifest,
        format!(
            // No debug info: these crates are built to prove they compile and pass
            // their tests, and debug info was most of their target directory.
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
            list.join(", ")
        ),
    )
    .map_err(|e| format!("{}: {e}", manifest.display()))?;
    fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    Ok(manifest)
}

pub fn run(args: Args) -> ExitCode {
    let root = workspace_root();
    let plan = match plan(
        &args.models,
        args.out.as_deref(),
        args.crate_name.as_deref(),
    ) {
        Ok(plan) => plan,
        Err(errors) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            return ExitCode::from(EXIT_BAD_MODEL);
        }
    };
    let generated = match apigw_codegen::generate(&plan.inputs, &plan.config) {
        Ok(g) => g,
        Err(diagnostics) => {
            for d in &diagnostics.0 {
                eprintln!("error: {d}");
            }
            eprintln!(
                "error: {} problem(s) in the model; nothing was written",
                diagnostics.0.len()
            );
            return ExitCode::from(EXIT_BAD_MODEL);
        }
    };
    for w in &generated.warnings.0 {
        eprintln!("warning: {w}");
    }
    let out_shown = display(&plan.out, &root);
    if args.check {
        return match write::check(&plan.out, &generated.files) {
            Ok(stale) if stale.is_empty() => {
                eprintln!("{out_shown}: up to date ({} files)", generated.files.len());
                ExitCode::SUCCESS
            }
            Ok(stale) => {
                for s in &stale {
                    let why = match s.why {
                        write::Staleness::Missing => "is missing",
                        write::Staleness::Differs => "is stale",
                        write::Staleness::Extra => "is no longer generated",
                    };
                    eprintln!(
                        "error: {} {why}; run `cargo xtask codegen` and commit",
                        display(&s.path, &root)
                    );
                }
                ExitCode::from(EXIT_STALE)
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(EXIT_STALE)
            }
        };
    }
    match write::write(&plan.out, &generated.files) {
        Ok(report) => {
            let s = &generated.stats;
            eprintln!(
                "{out_shown}: {} files written, {} removed, {} unchanged ({} shapes, {} operations, {} structures, {} enums, {} paginated)",
                report.written.len(),
                report.removed.len(),
                generated.files.len() - report.written.len(),
                s.shapes,
                s.operations,
                s.structures,
                s.enums,
                s.paginated,
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}; nothing was written");
            ExitCode::from(EXIT_BAD_MODEL)
        }
    }
}
