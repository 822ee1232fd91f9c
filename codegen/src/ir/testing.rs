//! Small hand-built IR pieces and inline models for the passes' unit tests.

use super::defs::Built;
use super::{
    Caps, Constraints, Elem, HttpLocation, Ir, Member, Presence, Structure, Symbol, Ty, Union,
    lower,
};
use crate::Input;
use crate::read::{self, Source};

/// The parsed source of an inline JSON AST model named `name`.
pub fn source(name: &str, json: &str) -> Source {
    read::parse(&Input {
        name: name.into(),
        text: json.into(),
    })
    .expect("the test model parses")
}

/// An inline model through every pass: the IR, or each problem's message.
pub fn lowered(json: &str) -> Result<Ir, Vec<String>> {
    lower(vec![source("m.json", json)]).map_err(|d| d.iter().map(|d| d.error.to_string()).collect())
}

/// Capabilities before the graph pass has looked.
pub const OPTIMISTIC: Caps = Caps {
    eq: true,
    hash: true,
    default: true,
};

/// An optional member `name` of type `ty`, in the body.
pub fn member(name: &str, ty: Ty) -> Member {
    Member {
        id: format!("ex#S${name}"),
        name: name.to_owned(),
        field: name.to_lowercase(),
        variant: name.to_owned(),
        accessors: super::Accessors {
            set: format!("set_{}", name.to_lowercase()),
            get: format!("get_{}", name.to_lowercase()),
        },
        wire: name.to_owned(),
        ty,
        constraints: Constraints::default(),
        presence: Presence::Optional,
        required: false,
        boxed: false,
        docs: None,
        http: HttpLocation::Body,
        sensitive: false,
        deprecated: None,
        timestamp_format: None,
        media_type: None,
        idempotency_token: false,
        host_label: false,
        default_fn: None,
    }
}

fn elem(ty: Ty) -> Box<Elem> {
    Box::new(Elem {
        ty,
        constraints: Constraints::default(),
        timestamp_format: None,
        sparse: false,
    })
}

/// A list of `ty`.
pub fn list_of(ty: Ty) -> Ty {
    Ty::List(elem(ty))
}

/// A map from `key` to `value`.
pub fn map_of(key: Ty, value: Ty) -> Ty {
    Ty::Map(elem(key), elem(value))
}

fn symbol(id: &str) -> Symbol {
    Symbol {
        module: vec!["types".into()],
        name: id.rsplit('#').next().unwrap_or(id).to_owned(),
    }
}

/// Structure `id` with `members`, as the shapes pass leaves it.
pub fn plain_structure(id: &str, members: Vec<Member>) -> Structure {
    Structure {
        id: id.to_owned(),
        symbol: symbol(id),
        docs: None,
        members,
        error: None,
        caps: OPTIMISTIC,
        validates: false,
        sensitive: false,
        deprecated: None,
        role: super::StructureRole::Plain,
    }
}

/// Structure `id` with `members`, for [`super::defs::hand_built`].
pub fn structure(id: &str, members: Vec<Member>) -> Built {
    Built::Structure(plain_structure(id, members))
}

/// Union `id` with `members`, for [`super::defs::hand_built`].
pub fn union(id: &str, members: Vec<Member>) -> Built {
    Built::Union(Union {
        id: id.to_owned(),
        symbol: symbol(id),
        docs: None,
        members,
        caps: OPTIMISTIC,
        validates: false,
        deprecated: None,
    })
}
