//! The operations pass: the service's metadata and each operation of the closure, with
//! its input and output structures, its errors (the operation's, then the service's)
//! and its HTTP binding.

use serde_json::Value;

use super::symbols::{Symbols, shape_name};
use super::traits::{
    self, AWS_QUERY_COMPATIBLE, AWS_SERVICE, ENDPOINT_RULE_SET, HTTP_CHECKSUM_REQUIRED, SIGV4,
    TITLE, doc_of, has,
};
use super::{DefId, Defs, Model, Operation, Protocol, Service, Sink, StructureId, http};
use crate::diag::Error;
use crate::names;
use crate::prelude;
use crate::read::{self, Shape};

use super::model::ShapeTable;

/// The service's metadata (sdk id, signing name, protocol, endpoint rules, ...).
pub(crate) fn build_service(table: &ShapeTable, out: &mut Sink<'_>, id: &str) -> Service {
    let traits = table.traits(id);
    let version = match table.shape(id) {
        Some(Shape::Service(s)) => s.version.clone(),
        _ => None,
    };
    let protocol = Protocol::of(traits.keys());
    let query_compatible = has(traits, AWS_QUERY_COMPATIBLE);
    let sdk_id =
        traits::field(traits, AWS_SERVICE, "sdkId").unwrap_or_else(|| shape_name(id).to_owned());
    let endpoint_rules = traits::endpoint_rule_set(traits).and_then(|rules| {
        // Checked now (unknown function, unbound name, bad template), so a generated
        // crate never refuses its own rules at a user's first request.
        match apigw_runtime::endpoint::RuleSet::from_json(rules) {
            Ok(_) => Some(compact_without_documentation(rules)),
            Err(e) => {
                out.trait_error(id, ENDPOINT_RULE_SET, e.to_string());
                None
            }
        }
    });
    Service {
        name: shape_name(id).to_owned(),
        client_trait: names::pascal(&sdk_id),
        sdk_id,
        version,
        title: traits::string(traits, TITLE),
        docs: doc_of(traits),
        signing_name: traits::field(traits, SIGV4, "name"),
        endpoint_prefix: traits::field(traits, AWS_SERVICE, "endpointPrefix"),
        protocol,
        query_compatible,
        endpoint_rules,
    }
}

/// A rule set as compact JSON without the `documentation` of its rules and parameters
/// (a rule set carried as data needs none; an endpoint's own `properties` and
/// `headers` are kept whole), object members sorted by name: the same text whichever
/// map serde_json was built with (another crate in the build may turn `preserve_order`
/// on).
fn compact_without_documentation(value: &Value) -> String {
    fn write(value: &Value, out: &mut String, strip: bool) {
        match value {
            Value::Object(map) => {
                let mut members: Vec<(&String, &Value)> = map
                    .iter()
                    .filter(|(k, _)| !(strip && k.as_str() == "documentation"))
                    .collect();
                members.sort_by(|a, b| a.0.cmp(b.0));
                out.push('{');
                for (i, (k, v)) in members.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push(':');
                    let data = matches!(k.as_str(), "properties" | "headers");
                    write(v, out, strip && !data);
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(v, out, strip);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(value, &mut out, true);
    out
}

#[cfg(test)]
mod compact_tests {
    use super::*;

    /// Rules and parameters lose their documentation, an endpoint's properties keep
    /// every member, and members come out sorted.
    #[test]
    fn rule_documentation_goes_endpoint_properties_stay() {
        let rules = serde_json::json!({
            "version": "1.0",
            "parameters": {"R": {"type": "string", "documentation": "d"}},
            "rules": [{"documentation": "d", "type": "endpoint", "conditions": [],
                       "endpoint": {"url": "u", "properties": {"documentation": "kept", "b": 1}}}]
        });
        assert_eq!(
            compact_without_documentation(&rules),
            r#"{"parameters":{"R":{"type":"string"}},"rules":[{"conditions":[],"endpoint":{"properties":{"b":1,"documentation":"kept"},"url":"u"},"type":"endpoint"}],"version":"1.0"}"#
        );
    }
}

/// Operation `id`: its input, output and errors, and `@http` (typed and checked
/// against the input's labels). Pagination is the pagination pass's.
pub(crate) fn build_operation(
    model: &Model<'_>,
    out: &mut Sink<'_>,
    id: &str,
    service: Option<&str>,
    symbols: &Symbols,
    defs: &Defs,
) -> Option<Operation> {
    let Some(Shape::Operation(op)) = model.shape(id) else {
        return None;
    };
    let names = symbols.operations.get(id)?.clone();
    let input = structure_ref(model, out, id, &op.input, "input");
    let output = structure_ref(model, out, id, &op.output, "output");
    let errors = operation_errors(model, out, id, op, service, defs);
    let location = model.location(id);
    // awsJson sends every operation as `POST /`: an `@http` trait some of its models
    // carry (for other protocols) does not apply.
    let mut http = traits::http(&op.traits)
        .filter(|_| !model.json_rpc)
        .and_then(|v| http::http_trait(id, v, &location, &mut out.errors));
    if let Some(http) = &mut http {
        let input = input.map(|i| defs.structure(i));
        http::check_labels(id, http, input, &location, &mut out.errors);
    }
    let host_prefix = traits::endpoint(&op.traits).and_then(|e| {
        let input = input.map(|i| defs.structure(i));
        http::host_prefix(id, e, input, &location, &mut out.errors)
    });
    Some(Operation {
        id: id.to_owned(),
        name: shape_name(id).to_owned(),
        client_method: names.module.clone(),
        paginator_method: None,
        endpoint_params: Vec::new(),
        feature: String::new(),
        checksum_required: has(&op.traits, HTTP_CHECKSUM_REQUIRED),
        request_compression: traits::request_compression(&op.traits),
        host_prefix,
        request_tests: Vec::new(),
        response_tests: Vec::new(),
        module: names.module,
        error_enum: names.error_enum,
        marker: names.marker,
        docs: doc_of(&op.traits),
        input,
        output,
        errors,
        http,
        pagination: None,
    })
}

/// An operation's input or output: the structure it targets, `None` for Unit; a
/// target that is not a structure is an error.
fn structure_ref(
    model: &Model<'_>,
    out: &mut Sink<'_>,
    id: &str,
    r: &Option<read::ShapeRef>,
    role: &str,
) -> Option<StructureId> {
    let target = &r.as_ref()?.target;
    if target == prelude::UNIT {
        return None;
    }
    match model.refs.get(target).map(|r| r.id) {
        Some(DefId::Structure(s)) => Some(s),
        _ => {
            out.error(
                id,
                Error::InvalidTarget {
                    id: id.to_owned(),
                    message: format!("{role} {target} is not a structure"),
                },
            );
            None
        }
    }
}

/// The operation's errors, then the service's, each once; a target that is not an
/// error structure is an error.
fn operation_errors(
    model: &Model<'_>,
    out: &mut Sink<'_>,
    id: &str,
    op: &read::OperationShape,
    service: Option<&str>,
    defs: &Defs,
) -> Vec<StructureId> {
    let service_errors: Vec<String> = match service.and_then(|s| model.shape(s)) {
        Some(Shape::Service(s)) => s.errors.iter().map(|r| r.target.clone()).collect(),
        _ => Vec::new(),
    };
    let mut errors = Vec::new();
    for target in op
        .errors
        .iter()
        .map(|r| r.target.clone())
        .chain(service_errors)
    {
        match model.refs.get(&target).map(|r| r.id) {
            Some(DefId::Structure(s)) if defs.structure(s).error.is_some() => {
                if !errors.contains(&s) {
                    errors.push(s)
                }
            }
            _ => out.error(
                id,
                Error::InvalidTarget {
                    id: id.to_owned(),
                    message: format!("error {target} is not a structure with the error trait"),
                },
            ),
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use crate::ir::testing::lowered;

    /// awsJson binds nothing: `@http` (which some awsJson models carry, with labels)
    /// and the member binding traits are not read, and `@jsonName` does not rename.
    #[test]
    fn an_aws_json_service_ignores_http_bindings_and_json_names() {
        let ir = lowered(
            r#"{"smithy": "2.0", "shapes": {
                "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Delete"}],
                           "traits": {"aws.protocols#awsJson1_0": {}, "aws.protocols#awsQueryCompatible": {}}},
                "ex#Delete": {"type": "operation", "input": {"target": "ex#In"},
                              "traits": {"smithy.api#http": {"method": "DELETE", "uri": "/plans/{Id}"}}},
                "ex#In": {"type": "structure", "members": {
                    "Id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
                    "Tag": {"target": "smithy.api#String",
                            "traits": {"smithy.api#httpHeader": "x-tag", "smithy.api#jsonName": "tag"}}}}
            }}"#,
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        let service = ir.service.as_ref().unwrap();
        assert_eq!(service.protocol, Some(crate::ir::Protocol::AwsJson1_0));
        assert!(service.query_compatible);
        assert_eq!(service.name, "Svc");
        assert_eq!(ir.operations[0].http, None);
        let input = ir
            .defs
            .find_structure("ex#In")
            .expect("the input is a structure");
        let tag = &input.members[1];
        assert_eq!(
            (tag.wire.as_str(), &tag.http),
            ("Tag", &crate::ir::HttpLocation::Body)
        );
    }

    #[test]
    fn errors_come_operation_first_and_paginated_merges_with_the_service() {
        let ir = lowered(
            r#"{"smithy": "2.0", "shapes": {
                "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#List"}],
                           "errors": [{"target": "ex#Throttled"}],
                           "traits": {"smithy.api#paginated": {"inputToken": "Token", "outputToken": "Next"}}},
                "ex#List": {"type": "operation", "input": {"target": "ex#In"}, "output": {"target": "ex#Out"},
                            "errors": [{"target": "ex#Missing"}],
                            "traits": {"smithy.api#paginated": {"items": "Things"}}},
                "ex#In": {"type": "structure", "members": {"Token": {"target": "smithy.api#String"}}},
                "ex#Out": {"type": "structure", "members": {
                    "Next": {"target": "smithy.api#String"},
                    "Things": {"target": "ex#Things"}}},
                "ex#Things": {"type": "list", "member": {"target": "smithy.api#String"}},
                "ex#Missing": {"type": "structure", "traits": {"smithy.api#error": "client"}},
                "ex#Throttled": {"type": "structure", "traits": {"smithy.api#error": "server"}}
            }}"#,
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        let op = &ir.operations[0];
        let errors: Vec<&str> = op
            .errors
            .iter()
            .map(|&e| ir.defs.structure(e).id.as_str())
            .collect();
        assert_eq!(errors, ["ex#Missing", "ex#Throttled"]);
        let p = op.pagination.as_ref().expect("paginated");
        assert_eq!(
            (
                p.input_token.as_str(),
                p.output_token.join("."),
                p.items.as_ref().map(|i| i.join("."))
            ),
            ("Token", "Next".to_owned(), Some("Things".to_owned())),
            "the tokens from the service, the items from the operation"
        );
        assert_eq!(op.http, None, "no @http: nothing invented");
    }
}
