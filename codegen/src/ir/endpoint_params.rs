//! The endpoint-parameters pass: what an operation adds to its service's endpoint rule
//! parameters, from `@staticContextParams` (fixed values) and `@contextParam` members
//! of its input (their values at request time).

use std::collections::BTreeMap;

use serde_json::Value;

use super::traits::{CONTEXT_PARAM, OPERATION_CONTEXT_PARAMS, STATIC_CONTEXT_PARAMS};
use super::{Def, Diagnostic, Lowering, NamedKind, Presence, Ty};
use crate::diag::Error;
use crate::read::Shape;

/// An endpoint rule parameter an operation sets.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointParam {
    /// The rule set's parameter name.
    pub name: String,
    /// Where its value comes from.
    pub source: EndpointParamSource,
}

/// Where an operation's endpoint parameter comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum EndpointParamSource {
    /// A fixed string (`@staticContextParams`).
    Str(String),
    /// A fixed boolean.
    Bool(bool),
    /// A fixed list of strings.
    Strings(Vec<String>),
    /// An input member (`@contextParam`): its Rust field, what kind of value it holds,
    /// and whether the field is an `Option`.
    Member {
        /// The Rust field.
        field: String,
        /// The value's kind.
        kind: ContextKind,
        /// The field is `Option<T>`.
        optional: bool,
    },
}

/// The kinds of input members a `@contextParam` can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContextKind {
    /// `String`.
    Str,
    /// `bool`.
    Bool,
    /// A string enum (its `as_str()`).
    Enum,
    /// `Vec<String>`.
    Strings,
}

/// The endpoint parameters of operation `id` with input structure `input`; what it
/// cannot carry is a warning (left out, the rule's default applies).
pub(crate) fn endpoint_params(
    b: &mut Lowering,
    id: &str,
    input: Option<&str>,
    defs: &BTreeMap<String, Def>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<EndpointParam> {
    let mut params = Vec::new();
    let traits = b.shape(id).map(|s| s.traits().clone()).unwrap_or_default();
    if let Some(Value::Object(statics)) = traits.get(STATIC_CONTEXT_PARAMS) {
        for (name, spec) in statics {
            let source = match spec.get("value") {
                Some(Value::String(s)) => EndpointParamSource::Str(s.clone()),
                Some(Value::Bool(v)) => EndpointParamSource::Bool(*v),
                Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                    EndpointParamSource::Strings(
                        items
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect(),
                    )
                }
                _ => {
                    b.trait_error(
                        id,
                        STATIC_CONTEXT_PARAMS,
                        format!("{name}: `value` is not a string, boolean or list of strings"),
                    );
                    continue;
                }
            };
            params.push(EndpointParam {
                name: name.clone(),
                source,
            });
        }
    }
    if traits.contains_key(OPERATION_CONTEXT_PARAMS) {
        warnings.push(Diagnostic {
            location: b.location(id),
            error: Error::LeftOut {
                id: id.to_owned(),
                why: "smithy.rules#operationContextParams is not applied (those parameters keep their defaults)".into(),
            },
        });
    }
    let (Some(input), Some(Shape::Structure { shape: raw, .. })) =
        (input, input.and_then(|i| b.shape(i).cloned()))
    else {
        return params;
    };
    let Some(Def::Structure(structure)) = defs.get(input) else {
        return params;
    };
    for (member_name, member) in &raw.members {
        let Some(name) = member
            .traits
            .get(CONTEXT_PARAM)
            .and_then(|t| t.get("name"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let Some(ir) = structure.members.iter().find(|m| &m.name == member_name) else {
            continue;
        };
        let kind = match &ir.ty {
            Ty::String => Some(ContextKind::Str),
            Ty::Boolean => Some(ContextKind::Bool),
            Ty::Named(n) if n.kind == NamedKind::Enum => Some(ContextKind::Enum),
            Ty::List(elem) if elem.ty == Ty::String && !elem.sparse => Some(ContextKind::Strings),
            _ => None,
        };
        let Some(kind) = kind else {
            warnings.push(Diagnostic {
                location: b.location(input),
                error: Error::LeftOut {
                    id: ir.id.clone(),
                    why: format!("@contextParam {name} on a member of a type an endpoint parameter cannot hold"),
                },
            });
            continue;
        };
        params.push(EndpointParam {
            name: name.to_owned(),
            source: EndpointParamSource::Member {
                field: ir.field.clone(),
                kind,
                optional: matches!(ir.presence, Presence::Optional),
            },
        });
    }
    params
}
