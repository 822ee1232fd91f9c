//! Resume tokens are interchangeable with botocore and the AWS CLI: the literal tokens
//! of PAGINATION.md decode and re-encode to the same bytes, and for a corpus of awkward
//! service tokens (quotes, backslashes, control characters, non-ASCII, astral) our
//! encoding equals Python's `base64(json.dumps(...))` and Python decodes ours back.

use std::io::Write;
use std::process::{Command, Stdio};

use apigw_paginator::token::{ResumePoint, ServiceToken, decode, encode};
use apigw_tests::missing_input;

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
        let decoded = decode("NextToken", text).unwrap();
        assert_eq!(decoded, expected, "{text}");
        assert_eq!(encode("NextToken", &decoded), text);
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
    let python = Command::new("python3")
        .arg("-c")
        .arg(
            r#"
import base64, json, sys
for line in sys.stdin:
    case = json.loads(line)
    d = {"NextToken": case["token"]}
    if case["truncate"] is not None:
        d["boto_truncate_amount"] = case["truncate"]
    ours = json.loads(base64.b64decode(case["ours"]).decode("utf-8"))
    print(json.dumps({"theirs": base64.b64encode(json.dumps(d).encode("utf-8")).decode(), "roundtrip": ours == d}))
"#,
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let mut python = match python {
        Ok(child) => child,
        Err(e) => {
            let _: Option<()> = missing_input(&format!(
                "python3 is needed for the token interop test: {e}"
            ));
            return;
        }
    };
    let cases: Vec<(Option<String>, Option<u64>)> = corpus()
        .into_iter()
        .enumerate()
        .map(|(i, t)| (Some(t), (i % 3 == 0).then_some(i as u64)))
        .chain([(None, Some(4)), (None, None)])
        .collect();
    let mut input = String::new();
    let mut ours = Vec::new();
    for (token, truncate) in &cases {
        let mine = encode("NextToken", &point(token.as_deref(), *truncate));
        input.push_str(
            &serde_json::json!({"token": token, "truncate": truncate, "ours": mine}).to_string(),
        );
        input.push('\n');
        ours.push(mine);
    }
    python
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = python.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
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
        let back = decode("NextToken", theirs["theirs"].as_str().unwrap()).unwrap();
        let expected = point(case.0.as_deref(), case.1.filter(|n| *n > 0));
        assert_eq!(back, expected);
    }
}
