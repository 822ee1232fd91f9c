//! Endpoint resolution from a Smithy endpoint rule set (`smithy.rules#endpointRuleSet`,
//! the same JSON as botocore's `endpoint-rule-set-1.json`), as the AWS SDKs resolve
//! endpoints.
//!
//! A [`RuleSet`] is read once ([`RuleSet::from_json`]): names are bound to slots,
//! functions and templates checked, so a rule set that uses an unknown function, a
//! parameter type it does not know or a name nothing binds is refused when it is read,
//! never at a request. [`RuleSet::resolve`] then walks the rules with [`Params`] (the
//! parameters' values: region, FIPS, dual-stack, a configured endpoint, context
//! parameters) and a [`Partitions`] table (for `aws.partition`), and gives the
//! [`Endpoint`] (URL, headers, properties such as `authSchemes`) or the rule set's own
//! error message.
//!
//! Functions: `isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr`, `substring`,
//! `uriEncode`, `parseURL`, `isValidHostLabel`, `aws.partition`, `aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`.
//!
//! ```
//! use apigw_runtime::endpoint::{Params, Partitions, RuleSet};
//! use serde_json::json;
//!
//! let rules = RuleSet::from_json(&json!({
//!     "version": "1.0",
//!     "parameters": {"Region": {"type": "string", "builtIn": "AWS::Region", "required": true}},
//!     "rules": [
//!         {"type": "endpoint", "conditions": [
//!             {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
//!          "endpoint": {"url": "https://svc.{Region}.{P#dnsSuffix}"}},
//!         {"type": "error", "conditions": [], "error": "no region"}
//!     ]
//! })).unwrap();
//! let params = Params::from_json(&json!({"Region": "cn-north-1"})).unwrap();
//! let endpoint = rules.resolve(&params, Partitions::builtin()).unwrap();
//! assert_eq!(endpoint.url, "https://svc.cn-north-1.amazonaws.com.cn");
//! ```

pub mod builtin;
mod functions;
mod partitions;
mod rules;
mod value;

use std::collections::BTreeMap;

pub use partitions::Partitions;
pub use rules::RuleSet;
pub use value::Value;

/// A rule set or partition table that cannot be used, found when it is read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// The rule set is malformed: an unknown function or parameter type, a name nothing
    /// binds, a bad template, a missing field. The text says what and where.
    #[error("endpoint rule set: {0}")]
    RuleSet(String),
    /// The partition table is malformed.
    #[error("partition table: {0}")]
    Partitions(String),
    /// A parameter value of the wrong kind.
    #[error("endpoint parameters: {0}")]
    Params(String),
}

/// Why no endpoint was resolved: the message of the rule set's `error` rule that
/// matched, exactly as the rule set words it (or that no rule matched).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ResolveError {
    message: String,
}

impl ResolveError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The values of a rule set's parameters, by name (`Region`, `UseFIPS`, `Endpoint`, a
/// context parameter...). Parameters not given take their default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Params {
    values: BTreeMap<String, Value>,
}

impl Params {
    /// No values set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name` to a string.
    pub fn set_str(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.values
            .insert(name.to_owned(), Value::Str(value.into()));
        self
    }

    /// Sets `name` to a boolean.
    pub fn set_bool(&mut self, name: &str, value: bool) -> &mut Self {
        self.values.insert(name.to_owned(), Value::Bool(value));
        self
    }

    /// Sets `name` to a list of strings (a `stringArray` parameter).
    pub fn set_strings(&mut self, name: &str, values: Vec<String>) -> &mut Self {
        self.values.insert(
            name.to_owned(),
            Value::Array(values.into_iter().map(Value::Str).collect()),
        );
        self
    }

    /// Sets `name` to `value` (`None` unsets it).
    pub fn set(&mut self, name: &str, value: Option<Value>) -> &mut Self {
        match value {
            Some(v) => self.values.insert(name.to_owned(), v),
            None => self.values.remove(name),
        };
        self
    }

    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// Whether no value is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Every value set, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The `params` object of an endpoint test case: strings, booleans and arrays of
    /// strings by parameter name (`null` leaves a parameter unset).
    pub fn from_json(json: &serde_json::Value) -> Result<Self, EndpointError> {
        let object = json
            .as_object()
            .ok_or_else(|| EndpointError::Params("not a JSON object".into()))?;
        let mut params = Self::new();
        for (name, value) in object {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::String(_)
                | serde_json::Value::Bool(_)
                | serde_json::Value::Array(_) => {
                    let v = Value::from_json(value).ok_or_else(|| {
                        EndpointError::Params(format!("{name}: a list with a null"))
                    })?;
                    params.values.insert(name.clone(), v);
                }
                other => {
                    return Err(EndpointError::Params(format!(
                        "{name}: {other} is not a string, boolean or list of strings"
                    )));
                }
            }
        }
        Ok(params)
    }
}

/// A resolved endpoint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Endpoint {
    /// The URL requests go to (scheme, host, optional port and base path).
    pub url: String,
    /// Headers to send with every request to it.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Properties, e.g. `authSchemes` (`[{"name": "sigv4", "signingName": ...,
    /// "signingRegion": ...}]`).
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// How the endpoint's `authSchemes` property says to sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningScheme {
    /// The signing name, if the scheme names one.
    pub signing_name: Option<String>,
    /// The signing region, if the scheme names one.
    pub signing_region: Option<String>,
}

impl Endpoint {
    /// The SigV4 signing overrides of the endpoint's `authSchemes`: the first `sigv4`
    /// scheme's name and region (`Ok(None)` when the endpoint names no scheme). An
    /// endpoint that offers only schemes this client cannot sign with (`sigv4a`, ...)
    /// is an error naming them.
    pub fn sigv4_scheme(&self) -> Result<Option<SigningScheme>, String> {
        let Some(schemes) = self
            .properties
            .get("authSchemes")
            .and_then(|v| v.as_array())
        else {
            return Ok(None);
        };
        if schemes.is_empty() {
            return Ok(None);
        }
        let field = |scheme: &serde_json::Value, name: &str| {
            scheme.get(name).and_then(|v| v.as_str()).map(str::to_owned)
        };
        for scheme in schemes {
            if scheme.get("name").and_then(|v| v.as_str()) == Some("sigv4") {
                return Ok(Some(SigningScheme {
                    signing_name: field(scheme, "signingName"),
                    signing_region: field(scheme, "signingRegion"),
                }));
            }
        }
        let names: Vec<String> = schemes
            .iter()
            .map(|s| field(s, "name").unwrap_or_else(|| "?".into()))
            .collect();
        Err(format!(
            "the endpoint requires auth scheme(s) {} and this client signs with sigv4 only",
            names.join(", ")
        ))
    }
}
