//! `get-integrations` over several APIs, regions and profiles: merged output in a
//! stable order, the quota respected, concurrency bounded, and one resume token that
//! lists exactly the rest after any kind of stop.

mod common;

use std::time::Duration;

use apigw_tests::server::{PagingServer, Quota};
use common::{apigw_command, apigw_with, stderr, stdout};
use serde_json::Value;

/// Fan-out runs with the defaults a user has (adaptive retries, 3 attempts): the
/// test environment's AWS_RETRY_MODE=standard is cleared.
const FAN_OUT_ENV: &[(&str, &str)] = &[("AWS_RETRY_MODE", "")];

fn run(server: &PagingServer, args: &[&str]) -> std::process::Output {
    apigw_with(&server.url, args, FAN_OUT_ENV)
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(out), stderr(out)))
}

/// (ApiId, IntegrationId) of every listed integration, in output order.
fn listed(value: &Value) -> Vec<(String, String)> {
    value["Apis"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|api| {
            let id = api["ApiId"].as_str().unwrap_or_default().to_owned();
            api["Items"].as_array().into_iter().flatten().map(move |i| {
                (
                    id.clone(),
                    i["IntegrationId"].as_str().unwrap_or_default().to_owned(),
                )
            })
        })
        .collect()
}

fn resume_hint(err: &str) -> Option<String> {
    err.lines()
        .find_map(|l| l.split_once("run again with: --starting-token "))
        .map(|(_, token)| token.trim().to_owned())
}

fn server_with(apis: &[(&str, usize)]) -> PagingServer {
    let server = PagingServer::start();
    for (id, count) in apis {
        server.add_api(id, *count);
    }
    server
}

#[test]
fn several_api_ids_are_merged_in_order_and_grouped_by_api() {
    let server = server_with(&[("zeta", 3), ("alpha", 120), ("mid", 0)]);
    let out = run(
        &server,
        &[
            "get-integrations",
            "--api-id",
            "zeta,alpha,mid",
            "--page-size",
            "50",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let value = json(&out);
    let apis = value["Apis"].as_array().unwrap();
    let order: Vec<_> = apis.iter().map(|a| a["ApiId"].as_str().unwrap()).collect();
    assert_eq!(
        order,
        ["alpha", "mid", "zeta"],
        "sorted by (profile, region, ApiId)"
    );
    for api in apis {
        assert_eq!(api["Region"], "us-east-1");
        assert_eq!(api["Profile"], "default");
    }
    // Each group holds exactly what a single-API run prints.
    for (i, id) in ["alpha", "mid", "zeta"].iter().enumerate() {
        let single = apigw_with(&server.url, &["get-integrations", "--api-id", id], &[]);
        assert!(single.status.success());
        assert_eq!(apis[i]["Items"], json(&single)["Items"], "{id}");
    }
    assert!(value.get("NextToken").is_none());
    // --query applies to the merged result.
    let out = run(
        &server,
        &[
            "get-integrations",
            "--api-id",
            "zeta,alpha",
            "--query",
            "Apis[].ApiId",
            "--output",
            "text",
        ],
    );
    assert_eq!(stdout(&out).trim(), "alpha\tzeta");
}

#[test]
fn all_apis_lists_every_api_under_the_quota_without_a_failure() {
    let ids: Vec<String> = (0..60).map(|i| format!("api{i:03}")).collect();
    let server = PagingServer::start();
    for id in &ids {
        server.add_api(id, 7);
    }
    // The service's quota, ten times faster: 100 requests/s, burst 40.
    server.set(|b| {
        b.quota = Some(Quota {
            rate: 100.0,
            burst: 40.0,
        })
    });
    let out = run(
        &server,
        &["get-integrations", "--all-apis", "--page-size", "5"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let value = json(&out);
    let listed = listed(&value);
    assert_eq!(listed.len(), 60 * 7, "every integration of every API");
    let apis: Vec<_> = value["Apis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["ApiId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(apis, ids);
    assert!(value.get("Failures").is_none());
    let counters = server.counters();
    // GetApis: 12 pages; GetIntegrations: 2 pages per API; plus retried throttles.
    assert_eq!(
        counters.requests - counters.throttled,
        12 + 60 * 2,
        "{counters:?}"
    );
}

#[test]
fn requests_in_flight_never_exceed_max_concurrency_and_output_is_stable() {
    let ids: Vec<String> = (0..24).map(|i| format!("c{i:02}")).collect();
    let server = PagingServer::start();
    for (i, id) in ids.iter().enumerate() {
        server.add_api(id, i % 5 * 3);
    }
    server.set(|b| b.random_delay = Some((Duration::from_millis(1), Duration::from_millis(25))));
    let joined = ids.join(",");
    let args = [
        "get-integrations",
        "--api-id",
        &joined,
        "--max-concurrency",
        "3",
        "--page-size",
        "2",
    ];
    let first = run(&server, &args);
    assert!(first.status.success(), "{}", stderr(&first));
    let counters = server.counters();
    assert!(counters.max_in_flight <= 3, "{counters:?}");
    assert!(
        counters.max_in_flight >= 2,
        "the APIs were listed concurrently: {counters:?}"
    );
    for _ in 0..2 {
        let again = run(&server, &args);
        assert_eq!(stdout(&again), stdout(&first), "byte-identical across runs");
    }
}

/// Everything listed across a run and its resumptions, following the printed tokens.
fn resumed(server: &PagingServer, args: &[&str], extra: &[&str]) -> (Vec<(String, String)>, usize) {
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    let mut runs = 0;
    loop {
        let mut full: Vec<&str> = args.to_vec();
        full.extend_from_slice(extra);
        if let Some(t) = &token {
            full.extend_from_slice(&["--starting-token", t]);
        }
        let out = run(server, &full);
        runs += 1;
        assert!(runs < 100, "no progress");
        let value = json(&out);
        all.extend(listed(&value));
        let next = value["NextToken"].as_str().map(str::to_owned);
        if out.status.success() {
            match next {
                None => return (all, runs),
                Some(t) => token = Some(t),
            }
        } else {
            let hint = resume_hint(&stderr(&out)).expect("a failed run prints a resume token");
            assert_eq!(next.as_deref(), Some(hint.as_str()));
            token = Some(hint);
        }
    }
}

#[test]
fn max_items_resumes_exactly_where_it_stopped() {
    let server = server_with(&[("a1", 7), ("b2", 0), ("c3", 12), ("d4", 5)]);
    let args = [
        "get-integrations",
        "--api-id",
        "d4,c3,b2,a1",
        "--page-size",
        "3",
    ];
    let whole = listed(&json(&run(&server, &args)));
    assert_eq!(whole.len(), 24);
    // Stops inside a page, at a page's end, at an API's end, and beyond the end.
    for n in ["1", "2", "3", "7", "10", "19", "24", "30"] {
        let (all, runs) = resumed(&server, &args, &["--max-items", n]);
        assert_eq!(all, whole, "--max-items {n}: nothing lost, nothing twice");
        let n: usize = n.parse().unwrap();
        assert_eq!(runs, whole.len().div_ceil(n).max(1), "--max-items {n}");
    }
}

#[test]
fn a_failure_stops_the_run_and_its_token_lists_exactly_the_rest() {
    let server = server_with(&[("a1", 7), ("b2", 9), ("c3", 4)]);
    let args = [
        "get-integrations",
        "--api-id",
        "a1,b2,c3",
        "--page-size",
        "2",
        "--max-concurrency",
        "1",
    ];
    let whole = listed(&json(&run(&server, &args)));
    // Request 6 (0-based, counting every request) is b2's second page: 500s until the
    // attempts run out.
    for failing in [0usize, 3, 5, 6, 9] {
        server.clear_requests();
        server.set(|b| b.fail_requests = (failing..failing + 3).collect());
        let first = run(&server, &args);
        assert!(!first.status.success());
        server.set(|b| b.fail_requests.clear());
        let mut all = listed(&json(&first));
        let token = resume_hint(&stderr(&first))
            .unwrap_or_else(|| panic!("a resume token: {}", stderr(&first)));
        let rest = run(
            &server,
            &[&args[..], &["--starting-token", &token]].concat(),
        );
        assert!(rest.status.success(), "{}", stderr(&rest));
        all.extend(listed(&json(&rest)));
        assert_eq!(all, whole, "failing request {failing}");
    }
}

#[test]
fn keep_going_reports_a_failing_api_and_lists_the_rest() {
    let server = server_with(&[("a1", 3), ("c3", 2)]);
    let out = run(
        &server,
        &[
            "get-integrations",
            "--api-id",
            "a1,b-missing,c3",
            "--keep-going",
        ],
    );
    assert_eq!(out.status.code(), Some(254), "{}", stderr(&out));
    let value = json(&out);
    let apis: Vec<_> = value["Apis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["ApiId"].as_str().unwrap())
        .collect();
    assert_eq!(apis, ["a1", "c3"]);
    let failures = value["Failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0]["ApiId"], "b-missing");
    assert!(
        failures[0]["Error"]
            .as_str()
            .unwrap()
            .contains("NotFoundException")
    );
    assert!(
        stderr(&out).contains("1 of the listed APIs failed"),
        "{}",
        stderr(&out)
    );
    // Without --keep-going the run stops at the failure.
    let out = run(
        &server,
        &["get-integrations", "--api-id", "a1,b-missing,c3"],
    );
    assert_eq!(out.status.code(), Some(254));
    assert_eq!(listed(&json(&out)).len(), 3, "a1 printed, c3 not reached");
}

#[test]
fn a_token_of_other_flags_is_refused() {
    let server = server_with(&[("a1", 3), ("b2", 2), ("c3", 2)]);
    let out = run(
        &server,
        &["get-integrations", "--api-id", "a1,b2", "--max-items", "1"],
    );
    let token = json(&out)["NextToken"].as_str().unwrap().to_owned();
    let out = run(
        &server,
        &[
            "get-integrations",
            "--api-id",
            "a1,c3",
            "--starting-token",
            &token,
        ],
    );
    assert_eq!(out.status.code(), Some(255));
    let err = stderr(&out);
    assert!(
        err.starts_with("invalid starting token: ") && err.contains("other settings"),
        "{err}"
    );
    let out = run(
        &server,
        &[
            "get-integrations",
            "--api-id",
            "a1,c3",
            "--starting-token",
            "garbage",
        ],
    );
    assert_eq!(out.status.code(), Some(255));
}

#[test]
fn regions_and_access_keys_get_separate_budgets() {
    let server = server_with(&[("a1", 4), ("b2", 4)]);
    server.add_key("AKIDSECONDACCOUNT001", "second/secret");
    server.set(|b| {
        b.other_regions = vec!["eu-west-1".to_owned()];
        b.quota = Some(Quota {
            rate: 1.0,
            burst: 4.0,
        });
    });
    let dir = tempfile::tempdir().unwrap();
    let credentials = dir.path().join("credentials");
    std::fs::write(
        &credentials,
        format!(
            "[one]\naws_access_key_id = {}\naws_secret_access_key = {}\n[two]\naws_access_key_id = AKIDSECONDACCOUNT001\naws_secret_access_key = second/secret\n",
            apigw_tests::server::ACCESS_KEY,
            apigw_tests::server::SECRET_KEY
        ),
    )
    .unwrap();
    let credentials = credentials.to_string_lossy().into_owned();
    let env = [
        ("AWS_RETRY_MODE", ""),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str()),
    ];
    let out = apigw_with(
        &server.url,
        &[
            "get-integrations",
            "--api-id",
            "a1,b2",
            "--region",
            "us-east-1,eu-west-1",
            "--profile",
            "one,two",
        ],
        &env,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let value = json(&out);
    let groups: Vec<String> = value["Apis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            format!(
                "{}/{}/{}",
                a["Profile"].as_str().unwrap(),
                a["Region"].as_str().unwrap(),
                a["ApiId"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            "one/eu-west-1/a1",
            "one/eu-west-1/b2",
            "one/us-east-1/a1",
            "one/us-east-1/b2",
            "two/eu-west-1/a1",
            "two/eu-west-1/b2",
            "two/us-east-1/a1",
            "two/us-east-1/b2",
        ]
    );
    // Each (key, region) spent its own burst of 4: two requests each, none throttled.
    let counters = server.counters();
    assert_eq!(counters.by_scope.len(), 4, "{counters:?}");
    assert!(counters.by_scope.values().all(|&n| n == 2), "{counters:?}");
    assert_eq!(counters.throttled, 0, "{counters:?}");
}

#[test]
fn one_api_id_without_fan_out_flags_prints_what_the_aws_cli_prints() {
    let server = server_with(&[("a1", 3)]);
    let out = run(&server, &["get-integrations", "--api-id", "a1"]);
    let value = json(&out);
    assert!(value.get("Apis").is_none());
    assert_eq!(value["Items"].as_array().unwrap().len(), 3);
    let out = run(
        &server,
        &["get-integrations", "--api-id", "a1,b2", "--no-paginate"],
    );
    assert_eq!(out.status.code(), Some(252));
}

/// Every retry mode the SDKs name is accepted from the environment (the config loader
/// once panicked on `adaptive`), and anything else is a one-line error.
#[test]
fn retry_modes_come_from_the_environment() {
    let server = server_with(&[("a1", 2)]);
    for mode in ["legacy", "standard", "adaptive"] {
        let out = apigw_with(
            &server.url,
            &["get-integrations", "--api-id", "a1"],
            &[("AWS_RETRY_MODE", mode)],
        );
        assert!(out.status.success(), "{mode}: {}", stderr(&out));
    }
    let out = apigw_with(
        &server.url,
        &["get-integrations", "--api-id", "a1"],
        &[("AWS_RETRY_MODE", "eager")],
    );
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(
        stderr(&out).trim(),
        "invalid retry mode \"eager\" (from AWS_RETRY_MODE): expected legacy, standard or adaptive"
    );
    let out = apigw_with(
        &server.url,
        &["get-integrations", "--api-id", "a1"],
        &[("AWS_MAX_ATTEMPTS", "0")],
    );
    assert_eq!(out.status.code(), Some(255), "{}", stderr(&out));
}

/// Ctrl-C: what was received is printed with one token (exit 130), and the token
/// lists exactly the rest.
#[test]
fn an_interrupted_run_prints_what_it_received_and_resumes_exactly() {
    let ids: Vec<String> = (0..30).map(|i| format!("i{i:02}")).collect();
    let server = PagingServer::start();
    for id in &ids {
        server.add_api(id, 3);
    }
    let joined = ids.join(",");
    let args = [
        "get-integrations",
        "--api-id",
        joined.as_str(),
        "--max-concurrency",
        "1",
    ];
    let whole = listed(&json(&run(&server, &args)));
    server.set(|b| b.delay = Some(Duration::from_millis(60)));
    let child = apigw_command(&server.url, &args, FAN_OUT_ENV)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    server.set(|b| b.delay = None);
    let first = json(&out);
    let mut all = listed(&first);
    assert!(
        !all.is_empty() && all.len() < whole.len(),
        "stopped midway: {}",
        all.len()
    );
    let token = first["NextToken"].as_str().expect("a token").to_owned();
    assert_eq!(resume_hint(&stderr(&out)).as_deref(), Some(token.as_str()));
    let rest = run(
        &server,
        &[&args[..], &["--starting-token", &token]].concat(),
    );
    assert!(rest.status.success(), "{}", stderr(&rest));
    all.extend(listed(&json(&rest)));
    assert_eq!(all, whole);
}
