//! The values rules compute with: strings, booleans, integers, arrays and records
//! (the results of `parseURL`, `aws.partition` and `aws.parseArn`). An unset value is
//! `None` wherever one may occur.

use serde_json::Value as Json;

/// A value in a rule set's evaluation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// An integer (`substring`'s bounds, array indexes).
    Int(i64),
    /// An array (a `stringArray` parameter, `resourceId` of an ARN).
    Array(Vec<Value>),
    /// A record with named fields, in order.
    Record(Vec<(String, Value)>),
}

impl Value {
    /// A record from `(name, value)` pairs.
    pub(super) fn record<const N: usize>(fields: [(&str, Value); N]) -> Self {
        Self::Record(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// A JSON value as a rule value; `None` for `null` (anywhere in it).
    pub fn from_json(json: &Json) -> Option<Self> {
        Some(match json {
            Json::Null => return None,
            Json::Bool(b) => Self::Bool(*b),
            Json::Number(n) => Self::Int(n.as_i64()?),
            Json::String(s) => Self::Str(s.clone()),
            Json::Array(items) => {
                Self::Array(items.iter().map(Self::from_json).collect::<Option<_>>()?)
            }
            Json::Object(map) => Self::Record(
                map.iter()
                    .map(|(k, v)| Some((k.clone(), Self::from_json(v)?)))
                    .collect::<Option<_>>()?,
            ),
        })
    }

    /// The value as JSON (endpoint properties).
    pub fn to_json(&self) -> Json {
        match self {
            Self::Str(s) => Json::String(s.clone()),
            Self::Bool(b) => Json::Bool(*b),
            Self::Int(i) => Json::from(*i),
            Self::Array(items) => Json::Array(items.iter().map(Self::to_json).collect()),
            Self::Record(fields) => Json::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A record's field.
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Self::Record(fields) => fields.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Sets (or adds) a record's field.
    pub(super) fn set(&mut self, name: &str, value: Value) {
        if let Self::Record(fields) = self {
            match fields.iter_mut().find(|(k, _)| k == name) {
                Some((_, v)) => *v = value,
                None => fields.push((name.to_owned(), value)),
            }
        }
    }

    /// How a value prints in a template: strings as they are, others as JSON.
    pub(super) fn write_to(&self, out: &mut String) {
        match self {
            Self::Str(s) => out.push_str(s),
            Self::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Self::Int(i) => out.push_str(&i.to_string()),
            other => out.push_str(&other.to_json().to_string()),
        }
    }
}
