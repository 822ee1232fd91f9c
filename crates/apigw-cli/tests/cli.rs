//! `apigw` end to end against moto and the paginating test server, compared byte for
//! byte with AWS CLI v1 (from the project's virtualenv) and v2 (Debian's awscli) on
//! the same server and flags, including resume tokens passed from one tool to the
//! other.

mod common;

use std::process::Command;

use apigw_tests::python::{Moto, create_integrations};
use apigw_tests::server::PagingServer;
use common::*;

const API: &str = "paging-api";

#[test]
fn every_output_format_matches_the_aws_cli_on_moto() {
    let Some(moto) = Moto::start() else { return };
    let Some(api) = create_integrations(&moto.url, 120) else {
        return;
    };
    for format in ["json", "text", "table", "yaml", "yaml-stream"] {
        let Some(out) = same_output(
            &moto.url,
            &["get-integrations", "--api-id", &api, "--output", format],
        ) else {
            return;
        };
        assert!(out.len() > 1000, "{format} output is the whole listing");
        // --query on what moto really returns.
        let query = "Items[?IntegrationType=='HTTP'].{Id: IntegrationId, Method: IntegrationMethod, Timeout: TimeoutInMillis}";
        if same_output(
            &moto.url,
            &[
                "get-integrations",
                "--api-id",
                &api,
                "--output",
                format,
                "--query",
                query,
            ],
        )
        .is_none()
        {
            return;
        }
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
        vec![
            "--output",
            "yaml",
            "--max-items",
            "130",
            "--page-size",
            "50",
        ],
        vec![
            "--output",
            "yaml-stream",
            "--max-items",
            "130",
            "--page-size",
            "50",
        ],
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
    for version in BOTH {
        if resume_with(&server, version, &base).is_none() {
            return;
        }
    }
}

/// Resumes `version`'s listing with apigw and apigw's with `version`.
fn resume_with(server: &PagingServer, version: Aws, base: &[&str]) -> Option<()> {
    // apigw starts, aws finishes.
    let first = apigw(&server.url, &[base, &["--max-items", "90"]].concat());
    assert!(first.status.success(), "{}", stderr(&first));
    let token = next_token(&stdout(&first)).expect("apigw printed a NextToken");
    let rest = aws(
        version,
        &server.url,
        &[base, &["--starting-token", &token]].concat(),
    )?;
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
    let first = aws(
        version,
        &server.url,
        &[base, &["--max-items", "111"]].concat(),
    )?;
    let token = next_token(&stdout(&first)).expect("aws printed a NextToken");
    let rest = apigw(&server.url, &[base, &["--starting-token", &token]].concat());
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
    Some(())
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
    assert_eq!(out.status.code(), Some(252));
    assert_eq!(
        stderr(&out),
        "Cannot specify --no-paginate along with pagination arguments: --page-size, --max-items\n"
    );
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[test]
fn a_wrong_flag_names_the_flag_and_exits_252() {
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
            vec!["get-integrations", "--api-id", "a", "--output", "xml"],
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
        assert_eq!(out.status.code(), Some(252), "{args:?}");
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
    let refusing = apigw_tests::python::Refusing::new();
    let port = refusing.port;
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

#[test]
fn a_slow_listing_on_a_terminal_shows_progress_and_a_quick_one_does_not() {
    let server = PagingServer::start();
    server.add_api(API, 60);
    let args = [
        "get-integrations",
        "--api-id",
        API,
        "--page-size",
        "20",
        "--endpoint-url",
        &server.url,
    ];
    let apigw = std::path::Path::new(env!("CARGO_BIN_EXE_apigw"));
    let terminal = |delay_ms: &str| {
        on_a_terminal(
            apigw,
            &args,
            &[("TERM", "xterm"), ("APIGW_PROGRESS_DELAY_MS", delay_ms)],
        )
    };
    // The spinner's delay is pinned (a minute here), so how fast this machine lists
    // cannot decide the outcome.
    let Some(quick) = terminal("60000") else {
        return;
    };
    assert!(
        !quick.contains(" items ("),
        "no spinner before its delay:\n{quick}"
    );
    assert!(quick.contains("\"Items\""));

    // Each of the 3 pages takes 600 ms, far past a 100 ms delay.
    server.set(|b| b.delay = Some(std::time::Duration::from_millis(600)));
    let Some(slow) = terminal("100") else {
        return;
    };
    assert!(
        slow.contains(" items ("),
        "a spinner once the delay has passed:\n{slow}"
    );
    assert!(slow.contains("\"Items\""), "the listing is still printed");
}

/// What one AWS CLI prints for a failure: its exit code and last stderr line, pinned
/// (a version that changes it shows up here).
type Pinned = (i32, &'static str);

/// How `apigw` compares with AWS CLI v2 on one failure.
enum Ours {
    /// v2's exit code and last line.
    SameAsV2,
    /// v2's exit code; a line of ours containing this (clap's wording of a usage error,
    /// or a message that names the flag where v2 shows Python's).
    V2CodeSaying(&'static str),
    /// A deliberate difference, explained by the case.
    Departs(i32, &'static str),
}

#[test]
fn failures_compare_with_the_aws_cli() {
    let server = PagingServer::start();
    server.add_api(API, 5);
    let service_error = "An error occurred (NotFoundException) when calling the GetIntegrations operation: Invalid API identifier specified missing";
    #[rustfmt::skip]
    let cases: Vec<(Vec<&str>, Pinned, Pinned, Ours, &str)> = vec![
        (
            vec!["get-integrations", "--api-id", "missing"],
            (255, service_error), (254, service_error), Ours::SameAsV2,
            "a service error: 254 as in v2 (v1: 255)",
        ),
        (
            vec!["get-integrations", "--api-id", API, "--bogus"],
            (255, "Unknown options: --bogus"), (252, "Unknown options: --bogus"),
            Ours::V2CodeSaying("--bogus"),
            "an unknown flag is a usage error naming it",
        ),
        (
            vec!["get-integrations", "--api-id", API, "--max-items", "many"],
            (255, "invalid literal for int() with base 10: 'many'"),
            (255, "invalid literal for int() with base 10: 'many'"),
            Ours::Departs(252, "--max-items"),
            "a bad integer is a usage error naming the flag, not Python's int() message",
        ),
        (
            vec!["get-integrations", "--api-id", API, "--no-paginate", "--max-items", "2", "--page-size", "1"],
            (255, "Error during pagination: Cannot specify --no-paginate along with pagination arguments: --page-size, --max-items"),
            (252, "Cannot specify --no-paginate along with pagination arguments: --page-size, --max-items"),
            Ours::SameAsV2,
            "--no-paginate with pagination flags",
        ),
        (
            vec!["get-integrations", "--api-id", API, "--page-size", "0"],
            (255, "An error occurred (BadRequestException) when calling the GetIntegrations operation: maxResults must be an integer between 1 and 500, not \"0\""),
            (254, "An error occurred (BadRequestException) when calling the GetIntegrations operation: maxResults must be an integer between 1 and 500, not \"0\""),
            Ours::Departs(252, "--page-size"),
            "PageSize 0 is refused before any request (the AWS CLI sends maxResults=0)",
        ),
        (
            vec!["get-integrations"],
            (2, "aws: error: the following arguments are required: --api-id"),
            (252, "aws: error: the following arguments are required: --api-id"),
            Ours::V2CodeSaying("--api-id"),
            "a missing required flag",
        ),
        (
            vec!["get-integrations", "--api-id", API, "--query", "Items["],
            (255, "       ^"), (252, "       ^"),
            Ours::V2CodeSaying("Bad value for --query Items[: Invalid jmespath expression: "),
            "a bad --query (the AWS CLI ends with a caret line under the expression)",
        ),
        (
            vec!["get-integrations", "--api-id", API, "--output", "xml"],
            (2, "table"), (252, "yaml-stream"),
            Ours::V2CodeSaying("--output"),
            "an unknown output format",
        ),
    ];
    for (args, v1, v2, ours_expected, why) in cases {
        let mut pinned = Vec::new();
        for (version, expected) in [(Aws::V1, v1), (Aws::V2, v2)] {
            let Some(theirs) = aws(version, &server.url, &args) else {
                return;
            };
            assert_eq!(
                (theirs.status.code(), last_line(&theirs).as_str()),
                (Some(expected.0), expected.1),
                "{why}: {version:?}'s side changed (a new version?): {}",
                stderr(&theirs)
            );
            pinned.push(theirs);
        }
        server.clear_requests();
        let ours = apigw(&server.url, &args);
        assert!(!stderr(&ours).contains("panicked"), "{args:?}");
        assert!(stdout(&ours).is_empty(), "{why}: nothing on stdout");
        let (code, says) = match ours_expected {
            Ours::SameAsV2 => {
                assert_eq!(last_line(&ours), v2.1, "{why}: the message");
                (v2.0, v2.1)
            }
            Ours::V2CodeSaying(says) => (v2.0, says),
            Ours::Departs(code, says) => (code, says),
        };
        assert_eq!(ours.status.code(), Some(code), "{why}: {}", stderr(&ours));
        assert!(stderr(&ours).contains(says), "{why}: {}", stderr(&ours));
        if code == 252 {
            assert!(server.requests().is_empty(), "{why}: nothing sent");
        }
    }
}

/// Text and table as well as JSON, for resumed runs, `--no-paginate` and an empty
/// listing, byte for byte with the AWS CLI on the paginating server (moto ignores
/// `maxResults`, so paging is compared here).
#[test]
fn resumed_and_unpaginated_runs_match_the_aws_cli_in_every_format() {
    let server = PagingServer::start();
    server.add_api(API, 230);
    server.add_api("empty-api", 0);
    let Some(head) = aws(
        Aws::V2,
        &server.url,
        &[
            "get-integrations",
            "--api-id",
            API,
            "--max-items",
            "70",
            "--page-size",
            "30",
        ],
    ) else {
        return;
    };
    let token = next_token(&stdout(&head)).expect("the AWS CLI printed a NextToken");
    for format in ["json", "text", "table", "yaml", "yaml-stream"] {
        let base = ["get-integrations", "--output", format];
        for rest in [
            vec![
                "--api-id",
                API,
                "--starting-token",
                &token,
                "--page-size",
                "30",
            ],
            vec![
                "--api-id",
                API,
                "--starting-token",
                &token,
                "--max-items",
                "45",
                "--page-size",
                "40",
            ],
            vec!["--api-id", API, "--no-paginate"],
            vec!["--api-id", "empty-api"],
            vec!["--api-id", "empty-api", "--no-paginate"],
        ] {
            let args: Vec<&str> = base.iter().copied().chain(rest).collect();
            if same_output(&server.url, &args).is_none() {
                return;
            }
        }
    }
}

/// `--query` against the AWS CLI's on the same listing, byte for byte, in every
/// format and with pagination (where the CLI applies the query once on the whole
/// result for json and table, per page for text): projections, filters, sorts,
/// multiselect hashes and lists, functions, and expressions that select nothing.
#[test]
fn queries_match_the_aws_cli_in_every_format() {
    let server = PagingServer::start();
    server.add_api(API, 57);
    let queries = [
        "Items[].IntegrationId",
        "Items[?IntegrationType=='HTTP_PROXY'].{Id: IntegrationId, Uri: IntegrationUri}",
        "sort_by(Items, &IntegrationId)[-2:].[IntegrationId, TimeoutInMillis]",
        "length(Items)",
        "Items[0]",
        "keys(Items[0])",
        "values(Items[0].RequestParameters)",
        "merge(Items[0].RequestParameters, {extra: `1`})",
        "max_by(Items, &TimeoutInMillis).IntegrationId",
        "NextToken",
        "Missing",
        "Items[?TimeoutInMillis > `100000`]",
    ];
    for query in queries {
        for flags in [
            vec!["--output", "json"],
            vec!["--output", "text"],
            vec!["--output", "table"],
            vec!["--output", "json", "--max-items", "20", "--page-size", "7"],
            vec!["--output", "text", "--max-items", "20", "--page-size", "7"],
            vec!["--output", "json", "--no-paginate"],
            vec!["--output", "yaml"],
            vec![
                "--output",
                "yaml-stream",
                "--max-items",
                "20",
                "--page-size",
                "7",
            ],
        ] {
            let mut args = vec!["get-integrations", "--api-id", API, "--query", query];
            args.extend(flags);
            // A query can fail where the AWS CLI's does (with text, it is also applied
            // to the {"NextToken": ...} line): the same exit code and stdout then too;
            // the error's wording is jpx-core's, not jmespath.py's.
            if same_outcome(&server.url, &args).is_none() {
                return;
            }
        }
    }
}

/// A bad `--query` is the AWS CLI's one line and exit code, before any request.
#[test]
fn a_bad_query_is_refused_like_the_aws_cli() {
    let server = PagingServer::start();
    server.add_api(API, 3);
    let args = ["get-integrations", "--api-id", API, "--query", "Items["];
    let ours = apigw(&server.url, &args);
    assert_eq!(ours.status.code(), Some(252));
    let err = stderr(&ours);
    assert!(
        err.starts_with("Bad value for --query Items[: Invalid jmespath expression: "),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(stdout(&ours).is_empty());
    for version in BOTH {
        let Some(theirs) = aws(version, &server.url, &args) else {
            return;
        };
        let expected = if version == Aws::V2 { 252 } else { 255 };
        assert_eq!(theirs.status.code(), Some(expected), "{version:?}");
        // The AWS CLI puts a blank line first and the expression with a caret after.
        let theirs = stderr(&theirs);
        assert!(
            theirs
                .trim_start()
                .starts_with("Bad value for --query Items[: Invalid jmespath expression: "),
            "{theirs}"
        );
    }
}
