//! `apigw` reaches the endpoint the AWS CLI reaches for every `endpointTests` case of
//! the official ApiGatewayV2 model: each case's parameters become the settings the AWS
//! CLI reads (`--region`, `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`,
//! `--endpoint-url`), the endpoint is read from `--debug`, and the same settings are
//! given to AWS CLI v2, whose failed connection names the URL it tried. Nothing
//! reaches a network: the hosts do not resolve here.

mod common;

use std::process::{Command, Output};

use apigw_tests::python::{TestEnv as _, aws_cli_v2};
use apigw_tests::require_shared;
use serde_json::Value;

/// What a run came to: the endpoint it would send to, or the failure's last line.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Endpoint(String),
    Error(String),
}

/// The case's settings as the AWS CLI reads them.
fn settings(params: &Value) -> (Vec<String>, Vec<(&'static str, String)>, bool) {
    let mut args = vec![
        "get-integrations".to_owned(),
        "--api-id".to_owned(),
        "abc".to_owned(),
    ];
    let mut env = Vec::new();
    let region = params.get("Region").and_then(Value::as_str);
    if let Some(region) = region {
        args.extend(["--region".to_owned(), region.to_owned()]);
    }
    let flag = |name: &str| params.get(name).and_then(Value::as_bool).unwrap_or(false);
    env.push(("AWS_USE_FIPS_ENDPOINT", flag("UseFIPS").to_string()));
    env.push((
        "AWS_USE_DUALSTACK_ENDPOINT",
        flag("UseDualStack").to_string(),
    ));
    if let Some(endpoint) = params.get("Endpoint").and_then(Value::as_str) {
        args.extend(["--endpoint-url".to_owned(), endpoint.to_owned()]);
    }
    (args, env, region.is_some())
}

fn command(program: &std::path::Path, args: &[String], env: &[(&str, String)]) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .test_env()
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env("AWS_MAX_ATTEMPTS", "1")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    cmd
}

fn last_line(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .to_owned()
}

fn ours(args: &[String], env: &[(&str, String)]) -> Outcome {
    let mut args = args.to_vec();
    args.push("--debug".to_owned());
    let out = command(
        std::path::Path::new(env!("CARGO_BIN_EXE_apigw")),
        &args,
        env,
    )
    .output()
    .expect("apigw runs");
    assert!(!out.status.success(), "nothing answers here: {out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let endpoint = stderr
        .lines()
        .find_map(|l| l.strip_prefix("[debug] GetIntegrations endpoint: "))
        .filter(|e| !e.starts_with("none ("));
    match endpoint {
        Some(url) => Outcome::Endpoint(url.to_owned()),
        None => Outcome::Error(last_line(&out)),
    }
}

fn theirs(aws: &std::path::Path, args: &[String], env: &[(&str, String)]) -> Outcome {
    let mut full = vec!["apigatewayv2".to_owned()];
    full.extend(args.iter().cloned());
    let out = command(aws, &full, env).output().expect("aws runs");
    let line = last_line(&out);
    match line
        .strip_prefix("Could not connect to the endpoint URL: \"")
        .and_then(|u| u.strip_suffix("/v2/apis/abc/integrations\""))
    {
        Some(url) => Outcome::Endpoint(url.to_owned()),
        None => Outcome::Error(line),
    }
}

/// The outcome the AWS CLI gives for a case: the case's own, except that a
/// configured endpoint turns FIPS and dual-stack off (botocore does), and that no
/// region at all is the CLI's own error before any endpoint is resolved.
fn expected(case: &Value, has_region: bool) -> Outcome {
    if !has_region {
        return Outcome::Error(
            "You must specify a region. You can also configure your region by running \"aws configure\".".into(),
        );
    }
    if let Some(endpoint) = case["params"].get("Endpoint").and_then(Value::as_str) {
        return Outcome::Endpoint(endpoint.to_owned());
    }
    match case["expect"].get("error").and_then(Value::as_str) {
        Some(error) => Outcome::Error(error.to_owned()),
        None => Outcome::Endpoint(
            case["expect"]["endpoint"]["url"]
                .as_str()
                .unwrap()
                .to_owned(),
        ),
    }
}

#[test]
fn every_apigatewayv2_endpoint_case_reaches_the_aws_cli_endpoint() {
    let Some(model) = require_shared("models/smithy/apigatewayv2-2018-11-29.json") else {
        return;
    };
    let Some(v2) = aws_cli_v2() else {
        return;
    };
    let cases = apigw_tests::endpoints::endpoint_cases(&model);
    assert_eq!(cases.len(), 43);
    let mut failures = Vec::new();
    let mut fips = 0;
    for (i, case) in cases.iter().enumerate() {
        let (args, env, has_region) = settings(&case["params"]);
        let want = expected(case, has_region);
        let got = ours(&args, &env);
        let aws = theirs(&v2, &args, &env);
        if matches!(&got, Outcome::Endpoint(u) if u.contains("-fips.")) {
            fips += 1;
        }
        if got != want || aws != want {
            failures.push(format!(
                "case {i} ({}): apigw {got:?}, AWS CLI v2 {aws:?}, want {want:?}",
                case["documentation"].as_str().unwrap_or("")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(fips, 8, "FIPS endpoints are reached, never ignored");
}

/// The partition table decides what a partition supports: with the built-in (newest)
/// table an ISO region has a dual-stack FIPS endpoint; with the older table of the
/// AWS CLI v2 2.9 release (`APIGW_PARTITIONS_FILE`), `apigw` refuses it with the rule
/// set's message, exactly as that AWS CLI does.
#[test]
fn the_partition_table_can_be_replaced_and_decides_support() {
    let Some(old_table) = require_shared("external/endpoints/partitions-2025-04-03.json") else {
        return;
    };
    let Some(v2) = aws_cli_v2() else {
        return;
    };
    let args: Vec<String> = [
        "get-integrations",
        "--api-id",
        "abc",
        "--region",
        "us-iso-east-1",
    ]
    .map(str::to_owned)
    .to_vec();
    let env = vec![
        ("AWS_USE_FIPS_ENDPOINT", "true".to_owned()),
        ("AWS_USE_DUALSTACK_ENDPOINT", "true".to_owned()),
    ];
    assert_eq!(
        ours(&args, &env),
        Outcome::Endpoint("https://apigateway-fips.us-iso-east-1.api.aws.ic.gov".into())
    );
    let mut with_old = env.clone();
    with_old.push((
        "APIGW_PARTITIONS_FILE",
        old_table.to_string_lossy().into_owned(),
    ));
    let refused = Outcome::Error(
        "FIPS and DualStack are enabled, but this partition does not support one or both".into(),
    );
    assert_eq!(ours(&args, &with_old), refused);
    assert_eq!(
        theirs(&v2, &args, &env),
        refused,
        "AWS CLI v2 2.9's own table"
    );

    // A table that cannot be used is refused before anything is sent, naming the file.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("partitions.json");
    std::fs::write(&broken, r#"{"partitions": [{"id": "aws"}]}"#).unwrap();
    let out = command(
        std::path::Path::new(env!("CARGO_BIN_EXE_apigw")),
        &args,
        &[(
            "APIGW_PARTITIONS_FILE",
            broken.to_string_lossy().into_owned(),
        )],
    )
    .output()
    .expect("apigw runs");
    assert_eq!(out.status.code(), Some(255));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("APIGW_PARTITIONS_FILE") && stderr.contains("partitions.json"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}
