//! Resume tokens in the format botocore and the AWS CLI read and write.
//!
//! A resume token is standard base64 (with `=` padding) of Python's `json.dumps` of
//! `{"<InputToken>": <service token or null>, "boto_truncate_amount": <n>}` (the second
//! key only when a page was cut). The service token is a JSON string, or, for an
//! operation whose token is a map (DynamoDB's `ExclusiveStartKey`), the map itself as a
//! JSON object. Starting tokens are read in that form (any key order and spacing), in
//! the legacy `<token>___<n>` form, and otherwise passed to the service verbatim.

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};

/// Standard alphabet, padding required on decode, trailing bits tolerated (as Python's
/// `base64.b64decode` does).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

/// The key botocore uses for the number of items to skip on the first page.
pub const TRUNCATE_KEY: &str = "boto_truncate_amount";

/// A service token as botocore holds it: a string (for a map token, the map's compact
/// JSON text), or `None` (JSON `null`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServiceToken {
    /// No token (first page).
    Null,
    /// The service's opaque token. The string `"None"` is kept (and written back) as
    /// botocore does, but never sent to the service.
    Value(String),
}

impl ServiceToken {
    /// The token to put on a request: none for `Null` and for the string `"None"`.
    pub fn to_send(&self) -> Option<&str> {
        match self {
            ServiceToken::Value(v) if v != "None" => Some(v),
            _ => None,
        }
    }
}

/// Where pagination resumes: the page requested by `token`, skipping `truncate` items
/// at its front.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResumePoint {
    /// The token that requests the page.
    pub token: ServiceToken,
    /// Items to skip at the front of that page; `None` writes no `boto_truncate_amount`.
    pub truncate: Option<u64>,
}

/// Appends `value` as Python's `json.dumps` writes a string (ASCII only: `\uXXXX` with
/// lowercase hex, surrogate pairs above U+FFFF).
fn push_python_json_str(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends JSON `text` as Python's `json.dumps` writes the same value: `", "` and
/// `": "` between members and items, strings in ASCII, members in the text's order
/// (botocore keeps a key's members in the order the service sent them). `false`
/// (nothing written) when `text` is not JSON.
fn push_python_json(out: &mut String, text: &str) -> bool {
    if serde_json::from_str::<serde_json::Value>(text).is_err() {
        return false;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let mut end = i + 1;
                while bytes[end] != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                match serde_json::from_str::<String>(&text[i..=end]) {
                    Ok(s) => push_python_json_str(out, &s),
                    Err(_) => return false,
                }
                i = end + 1;
            }
            b',' => {
                out.push_str(", ");
                i += 1;
            }
            b':' => {
                out.push_str(": ");
                i += 1;
            }
            b' ' | b'\n' | b'\r' | b'\t' => i += 1,
            _ => {
                // Numbers, brackets and literals: ASCII, copied as they are.
                let start = i;
                while i < bytes.len()
                    && !matches!(bytes[i], b'"' | b',' | b':' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    i += 1;
                }
                out.push_str(&text[start..i]);
            }
        }
    }
    true
}

/// The resume token for `point`, byte-identical to botocore's for the same dict.
/// `input_token` is the input member name (`NextToken`), which is the dict key. With
/// `json` (a [`Paginated::JSON_TOKEN`](crate::Paginated::JSON_TOKEN) operation) the
/// service token is JSON text, written as the value it is.
pub fn encode(input_token: &str, point: &ResumePoint, json_token: bool) -> String {
    let mut json = String::from("{");
    push_python_json_str(&mut json, input_token);
    json.push_str(": ");
    match &point.token {
        ServiceToken::Null => json.push_str("null"),
        ServiceToken::Value(v) if json_token => {
            let mut value = String::new();
            if push_python_json(&mut value, v) {
                json.push_str(&value);
            } else {
                push_python_json_str(&mut json, v);
            }
        }
        ServiceToken::Value(v) => push_python_json_str(&mut json, v),
    }
    if let Some(n) = point.truncate {
        json.push_str(", ");
        push_python_json_str(&mut json, TRUNCATE_KEY);
        let _ = write!(json, ": {n}");
    }
    json.push('}');
    BASE64.encode(json.as_bytes())
}

/// A starting token that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadToken(pub String);

/// Reads a starting token: botocore's base64 JSON form, else the legacy
/// `<token>___<n>` form, else the raw service token.
pub fn decode(
    input_token: &str,
    starting: &str,
    json_token: bool,
) -> Result<ResumePoint, BadToken> {
    if let Some(object) = BASE64
        .decode(starting.as_bytes())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|value| match value {
            serde_json::Value::Object(map) => Some(map),
            _ => None,
        })
    {
        // botocore puts every key of the token into the request, so a key that is not
        // this operation's input token (a token of another operation) fails its
        // parameter validation before anything is sent: refuse it here the same way.
        if let Some(foreign) = object
            .keys()
            .find(|k| k.as_str() != input_token && k.as_str() != TRUNCATE_KEY)
        {
            return Err(BadToken(format!(
                "it holds the key {foreign:?}, but this operation's token is {input_token:?} (a token of another operation?)"
            )));
        }
        let token = match object.get(input_token) {
            None | Some(serde_json::Value::Null) => ServiceToken::Null,
            Some(serde_json::Value::String(s)) => ServiceToken::Value(s.clone()),
            // A JSON token (a map, such as DynamoDB's key) is held as its JSON text.
            Some(value @ (serde_json::Value::Object(_) | serde_json::Value::Array(_)))
                if json_token =>
            {
                ServiceToken::Value(value.to_string())
            }
            Some(other) => {
                return Err(BadToken(format!(
                    "its {input_token} is {other}, not a string or null"
                )));
            }
        };
        let skip = match object.get(TRUNCATE_KEY) {
            None => 0,
            Some(value) => value.as_u64().ok_or_else(|| {
                BadToken(format!(
                    "its {TRUNCATE_KEY} is {value}, not a non-negative integer"
                ))
            })?,
        };
        return Ok(ResumePoint {
            token,
            truncate: (skip > 0).then_some(skip),
        });
    }
    // The legacy form `<token>___<n>`. As botocore reads it: exactly one separator
    // followed by an integer is a token and a skip count; one separator followed by
    // anything else is an opaque service token; two or more separators name more
    // tokens than the operation has, which botocore refuses as a bad starting token.
    let parts: Vec<&str> = starting.split("___").collect();
    match parts.as_slice() {
        [_] => {}
        [token, count] => {
            if let Some(skip) = python_int(count) {
                let skip = u64::try_from(skip)
                    .map_err(|_| BadToken(format!("its skip count {count:?} is negative")))?;
                let token = if *token == "None" {
                    ServiceToken::Null
                } else {
                    ServiceToken::Value((*token).to_owned())
                };
                return Ok(ResumePoint {
                    token,
                    truncate: (skip > 0).then_some(skip),
                });
            }
        }
        _ => {
            return Err(BadToken(format!(
                "the legacy form <token>___<n> has one ___ separator, this has {}",
                parts.len() - 1
            )));
        }
    }
    Ok(ResumePoint {
        token: ServiceToken::Value(starting.to_owned()),
        truncate: None,
    })
}

/// The integer Python's `int()` reads from `text`: optional surrounding whitespace, an
/// optional sign, ASCII digits with single underscores between them. `None` when
/// `int()` would raise (or the value does not fit an `i64`).
fn python_int(text: &str) -> Option<i64> {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace());
    let (negative, digits) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    {
        return None;
    }
    let value: i64 = digits.replace('_', "").parse().ok()?;
    Some(if negative { -value } else { value })
}

/// Python's `repr()` of a string, as botocore's error messages print tokens.
pub fn python_repr(value: &str) -> String {
    let quote = if value.contains('\'') && !value.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(quote);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f || (0x80..0xa0).contains(&(c as u32)) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() || c == '\u{ad}' || ('\u{2028}'..='\u{2029}').contains(&c) => {
                let code = c as u32;
                if code <= 0xff {
                    let _ = write!(out, "\\x{code:02x}");
                } else if code <= 0xffff {
                    let _ = write!(out, "\\u{code:04x}");
                } else {
                    let _ = write!(out, "\\U{code:08x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `decode` for an operation with a string token.
    fn string_decode(input_token: &str, starting: &str) -> Result<ResumePoint, BadToken> {
        decode(input_token, starting, false)
    }

    /// `encode` for an operation with a string token.
    fn string_encode(input_token: &str, point: &ResumePoint) -> String {
        encode(input_token, point, false)
    }

    /// A JSON token (DynamoDB's key) is written as the value botocore holds, in
    /// `json.dumps` form, and read back as its JSON text; a string-token operation
    /// refuses such a token.
    #[test]
    fn a_json_token_round_trips_as_botocore_writes_it() {
        let key = r#"{"pk":{"S":"café"},"n":{"N":"7"}}"#;
        let token = encode("ExclusiveStartKey", &point(Some(key), Some(3)), true);
        let text = String::from_utf8(BASE64.decode(&token).unwrap()).unwrap();
        assert_eq!(
            text,
            r#"{"ExclusiveStartKey": {"pk": {"S": "caf\u00e9"}, "n": {"N": "7"}}, "boto_truncate_amount": 3}"#
        );
        let back = decode("ExclusiveStartKey", &token, true).unwrap();
        assert_eq!(back.truncate, Some(3));
        let ServiceToken::Value(v) = &back.token else {
            panic!("a token");
        };
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(v).unwrap(),
            serde_json::from_str::<serde_json::Value>(key).unwrap()
        );
        assert!(decode("ExclusiveStartKey", &token, false).is_err());
    }

    fn point(token: Option<&str>, truncate: Option<u64>) -> ResumePoint {
        ResumePoint {
            token: token.map_or(ServiceToken::Null, |t| ServiceToken::Value(t.to_owned())),
            truncate,
        }
    }

    #[test]
    fn python_json_escapes_like_json_dumps() {
        // Expected output printed by Python 3.11's json.dumps for the same string.
        let mut out = String::new();
        push_python_json_str(&mut out, "tök€😀\"\\\n\u{7f}\u{1}\u{8}\u{c}/");
        assert_eq!(
            out,
            r#""t\u00f6k\u20ac\ud83d\ude00\"\\\n\u007f\u0001\b\f/""#
        );
    }

    #[test]
    fn encode_matches_the_documented_tokens() {
        assert_eq!(
            string_encode("NextToken", &point(None, Some(2))),
            "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ=="
        );
        assert_eq!(
            string_encode("NextToken", &point(Some("t1"), None)),
            "eyJOZXh0VG9rZW4iOiAidDEifQ=="
        );
    }

    #[test]
    fn legacy_and_raw_tokens() {
        assert_eq!(
            string_decode("NextToken", "abc___3").unwrap(),
            point(Some("abc"), Some(3))
        );
        assert_eq!(
            string_decode("NextToken", "None___2").unwrap(),
            point(None, Some(2))
        );
        assert_eq!(
            string_decode("NextToken", "abc___x").unwrap(),
            point(Some("abc___x"), None)
        );
        // Python's int() reads a sign, surrounding spaces and digit underscores.
        assert_eq!(
            string_decode("NextToken", "abc___+3").unwrap(),
            point(Some("abc"), Some(3))
        );
        assert_eq!(
            string_decode("NextToken", "abc___ 3 ").unwrap(),
            point(Some("abc"), Some(3))
        );
        assert_eq!(
            string_decode("NextToken", "abc___1_0").unwrap(),
            point(Some("abc"), Some(10))
        );
        assert_eq!(
            string_decode("NextToken", "abc___1__0").unwrap(),
            point(Some("abc___1__0"), None)
        );
        // Two or more separators: more tokens than the operation has (botocore refuses).
        assert!(
            string_decode("NextToken", "a___b___3")
                .unwrap_err()
                .0
                .contains("has 2")
        );
        assert!(string_decode("NextToken", "a___b___c___").is_err());
        // A negative count is refused (botocore would slice from the end).
        assert!(
            string_decode("NextToken", "abc___-1")
                .unwrap_err()
                .0
                .contains("negative")
        );
        // Unpadded base64 of a JSON object is a raw service token.
        assert_eq!(
            string_decode("NextToken", "eyJOZXh0VG9rZW4iOiAidDEifQ").unwrap(),
            point(Some("eyJOZXh0VG9rZW4iOiAidDEifQ"), None)
        );
    }

    #[test]
    fn a_decodable_token_with_bad_fields_is_refused() {
        let bad = BASE64.encode(r#"{"NextToken": "t", "boto_truncate_amount": -1}"#);
        assert!(
            string_decode("NextToken", &bad)
                .unwrap_err()
                .0
                .contains("boto_truncate_amount")
        );
        let bad = BASE64.encode(r#"{"NextToken": 5}"#);
        assert!(
            string_decode("NextToken", &bad)
                .unwrap_err()
                .0
                .contains("not a string or null")
        );
    }

    #[test]
    fn a_token_of_another_operation_is_refused() {
        for json in [r#"{"Foo": "x"}"#, r#"{"NextToken": "t", "Marker": "m"}"#] {
            let err = string_decode("NextToken", &BASE64.encode(json)).unwrap_err();
            assert!(err.0.contains("holds the key"), "{json}: {}", err.0);
        }
        // Reordered keys and no keys at all are fine (botocore starts from the top).
        assert_eq!(
            string_decode(
                "NextToken",
                &BASE64.encode(r#"{"boto_truncate_amount": 4, "NextToken": "t"}"#)
            )
            .unwrap(),
            point(Some("t"), Some(4))
        );
        assert_eq!(
            string_decode("NextToken", &BASE64.encode("{}")).unwrap(),
            point(None, None)
        );
    }

    #[test]
    fn python_int_reads_what_python_reads() {
        for (text, value) in [
            ("3", Some(3)),
            (" -2", Some(-2)),
            ("+0", Some(0)),
            ("1_000", Some(1000)),
        ] {
            assert_eq!(python_int(text), value, "{text:?}");
        }
        for text in ["", "-", "_1", "1_", "1__0", "x", "3.0", "0x10", "+-1"] {
            assert_eq!(python_int(text), None, "{text:?}");
        }
    }

    #[test]
    fn python_repr_quotes_like_python() {
        assert_eq!(python_repr("abc"), "'abc'");
        assert_eq!(python_repr("it's"), "\"it's\"");
        assert_eq!(python_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(python_repr("é\n\u{1}"), "'é\\n\\x01'");
    }
}
