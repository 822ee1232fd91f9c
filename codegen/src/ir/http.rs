//! The HTTP pass: an operation's `@http` trait parsed into a typed URI template, each
//! member's HTTP binding, and the check that URI labels and `@httpLabel` members match.
//! Each function reports into a diagnostics sink at the place it is given.

use serde_json::Value;

use super::{HostPart, HttpLocation, HttpTrait, Member, Structure, UriPart};
use crate::diag::{Diagnostic, Error, Location};
use crate::read::Traits;

use super::traits::{
    ENDPOINT, HTTP, HTTP_HEADER, HTTP_LABEL, HTTP_PAYLOAD, HTTP_PREFIX_HEADERS, HTTP_QUERY,
    HTTP_QUERY_PARAMS, HTTP_RESPONSE_CODE,
};

fn trait_error(
    diagnostics: &mut Vec<Diagnostic>,
    location: &Location,
    id: &str,
    name: &str,
    message: impl Into<String>,
) {
    diagnostics.push(Diagnostic {
        location: location.clone(),
        error: Error::InvalidTrait {
            id: id.to_owned(),
            name: name.to_owned(),
            message: message.into(),
        },
    });
}

/// Splits a URI pattern into path parts and the literal query.
fn parse_uri(uri: &str) -> Result<(Vec<UriPart>, String), String> {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(UriPart::Literal(rest[..open].to_owned()));
        }
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| format!("unclosed label in {uri}"))?
            + open;
        let label = &rest[open + 1..close];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(n) => (n, true),
            None => (label, false),
        };
        if name.is_empty() || name.contains(['{', '/']) {
            return Err(format!("bad label {{{label}}} in {uri}"));
        }
        parts.push(UriPart::Label {
            name: name.to_owned(),
            greedy,
            member: None,
        });
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("unopened label in {uri}"));
    }
    if !rest.is_empty() {
        parts.push(UriPart::Literal(rest.to_owned()));
    }
    Ok((parts, query.to_owned()))
}

/// Operation `id`'s `@http` trait (`value`), typed: method, status code (default 200)
/// and the URI template. `None`, with a diagnostic, when it is malformed.
pub(crate) fn http_trait(
    id: &str,
    value: &Value,
    location: &Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<HttpTrait> {
    let method = value.get("method").and_then(Value::as_str);
    let uri = value.get("uri").and_then(Value::as_str);
    let code = match value.get("code") {
        None => Some(200),
        Some(c) => c.as_u64().and_then(|c| u16::try_from(c).ok()),
    };
    match (method, uri, code) {
        (Some(method), Some(uri), Some(code)) if uri.starts_with('/') => match parse_uri(uri) {
            Ok((path, query)) => Some(HttpTrait {
                method: method.to_owned(),
                uri: uri.to_owned(),
                code,
                path,
                query,
            }),
            Err(message) => {
                trait_error(diagnostics, location, id, HTTP, message);
                None
            }
        },
        _ => {
            trait_error(
                diagnostics,
                location,
                id,
                HTTP,
                "needs a string `method`, a `uri` starting with `/` and an integer `code`",
            );
            None
        }
    }
}

/// Where member `id` goes in an HTTP message, from its traits.
pub(crate) fn http_location(
    id: &str,
    traits: &Traits,
    location: &Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> HttpLocation {
    let mut string = |name: &str| -> String {
        match super::traits::string(traits, name) {
            Some(s) => s,
            None => {
                trait_error(diagnostics, location, id, name, "value must be a string");
                String::new()
            }
        }
    };
    let has = |name: &str| traits.contains_key(name);
    if has(HTTP_LABEL) {
        HttpLocation::Label
    } else if has(HTTP_QUERY) {
        HttpLocation::Query(string(HTTP_QUERY))
    } else if has(HTTP_QUERY_PARAMS) {
        HttpLocation::QueryParams
    } else if has(HTTP_HEADER) {
        HttpLocation::Header(string(HTTP_HEADER))
    } else if has(HTTP_PREFIX_HEADERS) {
        HttpLocation::PrefixHeaders(string(HTTP_PREFIX_HEADERS))
    } else if has(HTTP_PAYLOAD) {
        HttpLocation::Payload
    } else if has(HTTP_RESPONSE_CODE) {
        HttpLocation::ResponseCode
    } else {
        // `@hostLabel` alone: in the body too (the host prefix reads
        // `Member::host_label`).
        HttpLocation::Body
    }
}

/// Every label of operation `id`'s URI names an `@httpLabel` member of its `input`,
/// and the other way round; each label is given the member it names.
pub(crate) fn check_labels(
    id: &str,
    http: &mut HttpTrait,
    input: Option<&Structure>,
    location: &Location,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut fail = |id: &str, message: String| {
        diagnostics.push(Diagnostic {
            location: location.clone(),
            error: Error::InvalidTarget {
                id: id.to_owned(),
                message,
            },
        });
    };
    let members: &[Member] = input.map_or(&[], |s| &s.members);
    let uri = http.uri.clone();
    let mut labels = Vec::new();
    for part in &mut http.path {
        let UriPart::Label { name, member, .. } = part else {
            continue;
        };
        labels.push(name.clone());
        match members.iter().position(|m| m.name == *name) {
            Some(index) if members[index].http == HttpLocation::Label => *member = Some(index),
            Some(index) => fail(
                &members[index].id,
                format!("is in the URI {uri} but has no @httpLabel"),
            ),
            None => fail(id, format!("URI label {{{name}}} has no input member")),
        }
    }
    for m in members {
        if m.http == HttpLocation::Label && !labels.contains(&m.name) {
            fail(
                &m.id,
                format!("has @httpLabel but the URI {uri} has no {{{}}}", m.name),
            );
        }
    }
}

/// `@endpoint(hostPrefix: "{Label}.data.")`: the prefix split into literals and labels,
/// each label resolved to the input's `@hostLabel` member of that name.
pub(crate) fn host_prefix(
    id: &str,
    endpoint: &serde_json::Value,
    input: Option<&Structure>,
    location: &Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<HostPart>> {
    let mut fail = |message: String| {
        diagnostics.push(Diagnostic {
            location: location.clone(),
            error: Error::InvalidTrait {
                id: id.to_owned(),
                name: ENDPOINT.to_owned(),
                message,
            },
        });
    };
    let Some(template) = endpoint
        .get("hostPrefix")
        .and_then(serde_json::Value::as_str)
    else {
        fail("hostPrefix must be a string".into());
        return None;
    };
    let members: &[Member] = input.map_or(&[], |s| &s.members);
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(HostPart::Literal(rest[..open].to_owned()));
        }
        let Some(close) = rest[open..].find('}') else {
            fail(format!("hostPrefix {template:?} has an unclosed label"));
            return None;
        };
        let name = &rest[open + 1..open + close];
        match members.iter().position(|m| m.name == name) {
            Some(index) if members[index].host_label => parts.push(HostPart::Label(index)),
            _ => {
                fail(format!(
                    "hostPrefix label {{{name}}} has no input member with @hostLabel"
                ));
                return None;
            }
        }
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(HostPart::Literal(rest.to_owned()));
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at() -> Location {
        Location {
            file: "model.json".into(),
            line_col: Some((7, 3)),
        }
    }

    fn label(name: &str, greedy: bool) -> UriPart {
        UriPart::Label {
            name: name.into(),
            greedy,
            member: None,
        }
    }

    fn literal(text: &str) -> UriPart {
        UriPart::Literal(text.into())
    }

    #[test]
    fn uri_templates_split_into_literals_labels_and_query() {
        assert_eq!(
            parse_uri("/v2/apis/{ApiId}/integrations").unwrap(),
            (
                vec![
                    literal("/v2/apis/"),
                    label("ApiId", false),
                    literal("/integrations")
                ],
                String::new()
            )
        );
        assert_eq!(
            parse_uri("/{Bucket}/{Key+}?x-id=GetObject").unwrap(),
            (
                vec![
                    literal("/"),
                    label("Bucket", false),
                    literal("/"),
                    label("Key", true)
                ],
                "x-id=GetObject".to_owned()
            )
        );
        for (bad, why) in [
            ("/a/{Open", "unclosed label in /a/{Open"),
            ("/a/{}", "bad label {} in /a/{}"),
            ("/a/{+}", "bad label {+} in /a/{+}"),
            ("/a/{x/y}", "bad label {x/y} in /a/{x/y}"),
            ("/a/b}", "unopened label in /a/b}"),
        ] {
            assert_eq!(parse_uri(bad).unwrap_err(), why);
        }
    }

    #[test]
    fn the_http_trait_is_typed_or_reported() {
        let mut diagnostics = Vec::new();
        let http = http_trait(
            "ex#Get",
            &json!({"method": "GET", "uri": "/things/{Id}"}),
            &at(),
            &mut diagnostics,
        )
        .unwrap();
        assert_eq!(http.code, 200, "the default status");
        assert_eq!(http.path, [literal("/things/"), label("Id", false)]);
        assert!(diagnostics.is_empty());
        for bad in [
            json!({"method": "GET", "uri": "things"}),
            json!({"uri": "/things"}),
            json!({"method": "GET", "uri": "/things", "code": 70000}),
            json!({"method": "GET", "uri": "/things/{"}),
        ] {
            let mut diagnostics = Vec::new();
            assert_eq!(http_trait("ex#Get", &bad, &at(), &mut diagnostics), None);
            assert_eq!(diagnostics.len(), 1, "{bad}");
            assert!(
                diagnostics[0]
                    .error
                    .to_string()
                    .starts_with("ex#Get: trait smithy.api#http: "),
                "{}",
                diagnostics[0].error
            );
            assert_eq!(diagnostics[0].location, at());
        }
    }

    #[test]
    fn uri_labels_and_label_members_match_both_ways() {
        use crate::ir::testing::{member, plain_structure};
        let with = |name: &str, http| Member {
            http,
            ..member(name, crate::ir::Ty::String)
        };
        let input = plain_structure(
            "ex#In",
            vec![
                with("Id", HttpLocation::Label),
                with("Other", HttpLocation::Body),
                with("Extra", HttpLocation::Label),
            ],
        );
        let mut http = http_trait(
            "ex#Get",
            &json!({"method": "GET", "uri": "/things/{Id}/{Other}/{Missing}"}),
            &at(),
            &mut Vec::new(),
        )
        .unwrap();
        let mut diagnostics = Vec::new();
        check_labels("ex#Get", &mut http, Some(&input), &at(), &mut diagnostics);
        let messages: Vec<String> = diagnostics.iter().map(|d| d.error.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].starts_with("ex#S$Other: "), "{}", messages[0]);
        assert!(
            messages[0]
                .ends_with("is in the URI /things/{Id}/{Other}/{Missing} but has no @httpLabel")
        );
        assert!(
            messages[1].starts_with("ex#Get: ")
                && messages[1].ends_with("URI label {Missing} has no input member")
        );
        assert!(messages[2].starts_with("ex#S$Extra: ") && messages[2].ends_with("has no {Extra}"));
        // Matching both ways: nothing to say.
        let mut diagnostics = Vec::new();
        let mut http = http_trait(
            "ex#Get",
            &json!({"method": "GET", "uri": "/t/{Id}/{Extra}"}),
            &at(),
            &mut Vec::new(),
        )
        .unwrap();
        check_labels("ex#Get", &mut http, Some(&input), &at(), &mut diagnostics);
        assert!(diagnostics.is_empty());
        // Each label now carries the member it names.
        let named: Vec<Option<String>> = http
            .path
            .iter()
            .filter_map(|p| match p {
                UriPart::Label { member, .. } => {
                    Some(member.map(|i| input.members[i].name.clone()))
                }
                UriPart::Literal(_) => None,
            })
            .collect();
        assert_eq!(named, [Some("Id".to_owned()), Some("Extra".to_owned())]);
    }

    #[test]
    fn member_bindings_come_from_their_traits() {
        let traits = |v: Value| -> Traits { serde_json::from_value(v).unwrap() };
        let cases = [
            (json!({"smithy.api#httpLabel": {}}), HttpLocation::Label),
            (
                json!({"smithy.api#httpQuery": "max"}),
                HttpLocation::Query("max".into()),
            ),
            (
                json!({"smithy.api#httpQueryParams": {}}),
                HttpLocation::QueryParams,
            ),
            (
                json!({"smithy.api#httpHeader": "x-a"}),
                HttpLocation::Header("x-a".into()),
            ),
            (
                json!({"smithy.api#httpPrefixHeaders": "x-meta-"}),
                HttpLocation::PrefixHeaders("x-meta-".into()),
            ),
            (json!({"smithy.api#httpPayload": {}}), HttpLocation::Payload),
            (
                json!({"smithy.api#httpResponseCode": {}}),
                HttpLocation::ResponseCode,
            ),
            (json!({"smithy.api#hostLabel": {}}), HttpLocation::Body),
            (json!({"smithy.api#jsonName": "x"}), HttpLocation::Body),
        ];
        for (t, expected) in cases {
            let mut diagnostics = Vec::new();
            assert_eq!(
                http_location("ex#S$m", &traits(t), &at(), &mut diagnostics),
                expected
            );
            assert!(diagnostics.is_empty());
        }
        let mut diagnostics = Vec::new();
        let location = http_location(
            "ex#S$m",
            &traits(json!({"smithy.api#httpHeader": 5})),
            &at(),
            &mut diagnostics,
        );
        assert_eq!(location, HttpLocation::Header(String::new()));
        assert_eq!(
            diagnostics[0].error.to_string(),
            "ex#S$m: trait smithy.api#httpHeader: value must be a string"
        );
    }
}
