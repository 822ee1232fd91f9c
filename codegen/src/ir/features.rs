//! The features pass: which operations need each named type, so the generated crate
//! can offer one cargo feature per operation (`get_integrations`) enabling exactly the
//! types, errors and impls that operation reaches (its input, output and errors, and
//! everything they hold), with `all` (the default) enabling every one.

use std::collections::{BTreeMap, BTreeSet};

use super::{DefId, Defs, Operation, Ty};

/// Names the feature of each operation: its module name (unraw), or, when that is a
/// name the crate's own features use, `operation_<module>`.
pub(crate) fn name_features(operations: &mut [Operation]) {
    for op in operations {
        let module = crate::names::unraw(&op.module).to_owned();
        op.feature = if RESERVED.contains(&module.as_str()) {
            format!("operation_{module}")
        } else {
            module
        };
    }
}

/// Feature names the crate defines besides the operations'.
pub(crate) const RESERVED: &[&str] = &["default", "all", "botocore"];

fn named_in(ty: &Ty, out: &mut Vec<DefId>) {
    match ty {
        Ty::Named(n) => out.push(n.id),
        Ty::List(e) => named_in(&e.ty, out),
        Ty::Map(k, v) => {
            named_in(&k.ty, out);
            named_in(&v.ty, out);
        }
        _ => {}
    }
}

/// For each definition, the features of the operations that reach it; `None` when
/// every operation does (or none does): such a type is always compiled.
pub(crate) fn def_features(
    operations: &[Operation],
    defs: &Defs,
) -> BTreeMap<DefId, Option<Vec<String>>> {
    let mut needed: BTreeMap<DefId, BTreeSet<&str>> = BTreeMap::new();
    for op in operations {
        let mut stack: Vec<DefId> = op
            .input
            .iter()
            .chain(&op.output)
            .chain(&op.errors)
            .map(|&s| DefId::Structure(s))
            .collect();
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            for m in defs.get(id).members() {
                named_in(&m.ty, &mut stack);
            }
        }
        for id in seen {
            needed.entry(id).or_default().insert(&op.feature);
        }
    }
    let all = operations.len();
    defs.iter()
        .map(|(id, _)| {
            let gate = match needed.get(&id) {
                Some(features) if features.len() < all => {
                    Some(features.iter().map(|f| (*f).to_owned()).collect())
                }
                _ => None,
            };
            (id, gate)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::testing::lowered;

    #[test]
    fn a_type_is_gated_by_the_operations_that_reach_it() {
        let ir = lowered(
            r#"{"smithy": "2.0", "shapes": {
                "ex#Svc": {"type": "service", "version": "1",
                    "operations": [{"target": "ex#GetA"}, {"target": "ex#GetB"}, {"target": "ex#All"}]},
                "ex#GetA": {"type": "operation", "output": {"target": "ex#AOut"}},
                "ex#GetB": {"type": "operation", "output": {"target": "ex#BOut"}},
                "ex#All": {"type": "operation"},
                "ex#AOut": {"type": "structure", "members": {"s": {"target": "ex#Shared"}, "a": {"target": "ex#OnlyA"}}},
                "ex#BOut": {"type": "structure", "members": {"s": {"target": "ex#Shared"}}},
                "ex#Shared": {"type": "structure", "members": {"k": {"target": "ex#Kind"}}},
                "ex#OnlyA": {"type": "structure", "members": {}},
                "ex#Kind": {"type": "enum", "members": {"X": {"target": "smithy.api#Unit"}}}
            }}"#,
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        let features: Vec<&str> = ir.operations.iter().map(|o| o.feature.as_str()).collect();
        assert_eq!(features, ["operation_all", "get_a", "get_b"]);
        let gates = def_features(&ir.operations, &ir.defs);
        let gate = |id: &str| gates[&ir.defs.find(id).expect("a definition")].clone();
        assert_eq!(gate("ex#OnlyA"), Some(vec!["get_a".to_owned()]));
        assert_eq!(
            gate("ex#Kind"),
            Some(vec!["get_a".to_owned(), "get_b".to_owned()]),
            "reached through Shared"
        );
    }
}
