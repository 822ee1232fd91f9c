//! The type-graph pass, run once every definition is built: boxes the members that make
//! a type recursive, and settles by fixed point which derives each type supports
//! (`Eq`, `Hash`, `Default`) and whether `validate()` has anything to check in it. It
//! sees only the definitions table, never the raw model.

use std::collections::{BTreeMap, HashMap};

use super::{Caps, Def, Elem, Member, NamedRef, Presence, Ty};

/// Boxes every member whose target is in the same strongly connected component of the
/// structure/union graph (Tarjan), so recursive types have a finite size.
pub(crate) fn box_recursive_members(defs: &mut BTreeMap<String, Def>) {
    let ids: Vec<String> = defs.keys().cloned().collect();
    let index_of: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = ids
        .iter()
        .map(|id| {
            let members = match &defs[id] {
                Def::Structure(s) => &s.members,
                Def::Union(u) => &u.members,
                Def::Enum(_) => return Vec::new(),
            };
            members
                .iter()
                .filter_map(|m| match &m.ty {
                    Ty::Named(t) => index_of.get(t.id.as_str()).copied(),
                    _ => None,
                })
                .filter(|&t| matches!(defs[&ids[t]], Def::Structure(_) | Def::Union(_)))
                .collect()
        })
        .collect();
    let component = tarjan(&edges);
    for (i, id) in ids.iter().enumerate() {
        let members = match defs.get_mut(id) {
            Some(Def::Structure(s)) => &mut s.members,
            Some(Def::Union(u)) => &mut u.members,
            _ => continue,
        };
        for m in members {
            if let Ty::Named(t) = &m.ty
                && let Some(&j) = index_of.get(t.id.as_str())
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

/// What a value of the named type supports, by the definitions table as it stands.
fn caps_in(defs: &BTreeMap<String, Def>, id: &str) -> Caps {
    match defs.get(id) {
        Some(Def::Structure(s)) => s.caps,
        Some(Def::Union(u)) => Caps {
            default: false,
            ..u.caps
        },
        Some(Def::Enum(_)) | None => Caps {
            eq: true,
            hash: true,
            default: false,
        },
    }
}

/// Whether validating a value of the named type can find anything, by the table.
fn validates_in(defs: &BTreeMap<String, Def>, id: &str) -> bool {
    match defs.get(id) {
        Some(Def::Structure(s)) => s.validates,
        Some(Def::Union(u)) => u.validates,
        _ => false,
    }
}

/// Fixed point over the type graph: a structure is `Eq`/`Hash`/`Default` when all its
/// members are (recursive references are assumed to be until shown otherwise).
pub(crate) fn compute_caps(defs: &mut BTreeMap<String, Def>) {
    loop {
        let mut changed = false;
        let ids: Vec<String> = defs.keys().cloned().collect();
        for id in ids {
            let new = match &defs[&id] {
                Def::Structure(s) => {
                    let mut caps = Caps {
                        eq: true,
                        hash: true,
                        default: true,
                    };
                    for m in &s.members {
                        let c = ty_caps(&m.ty, &|n| caps_in(defs, &n.id));
                        caps.eq &= c.eq;
                        caps.hash &= c.hash;
                        caps.default &= match m.presence {
                            Presence::Optional => true,
                            Presence::Required => c.default,
                            Presence::Default(_) => true,
                        };
                    }
                    caps
                }
                Def::Union(u) => {
                    let mut caps = Caps {
                        eq: true,
                        hash: true,
                        default: false,
                    };
                    for m in &u.members {
                        let c = ty_caps(&m.ty, &|n| caps_in(defs, &n.id));
                        caps.eq &= c.eq;
                        caps.hash &= c.hash;
                    }
                    caps
                }
                Def::Enum(_) => continue,
            };
            match defs.get_mut(&id) {
                Some(Def::Structure(s)) if s.caps != new => {
                    s.caps = new;
                    changed = true;
                }
                Some(Def::Union(u)) if u.caps != new => {
                    u.caps = new;
                    changed = true;
                }
                _ => {}
            }
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
pub(crate) fn compute_validation(defs: &mut BTreeMap<String, Def>) {
    loop {
        let mut changed = false;
        let ids: Vec<String> = defs.keys().cloned().collect();
        for id in ids {
            let new = match &defs[&id] {
                Def::Structure(s) => s
                    .members
                    .iter()
                    .any(|m| member_validates(m, &|n| validates_in(defs, &n.id))),
                Def::Union(u) => u
                    .members
                    .iter()
                    .any(|m| member_validates(m, &|n| validates_in(defs, &n.id))),
                Def::Enum(_) => continue,
            };
            match defs.get_mut(&id) {
                Some(Def::Structure(s)) if s.validates != new => {
                    s.validates = new;
                    changed = true;
                }
                Some(Def::Union(u)) if u.validates != new => {
                    u.validates = new;
                    changed = true;
                }
                _ => {}
            }
        }
        if !changed {
            break;
        }
    }
}

/// Writes the settled answers into every reference to a named type, so that later
/// passes and the emitters read `ty.caps()` / `ty.validates()` off the reference
/// instead of looking the type up.
pub(crate) fn settle_named_refs(defs: &mut BTreeMap<String, Def>) {
    let settled: HashMap<String, (Caps, bool)> = defs
        .keys()
        .map(|id| (id.clone(), (caps_in(defs, id), validates_in(defs, id))))
        .collect();
    fn settle(ty: &mut Ty, settled: &HashMap<String, (Caps, bool)>) {
        match ty {
            Ty::Named(n) => {
                if let Some(&(caps, validates)) = settled.get(&n.id) {
                    n.caps = caps;
                    n.validates = validates;
                }
            }
            Ty::List(e) => settle_elem(e, settled),
            Ty::Map(k, v) => {
                settle_elem(k, settled);
                settle_elem(v, settled);
            }
            _ => {}
        }
    }
    fn settle_elem(e: &mut Elem, settled: &HashMap<String, (Caps, bool)>) {
        settle(&mut e.ty, settled);
    }
    for def in defs.values_mut() {
        let members = match def {
            Def::Structure(s) => &mut s.members,
            Def::Union(u) => &mut u.members,
            Def::Enum(_) => continue,
        };
        for m in members {
            settle(&mut m.ty, &settled);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::testing::{list_of, map_of, member, named, structure, union};

    fn members_of<'a>(defs: &'a BTreeMap<String, Def>, id: &str) -> &'a [Member] {
        match &defs[id] {
            Def::Structure(s) => &s.members,
            Def::Union(u) => &u.members,
            Def::Enum(_) => &[],
        }
    }

    fn boxed(defs: &BTreeMap<String, Def>, id: &str) -> Vec<(String, bool)> {
        members_of(defs, id)
            .iter()
            .map(|m| (m.name.clone(), m.boxed))
            .collect()
    }

    fn caps(defs: &BTreeMap<String, Def>, id: &str) -> Caps {
        match &defs[id] {
            Def::Structure(s) => s.caps,
            Def::Union(u) => u.caps,
            Def::Enum(_) => unreachable!(),
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
    fn references_carry_the_settled_answers_of_what_they_name() {
        let mut limited = member("n", Ty::Integer);
        limited.constraints.range = Some((None, None));
        let mut defs: BTreeMap<String, Def> = [
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
        .into_iter()
        .collect();
        compute_caps(&mut defs);
        compute_validation(&mut defs);
        settle_named_refs(&mut defs);
        let holder = members_of(&defs, "ex#Holder");
        // Before the pass the references held the optimistic guess (Eq, not validating).
        assert!(
            !holder[0].ty.caps().eq,
            "a structure holding a float is not Eq"
        );
        assert!(!holder[0].ty.validates());
        assert!(holder[1].ty.validates(), "the listed structure has a range");
        assert!(holder[1].validates());
        assert!(holder[1].ty.caps().eq);
    }

    #[test]
    fn only_members_on_a_cycle_are_boxed() {
        let mut defs: BTreeMap<String, Def> = [
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
        .into_iter()
        .collect();
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
        let mut defs: BTreeMap<String, Def> = [
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
        .into_iter()
        .collect();
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
        let mut bounded = member("name", Ty::String);
        bounded.constraints.length = Some((Some(1), None));
        let mut required_optional = member("id", Ty::String);
        required_optional.required = true;
        let mut defs: BTreeMap<String, Def> = [
            structure("ex#Top", vec![member("mid", list_of(named("ex#Mid")))]),
            structure("ex#Mid", vec![bounded]),
            structure("ex#Loose", vec![required_optional]),
            structure("ex#Plain", vec![member("x", Ty::String)]),
            structure("ex#Tree", vec![member("left", named("ex#Tree"))]),
        ]
        .into_iter()
        .collect();
        compute_validation(&mut defs);
        let validates = |id: &str| match &defs[id] {
            Def::Structure(s) => s.validates,
            _ => unreachable!(),
        };
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
