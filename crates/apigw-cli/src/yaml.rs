//! AWS CLI v2's `yaml` and `yaml-stream` outputs, byte for byte.
//!
//! The AWS CLI renders YAML with ruamel.yaml's safe dumper over libyaml's emitter: keys
//! sorted, block style, two-space indent, lines folded at 80 columns, non-ASCII kept.
//! Whether a string may be written plain is decided by the YAML 1.2 implicit resolvers
//! (a string that would read back as a bool, number, null, timestamp, `<<` or `=` is
//! quoted); everything else (folding, quoting style, escapes) is libyaml's emitter,
//! which `libyaml-safer` ports to safe Rust. A result that is a bare scalar is written
//! as compact JSON instead, as the AWS CLI does.

use std::io::{self, Write};
use std::sync::LazyLock;

use libyaml_safer::{Emitter, Encoding, Event, MappingStyle, ScalarStyle, SequenceStyle};
use regex_lite::Regex;
use serde_json::Value;

use crate::output::python_float;

/// Writes the `yaml` output of a whole result: nothing for an empty object, compact
/// JSON for a scalar, else one YAML document.
pub fn write_yaml(out: &mut impl Write, value: &Value) -> io::Result<()> {
    match value {
        Value::Object(map) if map.is_empty() => Ok(()),
        Value::Object(_) | Value::Array(_) => dump(out, value),
        scalar => {
            out.write_all(json_scalar(scalar).as_bytes())?;
            out.write_all(b"\n")
        }
    }
}

/// Writes one `yaml-stream` item: the page (or response) as a one-element list.
pub fn write_yaml_stream_item(out: &mut impl Write, value: &Value) -> io::Result<()> {
    dump(out, &Value::Array(vec![value.clone()]))
}

/// `json.dumps(value, ensure_ascii=False)` of a scalar.
fn json_scalar(value: &Value) -> String {
    match value {
        Value::Number(n) if !(n.is_i64() || n.is_u64()) => {
            python_float(n.as_f64().unwrap_or(f64::NAN))
        }
        other => other.to_string(),
    }
}

/// One YAML document of a collection.
fn dump(out: &mut impl Write, value: &Value) -> io::Result<()> {
    let mut buffer = Vec::new();
    {
        let mut emitter = Emitter::new();
        emitter.set_output_string(&mut buffer);
        emitter.set_unicode(true);
        let events = [
            Event::stream_start(Encoding::Utf8),
            Event::document_start(None, &[], true),
        ];
        for event in events {
            emitter.emit(event).map_err(yaml_error)?;
        }
        emit_node(&mut emitter, value)?;
        for event in [Event::document_end(true), Event::stream_end()] {
            emitter.emit(event).map_err(yaml_error)?;
        }
        emitter.flush().map_err(yaml_error)?;
    }
    out.write_all(&buffer)
}

fn yaml_error(e: libyaml_safer::Error) -> io::Error {
    io::Error::other(format!("cannot write YAML: {e}"))
}

fn emit_node(emitter: &mut Emitter<'_>, value: &Value) -> io::Result<()> {
    let emit = |emitter: &mut Emitter<'_>, event| emitter.emit(event).map_err(yaml_error);
    match value {
        Value::Object(map) => {
            emit(
                emitter,
                Event::mapping_start(None, None, true, MappingStyle::Block),
            )?;
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            for (key, item) in entries {
                emit(emitter, string_event(key))?;
                emit_node(emitter, item)?;
            }
            emit(emitter, Event::mapping_end())
        }
        Value::Array(items) => {
            emit(
                emitter,
                Event::sequence_start(None, None, true, SequenceStyle::Block),
            )?;
            for item in items {
                emit_node(emitter, item)?;
            }
            emit(emitter, Event::sequence_end())
        }
        Value::String(s) => emit(emitter, string_event(s)),
        Value::Null => emit(emitter, plain_event("null")),
        Value::Bool(b) => emit(emitter, plain_event(if *b { "true" } else { "false" })),
        Value::Number(n) => {
            let text = if n.is_i64() || n.is_u64() {
                n.to_string()
            } else {
                yaml_float(n.as_f64().unwrap_or(f64::NAN))
            };
            emit(emitter, plain_event(&text))
        }
    }
}

/// A string: plain when it would read back as a string, else quoted by the emitter.
fn string_event(value: &str) -> Event {
    let plain = !resolves_to_other_type(value);
    Event::scalar(None, None, value, plain, true, ScalarStyle::Any)
}

/// A bool, number or null, written as is.
fn plain_event(text: &str) -> Event {
    Event::scalar(None, None, text, true, false, ScalarStyle::Any)
}

/// ruamel.yaml's float spelling: `repr()` lower-cased, `.nan`/`.inf` for the others.
fn yaml_float(value: f64) -> String {
    if value.is_nan() {
        ".nan".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { ".inf" } else { "-.inf" }.to_owned()
    } else {
        python_float(value).to_lowercase()
    }
}

/// YAML 1.2's implicit types, by the first character a plain scalar must start with
/// (the empty string is null).
static RESOLVERS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    let rules: [(&str, &str); 8] = [
        ("tTfF", r"^(?:true|True|TRUE|false|False|FALSE)$"),
        (
            "-+0123456789.",
            r"(?x)^(?:
                [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
               |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
               |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
               |[-+]?\.(?:inf|Inf|INF)
               |\.(?:nan|NaN|NAN))$",
        ),
        (
            "-+0123456789",
            r"(?x)^(?:[-+]?0b[0-1_]+
               |[-+]?0o?[0-7_]+
               |[-+]?[0-9_]+
               |[-+]?0x[0-9a-fA-F_]+)$",
        ),
        ("<", r"^(?:<<)$"),
        ("~nN", r"^(?:~|null|Null|NULL)$"),
        (
            "0123456789",
            r"(?x)^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
               |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
                (?:[Tt]|[\ \t]+)[0-9][0-9]?
                :[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
                (?:[\ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
        ),
        ("=", r"^(?:=)$"),
        ("!&*", r"^(?:!|&|\*)$"),
    ];
    rules
        .into_iter()
        .map(|(first, pattern)| {
            (
                first,
                Regex::new(pattern).expect("the YAML resolver patterns compile"),
            )
        })
        .collect()
});

/// Whether a plain `value` would be read as something other than a string.
fn resolves_to_other_type(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return true; // the empty plain scalar is null
    };
    RESOLVERS
        .iter()
        .any(|(starts, regex)| starts.contains(first) && regex.is_match(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn yaml(value: &Value) -> String {
        let mut out = Vec::new();
        write_yaml(&mut out, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_that_read_back_as_other_types_are_quoted() {
        for quoted in [
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
            "~",
            "null",
            "",
            "2001-01-01",
            "<<",
            "=",
            "0777",
        ] {
            assert!(resolves_to_other_type(quoted), "{quoted:?}");
        }
        for plain in ["yes", "on", "12:30", "abc", "1.2.3", "0xZZ", "nulls", "e3"] {
            assert!(!resolves_to_other_type(plain), "{plain:?}");
        }
    }

    #[test]
    fn documents_sort_keys_and_scalars_are_json() {
        let value = json!({"b": ["1", 1, 1.5, null, true], "a": {}, "c": [], "d": "x y"});
        assert_eq!(
            yaml(&value),
            "a: {}\nb:\n- '1'\n- 1\n- 1.5\n- null\n- true\nc: []\nd: x y\n"
        );
        assert_eq!(yaml(&json!("é \"q\"")), "\"é \\\"q\\\"\"\n");
        assert_eq!(yaml(&json!(1e16)), "1e+16\n");
        assert_eq!(yaml(&json!({})), "");
        let mut out = Vec::new();
        write_yaml_stream_item(&mut out, &json!({})).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "- {}\n");
    }
}
