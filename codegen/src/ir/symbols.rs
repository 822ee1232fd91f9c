//! The naming pass: a module and a Rust name for every named type (the symbol table),
//! every operation's module, and the checks that no two things get the same Rust name
//! in one place. Names are decided here, once; the emitters only use them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::model::{ShapeTable, references};
use super::{Member, NamedKind, Operation, Symbol};
use crate::diag::{Diagnostic, Error};
use crate::names;
use crate::prelude;
use crate::read::{Shape, SimpleType};

use super::traits::{ENUM_TRAIT, ERROR, has};

/// Every named type's symbol, and every operation's module.
pub(crate) struct Symbols {
    /// Shape id -> module and Rust name.
    pub types: BTreeMap<String, Symbol>,
    /// Operation shape id -> its module and the names in it.
    pub operations: BTreeMap<String, OperationNames>,
}

/// What an operation's own items are called.
#[derive(Clone, Debug)]
pub(crate) struct OperationNames {
    /// Module name under `operation`, e.g. `get_integrations`.
    pub module: String,
    /// The operation type, e.g. `crate::operation::get_integrations::GetIntegrations`.
    pub marker: Symbol,
    /// Its error enum, `...::GetIntegrationsError`.
    pub error_enum: Symbol,
}

/// What kind of named Rust type a shape becomes (`None`: it is not one): structures,
/// unions, `enum`, `intEnum` and strings with the `@enum` trait.
pub(crate) fn named_kind(shape: &Shape) -> Option<NamedKind> {
    Some(match shape {
        Shape::Structure { union: true, .. } => NamedKind::Union,
        Shape::Structure { union: false, .. } => NamedKind::Structure,
        Shape::Enum { int: true, .. } => NamedKind::IntEnum,
        Shape::Enum { int: false, .. } => NamedKind::Enum,
        Shape::Simple(SimpleType::String, s) if has(&s.traits, ENUM_TRAIT) => NamedKind::Enum,
        _ => return None,
    })
}

/// The name part of a shape id (`ex#Thing` -> `Thing`).
pub(crate) fn shape_name(id: &str) -> &str {
    id.split_once('#').map_or(id, |(_, n)| n)
}

/// A member's Rust names: its field (possibly raw), union variant and builder accessors.
pub(crate) fn member_names(name: &str) -> (String, String, super::Accessors) {
    let mut field = names::snake(name);
    // A member named `build` (CodeBuild's `RetryBuildOutput$build`) would make a
    // builder method `build(value)` beside `build()`: its field is `build_value`.
    if field == "build" {
        field = "build_value".to_owned();
    }
    let bare = names::unraw(&field);
    let accessors = super::Accessors {
        set: format!("set_{bare}"),
        get: format!("get_{bare}"),
    };
    (field, names::pascal(name), accessors)
}

/// The symbol table: a module and a Rust name for every named type, checked for
/// collisions within each module.
pub(crate) fn assign(
    table: &ShapeTable,
    closure: &BTreeSet<String>,
    service: Option<&str>,
    operations: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Symbols {
    let mut collision = |id: &str, name: String, other: String| {
        diagnostics.push(Diagnostic {
            location: table.location(id),
            error: Error::NameCollision {
                id: id.to_owned(),
                name,
                other,
            },
        });
    };
    let renames: BTreeMap<String, String> = match service.and_then(|s| table.shape(s)) {
        Some(Shape::Service(s)) => s.rename.clone().into_iter().collect(),
        _ => BTreeMap::new(),
    };
    // Who owns each Rust name in each module.
    let mut taken: BTreeMap<Vec<String>, BTreeMap<String, String>> = BTreeMap::new();
    let mut op_modules = BTreeMap::new();
    let mut module_owner: BTreeMap<String, String> = BTreeMap::new();
    let mut io_owner: HashMap<String, Vec<String>> = HashMap::new();
    for op_id in operations {
        let module = names::snake(shape_name(op_id));
        if let Some(other) = module_owner.get(&module) {
            collision(op_id, module, other.clone());
            continue;
        }
        module_owner.insert(module.clone(), op_id.clone());
        let marker = names::pascal(shape_name(op_id));
        let path = vec!["operation".to_owned(), module.clone()];
        let error_enum = format!("{marker}Error");
        let names_in = taken.entry(path.clone()).or_default();
        names_in.insert(marker.clone(), format!("{op_id} (operation type)"));
        names_in.insert(error_enum.clone(), format!("{op_id} (error enum)"));
        op_modules.insert(
            op_id.clone(),
            OperationNames {
                module,
                marker: Symbol {
                    module: path.clone(),
                    name: marker,
                },
                error_enum: Symbol {
                    module: path,
                    name: error_enum,
                },
            },
        );
        if let Some(Shape::Operation(op)) = table.shape(op_id) {
            for r in op.input.iter().chain(&op.output) {
                if r.target != prelude::UNIT {
                    io_owner
                        .entry(r.target.clone())
                        .or_default()
                        .push(op_id.clone());
                }
            }
        }
    }
    // Shapes any member refers to cannot live in an operation module.
    let mut member_targets = BTreeSet::new();
    for id in closure {
        if let Some(shape) = table.shape(id)
            && !matches!(
                shape,
                Shape::Operation(_) | Shape::Service(_) | Shape::Resource(_)
            )
        {
            for (_, target) in references(id, shape) {
                member_targets.insert(target);
            }
        }
    }

    let mut types = BTreeMap::new();
    for id in closure {
        let Some(shape) = table.shape(id) else {
            continue;
        };
        if named_kind(shape).is_none() || id == prelude::UNIT {
            continue;
        }
        let module = if has(shape.traits(), ERROR) {
            vec!["error".to_owned()]
        } else {
            match io_owner.get(id).map(Vec::as_slice) {
                Some([op]) if !member_targets.contains(id) => match op_modules.get(op) {
                    Some(names) => names.marker.module.clone(),
                    None => vec!["types".to_owned()],
                },
                _ => vec!["types".to_owned()],
            }
        };
        let name = names::pascal(renames.get(id).map_or(shape_name(id), String::as_str));
        let names_in = taken.entry(module.clone()).or_default();
        if let Some(other) = names_in.get(&name) {
            collision(id, name, other.clone());
            continue;
        }
        names_in.insert(name.clone(), id.clone());
        types.insert(id.clone(), Symbol { module, name });
    }
    Symbols {
        types,
        operations: op_modules,
    }
}

/// The Rust names of a structure's fields (or a union's variants), and the builder
/// methods they make, do not collide with each other or with `build()` / `Unknown`.
pub(crate) fn check_field_names(
    table: &ShapeTable,
    members: &[Member],
    union: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut fields: BTreeMap<String, &str> = BTreeMap::new();
    let mut methods: BTreeMap<String, &str> = BTreeMap::new();
    let mut collisions = Vec::new();
    for m in members {
        let key = if union {
            m.variant.clone()
        } else {
            m.field.clone()
        };
        if let Some(other) = fields.get(&key) {
            collisions.push((m.id.clone(), key.clone(), (*other).to_owned()));
            continue;
        }
        fields.insert(key, &m.id);
        if union {
            if m.variant == "Unknown" {
                collisions.push((
                    m.id.clone(),
                    m.variant.clone(),
                    "the Unknown variant every union has".into(),
                ));
            }
            continue;
        }
        let own = [
            names::unraw(&m.field).to_owned(),
            m.accessors.set.clone(),
            m.accessors.get.clone(),
        ];
        for method in own {
            if method == "build" {
                collisions.push((
                    m.id.clone(),
                    method.clone(),
                    "the builder's build() method".into(),
                ));
            } else if let Some(other) = methods.get(&method) {
                if *other != m.id {
                    collisions.push((
                        m.id.clone(),
                        method.clone(),
                        format!("{other} (builder method)"),
                    ));
                }
            } else {
                methods.insert(method, &m.id);
            }
        }
    }
    for (id, name, other) in collisions {
        diagnostics.push(Diagnostic {
            location: table.location(&id),
            error: Error::NameCollision { id, name, other },
        });
    }
}

/// Names the private function of each member of structure `symbol` whose `@default` is
/// not its type's zero value: `__default_<structure>_<field>` (unique in the module, as
/// the structure's name is).
pub(crate) fn name_default_fns(symbol: &Symbol, members: &mut [Member]) {
    let owner = names::snake(&symbol.name);
    for m in members {
        if let super::Presence::Default(v) = &m.presence
            && !v.is_zero()
        {
            m.default_fn = Some(format!(
                "__default_{}_{}",
                owner.trim_start_matches("r#"),
                names::unraw(&m.field)
            ));
        }
    }
}

/// Names the client trait's methods: one per operation (its module name) and, for an
/// operation paginated by items, `<operation>_paginator`; two methods with one name
/// (an operation named `ListThingsPaginator` beside a paginated `ListThings`) are an
/// error naming both operations.
pub(crate) fn name_client_methods(
    table: &ShapeTable,
    operations: &mut [Operation],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut owners: BTreeMap<String, String> = operations
        .iter()
        .map(|op| (op.client_method.clone(), op.id.clone()))
        .collect();
    for op in operations.iter_mut() {
        if op.pagination.as_ref().is_none_or(|p| p.items.is_none()) {
            continue;
        }
        let name = format!("{}_paginator", names::unraw(&op.module));
        if let Some(other) = owners.get(&name) {
            diagnostics.push(Diagnostic {
                location: table.location(&op.id),
                error: Error::NameCollision {
                    id: op.id.clone(),
                    name,
                    other: format!("{other} (client method)"),
                },
            });
            continue;
        }
        owners.insert(name.clone(), op.id.clone());
        op.paginator_method = Some(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::model;
    use crate::ir::testing::{member, source};
    use crate::ir::{DefaultValue, Member, Ty};

    /// The table of one inline model, and its closure from the service.
    fn table(json: &str) -> (ShapeTable, BTreeSet<String>, Vec<String>) {
        let mut diagnostics = Vec::new();
        let merged = model::merge(vec![source("m.json", json)], &mut diagnostics);
        assert!(diagnostics.is_empty());
        let closure = model::closure(&merged.table, Some("ex#Svc"), &Default::default());
        let operations = closure
            .iter()
            .filter(|id| matches!(merged.table.shape(id), Some(Shape::Operation(_))))
            .cloned()
            .collect();
        (merged.table, closure, operations)
    }

    fn place(symbols: &Symbols, id: &str) -> String {
        let s = &symbols.types[id];
        format!("{}::{}", s.module.join("::"), s.name)
    }

    #[test]
    fn types_live_where_they_are_used_and_take_the_service_renames() {
        let (table, closure, operations) = table(
            r#"{"smithy": "2.0", "shapes": {
                "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#GetThing"}],
                           "rename": {"ex#Thing": "Widget"}},
                "ex#GetThing": {"type": "operation", "input": {"target": "ex#GetThingRequest"},
                                "output": {"target": "ex#GetThingResponse"}, "errors": [{"target": "ex#Missing"}]},
                "ex#GetThingRequest": {"type": "structure", "members": {"Id": {"target": "smithy.api#String"}}},
                "ex#GetThingResponse": {"type": "structure", "members": {"Thing": {"target": "ex#Thing"}}},
                "ex#Thing": {"type": "structure"},
                "ex#Missing": {"type": "structure", "traits": {"smithy.api#error": "client"}}
            }}"#,
        );
        let mut diagnostics = Vec::new();
        let symbols = assign(
            &table,
            &closure,
            Some("ex#Svc"),
            &operations,
            &mut diagnostics,
        );
        assert!(diagnostics.is_empty());
        assert_eq!(
            place(&symbols, "ex#GetThingRequest"),
            "operation::get_thing::GetThingRequest"
        );
        assert_eq!(
            place(&symbols, "ex#GetThingResponse"),
            "operation::get_thing::GetThingResponse"
        );
        assert_eq!(
            place(&symbols, "ex#Thing"),
            "types::Widget",
            "renamed by the service"
        );
        assert_eq!(place(&symbols, "ex#Missing"), "error::Missing");
        assert_eq!(symbols.operations["ex#GetThing"].module, "get_thing");
        assert_eq!(
            symbols.operations["ex#GetThing"].error_enum.name,
            "GetThingError"
        );
    }

    #[test]
    fn two_things_with_one_rust_name_are_refused_naming_both() {
        let (table, closure, operations) = table(
            r#"{"smithy": "2.0", "shapes": {
                "ex#Svc": {"type": "service", "version": "1",
                           "operations": [{"target": "ex#GetThing"}, {"target": "ex#Get_Thing"}]},
                "ex#GetThing": {"type": "operation", "input": {"target": "ex#In"}},
                "ex#Get_Thing": {"type": "operation"},
                "ex#In": {"type": "structure", "members": {"A": {"target": "ex#Item"}, "B": {"target": "other#Item"}}},
                "ex#Item": {"type": "structure"},
                "other#Item": {"type": "structure"}
            }}"#,
        );
        let mut diagnostics = Vec::new();
        assign(
            &table,
            &closure,
            Some("ex#Svc"),
            &operations,
            &mut diagnostics,
        );
        let messages: Vec<String> = diagnostics.iter().map(|d| d.error.to_string()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].starts_with("ex#Get_Thing: ") && messages[0].contains("get_thing"),
            "{}",
            messages[0]
        );
        assert!(
            messages[1].starts_with("other#Item: ") && messages[1].contains("ex#Item"),
            "{}",
            messages[1]
        );
    }

    #[test]
    fn field_and_builder_method_names_do_not_collide() {
        let (table, _, _) = table(
            r#"{"smithy": "2.0", "shapes": {"ex#Svc": {"type": "service", "version": "1"}}}"#,
        );
        let named = |name: &str, field: &str| Member {
            field: field.to_owned(),
            ..member(name, Ty::String)
        };
        let check = |members: Vec<Member>, union: bool| {
            let mut diagnostics = Vec::new();
            check_field_names(&table, &members, union, &mut diagnostics);
            diagnostics
                .iter()
                .map(|d| d.error.to_string())
                .collect::<Vec<_>>()
        };
        assert!(check(vec![named("Name", "name"), named("Size", "size")], false).is_empty());
        let same_field = check(vec![named("Name", "name"), named("name", "name")], false);
        assert_eq!(same_field.len(), 1, "{same_field:?}");
        assert!(
            same_field[0].starts_with("ex#S$name: "),
            "{}",
            same_field[0]
        );
        let build = check(vec![named("Build", "build")], false);
        assert!(build[0].contains("build() method"), "{build:?}");
        // which a member named `build` never reaches: its field is renamed.
        for name in ["build", "Build"] {
            let (field, variant, accessors) = member_names(name);
            assert_eq!(
                (field.as_str(), variant.as_str(), accessors.set.as_str()),
                ("build_value", "Build", "set_build_value")
            );
        }
        let setter = check(vec![named("Foo", "foo"), named("SetFoo", "set_foo")], false);
        assert!(
            setter[0].contains("ex#S$Foo (builder method)"),
            "{setter:?}"
        );
        let unknown = check(vec![member("Unknown", Ty::String)], true);
        assert!(unknown[0].contains("the Unknown variant"), "{unknown:?}");
    }

    #[test]
    fn client_methods_and_default_functions_are_named_here() {
        use crate::ir::{Pagination, PaginationSource, Presence};
        let (table, _, _) = table(
            r#"{"smithy": "2.0", "shapes": {"ex#Svc": {"type": "service", "version": "1"}}}"#,
        );
        let op = |id: &str, module: &str, items: bool| Operation {
            id: id.into(),
            name: module.into(),
            module: module.into(),
            marker: Symbol::default(),
            error_enum: Symbol::default(),
            docs: None,
            input: None,
            output: None,
            errors: Vec::new(),
            http: None,
            pagination: Some(Pagination {
                input_token: "T".into(),
                output_token: vec!["T".into()],
                items: items.then(|| vec!["Items".into()]),
                page_size: None,
                source: PaginationSource::Trait,
                paths: Default::default(),
            }),
            client_method: module.into(),
            paginator_method: None,
            endpoint_params: Vec::new(),
            feature: String::new(),
            checksum_required: false,
            request_compression: Vec::new(),
            host_prefix: None,
            request_tests: Vec::new(),
            response_tests: Vec::new(),
        };
        let mut operations = vec![
            op("ex#ListThings", "list_things", true),
            op("ex#Scan", "scan", false),
            // A paginated operation whose paginator method another operation already is.
            op("ex#ListThingsPaginator", "list_things_paginator", false),
            op("ex#ListOther", "list_other", true),
        ];
        operations.swap(0, 2);
        let mut diagnostics = Vec::new();
        name_client_methods(&table, &mut operations, &mut diagnostics);
        let by_id = |id: &str| operations.iter().find(|o| o.id == id).unwrap();
        assert_eq!(
            by_id("ex#ListOther").paginator_method.as_deref(),
            Some("list_other_paginator")
        );
        assert_eq!(
            by_id("ex#Scan").paginator_method,
            None,
            "no items, no paginator method"
        );
        assert_eq!(by_id("ex#ListThings").paginator_method, None, "refused");
        let messages: Vec<String> = diagnostics.iter().map(|d| d.error.to_string()).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].starts_with("ex#ListThings: ")
                && messages[0].contains("ex#ListThingsPaginator (client method)"),
            "{}",
            messages[0]
        );

        let symbol = Symbol {
            module: vec!["types".into()],
            name: "Thing".into(),
        };
        let with_default = |name: &str, value: DefaultValue| Member {
            presence: Presence::Default(value),
            ..member(name, Ty::Integer)
        };
        let mut members = vec![
            with_default("Size", DefaultValue::Int(3)),
            with_default("Zero", DefaultValue::Int(0)),
            member("Plain", Ty::Integer),
        ];
        name_default_fns(&symbol, &mut members);
        assert_eq!(
            members[0].default_fn.as_deref(),
            Some("__default_thing_size")
        );
        assert_eq!(
            members[1].default_fn, None,
            "a zero default is the type's Default"
        );
        assert_eq!(members[2].default_fn, None);
    }
}
