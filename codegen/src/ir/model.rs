//! The model pass: the prelude and every model file merged into one shape table
//! (duplicates refused, `apply` and mixins merged, every reference checked), then the
//! service and the closure of shapes it reaches. After `merge` the table is only read.

use std::collections::BTreeSet;

use indexmap::IndexMap;

use crate::diag::{Diagnostic, Error, Location};
use crate::prelude;
use crate::read::{self, MemberRef, Shape, Source, Traits};

use super::traits::{MIXIN, STREAMING, has};

struct Entry {
    shape: Shape,
    location: Location,
}

/// Every shape by id, with where it was defined.
pub(crate) struct ShapeTable {
    entries: IndexMap<String, Entry>,
}

impl ShapeTable {
    /// Where shape `id` (or the shape of member `id`) is defined.
    pub(crate) fn location(&self, id: &str) -> Location {
        let shape_id = id.split('$').next().unwrap_or(id);
        self.entries
            .get(shape_id)
            .map(|e| e.location.clone())
            .unwrap_or(Location {
                file: "<model>".into(),
                line_col: None,
            })
    }

    /// Shape `id`.
    pub(crate) fn shape(&self, id: &str) -> Option<&Shape> {
        self.entries.get(id).map(|e| &e.shape)
    }

    /// The traits of shape `id`; none when there is no such shape (a dangling target
    /// is reported by `merge`, and later passes skip it).
    pub(crate) fn traits(&self, id: &str) -> &Traits {
        static NONE: std::sync::LazyLock<Traits> = std::sync::LazyLock::new(Traits::default);
        self.shape(id).map_or(&NONE, |s| s.traits())
    }
}

/// The merged inputs.
pub(crate) struct Merged {
    /// Every shape.
    pub table: ShapeTable,
    /// The pagination override files, in input order.
    pub overrides: Vec<read::PaginationFile>,
    /// The input files' names, in input order.
    pub source_names: Vec<String>,
}

/// The prelude and every input: shapes into the table (a shape defined twice is an
/// error naming both places), `apply` traits and mixins merged in, dangling references
/// reported (and left for later passes to skip, so every problem is reported at once).
pub(crate) fn merge(sources: Vec<Source>, diagnostics: &mut Vec<Diagnostic>) -> Merged {
    let mut table = ShapeTable {
        entries: IndexMap::new(),
    };
    let mut source_names = Vec::new();
    let mut overrides = Vec::new();
    let mut applies = Vec::new();
    for (id, shape) in prelude::shapes() {
        let location = Location {
            file: "<prelude>".into(),
            line_col: None,
        };
        table.entries.insert(id, Entry { shape, location });
    }
    for source in sources {
        match source {
            Source::Model(file) => {
                source_names.push(file.name.clone());
                for (id, shape, line_col) in file.shapes {
                    let location = Location {
                        file: file.name.clone(),
                        line_col: Some(line_col),
                    };
                    if let Shape::Apply(apply) = shape {
                        applies.push((id, apply.traits, location));
                        continue;
                    }
                    if let Some(existing) = table.entries.get(&id) {
                        let other = match existing.location.line_col {
                            Some((l, c)) => format!("{}:{l}:{c}", existing.location.file),
                            None => existing.location.file.clone(),
                        };
                        diagnostics.push(Diagnostic {
                            location,
                            error: Error::DuplicateShape { id, other },
                        });
                        continue;
                    }
                    table.entries.insert(id, Entry { shape, location });
                }
            }
            Source::Pagination(file) => {
                source_names.push(file.name.clone());
                overrides.push(file);
            }
        }
    }
    apply_traits(&mut table, applies, diagnostics);
    apply_mixins(&mut table, diagnostics);
    check_targets(&table, diagnostics);
    Merged {
        table,
        overrides,
        source_names,
    }
}

fn apply_traits(
    table: &mut ShapeTable,
    applies: Vec<(String, Traits, Location)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (id, traits, location) in applies {
        let (shape_id, member) = match id.split_once('$') {
            Some((s, m)) => (s.to_owned(), Some(m.to_owned())),
            None => (id.clone(), None),
        };
        let target = table
            .entries
            .get_mut(&shape_id)
            .and_then(|e| match &member {
                None => Some(e.shape.traits_mut()),
                Some(m) => member_traits_mut(&mut e.shape, m),
            });
        match target {
            Some(existing) => existing.extend(traits),
            None => diagnostics.push(Diagnostic {
                location,
                error: Error::ApplyMissing { id },
            }),
        }
    }
}

fn member_traits_mut<'a>(shape: &'a mut Shape, member: &str) -> Option<&'a mut Traits> {
    match shape {
        Shape::Structure { shape, .. } | Shape::Enum { shape, .. } => {
            shape.members.get_mut(member).map(|m| &mut m.traits)
        }
        Shape::List(l) if member == "member" => Some(&mut l.member.traits),
        Shape::Map(m) => match member {
            "key" => Some(&mut m.key.traits),
            "value" => Some(&mut m.value.traits),
            _ => None,
        },
        _ => None,
    }
}

/// Copies mixin members (first) and traits (where the shape has none of its own) into
/// each shape that uses mixins.
fn apply_mixins(table: &mut ShapeTable, diagnostics: &mut Vec<Diagnostic>) {
    let ids: Vec<String> = table
        .entries
        .iter()
        .filter(|(_, e)| !e.shape.mixins().is_empty())
        .map(|(id, _)| id.clone())
        .collect();
    for id in ids {
        let mut seen = BTreeSet::new();
        let (members, traits) = collect_mixins(table, &id, &mut seen, diagnostics);
        let Some(entry) = table.entries.get_mut(&id) else {
            continue;
        };
        for (name, value) in traits {
            entry.shape.traits_mut().entry(name).or_insert(value);
        }
        if let Shape::Structure { shape, .. } | Shape::Enum { shape, .. } = &mut entry.shape {
            let own = std::mem::take(&mut shape.members);
            let mut merged = members;
            for (name, member) in own {
                merged.insert(name, member);
            }
            shape.members = merged;
        }
    }
}

fn collect_mixins(
    table: &ShapeTable,
    id: &str,
    seen: &mut BTreeSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (IndexMap<String, MemberRef>, Traits) {
    let mut members = IndexMap::new();
    let mut traits = Traits::new();
    let mixins: Vec<String> = table
        .shape(id)
        .map(|s| s.mixins().iter().map(|m| m.target.clone()).collect())
        .unwrap_or_default();
    for mixin in mixins {
        if !seen.insert(mixin.clone()) {
            continue;
        }
        let Some(shape) = table.shape(&mixin) else {
            diagnostics.push(Diagnostic {
                location: table.location(id),
                error: Error::DanglingTarget {
                    id: id.to_owned(),
                    target: mixin,
                },
            });
            continue;
        };
        let (inner_members, inner_traits) = collect_mixins(table, &mixin, seen, diagnostics);
        members.extend(inner_members);
        traits.extend(inner_traits);
        if let Shape::Structure { shape, .. } | Shape::Enum { shape, .. } = &shape {
            members.extend(shape.members.clone());
        }
        for (name, value) in shape.traits() {
            if name != MIXIN {
                traits.insert(name.clone(), value.clone());
            }
        }
    }
    (members, traits)
}

/// Every reference in every shape must name an existing shape.
fn check_targets(table: &ShapeTable, diagnostics: &mut Vec<Diagnostic>) {
    for (id, entry) in &table.entries {
        for (from, target) in references(id, &entry.shape) {
            if !table.entries.contains_key(&target) {
                diagnostics.push(Diagnostic {
                    location: table.location(&from),
                    error: Error::DanglingTarget { id: from, target },
                });
            }
        }
    }
}

/// Every (referring id, target) pair of a shape, members first.
pub(crate) fn references(id: &str, shape: &Shape) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let member = |name: &str| format!("{id}${name}");
    match shape {
        Shape::Structure { shape, .. } => {
            for (name, m) in &shape.members {
                out.push((member(name), m.target.clone()));
            }
        }
        Shape::Enum { .. } | Shape::Simple(..) | Shape::Apply(_) => {}
        Shape::List(l) => out.push((member("member"), l.member.target.clone())),
        Shape::Map(m) => {
            out.push((member("key"), m.key.target.clone()));
            out.push((member("value"), m.value.target.clone()));
        }
        Shape::Operation(op) => {
            for r in op.input.iter().chain(&op.output).chain(&op.errors) {
                out.push((id.to_owned(), r.target.clone()));
            }
        }
        Shape::Service(s) => {
            for r in s.operations.iter().chain(&s.resources).chain(&s.errors) {
                out.push((id.to_owned(), r.target.clone()));
            }
        }
        Shape::Resource(r) => {
            for t in r
                .all_operations()
                .chain(&r.resources)
                .chain(r.identifiers.values())
                .chain(r.properties.values())
            {
                out.push((id.to_owned(), t.target.clone()));
            }
        }
    }
    out
}

/// The model's service (the first, when there are several: each other one is an error).
pub(crate) fn find_service(
    table: &ShapeTable,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let services: Vec<String> = table
        .entries
        .iter()
        .filter(|(_, e)| matches!(e.shape, Shape::Service(_)))
        .map(|(id, _)| id.clone())
        .collect();
    for extra in services.iter().skip(1) {
        diagnostics.push(Diagnostic {
            location: table.location(extra),
            error: Error::MultipleServices {
                id: extra.clone(),
                other: services[0].clone(),
            },
        });
    }
    services.into_iter().next()
}

/// The shapes to generate: the service closure, or every shape when there is no
/// service. Sorted by shape id.
pub(crate) fn closure(
    table: &ShapeTable,
    service: Option<&str>,
    left_out: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = match service {
        Some(s) => vec![s.to_owned()],
        None => table
            .entries
            .iter()
            .filter(|(id, e)| !id.starts_with("smithy.api#") && !has(e.shape.traits(), MIXIN))
            .map(|(id, _)| id.clone())
            .collect(),
    };
    while let Some(id) = stack.pop() {
        if left_out.contains(&id) || !seen.insert(id.clone()) {
            continue;
        }
        if let Some(shape) = table.shape(&id) {
            for (_, target) in references(&id, shape) {
                if !seen.contains(&target) {
                    stack.push(target);
                }
            }
        }
    }
    seen
}

/// The operations of `closure` with an event stream (a member of the input or output
/// targeting a `@streaming` union), each with that member's id.
pub(crate) fn event_stream_operations(
    table: &ShapeTable,
    closure: &BTreeSet<String>,
) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for id in closure {
        let Some(Shape::Operation(op)) = table.shape(id) else {
            continue;
        };
        let member = op.input.iter().chain(&op.output).find_map(|io| {
            let Some(Shape::Structure { shape, .. }) = table.shape(&io.target) else {
                return None;
            };
            shape
                .members
                .iter()
                .find_map(|(name, m)| match table.shape(&m.target) {
                    Some(Shape::Structure { union: true, shape })
                        if shape.traits.contains_key(STREAMING) =>
                    {
                        Some(format!("{}${name}", io.target))
                    }
                    _ => None,
                })
        });
        if let Some(member) = member {
            found.push((id.clone(), member));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::testing::source;

    fn messages(diagnostics: &[Diagnostic]) -> Vec<String> {
        diagnostics.iter().map(|d| d.error.to_string()).collect()
    }

    fn member_traits<'a>(table: &'a ShapeTable, id: &str, member: &str) -> &'a Traits {
        match table.shape(id) {
            Some(Shape::Structure { shape, .. }) => &shape.members[member].traits,
            other => panic!("{id} is {other:?}"),
        }
    }

    #[test]
    fn applies_and_mixins_are_merged_into_the_table() {
        let mut diagnostics = Vec::new();
        let merged = merge(
            vec![
                source(
                    "a.json",
                    r#"{"smithy": "2.0", "shapes": {
                        "ex#Base": {"type": "structure", "members": {"Id": {"target": "smithy.api#String"}},
                                    "traits": {"smithy.api#mixin": {}, "smithy.api#documentation": "base"}},
                        "ex#Thing": {"type": "structure", "mixins": [{"target": "ex#Base"}],
                                     "members": {"Name": {"target": "smithy.api#String"}}}
                    }}"#,
                ),
                source(
                    "b.json",
                    r#"{"smithy": "2.0", "shapes": {
                        "ex#Thing$Name": {"type": "apply", "traits": {"smithy.api#required": {}}}
                    }}"#,
                ),
            ],
            &mut diagnostics,
        );
        assert!(diagnostics.is_empty(), "{:?}", messages(&diagnostics));
        assert_eq!(merged.source_names, ["a.json", "b.json"]);
        let table = &merged.table;
        let Some(Shape::Structure { shape, .. }) = table.shape("ex#Thing") else {
            panic!("ex#Thing is a structure");
        };
        // Mixin members first, then the shape's own; mixin traits but not `mixin`.
        assert_eq!(shape.members.keys().collect::<Vec<_>>(), ["Id", "Name"]);
        assert!(shape.traits.contains_key("smithy.api#documentation"));
        assert!(!shape.traits.contains_key(MIXIN));
        assert!(member_traits(table, "ex#Thing", "Name").contains_key("smithy.api#required"));
        assert_eq!(table.location("ex#Thing$Name").file, "a.json");
        // The closure without a service: every shape but the prelude and mixins.
        let closure = closure(table, None, &BTreeSet::new());
        assert!(closure.contains("ex#Thing") && !closure.contains("ex#Base"));
    }

    #[test]
    fn duplicates_dangling_targets_and_applies_to_nothing_are_all_reported() {
        let mut diagnostics = Vec::new();
        merge(
            vec![
                source(
                    "a.json",
                    r#"{"smithy": "2.0", "shapes": {
                        "ex#Thing": {"type": "structure", "members": {"Owner": {"target": "ex#Nobody"}}}
                    }}"#,
                ),
                source(
                    "b.json",
                    r#"{"smithy": "2.0", "shapes": {
                        "ex#Thing": {"type": "structure"},
                        "ex#Ghost": {"type": "apply", "traits": {"smithy.api#sensitive": {}}}
                    }}"#,
                ),
            ],
            &mut diagnostics,
        );
        let messages = messages(&diagnostics);
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0].starts_with("ex#Thing: ") && messages[0].contains("a.json"),
            "{}",
            messages[0]
        );
        assert!(messages[1].starts_with("ex#Ghost: "), "{}", messages[1]);
        assert_eq!(
            messages[2],
            "ex#Thing$Owner: target ex#Nobody does not exist"
        );
        assert_eq!(
            diagnostics[0].location.file, "b.json",
            "the second definition is the error"
        );
    }

    #[test]
    fn the_service_closure_follows_references_and_one_service_is_allowed() {
        let mut diagnostics = Vec::new();
        let merged = merge(
            vec![source(
                "a.json",
                r#"{"smithy": "2.0", "shapes": {
                    "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Get"}]},
                    "ex#Other": {"type": "service", "version": "1"},
                    "ex#Get": {"type": "operation", "input": {"target": "ex#In"}},
                    "ex#In": {"type": "structure", "members": {"Tags": {"target": "ex#Tags"}}},
                    "ex#Tags": {"type": "list", "member": {"target": "smithy.api#String"}},
                    "ex#Unused": {"type": "structure"}
                }}"#,
            )],
            &mut diagnostics,
        );
        let service = find_service(&merged.table, &mut diagnostics);
        assert_eq!(service.as_deref(), Some("ex#Svc"));
        assert_eq!(
            messages(&diagnostics),
            ["ex#Other: more than one service shape (also ex#Svc); generate one service at a time"]
        );
        let closure = closure(&merged.table, service.as_deref(), &BTreeSet::new());
        for id in ["ex#Svc", "ex#Get", "ex#In", "ex#Tags", "smithy.api#String"] {
            assert!(closure.contains(id), "{id} is reached");
        }
        assert!(!closure.contains("ex#Unused") && !closure.contains("ex#Other"));
    }
}
