//! `apigw` end to end against moto and the paginating test server, compared byte for
//! byte with the AWS CLI (`aws` from the project's virtualenv) on the same server and
//! flags, including resume tokens passed from one tool to the other.

use std::process::{Command, Output};

use apigw_tests::python::{Moto, TestEnv as _, create_integrations, venv_program};
use apigw_tests::server::PagingServer;

const API: &str = "paging-api";

fn apigw(endpoint: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apigw"))
        .args(args)
        .args(["--endpoint-url", endpoint])
        .test_env()
        .output()
        .expect("apigw runs")
}

fn aws(endpoint: &str, args: &[&str]) -> Option<Output> {
    let program = venv_program("aws")?;
    Some(
        Command::new(program)
            .arg("apigatewayv2")
            .args(args)
            .args(["--endpoint-url", endpoint])
            .test_env()
            .output()
            .expect("aws runs"),
    )
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs both tools with `args`; asserts both succeed with identical stdout.
fn same_output(endpoint: &str, args: &[&str]) -> Option<String> {
    let theirs = aws(endpoint, args)?;
    let ours = apigw(endpoint, args);
    assert!(
        theirs.status.success(),
        "aws {args:?} failed: {}",
        stderr(&theirs)
    );
    assert!(
        ours.status.success(),
        "apigw {args:?} failed: {}",
        stderr(&ours)
    );
    assert_eq!(stdout(&ours), stdout(&theirs), "stdout of {args:?}");
    assert!(!stderr(&ours).contains("panicked"));
    Some(stdout(&ours))
}

fn next_token(json_output: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(json_output).ok()?;
    value["NextToken"].as_str().map(str::to_owned)
}

fn item_ids(json_output: &str) -> Vec<String> {
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

#[test]
fn every_output_format_matches_the_aws_cli_on_moto() {
    let Some(moto) = Moto::start() else { return };
    let Some(api) = create_integrations(&moto.url, 120) else {
        return;
    };
    for format in ["json", "text", "table"] {
        let Some(out) = same_output(
            &moto.url,
            &["get-integrations", "--api-id", &api, "--output", format],
        ) else {
            return;
        };
        assert!(out.len() > 1000, "{format} output is the whole listing");
    }
    // MaxItems over a single moto page, and resuming from there with the other tool.
    let Some(head) = same_output(
        &moto.url,
        &["get-integrations", "--api-id", &api, "--max-items", "7"],
    ) else {
        return;
    };
    let token = next_token(&head).expect("a resume token");
    let Some(tail) = same_output(
        &moto.url,
        &[
            "get-integrations",
            "--api-id",
            &api,
            "--starting-token",
            &token,
        ],
    ) else {
        return;
    };
    let mut all = item_ids(&head);
    all.extend(item_ids(&tail));
    assert_eq!(all.len(), 120);
}

#[test]
fn paginated_listings_match_the_aws_cli_for_every_flag_combination() {
    let server = PagingServer::start();
    server.add_api(API, 230);
    for flags in [
        vec![],
        vec!["--page-size", "50"],
        vec!["--max-items", "130", "--page-size", "50"],
        vec!["--max-items", "100", "--page-size", "50"],
        vec!["--max-items", "230", "--page-size", "100"],
        vec!["--max-items", "1"],
        vec!["--no-paginate"],
        vec!["--output", "text", "--max-items", "60", "--page-size", "25"],
        vec!["--output", "table", "--max-items", "3", "--page-size", "2"],
    ] {
        let mut args = vec!["get-integrations", "--api-id", API];
        args.extend(flags);
        if same_output(&server.url, &args).is_none() {
            return;
        }
    }
}

#[test]
fn resume_tokens_pass_between_apigw_and_aws_in_both_directions() {
    let server = PagingServer::start();
    server.add_api(API, 230);
    let base = ["get-integrations", "--api-id", API, "--page-size", "40"];

    // apigw starts, aws finishes.
    let first = apigw(&server.url, &[&base[..], &["--max-items", "90"]].concat());
    assert!(first.status.success(), "{}", stderr(&first));
    let token = next_token(&stdout(&first)).expect("apigw printed a NextToken");
    let Some(rest) = aws(
        &server.url,
        &[&base[..], &["--starting-token", &token]].concat(),
    ) else {
        return;
    };
    assert!(
        rest.status.success(),
        "aws resumed from apigw's token: {}",
        stderr(&rest)
    );
    let mut ids = item_ids(&stdout(&first));
    ids.extend(item_ids(&stdout(&rest)));
    assert_eq!(ids.len(), 230);
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), 230, "nothing repeated");

    // aws starts, apigw finishes.
    let Some(first) = aws(&server.url, &[&base[..], &["--max-items", "111"]].concat()) else {
        return;
    };
    let token = next_token(&stdout(&first)).expect("aws printed a NextToken");
    let rest = apigw(
        &server.url,
        &[&base[..], &["--starting-token", &token]].concat(),
    );
    assert!(
        rest.status.success(),
        "apigw resumed from aws's token: {}",
        stderr(&rest)
    );
    let mut ids = item_ids(&stdout(&first));
    ids.extend(item_ids(&stdout(&rest)));
    assert_eq!(ids, {
        let all = apigw(&server.url, &["get-integrations", "--api-id", API]);
        item_ids(&stdout(&all))
    });
}

#[test]
fn a_service_error_is_one_line_with_exit_code_254() {
    let server = PagingServer::start();
    let out = apigw(&server.url, &["get-integrations", "--api-id", "missing"]);
    assert_eq!(out.status.code(), Some(254));
    assert_eq!(
        stderr(&out),
        "An error occurred (NotFoundException) when calling the GetIntegrations operation: Invalid API identifier specified missing\n"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn no_paginate_is_refused_with_pagination_flags() {
    let server = PagingServer::start();
    server.add_api(API, 5);
    let out = apigw(
        &server.url,
        &[
            "get-integrations",
            "--api-id",
            API,
            "--no-paginate",
            "--max-items",
            "2",
            "--page-size",
            "1",
        ],
    );
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(
        stderr(&out),
        "Error during pagination: Cannot specify --no-paginate along with pagination arguments: --page-size, --max-items\n"
    );
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[test]
fn a_wrong_flag_names_the_flag_and_exits_2() {
    for (args, needle) in [
        (vec!["get-integrations"], "--api-id"),
        (
            vec!["get-integrations", "--api-id", "a", "--max-items", "many"],
            "--max-items",
        ),
        (
            vec!["get-integrations", "--api-id", "a", "--page-size", "0"],
            "--page-size",
        ),
        (
            vec!["get-integrations", "--api-id", "a", "--output", "yaml"],
            "--output",
        ),
        (
            vec!["get-integrations", "--api-id", "a", "--bogus"],
            "--bogus",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_apigw"))
            .args(&args)
            .test_env()
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn a_malformed_response_is_reported_not_a_panic() {
    let server = PagingServer::start();
    server.add_api(API, 5);
    server.set(|b| b.malformed = 1);
    let out = apigw(&server.url, &["get-integrations", "--api-id", API]);
    assert_eq!(out.status.code(), Some(255));
    let err = stderr(&out);
    assert!(
        err.starts_with("malformed response (HTTP 200): body is not the expected JSON"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
    assert!(stdout(&out).is_empty(), "nothing partial is printed");
}

#[test]
fn throttling_is_retried_and_the_listing_completes_quietly() {
    let server = PagingServer::start();
    server.add_api(API, 60);
    server.set(|b| b.throttle = 2);
    let out = apigw(
        &server.url,
        &["get-integrations", "--api-id", API, "--page-size", "25"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(item_ids(&stdout(&out)).len(), 60);
    assert!(
        stderr(&out).is_empty(),
        "no progress output when stderr is not a terminal"
    );
}

#[test]
fn an_unreachable_endpoint_is_one_line_with_exit_code_255() {
    let port = apigw_tests::python::free_port();
    let out = Command::new(env!("CARGO_BIN_EXE_apigw"))
        .args(["get-integrations", "--api-id", "a", "--max-attempts", "1"])
        .args(["--endpoint-url", &format!("http://127.0.0.1:{port}")])
        .test_env()
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(255));
    assert!(
        stderr(&out).starts_with("could not connect: "),
        "{}",
        stderr(&out)
    );
    assert_eq!(stderr(&out).lines().count(), 1);
}

/// Runs apigw under a pseudo-terminal (`script` from util-linux); returns everything
/// the terminal showed.
fn on_a_terminal(endpoint: &str, args: &[&str]) -> Option<String> {
    let mut command = vec![env!("CARGO_BIN_EXE_apigw").to_owned()];
    command.extend(args.iter().map(|a| (*a).to_owned()));
    command.extend(["--endpoint-url".to_owned(), endpoint.to_owned()]);
    let line = command
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect::<Vec<_>>()
        .join(" ");
    let out = match Command::new("script")
        .args(["-q", "-e", "-c", &line, "/dev/null"])
        .test_env()
        .env("TERM", "xterm")
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
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_slow_listing_on_a_terminal_shows_progress_and_a_quick_one_does_not() {
    let server = PagingServer::start();
    server.add_api(API, 60);
    let args = ["get-integrations", "--api-id", API, "--page-size", "20"];
    let Some(quick) = on_a_terminal(&server.url, &args) else {
        return;
    };
    assert!(
        !quick.contains(" items ("),
        "no spinner within the first second:\n{quick}"
    );
    assert!(quick.contains("\"Items\""));

    server.set(|b| b.delay = Some(std::time::Duration::from_millis(600)));
    let Some(slow) = on_a_terminal(&server.url, &args) else {
        return;
    };
    assert!(
        slow.contains(" items ("),
        "a spinner after a second:\n{slow}"
    );
    assert!(slow.contains("\"Items\""), "the listing is still printed");
}
