//! `--cli-input-json` and `--generate-cli-skeleton` as AWS CLI v2 has them: the
//! operation's input as a JSON object (inline, or `file://PATH`), checked member by
//! member with v2's messages, and the empty skeleton to start one from.

use serde_json::{Map, Value};

/// The input members of an operation in model order, from its input serialized with
/// every member set: the skeleton and the checks follow the model, not a list here.
pub fn members<T: serde::Serialize>(all_set: &T) -> Vec<String> {
    match serde_json::to_value(all_set) {
        Ok(Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// `--generate-cli-skeleton input`: every member, each an empty string.
pub fn skeleton(members: &[String]) -> Value {
    Value::Object(
        members
            .iter()
            .map(|m| (m.clone(), Value::String(String::new())))
            .collect(),
    )
}

/// Reads `--cli-input-json`: the object, or the AWS CLI's one-line message.
pub fn read(argument: &str, members: &[String]) -> Result<Map<String, Value>, String> {
    let text = match argument.strip_prefix("file://") {
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            format!("Error parsing parameter '--cli-input-json': Unable to load paramfile {argument}: {e}")
        })?,
        None => argument.to_owned(),
    };
    let value: Value = serde_json::from_str(&text).map_err(|_| {
        "Error parsing parameter 'cli-input-json': Invalid JSON received.".to_owned()
    })?;
    let Value::Object(map) = value else {
        return Err(format!(
            "Error parsing parameter '--cli-input-json': Invalid type: expecting map, received <class '{}'>",
            python_type(&value)
        ));
    };
    for (key, value) in &map {
        if !members.contains(key) {
            return Err(format!(
                "Unknown parameter in input: \"{key}\", must be one of: {}",
                members.join(", ")
            ));
        }
        if !value.is_string() {
            return Err(format!(
                "Invalid type for parameter {key}, value: {}, type: <class '{}'>, valid types: <class 'str'>",
                python_repr(value),
                python_type(value)
            ));
        }
    }
    Ok(map)
}

/// A string member of the input object.
pub fn string(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn python_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

fn python_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["ApiId", "MaxResults", "NextToken"]
            .map(str::to_owned)
            .to_vec()
    }

    #[test]
    fn bad_input_is_one_line_naming_the_member() {
        assert_eq!(
            read(r#"{"ApiId": "a", "Bogus": 1}"#, &names()).unwrap_err(),
            "Unknown parameter in input: \"Bogus\", must be one of: ApiId, MaxResults, NextToken"
        );
        assert_eq!(
            read(r#"{"ApiId": true}"#, &names()).unwrap_err(),
            "Invalid type for parameter ApiId, value: True, type: <class 'bool'>, valid types: <class 'str'>"
        );
        assert!(
            read("[1]", &names())
                .unwrap_err()
                .ends_with("<class 'list'>")
        );
        assert!(
            read("{", &names())
                .unwrap_err()
                .ends_with("Invalid JSON received.")
        );
        assert_eq!(
            string(&read(r#"{"ApiId": "a"}"#, &names()).unwrap(), "ApiId").as_deref(),
            Some("a")
        );
    }
}
