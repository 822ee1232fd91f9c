//! Stage 2: the resolved shape graph.
//!
//! `build` merges the input files and the prelude, applies `apply` and mixins, walks the
//! service closure, names every Rust item once (the symbol table), computes optionality,
//! constraints, boxing and derivable traits, and resolves pagination metadata. Every
//! problem is collected as a [`Diagnostic`] naming the shape id; nothing is emitted
//! unless the whole model is sound.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, Error, Location};
use crate::read::{Shape, Source};

mod defs;
mod endpoint_params;
mod features;
mod graph;
mod http;
mod model;
mod operation;
mod operations;
mod pagination;
mod protocol_tests;
mod shapes;
mod symbols;
#[cfg(test)]
mod testing;
mod traits;
mod types;

pub use defs::{Def, DefId, Defs, StructureId};
pub use endpoint_params::{ContextKind, EndpointParam, EndpointParamSource, PathStep};
pub use operation::*;
pub(crate) use protocol_tests::canonical as canonical_json;
pub use protocol_tests::{RequestCase, ResponseCase, TestValue};
pub use types::*;

use defs::DefsBuilder;
use graph::{box_recursive_members, compute_caps, compute_validation};
use model::ShapeTable;
use symbols::named_kind;

/// What the passes read: the merged shape table and what earlier passes settled. It
/// is never written, so a pass borrows shapes from it while it reports into a [`Sink`].
pub(crate) struct Model<'a> {
    table: &'a ShapeTable,
    /// The service speaks awsJson1_0/1_1: members go in the body under their own
    /// names (`@jsonName` and HTTP binding traits do not apply).
    json_rpc: bool,
    /// Each named type's reference (its reserved slot and kind), once the symbols
    /// pass has named them.
    refs: &'a BTreeMap<String, NamedRef>,
}

impl<'a> Model<'a> {
    pub(crate) fn location(&self, id: &str) -> Location {
        self.table.location(id)
    }

    pub(crate) fn shape(&self, id: &str) -> Option<&'a Shape> {
        self.table.shape(id)
    }
}

/// Where the passes report: every problem (an error) and everything left out (a
/// warning), each at the place in the model it concerns.
pub(crate) struct Sink<'a> {
    table: &'a ShapeTable,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Sink<'_> {
    pub(crate) fn error(&mut self, at: &str, error: Error) {
        let location = self.table.location(at);
        self.errors.push(Diagnostic { location, error });
    }

    pub(crate) fn trait_error(&mut self, id: &str, name: &str, message: impl Into<String>) {
        self.error(
            id,
            Error::InvalidTrait {
                id: id.to_owned(),
                name: name.to_owned(),
                message: message.into(),
            },
        );
    }
}

/// Resolves the parsed input files into the IR, or returns every problem found.
pub fn lower(sources: Vec<Source>) -> Result<Ir, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let merged = model::merge(sources, &mut errors);
    let table = &merged.table;
    let mut out = Sink {
        table,
        errors,
        warnings: Vec::new(),
    };
    let (source_names, overrides) = (merged.source_names, &merged.overrides);

    let service = model::find_service(table, &mut out.errors);
    // The service first: its protocol decides how members bind.
    let service_ir = service
        .as_deref()
        .map(|id| operations::build_service(table, &mut out, id));
    let json_rpc = service_ir
        .as_ref()
        .and_then(|s| s.protocol.as_ref())
        .is_some_and(Protocol::json_rpc);
    let mut closure = model::closure(table, service.as_deref(), &BTreeSet::new());
    // Event streams need the vnd.amazon.eventstream framing, which is not generated:
    // such an operation is left out (with what only it uses), never generated as
    // something wrong on the wire.
    let streaming = model::event_stream_operations(table, &closure);
    if !streaming.is_empty() {
        let left_out: BTreeSet<String> = streaming.iter().map(|(op, _)| op.clone()).collect();
        for (op, member) in &streaming {
            out.warnings.push(Diagnostic {
                location: table.location(op),
                error: Error::LeftOut {
                    id: op.clone(),
                    why: format!(
                        "{member} is an event stream (vnd.amazon.eventstream framing is not generated)"
                    ),
                },
            });
        }
        closure = model::closure(table, service.as_deref(), &left_out);
    }
    let operations_ids: Vec<String> = closure
        .iter()
        .filter(|id| matches!(table.shape(id), Some(Shape::Operation(_))))
        .cloned()
        .collect();

    let symbols = symbols::assign(
        table,
        &closure,
        service.as_deref(),
        &operations_ids,
        &mut out.errors,
    );
    // Every named type gets its slot before any is built, so references can be made.
    let mut builder = DefsBuilder::default();
    let mut refs = BTreeMap::new();
    for id in symbols.types.keys() {
        if let Some(kind) = table.shape(id).and_then(named_kind) {
            let slot = builder.reserve(kind);
            refs.insert(id.clone(), NamedRef { id: slot, kind });
        }
    }
    let model = Model {
        table,
        json_rpc,
        refs: &refs,
    };
    for (id, symbol) in &symbols.types {
        let Some(slot) = refs.get(id).map(|r| r.id) else {
            continue;
        };
        match shapes::build_def(&model, &mut out, id, symbol.clone()) {
            Some(def) => builder.fill(slot, def),
            // Its problem is reported; a stand-in keeps the later passes going, so
            // they report theirs in the same run (nothing is emitted).
            None => builder.fill(slot, shapes::stand_in(id, symbol.clone(), slot)),
        }
    }
    let mut defs = builder.finish();
    box_recursive_members(&mut defs);
    compute_caps(&mut defs);
    compute_validation(&mut defs);

    let mut operations = Vec::new();
    for id in &operations_ids {
        if let Some(mut op) =
            operations::build_operation(&model, &mut out, id, service.as_deref(), &symbols, &defs)
        {
            op.endpoint_params =
                endpoint_params::endpoint_params(&model, &mut out, id, op.input, &defs);
            operations.push(op);
        }
    }
    pagination::apply_traits(&model, &mut out, &mut operations, service.as_deref(), &defs);
    pagination::apply_overrides(overrides, &mut operations, &defs, &mut out.warnings);
    symbols::name_client_methods(table, &mut operations, &mut out.errors);
    operations.sort_by(|a, b| a.module.cmp(&b.module));
    assign_roles(&operations, &mut defs);
    features::name_features(&mut operations);
    let def_features = features::def_features(&operations, &defs);
    protocol_tests::attach(
        &|id| table.traits(id),
        &|id| table.location(id),
        &mut operations,
        &defs,
        &mut out.errors,
    );

    if !out.errors.is_empty() {
        return Err(out.errors);
    }

    let mut stats = Stats::default();
    for id in &closure {
        if id.starts_with("smithy.api#") {
            continue;
        }
        stats.shapes += 1;
        match table.shape(id) {
            Some(Shape::Operation(_)) => stats.operations += 1,
            Some(Shape::List(_)) => stats.lists += 1,
            Some(Shape::Map(_)) => stats.maps += 1,
            Some(shape) => match named_kind(shape) {
                Some(NamedKind::Structure) => stats.structures += 1,
                Some(NamedKind::Union) => stats.unions += 1,
                Some(NamedKind::Enum | NamedKind::IntEnum) => stats.enums += 1,
                None => {}
            },
            None => {}
        }
    }
    stats.paginated = operations.iter().filter(|o| o.pagination.is_some()).count();

    Ok(Ir {
        sources: source_names,
        service: service_ir,
        defs,
        operations,
        stats,
        def_features,
        warnings: out.warnings,
    })
}

/// Marks each operation's input and output structure with its role (the first
/// operation by module wins when several share one).
fn assign_roles(operations: &[Operation], defs: &mut Defs) {
    for op in operations.iter().rev() {
        let roles = [
            (op.input, StructureRole::Input(op.name.clone())),
            (op.output, StructureRole::Output(op.name.clone())),
        ];
        for (id, role) in roles.into_iter().rev() {
            if let Some(id) = id {
                defs.structure_mut(id).role = role;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One small service through every pass; the IR's debug form is snapshotted, so a
    /// change in any pass's decisions (names, modules, optionality, bindings, boxing,
    /// capabilities, pagination) shows in review without reading the emitted Rust.
    #[test]
    fn a_small_service_lowers_to_this_ir() {
        let ir = testing::lowered(
            r#"{"smithy": "2.0", "shapes": {
                "ex#Svc": {"type": "service", "version": "2024-01-01",
                           "operations": [{"target": "ex#ListThings"}],
                           "traits": {"aws.api#service": {"sdkId": "Things"}, "aws.protocols#restJson1": {}}},
                "ex#ListThings": {"type": "operation",
                    "input": {"target": "ex#ListThingsRequest"}, "output": {"target": "ex#ListThingsResponse"},
                    "errors": [{"target": "ex#Missing"}],
                    "traits": {"smithy.api#readonly": {}, "smithy.api#http": {"method": "GET", "uri": "/owners/{Owner}/things"},
                               "smithy.api#paginated": {"inputToken": "NextToken", "outputToken": "NextToken", "items": "Items", "pageSize": "Limit"}}},
                "ex#ListThingsRequest": {"type": "structure", "members": {
                    "Owner": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}},
                    "NextToken": {"target": "smithy.api#String", "traits": {"smithy.api#httpQuery": "nextToken"}},
                    "Limit": {"target": "smithy.api#Integer", "traits": {"smithy.api#httpQuery": "limit", "smithy.api#range": {"min": 1, "max": 50}}}
                }},
                "ex#ListThingsResponse": {"type": "structure", "members": {
                    "Items": {"target": "ex#Things", "traits": {"smithy.api#jsonName": "items"}},
                    "NextToken": {"target": "smithy.api#String", "traits": {"smithy.api#jsonName": "nextToken"}}
                }},
                "ex#Things": {"type": "list", "member": {"target": "ex#Thing"}},
                "ex#Thing": {"type": "structure", "members": {
                    "Kind": {"target": "ex#Kind"},
                    "Parent": {"target": "ex#Thing"},
                    "Weight": {"target": "smithy.api#Double"}
                }},
                "ex#Kind": {"type": "enum", "members": {
                    "SMALL": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "small"}}
                }},
                "ex#Missing": {"type": "structure", "members": {"Message": {"target": "smithy.api#String"}},
                               "traits": {"smithy.api#error": "client", "smithy.api#httpError": 404}}
            }}"#,
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        insta::assert_debug_snapshot!(ir);
    }
}
