//! Trait access: the ids of the Smithy traits the generator reads, and typed readers
//! for those whose values need checking (length, range, pattern, timestamp format,
//! deprecation, documentation). A malformed value becomes a diagnostic naming the shape
//! or member and the trait; the reader then returns nothing.

use serde_json::Value;

use super::{Constraints, Number, TimestampFormat};
use crate::diag::{Diagnostic, Error, Location};
use crate::docs;
use crate::read::Traits;

pub(crate) const DOCUMENTATION: &str = "smithy.api#documentation";
pub(crate) const REQUIRED: &str = "smithy.api#required";
pub(crate) const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
pub(crate) const DEFAULT: &str = "smithy.api#default";
pub(crate) const JSON_NAME: &str = "smithy.api#jsonName";
pub(crate) const LENGTH: &str = "smithy.api#length";
pub(crate) const RANGE: &str = "smithy.api#range";
pub(crate) const PATTERN: &str = "smithy.api#pattern";
pub(crate) const ENUM_TRAIT: &str = "smithy.api#enum";
pub(crate) const ENUM_VALUE: &str = "smithy.api#enumValue";
pub(crate) const ERROR: &str = "smithy.api#error";
pub(crate) const HTTP_ERROR: &str = "smithy.api#httpError";
pub(crate) const RETRYABLE: &str = "smithy.api#retryable";
pub(crate) const HTTP: &str = "smithy.api#http";
pub(crate) const PAGINATED: &str = "smithy.api#paginated";
pub(crate) const SENSITIVE: &str = "smithy.api#sensitive";
pub(crate) const DEPRECATED: &str = "smithy.api#deprecated";
pub(crate) const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";
pub(crate) const MIXIN: &str = "smithy.api#mixin";
pub(crate) const TITLE: &str = "smithy.api#title";
pub(crate) const HTTP_LABEL: &str = "smithy.api#httpLabel";
pub(crate) const HTTP_QUERY: &str = "smithy.api#httpQuery";
pub(crate) const HTTP_QUERY_PARAMS: &str = "smithy.api#httpQueryParams";
pub(crate) const HTTP_HEADER: &str = "smithy.api#httpHeader";
pub(crate) const HTTP_PREFIX_HEADERS: &str = "smithy.api#httpPrefixHeaders";
pub(crate) const HTTP_PAYLOAD: &str = "smithy.api#httpPayload";
pub(crate) const HTTP_RESPONSE_CODE: &str = "smithy.api#httpResponseCode";
pub(crate) const HOST_LABEL: &str = "smithy.api#hostLabel";
pub(crate) const AWS_SERVICE: &str = "aws.api#service";
pub(crate) const SIGV4: &str = "aws.auth#sigv4";
pub(crate) const REST_JSON1: &str = "aws.protocols#restJson1";
pub(crate) const AWS_JSON1_0: &str = "aws.protocols#awsJson1_0";
pub(crate) const AWS_JSON1_1: &str = "aws.protocols#awsJson1_1";
pub(crate) const AWS_QUERY_COMPATIBLE: &str = "aws.protocols#awsQueryCompatible";
pub(crate) const STREAMING: &str = "smithy.api#streaming";
pub(crate) const SPARSE: &str = "smithy.api#sparse";
pub(crate) const ENDPOINT: &str = "smithy.api#endpoint";
pub(crate) const MEDIA_TYPE: &str = "smithy.api#mediaType";
pub(crate) const HTTP_CHECKSUM_REQUIRED: &str = "smithy.api#httpChecksumRequired";
pub(crate) const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";
pub(crate) const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
pub(crate) const INPUT: &str = "smithy.api#input";
pub(crate) const ENDPOINT_RULE_SET: &str = "smithy.rules#endpointRuleSet";
pub(crate) const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
pub(crate) const STATIC_CONTEXT_PARAMS: &str = "smithy.rules#staticContextParams";
pub(crate) const OPERATION_CONTEXT_PARAMS: &str = "smithy.rules#operationContextParams";

/// Whether trait `name` is present.
pub(crate) fn has(traits: &Traits, name: &str) -> bool {
    traits.contains_key(name)
}

/// The deprecation note, when `@deprecated`: its message and since, or empty.
pub(crate) fn deprecation(traits: &Traits) -> Option<String> {
    let value = traits.get(DEPRECATED)?;
    let message = value.get("message").and_then(Value::as_str);
    let since = value.get("since").and_then(Value::as_str);
    Some(match (message, since) {
        (Some(m), Some(s)) => format!("{m} (since {s})"),
        (Some(m), None) => m.to_owned(),
        (None, Some(s)) => format!("deprecated since {s}"),
        (None, None) => String::new(),
    })
}

/// A string field of a trait's object value (`@sigv4`'s `name`, `aws.api#service`'s
/// `sdkId`), when present.
pub(crate) fn field(traits: &Traits, name: &str, field: &str) -> Option<String> {
    traits.get(name)?.get(field)?.as_str().map(str::to_owned)
}

/// A trait whose value is a string (`@title`), when present.
pub(crate) fn string(traits: &Traits, name: &str) -> Option<String> {
    traits.get(name)?.as_str().map(str::to_owned)
}

/// `@requestCompression`'s encodings, e.g. `["gzip"]`.
pub(crate) fn request_compression(traits: &Traits) -> Vec<String> {
    string_list(
        traits
            .get(REQUEST_COMPRESSION)
            .and_then(|v| v.get("encodings")),
    )
}

/// The strings of a JSON array (anything else in it skipped); empty when absent.
pub(crate) fn string_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The documentation, converted from the model's HTML to Markdown.
pub(crate) fn doc_of(traits: &Traits) -> Option<String> {
    traits
        .get(DOCUMENTATION)
        .and_then(Value::as_str)
        .and_then(docs::to_markdown)
}

/// A member's `@default`: its own, else its target's; `None` when neither has one,
/// or when the member's is `null` (which takes the target's default away).
pub(crate) fn default<'a>(member: &'a Traits, target: &'a Traits) -> Option<&'a Value> {
    member
        .get(DEFAULT)
        .or_else(|| target.get(DEFAULT))
        .filter(|v| !v.is_null())
}

/// `@mediaType`.
pub(crate) fn media_type(traits: &Traits) -> Option<String> {
    string(traits, MEDIA_TYPE)
}

/// `@retryable`: `Some(throttling)` when present.
pub(crate) fn retryable(traits: &Traits) -> Option<bool> {
    traits
        .get(RETRYABLE)
        .map(|v| v.get("throttling").and_then(Value::as_bool) == Some(true))
}

/// `@enumValue` of an enum member, as written (its type depends on the enum's kind).
pub(crate) fn enum_value(traits: &Traits) -> Option<&Value> {
    traits.get(ENUM_VALUE)
}

/// The Smithy 1.0 `@enum` trait's definitions, as written.
pub(crate) fn legacy_enum(traits: &Traits) -> Option<&Value> {
    traits.get(ENUM_TRAIT)
}

/// `@paginated`, as written (the pagination pass merges and checks it).
pub(crate) fn paginated(traits: &Traits) -> Option<&Value> {
    traits.get(PAGINATED)
}

/// `@http`, as written (the HTTP pass parses and checks it).
pub(crate) fn http(traits: &Traits) -> Option<&Value> {
    traits.get(HTTP)
}

/// `@endpoint`, as written (the HTTP pass parses its host prefix).
pub(crate) fn endpoint(traits: &Traits) -> Option<&Value> {
    traits.get(ENDPOINT)
}

/// `@endpointRuleSet`, as written (checked by the rules engine that will run it).
pub(crate) fn endpoint_rule_set(traits: &Traits) -> Option<&Value> {
    traits.get(ENDPOINT_RULE_SET)
}

/// `@staticContextParams`: parameter name to its spec, when the value is an object.
pub(crate) fn static_context_params(traits: &Traits) -> Option<&serde_json::Map<String, Value>> {
    traits.get(STATIC_CONTEXT_PARAMS)?.as_object()
}

/// `@operationContextParams`: parameter name to its spec, when the value is an object.
pub(crate) fn operation_context_params(traits: &Traits) -> Option<&serde_json::Map<String, Value>> {
    traits.get(OPERATION_CONTEXT_PARAMS)?.as_object()
}

/// `@contextParam`'s parameter name.
pub(crate) fn context_param(traits: &Traits) -> Option<&str> {
    traits.get(CONTEXT_PARAM)?.get("name")?.as_str()
}

/// `@jsonName`; a value that is not a string is reported (and ignored).
pub(crate) fn json_name(traits: &Traits, report: &mut Report<'_>) -> Option<String> {
    match traits.get(JSON_NAME)? {
        Value::String(s) => Some(s.clone()),
        _ => {
            report.invalid(JSON_NAME, "value must be a string");
            None
        }
    }
}

/// `@error`: `Some(true)` for `"server"`, `Some(false)` for `"client"`; `None` when
/// absent or (reported) anything else.
pub(crate) fn error_is_server(traits: &Traits, report: &mut Report<'_>) -> Option<bool> {
    match traits.get(ERROR)? {
        Value::String(kind) if kind == "client" || kind == "server" => Some(kind == "server"),
        other => {
            report.invalid(
                ERROR,
                format!("{other} is neither \"client\" nor \"server\""),
            );
            None
        }
    }
}

/// `@httpError`: a status code from 100 to 599; anything else is reported.
pub(crate) fn http_error(traits: &Traits, report: &mut Report<'_>) -> Option<u16> {
    let v = traits.get(HTTP_ERROR)?;
    match v.as_u64().and_then(|n| u16::try_from(n).ok()) {
        Some(code) if (100..600).contains(&code) => Some(code),
        _ => {
            report.invalid(HTTP_ERROR, format!("{v} is not an HTTP status code"));
            None
        }
    }
}

/// Where a trait reader reports: the shape or member, and its place in the model.
pub(crate) struct Report<'a> {
    /// The shape or member id.
    pub id: &'a str,
    /// Where it is defined.
    pub at: &'a Location,
    /// The sink.
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

impl Report<'_> {
    fn invalid(&mut self, name: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            location: self.at.clone(),
            error: Error::InvalidTrait {
                id: self.id.to_owned(),
                name: name.to_owned(),
                message: message.into(),
            },
        });
    }
}

/// `@length`: (min, max), non-negative and ordered.
fn length(traits: &Traits, report: &mut Report<'_>) -> Option<(Option<u64>, Option<u64>)> {
    let value = traits.get(LENGTH)?;
    let get = |k: &str| value.get(k).map(|v| v.as_u64().ok_or(()));
    match (get("min").transpose(), get("max").transpose()) {
        (Ok(min), Ok(max)) => {
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                report.invalid(LENGTH, format!("min {min} is greater than max {max}"));
                return None;
            }
            Some((min, max))
        }
        _ => {
            report.invalid(LENGTH, "min and max must be non-negative integers");
            None
        }
    }
}

/// `@range`: (min, max) numbers, ordered.
fn range(traits: &Traits, report: &mut Report<'_>) -> Option<(Option<Number>, Option<Number>)> {
    let value = traits.get(RANGE)?;
    let get = |k: &str| match value.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(Some(Number::from(n))),
        Some(_) => Err(()),
    };
    match (get("min"), get("max")) {
        (Ok(min), Ok(max)) => {
            if let (Some(lo), Some(hi)) = (&min, &max)
                && lo.as_f64() > hi.as_f64()
            {
                report.invalid(RANGE, format!("min {lo} is greater than max {hi}"));
                return None;
            }
            Some((min, max))
        }
        _ => {
            report.invalid(RANGE, "min and max must be numbers");
            None
        }
    }
}

/// The constraints on member `id`: its target's, overridden by its own.
pub(crate) fn constraints(
    id: &str,
    target_traits: &Traits,
    member_traits: &Traits,
    at: &Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> Constraints {
    let mut report = Report {
        id,
        at,
        diagnostics,
    };
    let mut c = Constraints::default();
    for traits in [target_traits, member_traits] {
        if let Some(length) = length(traits, &mut report) {
            c.length = Some(length);
        }
        if let Some(range) = range(traits, &mut report) {
            c.range = Some(range);
        }
        if let Some(p) = traits.get(PATTERN).and_then(Value::as_str) {
            c.pattern = Some(p.to_owned());
        }
    }
    c
}

/// `@timestampFormat` of `id`.
pub(crate) fn timestamp_format(
    id: &str,
    traits: &Traits,
    at: &Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<TimestampFormat> {
    let value = traits.get(TIMESTAMP_FORMAT)?;
    match value.as_str() {
        Some("date-time") => Some(TimestampFormat::DateTime),
        Some("epoch-seconds") => Some(TimestampFormat::EpochSeconds),
        Some("http-date") => Some(TimestampFormat::HttpDate),
        _ => {
            Report {
                id,
                at,
                diagnostics,
            }
            .invalid(
                TIMESTAMP_FORMAT,
                format!("{value} is not date-time, epoch-seconds or http-date"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn traits(v: Value) -> Traits {
        serde_json::from_value(v).unwrap()
    }

    fn at() -> Location {
        Location {
            file: "m.json".into(),
            line_col: Some((1, 1)),
        }
    }

    fn messages(diagnostics: &[Diagnostic]) -> Vec<String> {
        diagnostics.iter().map(|d| d.error.to_string()).collect()
    }

    #[test]
    fn the_member_overrides_its_target_and_bad_bounds_are_reported() {
        let mut diagnostics = Vec::new();
        let c = constraints(
            "ex#S$m",
            &traits(
                json!({"smithy.api#length": {"min": 1, "max": 64}, "smithy.api#pattern": "^a"}),
            ),
            &traits(json!({"smithy.api#length": {"max": 8}, "smithy.api#range": {"min": 0.5}})),
            &at(),
            &mut diagnostics,
        );
        assert!(diagnostics.is_empty());
        assert_eq!(c.length, Some((None, Some(8))));
        assert_eq!(c.range, Some((Some(Number::Float(0.5)), None)));
        assert_eq!(c.pattern.as_deref(), Some("^a"));

        let mut diagnostics = Vec::new();
        let c = constraints(
            "ex#S$m",
            &traits(json!({"smithy.api#length": {"min": 5, "max": 2}})),
            &traits(json!({"smithy.api#length": {"min": -1}, "smithy.api#range": {"max": "9"}})),
            &at(),
            &mut diagnostics,
        );
        assert_eq!(c, Constraints::default());
        assert_eq!(
            messages(&diagnostics),
            [
                "ex#S$m: trait smithy.api#length: min 5 is greater than max 2",
                "ex#S$m: trait smithy.api#length: min and max must be non-negative integers",
                "ex#S$m: trait smithy.api#range: min and max must be numbers",
            ]
        );
    }

    #[test]
    fn timestamp_formats_and_deprecation_read_as_typed_values() {
        let mut diagnostics = Vec::new();
        let read = |v: Value, d: &mut Vec<Diagnostic>| {
            timestamp_format(
                "ex#T",
                &traits(json!({"smithy.api#timestampFormat": v})),
                &at(),
                d,
            )
        };
        assert_eq!(
            read(json!("http-date"), &mut diagnostics),
            Some(TimestampFormat::HttpDate)
        );
        assert_eq!(
            read(json!("epoch-seconds"), &mut diagnostics),
            Some(TimestampFormat::EpochSeconds)
        );
        assert_eq!(read(json!("iso"), &mut diagnostics), None);
        assert_eq!(
            messages(&diagnostics),
            [
                "ex#T: trait smithy.api#timestampFormat: \"iso\" is not date-time, epoch-seconds or http-date"
            ]
        );
        let note = |v: Value| deprecation(&traits(json!({"smithy.api#deprecated": v})));
        assert_eq!(
            note(json!({"message": "Use X", "since": "2020"})).as_deref(),
            Some("Use X (since 2020)")
        );
        assert_eq!(
            note(json!({"since": "2020"})).as_deref(),
            Some("deprecated since 2020")
        );
        assert_eq!(note(json!({})).as_deref(), Some(""));
        assert_eq!(deprecation(&Traits::new()), None);
    }
}
