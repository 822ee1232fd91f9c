//! The endpoint-parameters pass: what an operation adds to its service's endpoint rule
//! parameters, from `@staticContextParams` (fixed values), `@contextParam` members of
//! its input and `@operationContextParams` paths into it (their values at request
//! time).

use serde_json::Value;

use super::traits::{self, OPERATION_CONTEXT_PARAMS, STATIC_CONTEXT_PARAMS};
use super::{DefId, Defs, Diagnostic, Model, NamedKind, NamedRef, Presence, Sink, StructureId, Ty};
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
    /// Strings found along a path into the input (`@operationContextParams`): one
    /// string, or a list of them where the path projects (`[*]`) or takes `keys(..)`.
    Path {
        /// The steps from the input.
        steps: Vec<PathStep>,
        /// What the path ends on.
        leaf: ContextKind,
        /// A list of strings (else the first one found).
        many: bool,
    },
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

/// A step of an `@operationContextParams` path.
#[derive(Clone, Debug, PartialEq)]
pub enum PathStep {
    /// A structure member: its Rust field, `Option` or not, boxed or not.
    Field {
        /// The Rust field.
        field: String,
        /// The field is `Option<T>`.
        optional: bool,
        /// The field is boxed.
        boxed: bool,
    },
    /// Each element of a list (`[*]`); `sparse` elements are `Option`s.
    Each {
        /// The list is `@sparse`.
        sparse: bool,
    },
    /// The keys of a map (`keys(..)`).
    Keys,
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
    model: &Model<'_>,
    out: &mut Sink<'_>,
    id: &str,
    input: Option<StructureId>,
    defs: &Defs,
) -> Vec<EndpointParam> {
    let mut params = collect(model, out, id, input, defs);
    // By name: trait values are JSON objects whose member order depends on how
    // serde_json was built (another crate may turn `preserve_order` on), and the
    // output must not.
    params.sort_by(|a, b| a.name.cmp(&b.name));
    params
}

fn collect(
    model: &Model<'_>,
    out: &mut Sink<'_>,
    id: &str,
    input: Option<StructureId>,
    defs: &Defs,
) -> Vec<EndpointParam> {
    let mut params = Vec::new();
    let Some(traits) = model.shape(id).map(|s| s.traits()) else {
        return params;
    };
    if let Some(statics) = traits::static_context_params(traits) {
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
                    out.trait_error(
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
    if let Some(paths) = traits::operation_context_params(traits) {
        for (name, spec) in paths {
            let Some(path) = spec.get("path").and_then(Value::as_str) else {
                out.trait_error(id, OPERATION_CONTEXT_PARAMS, format!("{name}: no `path`"));
                continue;
            };
            match input.map(|i| defs.structure(i)) {
                Some(structure) => match input_path(structure, path, defs) {
                    Ok(source) => params.push(EndpointParam {
                        name: name.clone(),
                        source,
                    }),
                    Err(why) => out.trait_error(
                        id,
                        OPERATION_CONTEXT_PARAMS,
                        format!("{name}: path {path:?}: {why}"),
                    ),
                },
                None => out.trait_error(
                    id,
                    OPERATION_CONTEXT_PARAMS,
                    format!("{name}: the operation has no input"),
                ),
            }
        }
    }
    let Some(structure) = input.map(|i| defs.structure(i)) else {
        return params;
    };
    let input = structure.id.as_str();
    let Some(Shape::Structure { shape: raw, .. }) = model.shape(input) else {
        return params;
    };
    for (member_name, member) in &raw.members {
        let Some(name) = traits::context_param(&member.traits) else {
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
            out.warnings.push(Diagnostic {
                location: model.location(input),
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

/// An `@operationContextParams` path (the JMESPath subset the trait allows:
/// `a.b`, `a[*].b`, `keys(a)`) resolved against the input's members.
fn input_path(
    input: &super::Structure,
    path: &str,
    defs: &Defs,
) -> Result<EndpointParamSource, String> {
    let (inner, keys) = match path.strip_prefix("keys(").and_then(|p| p.strip_suffix(')')) {
        Some(inner) => (inner, true),
        None => (path, false),
    };
    let mut steps = Vec::new();
    let mut many = keys;
    let mut ty: Option<Ty> = None;
    let mut structure = Some(input);
    for segment in inner.split('.') {
        let (name, each) = match segment.strip_suffix("[*]") {
            Some(name) => (name, true),
            None => (segment, false),
        };
        let Some(current) = structure.take() else {
            return Err(format!("`{name}` is not read from a structure"));
        };
        let member = current
            .members
            .iter()
            .find(|m| m.name == name)
            .ok_or_else(|| format!("{} has no member `{name}`", current.id))?;
        steps.push(PathStep::Field {
            field: member.field.clone(),
            optional: matches!(member.presence, Presence::Optional),
            boxed: member.boxed,
        });
        let mut here = member.ty.clone();
        if each {
            let Ty::List(elem) = here else {
                return Err(format!("`{name}[*]` is not a list"));
            };
            steps.push(PathStep::Each {
                sparse: elem.sparse,
            });
            many = true;
            here = elem.ty.clone();
        }
        if let Ty::Named(NamedRef {
            id: DefId::Structure(s),
            ..
        }) = &here
        {
            structure = Some(defs.structure(*s));
        }
        ty = Some(here);
    }
    let leaf = match (ty, keys) {
        (Some(Ty::Map(key, _)), true) => {
            steps.push(PathStep::Keys);
            kind_of(&key.ty)?
        }
        (_, true) => return Err("keys(..) of something that is not a map".into()),
        (Some(t), false) => kind_of(&t)?,
        (None, false) => return Err("an empty path".into()),
    };
    Ok(EndpointParamSource::Path { steps, leaf, many })
}

/// The kind of a path's last value: a string or a string enum.
fn kind_of(ty: &Ty) -> Result<ContextKind, String> {
    match ty {
        Ty::String => Ok(ContextKind::Str),
        Ty::Named(n) if n.kind == NamedKind::Enum => Ok(ContextKind::Enum),
        _ => Err("the path does not end on strings".into()),
    }
}
