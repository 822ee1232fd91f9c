//! The type-graph pass, run once every definition is built: boxes the members that make
//! a type recursive, and settles by fixed point which derives each type supports
//! (`Eq`, `Hash`, `Default`) and whether `validate()` has anything to check in it. It
//! sees only the definitions table, never the raw model.

use std::collections::HashMap;

use super::{Caps, DefId, Defs, Member, NamedRef, Presence, Ty};

/// Boxes every member whose target is in the same strongly connected component of the
/// structure/union graph (Tarjan), so recursive types have a finite size.
pub(crate) fn box_recursive_members(defs: &mut Defs) {
    let ids: Vec<DefId> = defs.ids().to_vec();
    let index_of: HashMap<DefId, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let edges: Vec<Vec<usize>> = ids
        .iter()
        .map(|&id| {
            defs.get(id)
                .members()
                .iter()
                .filter_map(|m| match &m.ty {
                    Ty::Named(t) if !matches!(t.id, DefId::Enum(_)) => index_of.get(&t.id).copied(),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let component = tarjan(&edges);
    for (i, &id) in ids.iter().enumerate() {
        for m in defs.members_mut(id) {
            if let Ty::Named(t) = &m.ty
                && let Some(&j) = index_of.get(&t.id)
                && component[j] == component[i]
                && edges[i].contains(&j)
            {
                m.boxed = true;
            }
        }
    }
}

/// Strongly connected components; returns a component index per node.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    struct State<'a> {
        edges: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        component: Vec<usize>,
        components: usize,
    }
    fn visit(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in &s.edges[v] {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                s.component[w] = s.components;
                if w == v {
                    break;
                }
            }
            s.components += 1;
        }
    }
    let n = edges.len();
    let mut s = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        component: vec![0; n],
        components: 0,
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.component
}

/// What a value of `ty` supports, given what each named type supports.
pub(crate) fn ty_caps(ty: &Ty, named: &dyn Fn(&NamedRef) -> Caps) -> Caps {
    match ty {
        Ty::Blob
        | Ty::Boolean
        | Ty::String
        | Ty::Byte
        | Ty::Short
        | Ty::Integer
        | Ty::Long
        | Ty::Timestamp
        | Ty::Unit => Caps {
            eq: true,
            hash: true,
            default: true,
        },
        Ty::Float | Ty::Double => Caps {
            eq: false,
            hash: false,
            default: true,
        },
        Ty::BigInteger | Ty::BigDecimal => Caps {
            eq: true,
            hash: true,
            default: false,
        },
        Ty::Document => Caps {
            eq: true,
            hash: false,
            default: true,
        },
        Ty::Named(n) => named(n),
        Ty::List(e) => Caps {
            default: true,
            ..ty_caps(&e.ty, named)
        },
        Ty::Map(k, v) => {
            let (k, v) = (ty_caps(&k.ty, named), ty_caps(&v.ty, named));
            Caps {
                eq: k.eq && v.eq,
                hash: false,
                default: true,
            }
        }
    }
}

/// What a value of named type `id` supports, by the definitions table as it stands.
pub(crate) fn caps_of(defs: &Defs, id: DefId) -> Caps {
    match id {
        DefId::Structure(s) => defs.structure(s).caps,
        DefId::Union(u) => Caps {
            default: false,
            ..defs.union(u).caps
        },
        DefId::Enum(_) => Caps {
            eq: true,
            hash: true,
            default: false,
        },
    }
}

/// Whether validating a value of named type `id` can find anything, by the table.
pub(crate) fn validates_of(defs: &Defs, id: DefId) -> bool {
    match id {
        DefId::Structure(s) => defs.structure(s).validates,
        DefId::Union(u) => defs.union(u).validates,
        DefId::Enum(_) => false,
    }
}

/// Fixed point over the type graph: a structure is `Eq`/`Hash`/`Default` when all its
/// members are (recursive references are assumed to be until shown otherwise); a union
/// is `Eq`/`Hash` when all its variants are, and never `Default`.
pub(crate) fn compute_caps(defs: &mut Defs) {
    let ids = defs.ids().to_vec();
    loop {
        let mut changed = false;
        for &id in &ids {
            let structure = matches!(id, DefId::Structure(_));
            let mut caps = Caps {
                eq: true,
                hash: true,
                default: structure,
            };
            for m in defs.get(id).members() {
                let c = defs.caps(&m.ty);
                caps.eq &= c.eq;
                caps.hash &= c.hash;
                caps.default &= match m.presence {
                    Presence::Required => c.default,
                    Presence::Optional | Presence::Default(_) => true,
                };
            }
            changed |= defs.set_caps(id, caps);
        }
        if !changed {
            break;
        }
    }
}

/// Whether validating a value of `ty` can find anything, given the named types' answer.
pub(crate) fn ty_validates(ty: &Ty, named: &dyn Fn(&NamedRef) -> bool) -> bool {
    match ty {
        Ty::Named(n) => named(n),
        Ty::List(e) => e.constraints.checked() || ty_validates(&e.ty, named),
        Ty::Map(k, v) => {
            k.constraints.checked() || v.constraints.checked() || ty_validates(&v.ty, named)
        }
        _ => false,
    }
}

/// Whether `validate()` has anything to check for a member.
pub(crate) fn member_validates(m: &Member, named: &dyn Fn(&NamedRef) -> bool) -> bool {
    m.constraints.checked()
        || (m.required && m.presence == Presence::Optional)
        || ty_validates(&m.ty, named)
}

/// Fixed point: a structure or union validates when any member has something to
/// check, directly or in what it holds.
pub(crate) fn compute_validation(defs: &mut Defs) {
    let ids = defs.ids().to_vec();
    loop {
        let mut changed = false;
        for &id in &ids {
            let validates = defs
                .get(id)
                .members()
                .iter()
                .any(|m| defs.member_validates(m));
            changed |= defs.set_validates(id, validates);
        }
        if !changed {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::defs::hand_built;
    use crate::ir::testing::{list_of, map_of, member, structure, union};

    fn find(defs: &Defs, id: &str) -> DefId {
        defs.find(id).expect("a definition")
    }

    fn boxed(defs: &Defs, id: &str) -> Vec<(String, bool)> {
        defs.get(find(defs, id))
            .members()
            .iter()
            .map(|m| (m.name.clone(), m.boxed))
            .collect()
    }

    fn caps(defs: &Defs, id: &str) -> Caps {
        match find(defs, id) {
            DefId::Structure(s) => defs.structure(s).caps,
            DefId::Union(u) => defs.union(u).caps,
            DefId::Enum(_) => panic!("{id} is an enum"),
        }
    }

    #[test]
    fn tarjan_groups_cycles_and_leaves_the_rest_alone() {
        // 0 -> 1 -> 0 (a cycle), 2 -> 0 (reaches it, not in it), 3 -> 3 (a self-loop).
        let c = tarjan(&[vec![1], vec![0], vec![0], vec![3]]);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[2], c[0]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[3], c[2]);
    }

    #[test]
    fn references_answer_with_what_they_name() {
        let mut defs = hand_built(|named| {
            let mut limited = member("n", Ty::Integer);
            limited.constraints.range = Some((None, None));
            vec![
                structure(
                    "ex#Holder",
                    vec![
                        member("direct", named("ex#Weighed")),
                        member("listed", list_of(named("ex#Checked"))),
                    ],
                ),
                structure("ex#Weighed", vec![member("w", Ty::Double)]),
                structure("ex#Checked", vec![limited]),
            ]
        });
        compute_caps(&mut defs);
        compute_validation(&mut defs);
        let holder = defs.get(find(&defs, "ex#Holder")).members();
        assert!(
            !defs.caps(&holder[0].ty).eq,
            "a structure holding a float is not Eq"
        );
        assert!(!defs.validates(&holder[0].ty));
        assert!(
            defs.validates(&holder[1].ty),
            "the listed structure has a range"
        );
        assert!(defs.member_validates(&holder[1]));
        assert!(defs.caps(&holder[1].ty).eq);
    }

    #[test]
    fn only_members_on_a_cycle_are_boxed() {
        let mut defs = hand_built(|named| {
            vec![
                structure(
                    "ex#Tree",
                    vec![
                        member("left", named("ex#Tree")),
                        member("kids", list_of(named("ex#Tree"))),
                        member("leaf", named("ex#Leaf")),
                    ],
                ),
                structure("ex#Leaf", vec![member("v", Ty::String)]),
                // Mutual recursion through a union.
                structure("ex#A", vec![member("b", named("ex#B"))]),
                union("ex#B", vec![member("a", named("ex#A"))]),
            ]
        });
        box_recursive_members(&mut defs);
        assert_eq!(
            boxed(&defs, "ex#Tree"),
            [
                ("left".to_owned(), true),
                // A Vec is already of finite size.
                ("kids".to_owned(), false),
                ("leaf".to_owned(), false),
            ]
        );
        assert_eq!(boxed(&defs, "ex#A"), [("b".to_owned(), true)]);
        assert_eq!(boxed(&defs, "ex#B"), [("a".to_owned(), true)]);
        assert_eq!(boxed(&defs, "ex#Leaf"), [("v".to_owned(), false)]);
    }

    #[test]
    fn capabilities_settle_by_fixed_point() {
        let mut defs = hand_built(|named| {
            vec![
                // A float anywhere below takes Eq and Hash away, through two levels.
                structure("ex#Outer", vec![member("inner", named("ex#Inner"))]),
                structure("ex#Inner", vec![member("x", Ty::Double)]),
                // A map takes Hash away but keeps Eq.
                structure(
                    "ex#Tagged",
                    vec![member("tags", map_of(Ty::String, Ty::String))],
                ),
                // A required union member has no Default; an optional one does.
                structure(
                    "ex#NeedsChoice",
                    vec![Member {
                        presence: Presence::Required,
                        ..member("c", named("ex#Choice"))
                    }],
                ),
                structure("ex#MaybeChoice", vec![member("c", named("ex#Choice"))]),
                union("ex#Choice", vec![member("s", Ty::String)]),
                // Recursion alone takes nothing away.
                structure("ex#Tree", vec![member("left", named("ex#Tree"))]),
            ]
        });
        compute_caps(&mut defs);
        let c = |eq, hash, default| Caps { eq, hash, default };
        assert_eq!(caps(&defs, "ex#Inner"), c(false, false, true));
        assert_eq!(caps(&defs, "ex#Outer"), c(false, false, true));
        assert_eq!(caps(&defs, "ex#Tagged"), c(true, false, true));
        assert_eq!(caps(&defs, "ex#NeedsChoice"), c(true, true, false));
        assert_eq!(caps(&defs, "ex#MaybeChoice"), c(true, true, true));
        assert_eq!(caps(&defs, "ex#Choice"), c(true, true, false));
        assert_eq!(caps(&defs, "ex#Tree"), c(true, true, true));
    }

    #[test]
    fn validation_is_needed_where_a_constraint_is_reachable() {
        let mut defs = hand_built(|named| {
            let mut bounded = member("name", Ty::String);
            bounded.constraints.length = Some((Some(1), None));
            let mut required_optional = member("id", Ty::String);
            required_optional.required = true;
            vec![
                structure("ex#Top", vec![member("mid", list_of(named("ex#Mid")))]),
                structure("ex#Mid", vec![bounded]),
                structure("ex#Loose", vec![required_optional]),
                structure("ex#Plain", vec![member("x", Ty::String)]),
                structure("ex#Tree", vec![member("left", named("ex#Tree"))]),
            ]
        });
        compute_validation(&mut defs);
        let validates = |id: &str| defs.find_structure(id).expect("a structure").validates;
        assert!(validates("ex#Mid"), "a length constraint");
        assert!(validates("ex#Top"), "through a list of Mid");
        assert!(
            validates("ex#Loose"),
            "@required with @clientOptional is checked"
        );
        assert!(!validates("ex#Plain"));
        assert!(!validates("ex#Tree"), "recursion alone checks nothing");
    }
}
