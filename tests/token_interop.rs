//! Resume tokens are interchangeable with botocore and the AWS CLI: the literal tokens
//! of `../shared/docs/PAGINATION.md` decode and re-encode to the same bytes, and for a corpus of awkward
//! service tokens (quotes, backslashes, control characters, non-ASCII, astral) our
//! encoding equals Python's `base64(json.dumps(...))` and Python decodes ours back.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use apigw_paginator::token::{ResumePoint, ServiceToken, decode, encode};
use apigw_tests::missing_input;

/// Runs `script` with the Python interpreter `program`, `input` on its standard
/// input; its standard output, or the error that kept `program` from starting. A
/// failing script fails the test.
fn run_python(program: &Path, script: &str, input: &str) -> std::io::Result<String> {
    let mut child = Command::new(program)
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8(output.stdout).unwrap())
}

/// [`run_python`] with `python3`, or `None` (failing under CI) when there is none.
fn python3_with_input(script: &str, input: &str) -> Option<String> {
    match run_python(Path::new("python3"), script, input) {
        Ok(output) => Some(output),
        Err(e) => missing_input(&format!(
            "python3 is needed for the token interop tests: {e}"
        )),
    }
}

fn point(token: Option<&str>, truncate: Option<u64>) -> ResumePoint {
    ResumePoint {
        token: token.map_or(ServiceToken::Null, |t| ServiceToken::Value(t.to_owned())),
        truncate,
    }
}

#[test]
fn documented_tokens_decode_and_encode_to_the_same_bytes() {
    for (text, expected) in [
        (
            "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==",
            point(None, Some(2)),
        ),
        ("eyJOZXh0VG9rZW4iOiAidDEifQ==", point(Some("t1"), None)),
        (
            "eyJOZXh0VG9rZW4iOiAidDEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==",
            point(Some("t1"), Some(1)),
        ),
    ] {
        let decoded = decode("NextToken", text, false).unwrap();
        assert_eq!(decoded, expected, "{text}");
        assert_eq!(encode("NextToken", &decoded, false), text);
    }
}

fn corpus() -> Vec<String> {
    let mut tokens: Vec<String> = [
        "t1",
        "None",
        "",
        "with space",
        "quote\"inside",
        "single'quote",
        "back\\slash",
        "slash/and+plus=",
        "tab\tnew\nline\rcr",
        "\u{1}\u{1f}\u{7f}",
        "tök€",
        "日本語のトークン",
        "emoji😀and𝄞",
        "\u{2028}\u{2029}\u{feff}",
        "AAAAAQAAAAIAAAADeyJsYXN0Ijp7InBrIjoiYWJjIn19",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // A deterministic spread of code points, including surrogate-pair territory.
    let mut seed: u32 = 0x2545_f491;
    for len in 1..40 {
        let mut s = String::new();
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let c = match seed % 4 {
                0 => char::from_u32(0x20 + seed % 0x5f),
                1 => char::from_u32(seed % 0x80),
                2 => char::from_u32(0xa0 + seed % 0xd000),
                _ => char::from_u32(0x1_0000 + seed % 0x1_0000),
            };
            s.push(c.unwrap_or('x'));
        }
        tokens.push(s);
    }
    tokens
}

#[test]
fn our_tokens_match_pythons_json_dumps_in_both_directions() {
    const SCRIPT: &str = r#"
import base64, json, sys
for line in sys.stdin:
    case = json.loads(line)
    d = {"NextToken": case["token"]}
    if case["truncate"] is not None:
        d["boto_truncate_amount"] = case["truncate"]
    ours = json.loads(base64.b64decode(case["ours"]).decode("utf-8"))
    print(json.dumps({"theirs": base64.b64encode(json.dumps(d).encode("utf-8")).decode(), "roundtrip": ours == d}))
"#;
    let cases: Vec<(Option<String>, Option<u64>)> = corpus()
        .into_iter()
        .enumerate()
        .map(|(i, t)| (Some(t), (i % 3 == 0).then_some(i as u64)))
        .chain([(None, Some(4)), (None, None)])
        .collect();
    let mut input = String::new();
    let mut ours = Vec::new();
    for (token, truncate) in &cases {
        let mine = encode("NextToken", &point(token.as_deref(), *truncate), false);
        input.push_str(
            &serde_json::json!({"token": token, "truncate": truncate, "ours": mine}).to_string(),
        );
        input.push('\n');
        ours.push(mine);
    }
    let Some(output) = python3_with_input(SCRIPT, &input) else {
        return;
    };
    let lines: Vec<serde_json::Value> = output
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), cases.len());
    for ((case, mine), theirs) in cases.iter().zip(&ours).zip(&lines) {
        assert_eq!(
            theirs["theirs"].as_str(),
            Some(mine.as_str()),
            "encoding of {case:?}"
        );
        assert_eq!(
            theirs["roundtrip"], true,
            "Python reads our token for {case:?}"
        );
        // And we read Python's token back to the same point.
        let back = decode("NextToken", theirs["theirs"].as_str().unwrap(), false).unwrap();
        let expected = point(case.0.as_deref(), case.1.filter(|n| *n > 0));
        assert_eq!(back, expected);
    }
}

/// botocore (from `.venv`) paginating GetIntegrations from each starting token, against
/// a canned first page of items `a`..`e` with no next token, without any network: for
/// each token, the `nextToken` it sends (or `None`) and the items it yields, or
/// `refused` when it raises before sending.
const BOTOCORE_STARTING_TOKENS: &str = r#"
import json, sys, urllib.parse
import botocore.session
from botocore.awsrequest import AWSResponse

PAGE = json.dumps({"items": [{"integrationId": i} for i in "abcde"]}).encode()

class Raw:
    def stream(self, **kwargs):
        yield PAGE

session = botocore.session.get_session()
client = session.create_client("apigatewayv2", region_name="us-east-1",
                               aws_access_key_id="AKID", aws_secret_access_key="secret")
sent = []
def answer(request, **kwargs):
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query, keep_blank_values=True)
    sent.append(query.get("nextToken", [None])[0])
    return AWSResponse(request.url, 200, {"content-type": "application/json"}, Raw())
client.meta.events.register("before-send.apigatewayv2.GetIntegrations", answer)
paginator = client.get_paginator("get_integrations")
for line in sys.stdin:
    token = json.loads(line)
    sent.clear()
    try:
        items = []
        for page in paginator.paginate(ApiId="api", PaginationConfig={"StartingToken": token}):
            items.extend(i["IntegrationId"] for i in page.get("Items", []))
        print(json.dumps({"sent": sent[0] if sent else None, "requests": len(sent), "items": items}))
    except Exception as e:
        print(json.dumps({"refused": type(e).__name__, "requests": len(sent)}))
"#;

/// Where we part from botocore on purpose, each with the reason (also in the
/// `apigw-paginator` crate docs): a negative skip count, which botocore applies as a
/// Python slice from the end of the first page (`items[-1:]`), is refused instead.
const DEPARTURES: &[&str] = &[
    "abc___-1",
    r#"{"NextToken": "t", "boto_truncate_amount": -1}"#,
];

/// What our paginator does from `token` over the same canned page: the token sent and
/// the items yielded, or refused (before any request).
fn ours_from(token: &str) -> serde_json::Value {
    use apigw_model::operation::get_integrations::{
        GetIntegrations, GetIntegrationsRequest, GetIntegrationsResponse,
    };
    use apigw_model::types::Integration;
    use apigw_paginator::{PaginationConfig, Paginator};
    let sent = std::cell::RefCell::new(Vec::new());
    let source = |input: GetIntegrationsRequest| {
        sent.borrow_mut().push(input.next_token.clone());
        let items = "abcde"
            .chars()
            .map(|c| Integration::builder().integration_id(c.to_string()).build())
            .collect();
        std::future::ready(Ok::<_, String>(
            GetIntegrationsResponse::builder()
                .set_items(Some(items))
                .build(),
        ))
    };
    let request = GetIntegrationsRequest::builder()
        .api_id("api")
        .build()
        .unwrap();
    let config = PaginationConfig {
        starting_token: Some(token.to_owned()),
        ..Default::default()
    };
    match Paginator::<GetIntegrations, _>::new(&source, request, config) {
        Err(_) => serde_json::json!({"refused": true, "requests": 0}),
        Ok(paginator) => {
            let full = paginator
                .full_result_blocking()
                .expect("the canned page is fine");
            let items: Vec<String> = full
                .items
                .into_iter()
                .map(|i| i.integration_id.unwrap_or_default())
                .collect();
            let sent = sent.borrow();
            serde_json::json!({"sent": sent[0], "requests": sent.len(), "items": items})
        }
    }
}

#[test]
fn starting_tokens_are_read_as_botocore_reads_them() {
    use base64::Engine as _;
    let Some(python) = apigw_tests::python::venv_program("python") else {
        return;
    };
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let b64_unpadded = |s: &str| base64::engine::general_purpose::STANDARD_NO_PAD.encode(s);
    let json_tokens = [
        r#"{"NextToken": "t1"}"#,
        r#"{"boto_truncate_amount": 2, "NextToken": "t1"}"#,
        r#"{"NextToken":"t1","boto_truncate_amount":3}"#,
        r#"{"NextToken": null, "boto_truncate_amount": 7}"#,
        r#"{"NextToken": "None", "boto_truncate_amount": 1}"#,
        r#"{"NextToken": 5}"#,
        r#"{"NextToken": "t", "boto_truncate_amount": -1}"#,
        r#"{"Foo": "x"}"#,
        r#"{"NextToken": "t1", "Marker": "m"}"#,
        r#"{}"#,
    ];
    let mut corpus: Vec<(String, String)> = json_tokens
        .iter()
        .map(|j| (b64(j), (*j).to_owned()))
        .collect();
    corpus.push((
        b64_unpadded(r#"{"NextToken": "t1"}"#),
        "unpadded base64".into(),
    ));
    for raw in [
        "a___b___3",
        "abc___-1",
        "abc___+3",
        "abc___ 3",
        "abc___3",
        "abc___0",
        "None___2",
        "abc___x",
        "abc___",
        "abc___1_0",
        "plain-token",
        "None",
    ] {
        corpus.push((raw.to_owned(), raw.to_owned()));
    }

    let mut input = String::new();
    for (token, _) in &corpus {
        input.push_str(&serde_json::to_string(token).unwrap());
        input.push('\n');
    }
    let theirs: Vec<serde_json::Value> = run_python(&python, BOTOCORE_STARTING_TOKENS, &input)
        .expect("python runs")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(theirs.len(), corpus.len());
    let mut departures_seen = Vec::new();
    for ((token, label), theirs) in corpus.iter().zip(&theirs) {
        let ours = ours_from(token);
        if DEPARTURES.contains(&label.as_str()) {
            assert_eq!(ours["refused"], true, "{label}: we refuse it");
            assert!(
                theirs.get("refused").is_none(),
                "{label}: botocore now refuses it too, so this is no longer a departure: {theirs}"
            );
            departures_seen.push(label.as_str());
            continue;
        }
        if theirs.get("refused").is_some() {
            assert_eq!(
                ours["refused"], true,
                "{label}: botocore refuses it ({theirs}), we read {ours}"
            );
            assert_eq!(
                theirs["requests"], 0,
                "{label}: botocore refused it before sending"
            );
        } else {
            assert_eq!(&ours, theirs, "{label}");
        }
    }
    departures_seen.sort_unstable();
    let mut listed = DEPARTURES.to_vec();
    listed.sort_unstable();
    assert_eq!(
        departures_seen, listed,
        "every listed departure is exercised"
    );
}

/// A JSON token (DynamoDB's `ExclusiveStartKey`) is written as Python's `json.dumps`
/// writes the dict botocore holds: members in the service's order, non-ASCII escaped.
#[test]
fn json_tokens_match_pythons_json_dumps() {
    let keys = [
        r#"{"pk":{"S":"orders#42"},"sk":{"N":"7"}}"#,
        r#"{"name":{"S":"caf\u00e9 \ud83d\ude00 \"q\" \\ /"},"at":{"N":"-1.5e3"}}"#,
        r#"{"z":{"L":[{"S":"a"},{"NULL":true},{"BOOL":false}]},"a":{"M":{}}}"#,
    ];
    let mut input = String::new();
    let mut ours = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let truncate = (i % 2 == 1).then_some(3);
        let mine = encode("ExclusiveStartKey", &point(Some(key), truncate), true);
        input.push_str(&serde_json::json!({"key": key, "truncate": truncate}).to_string());
        input.push('\n');
        ours.push(mine);
    }
    const SCRIPT: &str = r#"
import base64, json, sys
for line in sys.stdin:
    case = json.loads(line)
    d = {"ExclusiveStartKey": json.loads(case["key"])}
    if case["truncate"] is not None:
        d["boto_truncate_amount"] = case["truncate"]
    print(base64.b64encode(json.dumps(d).encode("utf-8")).decode())
"#;
    let Some(output) = python3_with_input(SCRIPT, &input) else {
        return;
    };
    let theirs: Vec<String> = output.lines().map(str::to_owned).collect();
    assert_eq!(theirs, ours);
    for (token, key) in theirs.iter().zip(keys) {
        let back = decode("ExclusiveStartKey", token, true).unwrap();
        let ServiceToken::Value(text) = back.token else {
            panic!("a token");
        };
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            serde_json::from_str::<serde_json::Value>(key).unwrap()
        );
    }
}
