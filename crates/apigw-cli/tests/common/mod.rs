//! Running `apigw` and the AWS CLI (v1 from the project's virtualenv, v2 from Debian's
//! `awscli`) side by side on the same server and flags.

#![allow(dead_code)] // each test binary uses its own part

use std::process::{Command, Output};

pub use apigw_tests::python::TestEnv;
use apigw_tests::python::{aws_cli_v2, venv_program};

/// An AWS CLI to compare with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aws {
    /// AWS CLI v1 (pip, in `.venv`).
    V1,
    /// AWS CLI v2 (Debian's `awscli`).
    V2,
}

pub const BOTH: [Aws; 2] = [Aws::V1, Aws::V2];

impl Aws {
    /// Whether this AWS CLI has what `args` use (v1 has no YAML output).
    pub fn supports(self, args: &[&str]) -> bool {
        self == Aws::V2 || !args.iter().any(|a| a.starts_with("yaml") || *a == "off")
    }
}

pub fn apigw(endpoint: &str, args: &[&str]) -> Output {
    apigw_with(endpoint, args, &[])
}

/// `apigw` with extra environment variables.
pub fn apigw_with(endpoint: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    apigw_command(endpoint, args, env)
        .output()
        .expect("apigw runs")
}

/// The `apigw` command [`apigw_with`] runs, for a test that starts it itself.
pub fn apigw_command(endpoint: &str, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_apigw"));
    command
        .args(args)
        .args(["--endpoint-url", endpoint])
        .test_env()
        .envs(env.iter().copied());
    command
}

pub fn aws(version: Aws, endpoint: &str, args: &[&str]) -> Option<Output> {
    aws_with(version, endpoint, args, &[])
}

/// The AWS CLI with extra environment variables; `None` when it is missing (outside
/// CI; under CI that fails the test).
pub fn aws_with(
    version: Aws,
    endpoint: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> Option<Output> {
    let program = match version {
        Aws::V1 => venv_program("aws")?,
        Aws::V2 => aws_cli_v2()?,
    };
    Some(
        Command::new(program)
            .arg("apigatewayv2")
            .args(args)
            .args(["--endpoint-url", endpoint])
            .test_env()
            .envs(env.iter().copied())
            .output()
            .expect("aws runs"),
    )
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The last line of stderr that is not empty.
pub fn last_line(o: &Output) -> String {
    stderr(o)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .trim_end()
        .to_owned()
}

/// Runs `apigw` and each AWS CLI that has what `args` use: stdout identical to every
/// one, the exit code AWS CLI v2's (v1's codes differ by design: README), no panic.
/// Returns ours.
pub fn same_outcome(endpoint: &str, args: &[&str]) -> Option<Output> {
    let ours = apigw(endpoint, args);
    assert!(!stderr(&ours).contains("panicked"), "{args:?}");
    for version in BOTH {
        if !version.supports(args) {
            continue;
        }
        let theirs = aws(version, endpoint, args)?;
        assert_eq!(
            stdout(&ours),
            stdout(&theirs),
            "stdout of {args:?}, compared with {version:?}"
        );
        if version == Aws::V2 {
            assert_eq!(
                ours.status.code(),
                theirs.status.code(),
                "exit code of {args:?}: {} / {}",
                stderr(&ours),
                stderr(&theirs)
            );
        }
    }
    Some(ours)
}

/// As [`same_outcome`], and every run succeeded; returns our stdout.
pub fn same_output(endpoint: &str, args: &[&str]) -> Option<String> {
    let ours = same_outcome(endpoint, args)?;
    assert!(ours.status.success(), "{args:?}: {}", stderr(&ours));
    Some(stdout(&ours))
}

pub fn next_token(json_output: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(json_output).ok()?;
    value["NextToken"].as_str().map(str::to_owned)
}

pub fn item_ids(json_output: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(json_output).unwrap_or_default();
    value["Items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["IntegrationId"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Runs `program args` under a pseudo-terminal (`script`), with `env`; returns what
/// the terminal showed.
pub fn on_a_terminal(
    program: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Option<String> {
    let mut line = format!("'{}'", program.display());
    for arg in args {
        line.push_str(&format!(" '{}'", arg.replace('\'', r"'\''")));
    }
    let out = match Command::new("script")
        .args(["-q", "-e", "-c", &line, "/dev/null"])
        .test_env()
        .env_remove("AWS_PAGER")
        .env_remove("LESS")
        .env("TERM", "dumb") // `env` may set another
        .envs(env.iter().copied())
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            return apigw_tests::missing_input(&format!("script (util-linux) is needed: {e}"));
        }
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"))
}
