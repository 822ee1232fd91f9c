//! The named types' table: structures, unions and enums, each kind in a vector of its
//! own, referred to by small copyable ids. An id is only ever made for a slot of its
//! own kind, so every lookup by id is an index that cannot miss.

use super::{Caps, Enum, Member, NamedKind, Structure, Symbol, Ty, Union, graph};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);

        impl $name {
            fn index(self) -> usize {
                self.0 as usize
            }

            fn at(index: usize) -> Self {
                Self(u32::try_from(index).expect("fewer than 2^32 definitions"))
            }
        }
    };
}

id_type!(
    /// A structure's id: its slot in [`Defs`].
    StructureId
);
id_type!(
    /// A union's id: its slot in [`Defs`].
    UnionId
);
id_type!(
    /// An enum's id: its slot in [`Defs`].
    EnumId
);

/// Any named type's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DefId {
    /// A structure.
    Structure(StructureId),
    /// A union.
    Union(UnionId),
    /// An enum (string or int).
    Enum(EnumId),
}

/// A named Rust type, borrowed from [`Defs`].
#[derive(Clone, Copy, Debug)]
pub enum Def<'a> {
    /// A structure (also inputs, outputs, errors).
    Structure(&'a Structure),
    /// A union (a Rust enum with data).
    Union(&'a Union),
    /// An enum (string or int).
    Enum(&'a Enum),
}

impl<'a> Def<'a> {
    /// The Rust symbol.
    pub fn symbol(self) -> &'a Symbol {
        match self {
            Def::Structure(s) => &s.symbol,
            Def::Union(u) => &u.symbol,
            Def::Enum(e) => &e.symbol,
        }
    }

    /// The shape id.
    pub fn id(self) -> &'a str {
        match self {
            Def::Structure(s) => &s.id,
            Def::Union(u) => &u.id,
            Def::Enum(e) => &e.id,
        }
    }

    /// The members of a structure or union (none for an enum).
    pub fn members(self) -> &'a [Member] {
        match self {
            Def::Structure(s) => &s.members,
            Def::Union(u) => &u.members,
            Def::Enum(_) => &[],
        }
    }
}

/// Every named Rust type of the crate.
#[derive(Clone, Debug, Default)]
pub struct Defs {
    structures: Vec<Structure>,
    unions: Vec<Union>,
    enums: Vec<Enum>,
    /// Every id, ordered by shape id (the order of emission).
    order: Vec<DefId>,
}

impl Defs {
    /// Structure `id`.
    pub fn structure(&self, id: StructureId) -> &Structure {
        &self.structures[id.index()]
    }

    /// Union `id`.
    pub fn union(&self, id: UnionId) -> &Union {
        &self.unions[id.index()]
    }

    /// Enum `id`.
    pub fn enumeration(&self, id: EnumId) -> &Enum {
        &self.enums[id.index()]
    }

    /// Definition `id`.
    pub fn get(&self, id: DefId) -> Def<'_> {
        match id {
            DefId::Structure(s) => Def::Structure(self.structure(s)),
            DefId::Union(u) => Def::Union(self.union(u)),
            DefId::Enum(e) => Def::Enum(self.enumeration(e)),
        }
    }

    /// Every definition with its id, ordered by shape id.
    pub fn iter(&self) -> impl Iterator<Item = (DefId, Def<'_>)> + '_ {
        self.order.iter().map(|&id| (id, self.get(id)))
    }

    /// The definition of shape `shape_id`, if it is one (a search, for tests that
    /// start from a model's name; the passes hold ids).
    #[cfg(test)]
    pub fn find(&self, shape_id: &str) -> Option<DefId> {
        self.order
            .binary_search_by(|&id| self.get(id).id().cmp(shape_id))
            .ok()
            .map(|i| self.order[i])
    }

    /// The structure of shape `shape_id`, if it is one (as [`Defs::find`]).
    #[cfg(test)]
    pub fn find_structure(&self, shape_id: &str) -> Option<&Structure> {
        match self.find(shape_id)? {
            DefId::Structure(s) => Some(self.structure(s)),
            _ => None,
        }
    }

    /// Where definition `id` lives and what it is called.
    pub fn symbol(&self, id: DefId) -> &Symbol {
        self.get(id).symbol()
    }

    /// What a value of `ty` supports (`Eq`, `Hash`, `Default`).
    pub fn caps(&self, ty: &Ty) -> Caps {
        graph::ty_caps(ty, &|named| graph::caps_of(self, named.id))
    }

    /// Whether validating a value of `ty` can find anything.
    pub fn validates(&self, ty: &Ty) -> bool {
        graph::ty_validates(ty, &|named| graph::validates_of(self, named.id))
    }

    /// Whether `validate()` has anything to check for member `m`.
    pub fn member_validates(&self, m: &Member) -> bool {
        graph::member_validates(m, &|named| graph::validates_of(self, named.id))
    }

    /// Structure `id`, to change.
    pub(super) fn structure_mut(&mut self, id: StructureId) -> &mut Structure {
        &mut self.structures[id.index()]
    }

    /// What the graph passes change in structure or union `id` (an enum has none of it).
    fn parts_mut(&mut self, id: DefId) -> Option<PartsMut<'_>> {
        let (caps, validates, members) = match id {
            DefId::Structure(s) => {
                let s = &mut self.structures[s.index()];
                (&mut s.caps, &mut s.validates, &mut s.members)
            }
            DefId::Union(u) => {
                let u = &mut self.unions[u.index()];
                (&mut u.caps, &mut u.validates, &mut u.members)
            }
            DefId::Enum(_) => return None,
        };
        Some(PartsMut {
            caps,
            validates,
            members,
        })
    }

    /// Sets what structure or union `id` supports (an enum's are fixed); whether that
    /// changed anything.
    pub(super) fn set_caps(&mut self, id: DefId, caps: Caps) -> bool {
        self.parts_mut(id)
            .is_some_and(|p| std::mem::replace(p.caps, caps) != caps)
    }

    /// Sets whether validating structure or union `id` can find anything (never for
    /// an enum); whether that changed anything.
    pub(super) fn set_validates(&mut self, id: DefId, validates: bool) -> bool {
        self.parts_mut(id)
            .is_some_and(|p| std::mem::replace(p.validates, validates) != validates)
    }

    /// The members of structure or union `id`, to change (none for an enum).
    pub(super) fn members_mut(&mut self, id: DefId) -> &mut [Member] {
        self.parts_mut(id).map_or(&mut [], |p| p.members)
    }

    /// Every id, ordered by shape id.
    pub(super) fn ids(&self) -> &[DefId] {
        &self.order
    }
}

/// The fields of a structure or a union that the graph passes compute.
struct PartsMut<'a> {
    caps: &'a mut Caps,
    validates: &'a mut bool,
    members: &'a mut Vec<Member>,
}

/// A definition as the shapes pass builds it, before it has its slot.
#[derive(Clone, Debug)]
pub(crate) enum Built {
    Structure(Structure),
    Union(Union),
    Enum(Enum),
}

/// Slots reserved for definitions (so references can be made before what they
/// refer to is built), then filled.
#[derive(Debug, Default)]
pub(crate) struct DefsBuilder {
    structures: Vec<Option<Structure>>,
    unions: Vec<Option<Union>>,
    enums: Vec<Option<Enum>>,
}

impl DefsBuilder {
    /// A new slot for a type of `kind`, and the reference to it.
    pub(crate) fn reserve(&mut self, kind: NamedKind) -> DefId {
        match kind {
            NamedKind::Structure => {
                self.structures.push(None);
                DefId::Structure(StructureId::at(self.structures.len() - 1))
            }
            NamedKind::Union => {
                self.unions.push(None);
                DefId::Union(UnionId::at(self.unions.len() - 1))
            }
            NamedKind::Enum | NamedKind::IntEnum => {
                self.enums.push(None);
                DefId::Enum(EnumId::at(self.enums.len() - 1))
            }
        }
    }

    /// Fills slot `id`. A definition of another kind than its slot is a generator bug:
    /// a slot's kind and a definition's both come from the shape's type.
    pub(crate) fn fill(&mut self, id: DefId, def: Built) {
        match (id, def) {
            (DefId::Structure(i), Built::Structure(s)) => self.structures[i.index()] = Some(s),
            (DefId::Union(i), Built::Union(u)) => self.unions[i.index()] = Some(u),
            (DefId::Enum(i), Built::Enum(e)) => self.enums[i.index()] = Some(e),
            (id, _) => panic!("generator bug: a definition of another kind for slot {id:?}"),
        }
    }

    /// The table. Every reserved slot must have been filled (a definition, or a stand-in
    /// where building one reported a problem); an empty one is a generator bug.
    pub(crate) fn finish(self) -> Defs {
        fn take<T>(slots: Vec<Option<T>>) -> Vec<T> {
            slots
                .into_iter()
                .map(|slot| slot.expect("generator bug: a reserved slot was never filled"))
                .collect()
        }
        let (structures, unions, enums) =
            (take(self.structures), take(self.unions), take(self.enums));
        let mut defs = Defs {
            structures,
            unions,
            enums,
            order: Vec::new(),
        };
        let mut order: Vec<DefId> = (0..defs.structures.len())
            .map(|i| DefId::Structure(StructureId::at(i)))
            .chain((0..defs.unions.len()).map(|i| DefId::Union(UnionId::at(i))))
            .chain((0..defs.enums.len()).map(|i| DefId::Enum(EnumId::at(i))))
            .collect();
        order.sort_by(|&a, &b| defs.get(a).id().cmp(defs.get(b).id()));
        defs.order = order;
        defs
    }
}

/// A table built by hand for a pass's unit test: `build` makes the definitions, naming
/// what members refer to with the function it is given (`named("ex#Thing")`).
#[cfg(test)]
pub(crate) fn hand_built(build: impl Fn(&dyn Fn(&str) -> Ty) -> Vec<Built>) -> Defs {
    use super::NamedRef;
    use std::collections::BTreeMap;
    let placeholder = |_: &str| {
        Ty::Named(NamedRef {
            id: DefId::Structure(StructureId(0)),
            kind: NamedKind::Structure,
        })
    };
    let mut kinds: Vec<(String, NamedKind)> = build(&placeholder)
        .iter()
        .map(|def| match def {
            Built::Structure(s) => (s.id.clone(), NamedKind::Structure),
            Built::Union(u) => (u.id.clone(), NamedKind::Union),
            Built::Enum(e) if e.int => (e.id.clone(), NamedKind::IntEnum),
            Built::Enum(e) => (e.id.clone(), NamedKind::Enum),
        })
        .collect();
    kinds.sort();
    let mut builder = DefsBuilder::default();
    let refs: BTreeMap<String, NamedRef> = kinds
        .into_iter()
        .map(|(id, kind)| {
            let slot = builder.reserve(kind);
            (id, NamedRef { id: slot, kind })
        })
        .collect();
    let named = |id: &str| Ty::Named(refs[id]);
    for def in build(&named) {
        let id = match &def {
            Built::Structure(s) => &s.id,
            Built::Union(u) => &u.id,
            Built::Enum(e) => &e.id,
        };
        let slot = refs[id.as_str()].id;
        builder.fill(slot, def);
    }
    builder.finish()
}
