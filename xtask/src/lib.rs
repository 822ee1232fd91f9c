//! Maintainer tasks. `cargo xtask codegen` regenerates `crates/apigw-model` from
//! `model/`; `cargo xtask test` is the project's one test command.

pub mod bench;
pub mod codegen;
pub mod corpus;
pub mod fanout_bench;
pub mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The command line.
#[derive(Parser)]
#[command(name = "cargo xtask", about = "apigw maintainer tasks")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a model crate from Smithy JSON AST files (default: model/*.json into
    /// crates/apigw-model).
    Codegen(codegen::Args),
    /// Generate the official AWS models of ../shared/external/corpus into one workspace
    /// and type-check them with warnings denied; a line per model and a summary.
    Corpus(corpus::Args),
    /// Run every check CI runs: formatting, clippy, codegen freshness and all tests
    /// (starting and stopping the test servers they need).
    Test(test::Args),
    /// Run every benchmark (beside aws-sdk-apigatewayv2, botocore and the AWS CLI) and
    /// write BENCHMARKS.md.
    Bench(bench::Args),
    /// Benchmark listing every integration of every API under API Gateway's quota
    /// (apigw, boto3, the AWS CLI) and write its section of BENCHMARKS.md.
    BenchFanout(fanout_bench::Args),
}

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Runs the command line.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen(args) => codegen::run(args),
        Command::Corpus(args) => corpus::run(args),
        Command::Test(args) => test::run(args),
        Command::Bench(args) => bench::run(args),
        Command::BenchFanout(args) => fanout_bench::run(args),
    }
}
