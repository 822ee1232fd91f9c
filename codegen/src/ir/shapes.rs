//! The shapes pass: each named type of the closure becomes its definition: members
//! with their Rust types resolved through the shape table (lists, maps, aliases of
//! simple types), optionality from `required`/`clientOptional`/`default`, checked
//! defaults, constraints, wire names and HTTP bindings; enums with their values.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::defs::Built;
use super::symbols::shape_name;
use super::traits::{
    CLIENT_OPTIONAL, DEFAULT, ENUM_TRAIT, ENUM_VALUE, HOST_LABEL, IDEMPOTENCY_TOKEN, INPUT,
    REQUIRED, Report, SENSITIVE, SPARSE, deprecation, doc_of, has,
};
use super::{
    Caps, DefId, DefaultValue, Elem, Enum, EnumValue, ErrorInfo, ErrorMessage, Member, Model,
    NamedKind, Presence, Sink, Structure, StructureRole, Symbol, Ty, Union, Variant, http, symbols,
    traits,
};
use crate::diag::Error;
use crate::docs;
use crate::names;
use crate::prelude;
use crate::read::{MemberRef, Shape, SimpleType, Traits};

/// Resolves what a reference to `target` means in Rust. `from` is the referring member
/// id, for errors. `depth` guards against list/map recursion without a structure.
fn resolve_ty(
    model: &Model<'_>,
    out: &mut Sink<'_>,
    from: &str,
    target: &str,
    depth: usize,
) -> Option<Ty> {
    if depth > 32 {
        out.error(
            from,
            Error::InvalidTarget {
                id: from.to_owned(),
                message: "lists/maps nest recursively without a structure or union".into(),
            },
        );
        return None;
    }
    let shape = model.shape(target)?;
    // A named type's reference (its slot and kind) was made when the symbols pass
    // named it; one without had a naming problem, already reported.
    let named = || model.refs.get(target).map(|r| Ty::Named(*r));
    let ty = match shape {
        Shape::Simple(t, s) => match t {
            SimpleType::String if has(&s.traits, ENUM_TRAIT) => named()?,
            SimpleType::Blob => Ty::Blob,
            SimpleType::Boolean => Ty::Boolean,
            SimpleType::String => Ty::String,
            SimpleType::Byte => Ty::Byte,
            SimpleType::Short => Ty::Short,
            SimpleType::Integer => Ty::Integer,
            SimpleType::Long => Ty::Long,
            SimpleType::Float => Ty::Float,
            SimpleType::Double => Ty::Double,
            SimpleType::BigInteger => Ty::BigInteger,
            SimpleType::BigDecimal => Ty::BigDecimal,
            SimpleType::Timestamp => Ty::Timestamp,
            SimpleType::Document => Ty::Document,
        },
        Shape::Enum { .. } => named()?,
        Shape::Structure { .. } if target == prelude::UNIT => Ty::Unit,
        Shape::Structure { .. } => named()?,
        Shape::List(l) => {
            let member_id = format!("{target}$member");
            let mut e = elem(model, out, &member_id, &l.member, depth)?;
            e.sparse = has(&l.traits, SPARSE);
            Ty::List(Box::new(e))
        }
        Shape::Map(m) => {
            let key_id = format!("{target}$key");
            let key = elem(model, out, &key_id, &m.key, depth)?;
            // A named key can only be a string enum (`enum`, or a string with `@enum`).
            let string_key = match &key.ty {
                Ty::String => true,
                Ty::Named(n) => n.kind == NamedKind::Enum,
                _ => false,
            };
            if !string_key {
                out.error(
                    &key_id,
                    Error::InvalidTarget {
                        id: key_id.clone(),
                        message: format!("map keys must be strings, not {}", m.key.target),
                    },
                );
                return None;
            }
            let value_id = format!("{target}$value");
            let mut value = elem(model, out, &value_id, &m.value, depth)?;
            value.sparse = has(&m.traits, SPARSE);
            Ty::Map(Box::new(key), Box::new(value))
        }
        Shape::Service(_) | Shape::Operation(_) | Shape::Resource(_) | Shape::Apply(_) => {
            out.error(
                from,
                Error::InvalidTarget {
                    id: from.to_owned(),
                    message: format!(
                        "targets {target}, a {}, which cannot hold a value",
                        shape.type_name()
                    ),
                },
            );
            return None;
        }
    };
    Some(ty)
}

fn elem(
    model: &Model<'_>,
    out: &mut Sink<'_>,
    id: &str,
    member: &MemberRef,
    depth: usize,
) -> Option<Elem> {
    let ty = resolve_ty(model, out, id, &member.target, depth + 1)?;
    if ty == Ty::Unit {
        out.error(
            id,
            Error::InvalidTarget {
                id: id.to_owned(),
                message: "only union members may target smithy.api#Unit".into(),
            },
        );
        return None;
    }
    let target_traits = model.table.traits(&member.target);
    let at = model.location(id);
    let constraints = traits::constraints(id, target_traits, &member.traits, &at, &mut out.errors);
    let timestamp_format = traits::timestamp_format(id, &member.traits, &at, &mut out.errors)
        .or_else(|| traits::timestamp_format(id, target_traits, &at, &mut out.errors));
    Some(Elem {
        ty,
        constraints,
        timestamp_format,
        sparse: false,
    })
}

/// Member `name` of `owner`; `in_input` when `owner` has `@input`, where a member with
/// a `@default` (and not `@required`) is client-optional: unset, it is not sent and the
/// service applies its default (Smithy's rule for top-level input members).
fn build_member(
    model: &Model<'_>,
    out: &mut Sink<'_>,
    owner: &str,
    name: &str,
    member: &MemberRef,
    in_input: bool,
) -> Option<Member> {
    let id = format!("{owner}${name}");
    let ty = resolve_ty(model, out, &id, &member.target, 0)?;
    let target_traits = model.table.traits(&member.target);
    let traits = &member.traits;
    let at = model.location(&id);
    let constraints = traits::constraints(&id, target_traits, traits, &at, &mut out.errors);
    let required = has(traits, REQUIRED);
    let default = traits::default(traits, target_traits).and_then(|value| {
        let typed = default_value(&ty, value);
        if typed.is_none() {
            out.trait_error(
                &id,
                DEFAULT,
                format!("{value} is not a valid default for this member"),
            );
        }
        typed
    });
    let presence = if has(traits, CLIENT_OPTIONAL) || (in_input && default.is_some() && !required) {
        Presence::Optional
    } else if let Some(value) = default {
        Presence::Default(value)
    } else if required {
        Presence::Required
    } else {
        Presence::Optional
    };
    let wire = if model.json_rpc {
        // awsJson ignores `@jsonName`.
        name.to_owned()
    } else {
        let mut report = Report {
            id: &id,
            at: &at,
            diagnostics: &mut out.errors,
        };
        traits::json_name(traits, &mut report).unwrap_or_else(|| name.to_owned())
    };
    let timestamp_format = traits::timestamp_format(&id, traits, &at, &mut out.errors)
        .or_else(|| traits::timestamp_format(&id, target_traits, &at, &mut out.errors));
    let location = model.location(&id);
    let http = if model.json_rpc {
        // awsJson binds nothing to the head: every member is in the body.
        super::HttpLocation::Body
    } else {
        http::http_location(&id, traits, &location, &mut out.errors)
    };
    let (field, variant, accessors) = symbols::member_names(name);
    Some(Member {
        id: id.clone(),
        name: name.to_owned(),
        field,
        variant,
        accessors,
        wire,
        ty,
        constraints,
        presence,
        required,
        boxed: false,
        docs: doc_of(traits).or_else(|| doc_of(target_traits)),
        http,
        sensitive: has(traits, SENSITIVE) || has(target_traits, SENSITIVE),
        deprecated: deprecation(traits),
        timestamp_format,
        media_type: traits::media_type(target_traits),
        idempotency_token: has(traits, IDEMPOTENCY_TOKEN),
        host_label: has(traits, HOST_LABEL),
        default_fn: None,
    })
}

/// A `@default` value as a value of `ty`, or `None` when it cannot be one.
fn default_value(ty: &Ty, value: &Value) -> Option<DefaultValue> {
    Some(match (ty, value) {
        (Ty::Boolean, Value::Bool(b)) => DefaultValue::Bool(*b),
        (Ty::Byte | Ty::Short | Ty::Integer | Ty::Long, Value::Number(n)) => {
            DefaultValue::Int(n.as_i64()?)
        }
        (Ty::Float | Ty::Double, Value::Number(n)) => DefaultValue::Float(n.as_f64()?),
        (Ty::String, Value::String(s)) => DefaultValue::Str(s.clone()),
        (Ty::Blob, Value::String(s)) => {
            use base64::Engine as _;
            DefaultValue::Blob(base64::engine::general_purpose::STANDARD.decode(s).ok()?)
        }
        (Ty::Named(named), Value::String(s)) if named.kind == NamedKind::Enum => {
            DefaultValue::Str(s.clone())
        }
        (Ty::Named(named), Value::Number(n)) if named.kind == NamedKind::IntEnum => {
            DefaultValue::Int(n.as_i64()?)
        }
        (Ty::List(_), Value::Array(a)) if a.is_empty() => DefaultValue::EmptyList,
        (Ty::Map(..), Value::Object(o)) if o.is_empty() => DefaultValue::EmptyMap,
        (Ty::Document, v) => DefaultValue::Document(v.clone()),
        (Ty::Timestamp, Value::Number(n)) => DefaultValue::Timestamp(n.as_i64()?),
        _ => return None,
    })
}

/// The definition of named type `id` (structure, union or enum), or `None` when a
/// problem was reported.
pub(crate) fn build_def(
    model: &Model<'_>,
    out: &mut Sink<'_>,
    id: &str,
    symbol: Symbol,
) -> Option<Built> {
    let shape = model.shape(id)?;
    let traits = shape.traits();
    let common = Common {
        docs: doc_of(traits),
        deprecated: deprecation(traits),
    };
    match shape {
        &Shape::Structure { union, ref shape } => {
            let members = members(model, out, id, &shape.members, union, has(traits, INPUT));
            if union {
                Some(union_def(id, symbol, common, members))
            } else {
                Some(structure_def(out, id, symbol, common, members, traits))
            }
        }
        &Shape::Enum { int, ref shape } => {
            let variants = enum_variants(out, id, int, &shape.members);
            finish_enum(out, id, symbol, common, int, variants)
        }
        Shape::Simple(SimpleType::String, _) => {
            let variants = legacy_enum_variants(out, id, traits)?;
            finish_enum(out, id, symbol, common, false, variants)
        }
        _ => None,
    }
}

/// What stands in slot `slot` for named type `id` whose definition had a problem (so
/// the later passes run and report theirs; nothing is emitted).
pub(crate) fn stand_in(id: &str, symbol: Symbol, slot: DefId) -> Built {
    let common = Common {
        docs: None,
        deprecated: None,
    };
    match slot {
        DefId::Structure(_) => Built::Structure(Structure {
            id: id.to_owned(),
            symbol,
            docs: None,
            members: Vec::new(),
            error: None,
            caps: ASSUMED_CAPS,
            validates: false,
            sensitive: false,
            deprecated: None,
            role: StructureRole::Plain,
        }),
        DefId::Union(_) => union_def(id, symbol, common, Vec::new()),
        DefId::Enum(_) => Built::Enum(Enum {
            id: id.to_owned(),
            symbol,
            docs: None,
            int: false,
            variants: Vec::new(),
            deprecated: None,
        }),
    }
}

/// What every named definition carries from its traits.
struct Common {
    docs: Option<String>,
    deprecated: Option<String>,
}

/// Optimistic capabilities, until `compute_caps` has seen every member.
const ASSUMED_CAPS: Caps = Caps {
    eq: true,
    hash: true,
    default: true,
};

/// The members of structure or union `id`, their names checked; a structure member
/// targeting Unit is an error.
fn members(
    model: &Model<'_>,
    out: &mut Sink<'_>,
    id: &str,
    shape_members: &indexmap::IndexMap<String, MemberRef>,
    union: bool,
    in_input: bool,
) -> Vec<Member> {
    let mut members = Vec::new();
    for (name, m) in shape_members {
        if let Some(member) = build_member(model, out, id, name, m, in_input) {
            if member.ty == Ty::Unit && !union {
                out.error(
                    &member.id,
                    Error::InvalidTarget {
                        id: member.id.clone(),
                        message: "only union members may target smithy.api#Unit".into(),
                    },
                );
                continue;
            }
            members.push(member);
        }
    }
    symbols::check_field_names(model.table, &members, union, &mut out.errors);
    members
}

fn union_def(id: &str, symbol: Symbol, common: Common, members: Vec<Member>) -> Built {
    Built::Union(Union {
        id: id.to_owned(),
        symbol,
        docs: common.docs,
        members,
        caps: ASSUMED_CAPS,
        validates: false,
        deprecated: common.deprecated,
    })
}

fn structure_def(
    out: &mut Sink<'_>,
    id: &str,
    symbol: Symbol,
    common: Common,
    mut members: Vec<Member>,
    traits: &Traits,
) -> Built {
    symbols::name_default_fns(&symbol, &mut members);
    let error = error_info(out, id, traits, &members);
    Built::Structure(Structure {
        id: id.to_owned(),
        symbol,
        docs: common.docs,
        members,
        role: if error.is_some() {
            StructureRole::Error
        } else {
            StructureRole::Plain
        },
        error,
        caps: ASSUMED_CAPS,
        validates: false,
        sensitive: has(traits, SENSITIVE),
        deprecated: common.deprecated,
    })
}

/// `@error` (with `@httpError` and `@retryable`): what an error structure says of
/// itself; `None` for a structure that is not an error (or whose trait is wrong).
fn error_info(
    out: &mut Sink<'_>,
    id: &str,
    traits: &Traits,
    members: &[Member],
) -> Option<ErrorInfo> {
    let at = out.table.location(id);
    let mut report = Report {
        id,
        at: &at,
        diagnostics: &mut out.errors,
    };
    let server = traits::error_is_server(traits, &mut report)?;
    Some(ErrorInfo {
        server,
        http_status: traits::http_error(traits, &mut report),
        code: shape_name(id).to_owned(),
        message: members
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case("message") && m.ty == Ty::String)
            .map(|m| ErrorMessage {
                field: m.field.clone(),
                optional: m.presence == Presence::Optional,
            }),
        retryable: traits::retryable(traits),
    })
}

/// The variants of a Smithy 2.0 `enum` or `intEnum`; a wrong `@enumValue` is an error.
fn enum_variants(
    out: &mut Sink<'_>,
    id: &str,
    int: bool,
    shape_members: &indexmap::IndexMap<String, MemberRef>,
) -> Vec<Variant> {
    let mut variants = Vec::new();
    for (name, m) in shape_members {
        let member_id = format!("{id}${name}");
        let value = match (int, traits::enum_value(&m.traits)) {
            (false, None) => EnumValue::Str(name.clone()),
            (false, Some(Value::String(s))) => EnumValue::Str(s.clone()),
            (true, Some(Value::Number(n)))
                if n.as_i64().and_then(|v| i32::try_from(v).ok()).is_some() =>
            {
                EnumValue::Int(
                    n.as_i64()
                        .and_then(|v| i32::try_from(v).ok())
                        .unwrap_or_default(),
                )
            }
            (_, other) => {
                let expected = if int { "a 32-bit integer" } else { "a string" };
                out.trait_error(
                    &member_id,
                    ENUM_VALUE,
                    format!(
                        "{} is not {expected}",
                        other.map_or("missing".to_owned(), Value::to_string)
                    ),
                );
                continue;
            }
        };
        variants.push(Variant {
            name: names::pascal(name),
            value,
            docs: doc_of(&m.traits),
            deprecated: deprecation(&m.traits),
        });
    }
    variants
}

/// The variants of a Smithy 1.0 string with the `@enum` trait; `None` when the trait
/// is not a list.
fn legacy_enum_variants(out: &mut Sink<'_>, id: &str, traits: &Traits) -> Option<Vec<Variant>> {
    let Some(Value::Array(entries)) = traits::legacy_enum(traits) else {
        out.trait_error(id, ENUM_TRAIT, "value must be a list of enum definitions");
        return None;
    };
    let mut variants = Vec::new();
    for entry in entries {
        let Some(value) = entry.get("value").and_then(Value::as_str) else {
            out.trait_error(
                id,
                ENUM_TRAIT,
                format!("entry {entry} has no string `value`"),
            );
            continue;
        };
        let name = entry.get("name").and_then(Value::as_str).unwrap_or(value);
        variants.push(Variant {
            name: names::pascal(name),
            value: EnumValue::Str(value.to_owned()),
            docs: entry
                .get("documentation")
                .and_then(Value::as_str)
                .and_then(docs::to_markdown),
            deprecated: entry
                .get("deprecated")
                .and_then(Value::as_bool)
                .filter(|d| *d)
                .map(|_| String::new()),
        });
    }
    Some(variants)
}

fn finish_enum(
    out: &mut Sink<'_>,
    id: &str,
    symbol: Symbol,
    common: Common,
    int: bool,
    mut variants: Vec<Variant>,
) -> Option<Built> {
    // `Unknown` is the catch-all; a model value that maps to it is renamed.
    for v in &mut variants {
        if v.name == "Unknown" {
            v.name = "UnknownValue".to_owned();
        }
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut values: BTreeSet<String> = BTreeSet::new();
    for v in &variants {
        let shown = match &v.value {
            EnumValue::Str(s) => s.clone(),
            EnumValue::Int(i) => i.to_string(),
        };
        if let Some(other) = seen.get(&v.name) {
            out.error(
                id,
                Error::NameCollision {
                    id: format!("{id} value {shown:?}"),
                    name: v.name.clone(),
                    other: format!("value {other:?}"),
                },
            );
        }
        if !values.insert(shown.clone()) {
            out.error(
                id,
                Error::InvalidShape {
                    id: id.to_owned(),
                    message: format!("enum value {shown:?} is listed twice"),
                },
            );
        }
        seen.insert(v.name.clone(), shown);
    }
    Some(Built::Enum(Enum {
        id: id.to_owned(),
        symbol,
        docs: common.docs,
        int,
        variants,
        deprecated: common.deprecated,
    }))
}

#[cfg(test)]
mod tests {
    use super::default_value;
    use crate::ir::testing::lowered;
    use crate::ir::{Ir, Member, Presence, Ty};

    fn members<'a>(ir: &'a Ir, id: &str) -> &'a [Member] {
        match ir.defs.find_structure(id) {
            Some(s) => &s.members,
            None => panic!("{id} is not a structure"),
        }
    }

    #[test]
    fn optionality_comes_from_required_client_optional_and_default() {
        let ir = lowered(
            r#"{"smithy": "2.0", "shapes": {
                "ex#Thing": {"type": "structure", "members": {
                    "Id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
                    "Loose": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#clientOptional": {}}},
                    "Size": {"target": "ex#Size", "traits": {"smithy.api#default": 3}},
                    "Note": {"target": "ex#Text", "traits": {"smithy.api#jsonName": "note"}}
                }},
                "ex#Size": {"type": "integer"},
                "ex#Text": {"type": "string", "traits": {"smithy.api#length": {"max": 9}}}
            }}"#,
        )
        .unwrap();
        let m = members(&ir, "ex#Thing");
        assert_eq!(m[0].presence, Presence::Required);
        assert_eq!(m[1].presence, Presence::Optional, "clientOptional wins");
        assert!(m[1].required, "and validate() still checks it");
        assert!(matches!(&m[2].presence, Presence::Default(_)));
        assert_eq!(
            m[2].ty,
            Ty::Integer,
            "an alias of a simple type is that type"
        );
        assert_eq!(
            (m[3].ty.clone(), m[3].wire.as_str(), m[3].constraints.length),
            (Ty::String, "note", Some((None, Some(9)))),
            "the wire name and the target's constraints"
        );
    }

    #[test]
    fn defaults_are_typed_by_their_member() {
        use crate::ir::DefaultValue as D;
        use crate::ir::testing::list_of;
        use serde_json::json;
        let ir = lowered(
            r#"{"smithy": "2.0", "shapes": {
                "ex#Thing": {"type": "structure", "members": {"level": {"target": "ex#Level"}}},
                "ex#Level": {"type": "intEnum", "members": {
                    "LOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}}}
            }}"#,
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        let int_enum = members(&ir, "ex#Thing")[0].ty.clone();
        let cases = [
            (Ty::Integer, json!(7), Some(D::Int(7))),
            (Ty::Double, json!(7), Some(D::Float(7.0))),
            (Ty::Double, json!(0.5), Some(D::Float(0.5))),
            (Ty::Integer, json!(0.5), None),
            (Ty::String, json!("x"), Some(D::Str("x".into()))),
            (Ty::String, json!(1), None),
            (int_enum, json!(2), Some(D::Int(2))),
            (list_of(Ty::String), json!([]), Some(D::EmptyList)),
            (list_of(Ty::String), json!(["a"]), None),
            (Ty::Timestamp, json!(0), Some(D::Timestamp(0))),
            (
                Ty::Document,
                json!({"a": 1}),
                Some(D::Document(json!({"a": 1}))),
            ),
        ];
        for (ty, value, expected) in cases {
            assert_eq!(default_value(&ty, &value), expected, "{ty:?} {value}");
        }
        assert!(D::Document(json!(null)).is_zero());
        assert!(!D::Float(0.5).is_zero());
    }

    /// A member's `@default(null)` takes its target's default away: a required member
    /// stays required (AppConfig's `DeploymentDurationInMinutes`).
    #[test]
    fn a_null_default_on_the_member_removes_the_target_default() {
        let ir = lowered(
            r#"{"smithy": "2.0", "shapes": {
                "ex#Thing": {"type": "structure", "members": {
                    "Minutes": {"target": "ex#Minutes",
                                "traits": {"smithy.api#required": {}, "smithy.api#default": null}},
                    "Plain": {"target": "ex#Minutes"}
                }},
                "ex#Minutes": {"type": "integer", "traits": {"smithy.api#default": 0}}
            }}"#,
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        let m = members(&ir, "ex#Thing");
        assert_eq!(m[0].presence, Presence::Required);
        assert!(
            matches!(m[1].presence, Presence::Default(_)),
            "the target's default"
        );
    }

    #[test]
    fn a_default_that_does_not_fit_its_type_is_refused() {
        let errors = lowered(
            r#"{"smithy": "2.0", "shapes": {
                "ex#Thing": {"type": "structure", "members": {
                    "Size": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": "three"}}
                }}
            }}"#,
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("ex#Thing$Size: "), "{}", errors[0]);
    }
}
