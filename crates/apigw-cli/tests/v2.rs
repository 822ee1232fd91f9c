//! What AWS CLI v2 added, against the real v2 (Debian's awscli) where it has it: YAML
//! outputs on hostile strings, exit codes for configuration errors, the pager,
//! `--cli-input-json` and `--generate-cli-skeleton`; and what only `apigw` has:
//! `--output off` on 2.9, `--debug` without secrets, shell completion.

mod common;

use std::process::{Command, Output};

use apigw_tests::hostile::{RawServer, Reply};
use apigw_tests::server::{ACCESS_KEY, PagingServer, SECRET_KEY};
use common::*;
use serde_json::json;

const API: &str = "paging-api";

/// Strings a YAML emitter must quote, escape or fold: each reads back as another type
/// when plain, or holds an indicator, a break, a non-printable or a wide character.
const HOSTILE: &[&str] = &[
    "yes",
    "on",
    "true",
    "False",
    "1_000",
    "0o17",
    "0x1F",
    "1e3",
    "1.5",
    ".inf",
    "-.5",
    "+1",
    "0777",
    "12:30",
    "~",
    "null",
    "",
    "2001-01-01",
    "2001-12-14t21:59:43.10-05:00",
    " lead",
    "trail ",
    "a: b",
    "a:b",
    "#x",
    "x #y",
    "-",
    "- x",
    "?",
    "? x",
    ":",
    "@x",
    "%x",
    "`x",
    "!t",
    "&a",
    "*a",
    "|",
    ">",
    "[x]",
    "{x}",
    "a, b",
    "'q'",
    "\"dq\"",
    "=",
    "<<",
    "multi\nline",
    "a\n\nb\n",
    "end\n",
    "crlf\r\nx",
    "tab\tx",
    "é ü",
    "\u{1}",
    "\u{7f}",
    "a\u{a0}b",
    "\u{2028}sep",
    "\u{feff}bom",
    "back\\slash",
];

/// A page of integrations whose strings are [`HOSTILE`] (descriptions, map keys and
/// values), plus a long line to fold and a key too long to be a simple key.
fn hostile_page() -> String {
    let mut items = Vec::new();
    for (i, s) in HOSTILE.iter().enumerate() {
        items.push(json!({
            "integrationId": format!("id{i}"),
            "description": s,
            "requestTemplates": {*s: s},
            "timeoutInMillis": 50 + i,
        }));
    }
    let words = "word ".repeat(40);
    let long_key = "k".repeat(140);
    items.push(json!({
        "integrationId": "long",
        "description": words.trim_end(),
        "requestParameters": {long_key: "x".repeat(120)},
        "requestTemplates": {"application/json": "#set($x = 1)\n{\n  \"a\": \"$x\"\n}\n"},
    }));
    json!({ "items": items }).to_string()
}

#[test]
fn yaml_outputs_match_aws_cli_v2_on_hostile_strings() {
    let body = hostile_page();
    let server = RawServer::start(move |_| Reply::json(200, &body));
    for flags in [
        vec!["--output", "yaml"],
        vec!["--output", "yaml-stream"],
        vec!["--output", "yaml", "--query", "Items[].Description"],
        vec!["--output", "yaml", "--query", "Items[].RequestTemplates"],
        vec!["--output", "yaml", "--query", "Items[3].Description"],
        vec![
            "--output",
            "yaml",
            "--query",
            "{f: `1.5`, big: `1e20`, neg: `-0.0`, small: `0.0001`, int: `12345678901234567890`, t: `true`, n: `null`, e: `[]`, o: `{}`}",
        ],
        vec!["--output", "yaml-stream", "--query", "Items[-1]"],
        vec!["--output", "json", "--query", "Items[].Description"],
    ] {
        let mut args = vec!["get-integrations", "--api-id", "hostile"];
        args.extend(flags);
        if same_output(&server.url, &args).is_none() {
            return;
        }
    }
}

/// The one known difference: characters beyond U+FFFF (emoji) are written as
/// themselves, where v2's libyaml (C) escapes them (`"\U0001F600"`); both read back
/// as the same string. Pinned so a change on either side shows up.
#[test]
fn yaml_keeps_characters_beyond_the_basic_plane_where_v2_escapes_them() {
    let body = json!({"items": [{"integrationId": "e", "description": "emoji 😀"}]}).to_string();
    let server = RawServer::start(move |_| Reply::json(200, &body));
    let args = [
        "get-integrations",
        "--api-id",
        "e",
        "--output",
        "yaml",
        "--query",
        "Items[0]",
    ];
    let ours = apigw(&server.url, &args);
    assert_eq!(stdout(&ours), "Description: emoji 😀\nIntegrationId: e\n");
    let Some(theirs) = aws(Aws::V2, &server.url, &args) else {
        return;
    };
    assert_eq!(
        stdout(&theirs),
        "Description: \"emoji \\U0001F600\"\nIntegrationId: e\n"
    );
}

#[test]
fn output_off_prints_nothing_and_keeps_the_exit_code() {
    // AWS CLI 2.9 predates `--output off`; later v2 releases print nothing with it.
    let server = PagingServer::start();
    server.add_api(API, 30);
    let ok = apigw(
        &server.url,
        &["get-integrations", "--api-id", API, "--output", "off"],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(ok.stdout.is_empty() && ok.stderr.is_empty());
    assert!(!server.requests().is_empty(), "the listing still ran");
    let missing = apigw(
        &server.url,
        &["get-integrations", "--api-id", "missing", "--output", "off"],
    );
    assert_eq!(missing.status.code(), Some(254));
    assert!(missing.stdout.is_empty());
    assert!(last_line(&missing).contains("NotFoundException"));
}

/// A command for `program` in the test environment with `remove` unset and `set` set.
fn configured(
    program: &std::path::Path,
    args: &[&str],
    remove: &[&str],
    set: &[(&str, &str)],
) -> Output {
    let mut command = Command::new(program);
    command.args(args).test_env();
    for name in remove {
        command.env_remove(name);
    }
    command.envs(set.iter().copied()).output().expect("runs")
}

/// Why, extra flags, variables to unset, variables to set.
type ConfigCase<'a> = (&'a str, Vec<&'a str>, Vec<&'a str>, Vec<(&'a str, &'a str)>);

#[test]
fn configuration_errors_exit_like_aws_cli_v2() {
    let Some(v2) = apigw_tests::python::aws_cli_v2() else {
        return;
    };
    let server = PagingServer::start();
    server.add_api(API, 3);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    // Keys in the profile: a named profile's credentials are used, not the environment's.
    let keys = format!("aws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n");
    std::fs::write(
        &config,
        format!(
            "[profile yamlish]\noutput = yaml\n{keys}[profile bogus]\noutput = xml\n{keys}[profile keyless]\nregion = us-east-1\n"
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let ours = std::path::Path::new(env!("CARGO_BIN_EXE_apigw"));
    let base = [
        "get-integrations",
        "--api-id",
        API,
        "--endpoint-url",
        &server.url,
    ];
    #[rustfmt::skip]
    let cases: Vec<ConfigCase> = vec![
        ("no region", vec![], vec!["AWS_REGION", "AWS_DEFAULT_REGION"], vec![]),
        ("no credentials", vec![], vec!["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"], vec![]),
        ("a profile that does not exist", vec!["--profile", "nope"], vec![], vec![]),
        ("AWS_PROFILE that does not exist", vec![], vec![], vec![("AWS_PROFILE", "nope")]),
        ("an unknown AWS_DEFAULT_OUTPUT", vec![], vec![], vec![("AWS_DEFAULT_OUTPUT", "xml")]),
        ("the profile's output", vec!["--profile", "yamlish"], vec![], vec![("AWS_CONFIG_FILE", config)]),
        ("an unknown output in the profile", vec!["--profile", "bogus"], vec![], vec![("AWS_CONFIG_FILE", config)]),
        ("--profile without keys ignores the environment's", vec!["--profile", "keyless"], vec![], vec![("AWS_CONFIG_FILE", config)]),
        ("AWS_PROFILE without keys uses the environment's", vec![], vec![], vec![("AWS_CONFIG_FILE", config), ("AWS_PROFILE", "keyless")]),
    ];
    for (why, flags, remove, set) in cases {
        let mut args = base.to_vec();
        args.extend(&flags);
        let mut theirs_args = vec!["apigatewayv2"];
        theirs_args.extend(&args);
        let theirs = configured(&v2, &theirs_args, &remove, &set);
        let mine = configured(ours, &args, &remove, &set);
        assert_eq!(
            mine.status.code(),
            theirs.status.code(),
            "{why}: {} / {}",
            stderr(&mine),
            stderr(&theirs)
        );
        assert_eq!(stdout(&mine), stdout(&theirs), "{why}");
        if !theirs.status.success() {
            assert_eq!(last_line(&mine), last_line(&theirs), "{why}");
            assert_eq!(stderr(&mine).trim().lines().count(), 1, "{why}: one line");
        }
    }
}

#[test]
fn the_pager_is_used_only_when_configured_and_on_a_terminal() {
    let server = PagingServer::start();
    server.add_api(API, 3);
    let ours = std::path::Path::new(env!("CARGO_BIN_EXE_apigw"));
    let args = [
        "get-integrations",
        "--api-id",
        API,
        "--endpoint-url",
        &server.url,
        "--query",
        "Items[].IntegrationId",
        "--output",
        "text",
    ];
    // Split into words, not run by a shell (as v2 does): the shell here is the pager's.
    let pager = r#"sh -c 'echo LESS=$LESS; sed "s/^/paged: /"'"#;
    let Some(paged) = on_a_terminal(ours, &args, &[("AWS_PAGER", pager)]) else {
        return;
    };
    assert!(paged.contains("LESS=FRX\npaged: "), "{paged}");
    // AWS CLI v2 pages the same way with the same AWS_PAGER.
    let Some(v2) = apigw_tests::python::aws_cli_v2() else {
        return;
    };
    let mut theirs_args = vec!["apigatewayv2"];
    theirs_args.extend(args);
    let theirs = on_a_terminal(&v2, &theirs_args, &[("AWS_PAGER", pager)]).unwrap_or_default();
    assert_eq!(paged, theirs, "the same through the pager as AWS CLI v2");

    // --no-cli-pager, an empty AWS_PAGER, and no pager configured: straight out.
    let mut no_pager = args.to_vec();
    no_pager.push("--no-cli-pager");
    let direct = on_a_terminal(ours, &no_pager, &[("AWS_PAGER", pager)]).unwrap_or_default();
    assert!(
        !direct.contains("paged: ") && direct.contains('\t'),
        "{direct}"
    );
    let empty = on_a_terminal(ours, &args, &[("AWS_PAGER", "")]).unwrap_or_default();
    assert_eq!(empty, direct);
    let unset = on_a_terminal(ours, &args, &[]).unwrap_or_default();
    assert_eq!(
        unset, direct,
        "no pager by default (AWS CLI v2 would run less)"
    );

    // The profile's cli_pager, when AWS_PAGER is not set.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(&config, "[default]\ncli_pager = sed 's/^/profile: /'\n").unwrap();
    let config = config.to_str().unwrap();
    let from_profile =
        on_a_terminal(ours, &args, &[("AWS_CONFIG_FILE", config)]).unwrap_or_default();
    assert!(from_profile.contains("profile: "), "{from_profile}");

    // Not a terminal: never paged, whatever is configured.
    let piped = apigw_with(
        &server.url,
        &args[..3]
            .iter()
            .chain(&args[5..])
            .copied()
            .collect::<Vec<_>>(),
        &[("AWS_PAGER", pager)],
    );
    assert!(
        piped.status.success(),
        "the piped run failed: {}",
        String::from_utf8_lossy(&piped.stderr)
    );
    let ids: Vec<String> = stdout(&piped)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert!(
        ids.len() == 3 && ids.iter().all(|id| direct.contains(id.as_str())),
        "the piped run prints the listing the terminal got: {ids:?} vs {direct:?}"
    );
    assert!(!stdout(&piped).contains("paged"), "{}", stdout(&piped));
}

#[test]
fn debug_logs_the_exchange_and_retries_without_secrets() {
    let server = PagingServer::start();
    server.add_api(API, 5);
    let cookie = "AWSALB=apigw-cookie-SECRET-0001; Path=/";
    server.set(|b| {
        b.throttle = 1;
        b.set_cookie = Some(cookie.to_owned());
    });
    let token = "apigw-session-token-SECRET-0001";
    let out = apigw_with(
        &server.url,
        &[
            "get-integrations",
            "--api-id",
            API,
            "--debug",
            "--page-size",
            "3",
        ],
        &[("AWS_SESSION_TOKEN", token)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        item_ids(&stdout(&out)).len(),
        5,
        "stdout is the listing alone"
    );
    let log = stderr(&out);
    let requests = server.requests();
    assert!(requests.len() >= 3, "a throttled try, then two pages");
    for request in &requests {
        let auth = request
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            .map(|(_, v)| v.clone())
            .expect("signed");
        let signature = auth.rsplit("Signature=").next().unwrap();
        assert!(signature.len() >= 64, "{auth}");
        assert!(!log.contains(signature), "the signature is not logged");
    }
    for secret in [SECRET_KEY, token, ACCESS_KEY, "apigw-cookie-SECRET-0001"] {
        assert!(!log.contains(secret), "{secret} leaked:\n{log}");
    }
    for expected in [
        "[debug] GetIntegrations attempt 1: GET ",
        "/v2/apis/paging-api/integrations?maxResults=3",
        "[debug]   > authorization: AWS4-HMAC-SHA256 Credential=<redacted>, SignedHeaders=",
        "Signature=<redacted>",
        "[debug]   > x-amz-security-token: <redacted>",
        "[debug]   < HTTP 429 after ",
        "[debug]   < set-cookie: <redacted>",
        "[debug]   < HTTP 200 after ",
        "[debug] GetIntegrations attempt 1 failed (",
        "retrying in ",
        "[debug] GetIntegrations attempt 2: GET ",
    ] {
        assert!(log.contains(expected), "{expected:?} missing from:\n{log}");
    }
    assert!(
        log.lines().all(|l| l.starts_with("[debug]")),
        "every stderr line is a debug line:\n{log}"
    );
}

#[test]
fn bash_completion_completes_commands_and_flags() {
    let script = Command::new(env!("CARGO_BIN_EXE_apigw"))
        .args(["completion", "bash"])
        .output()
        .unwrap();
    assert!(script.status.success());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apigw.bash");
    std::fs::write(&path, &script.stdout).unwrap();
    // What bash offers after `apigw get-` and after `apigw get-integrations --api`.
    let complete = |words: &str, current: usize| {
        let program = format!(
            "source '{}'; COMP_WORDS=({words}); COMP_CWORD={current}; COMP_LINE='{words}'; COMP_POINT=${{#COMP_LINE}}; _apigw apigw \"${{COMP_WORDS[$COMP_CWORD]}}\" \"${{COMP_WORDS[$COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path.display()
        );
        let out = Command::new("bash")
            .args(["-c", &program])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(complete("apigw get-", 1).trim(), "get-integrations");
    let flags = complete("apigw get-integrations --api", 2);
    assert_eq!(flags.trim(), "--api-id");
    let outputs = complete("apigw get-integrations --output", 3);
    for format in ["json", "text", "table", "yaml", "yaml-stream", "off"] {
        assert!(outputs.lines().any(|l| l == format), "{format}: {outputs}");
    }
    for shell in ["zsh", "fish", "powershell"] {
        let out = Command::new(env!("CARGO_BIN_EXE_apigw"))
            .args(["completion", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        assert!(stdout(&out).contains("get-integrations"), "{shell}");
    }
}

#[test]
fn cli_input_json_and_the_skeleton_match_aws_cli_v2() {
    let server = PagingServer::start();
    server.add_api(API, 9);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("input.json");
    std::fs::write(&file, format!(r#"{{"ApiId": "{API}", "MaxResults": "4"}}"#)).unwrap();
    let file_arg = format!("file://{}", file.display());
    let missing_file = format!("file://{}/none.json", dir.path().display());
    let api_json = format!(r#"{{"ApiId": "{API}"}}"#);
    let q = "{n: length(Items), t: NextToken}";
    #[rustfmt::skip]
    let cases: Vec<Vec<&str>> = vec![
        vec!["--generate-cli-skeleton"],
        vec!["--generate-cli-skeleton", "input"],
        vec!["--generate-cli-skeleton", "input", "--api-id", API, "--max-items", "3"],
        vec!["--cli-input-json", &api_json, "--query", q],
        vec!["--cli-input-json", &api_json, "--max-items", "4", "--page-size", "2", "--query", q],
        vec!["--cli-input-json", r#"{"ApiId": "missing"}"#, "--api-id", API, "--query", q],
        vec!["--cli-input-json", &file_arg, "--query", q],
        vec!["--cli-input-json", &file_arg, "--output", "text"],
        vec!["--cli-input-json", r#"{"ApiId": "x", "Bogus": 1}"#],
        vec!["--cli-input-json", r#"{"ApiId": 5}"#],
        vec!["--cli-input-json", r#"{"ApiId": null}"#],
        vec!["--cli-input-json", r#"{"ApiId": "a", "MaxResults": 2}"#],
        vec!["--cli-input-json", "[1]"],
        vec!["--cli-input-json", "{"],
        vec!["--cli-input-json", "{}"],
        vec!["--cli-input-json", &missing_file],
    ];
    for flags in cases {
        let mut args = vec!["get-integrations"];
        args.extend(&flags);
        server.clear_requests();
        let Some(theirs) = aws(Aws::V2, &server.url, &args) else {
            return;
        };
        let sent_by_them = server.requests().len();
        server.clear_requests();
        let ours = apigw(&server.url, &args);
        assert_eq!(stdout(&ours), stdout(&theirs), "{flags:?}");
        assert_eq!(
            ours.status.code(),
            theirs.status.code(),
            "{flags:?}: {} / {}",
            stderr(&ours),
            stderr(&theirs)
        );
        assert_eq!(server.requests().len(), sent_by_them, "{flags:?}: requests");
        if !theirs.status.success() {
            let (mine, v2) = (last_line(&ours), last_line(&theirs));
            // Python's errno text follows "Unable to load paramfile PATH: " in v2.
            let comparable = |l: &str| l.split(": [Errno").next().unwrap_or(l).to_owned();
            assert!(
                comparable(&mine).starts_with(&comparable(&v2))
                    || comparable(&v2).starts_with(&comparable(&mine)),
                "{flags:?}: {mine:?} / {v2:?}"
            );
        }
    }
}
