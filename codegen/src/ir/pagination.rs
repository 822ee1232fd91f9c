//! The pagination pass: reads an operation's pagination metadata (its
//! `smithy.api#paginated` trait merged with the service's, or a botocore
//! `paginators-1.json`-form override file), checks it against the definitions of its
//! input and output, and attaches what holds.

use serde_json::Value;

use super::traits;
use super::{
    DefId, Defs, Member, MemberStep, Model, NamedRef, Operation, Pagination, PaginationPaths,
    PaginationSource, Sink, StructureId, Ty,
};
use crate::diag::{Diagnostic, Error, Location};
use crate::read;

/// The members along a dotted member path from `structure`, through nested
/// structures, with their steps.
fn resolve_path<'a>(
    defs: &'a Defs,
    structure: StructureId,
    path: &[String],
) -> Option<Vec<(MemberStep, &'a Member)>> {
    let mut current = structure;
    let mut found = Vec::new();
    for (i, name) in path.iter().enumerate() {
        let s = defs.structure(current);
        let (index, member) = s
            .members
            .iter()
            .enumerate()
            .find(|(_, m)| m.name == *name)?;
        found.push((
            MemberStep {
                structure: current,
                member: index,
            },
            member,
        ));
        if i + 1 < path.len() {
            match &member.ty {
                Ty::Named(NamedRef {
                    id: DefId::Structure(next),
                    ..
                }) => current = *next,
                _ => return None,
            }
        }
    }
    Some(found)
}

/// Checks `p` against `op`'s input and output: the tokens are strings (or maps of one
/// type: a JSON token, as DynamoDB's keys), the items a list or map, the page size an
/// integer or a string. Every problem becomes a diagnostic at `location`; when there is
/// none, the members the names resolve to.
pub(crate) fn check(
    op: &Operation,
    p: &Pagination,
    defs: &Defs,
    location: &Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<PaginationPaths> {
    let mut ok = true;
    // A problem with the model (an error), or pagination this crate cannot serve in a
    // model that may be sound (`left_out`: a warning).
    let mut report = |message: String, left_out: bool| {
        ok = false;
        let id = op.id.clone();
        diagnostics.push(Diagnostic {
            location: location.clone(),
            error: if left_out {
                Error::LeftOut {
                    id,
                    why: format!("pagination skipped: {message}"),
                }
            } else {
                Error::Pagination { id, message }
            },
        });
    };
    // A token is a string, or a map (carried as JSON).
    let is_token = |ty: &Option<Ty>| matches!(ty, Some(Ty::String | Ty::Map(..)));
    let not_a_token = |which: &str, member: &str| {
        format!("{which} member {member} is neither a string nor a map")
    };
    let (Some(input), Some(output)) = (op.input, op.output) else {
        report("needs an input and an output structure".into(), false);
        return None;
    };
    let mut paths = PaginationPaths::default();
    let last_ty = |path: &[(MemberStep, &Member)]| path.last().map(|(_, m)| m.ty.clone());
    let positions = |path: Vec<(MemberStep, &Member)>| path.into_iter().map(|(s, _)| s).collect();
    let (input_name, output_name) = (
        defs.structure(input).id.as_str(),
        defs.structure(output).id.as_str(),
    );
    let mut input_token_ty = None;
    match resolve_path(defs, input, std::slice::from_ref(&p.input_token)) {
        Some(path) if is_token(&last_ty(&path)) => {
            input_token_ty = last_ty(&path);
            paths.input_token = positions(path);
        }
        Some(_) => report(not_a_token("inputToken", &p.input_token), false),
        None => report(
            format!(
                "inputToken member {} not found in {input_name}",
                p.input_token
            ),
            false,
        ),
    }
    let output_token = p.output_token.join(".");
    match resolve_path(defs, output, &p.output_token) {
        Some(path) if is_token(&last_ty(&path)) => {
            let ty = last_ty(&path);
            if input_token_ty.is_some() && ty != input_token_ty {
                // Tokens of two types cannot be passed from page to page: a model that
                // may still be sound otherwise, so a warning, not a refusal.
                report(
                    format!(
                        "outputToken member {output_token} is not of the type of inputToken member {}",
                        p.input_token
                    ),
                    true,
                );
            }
            paths.output_token = positions(path);
        }
        Some(_) => report(not_a_token("outputToken", &output_token), false),
        None => report(
            format!("outputToken member {output_token} not found in {output_name}"),
            false,
        ),
    }
    if let Some(items_path) = &p.items {
        let items = items_path.join(".");
        match resolve_path(defs, output, items_path) {
            Some(path) if matches!(last_ty(&path), Some(Ty::List(_) | Ty::Map(..))) => {
                paths.items = positions(path);
            }
            Some(_) => report(format!("items member {items} is not a list or map"), false),
            None => report(
                format!("items member {items} not found in {output_name}"),
                false,
            ),
        }
    }
    if let Some(size) = &p.page_size {
        match resolve_path(defs, input, std::slice::from_ref(size)) {
            Some(path) if last_ty(&path).is_some_and(|t| t.is_integer() || t == Ty::String) => {
                paths.page_size = positions(path);
            }
            Some(_) => report(
                format!("pageSize member {size} is neither an integer nor a string"),
                false,
            ),
            None => report(
                format!("pageSize member {size} not found in {input_name}"),
                false,
            ),
        }
    }
    ok.then_some(paths)
}

/// The model's own `@paginated` traits: each operation's, merged with the service's
/// (which gives defaults for any field), checked against its input and output. A
/// problem in the model is an error; pagination here does not serve (a map token) is
/// a warning.
pub(crate) fn apply_traits(
    model: &Model<'_>,
    out: &mut Sink<'_>,
    operations: &mut [Operation],
    service: Option<&str>,
    defs: &Defs,
) {
    let service_defaults = service
        .and_then(|s| model.shape(s))
        .and_then(|s| traits::paginated(s.traits()))
        .cloned()
        .unwrap_or(Value::Null);
    for op in operations {
        let Some(paginated) = model
            .shape(&op.id)
            .and_then(|s| traits::paginated(s.traits()))
            .cloned()
        else {
            continue;
        };
        let field = |k: &str| {
            paginated
                .get(k)
                .or_else(|| service_defaults.get(k))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let (Some(input_token), Some(output_token)) = (field("inputToken"), field("outputToken"))
        else {
            out.error(
                &op.id,
                Error::Pagination {
                    id: op.id.clone(),
                    message:
                        "trait needs inputToken and outputToken (on the operation or the service)"
                            .into(),
                },
            );
            continue;
        };
        let mut pagination = Pagination {
            input_token,
            output_token: output_token.split('.').map(str::to_owned).collect(),
            items: field("items").map(|i| i.split('.').map(str::to_owned).collect()),
            page_size: field("pageSize"),
            source: PaginationSource::Trait,
            paths: PaginationPaths::default(),
        };
        let location = model.location(&op.id);
        let mut problems = Vec::new();
        let checked = check(op, &pagination, defs, &location, &mut problems);
        for problem in problems {
            match problem.error {
                Error::LeftOut { .. } => out.warnings.push(problem),
                _ => out.errors.push(problem),
            }
        }
        if let Some(paths) = checked {
            pagination.paths = paths;
            op.pagination = Some(pagination);
        }
    }
}

/// Applies botocore `paginators-1.json`-form files: each entry that checks out becomes
/// its operation's pagination. Problems are reported at the entry's place in its file.
///
/// An entry that does not fit the model (an operation or member it lacks, a path of the
/// wrong type) is skipped with a warning: botocore's files are kept beside many model
/// versions, and one stale entry must not stop the rest. An entry asking for what
/// pagination here does not support (several tokens, `more_results`) is skipped too.
pub(crate) fn apply_overrides(
    files: &[read::PaginationFile],
    operations: &mut [Operation],
    defs: &Defs,
    warnings: &mut Vec<Diagnostic>,
) {
    for file in files {
        for (name, entry, line_col) in &file.entries {
            let location = Location {
                file: file.name.clone(),
                line_col: Some(*line_col),
            };
            let report = |warnings: &mut Vec<Diagnostic>, id: String, message: String| {
                warnings.push(Diagnostic {
                    location: location.clone(),
                    error: Error::LeftOut {
                        id,
                        why: format!("pagination entry {name:?} skipped: {message}"),
                    },
                });
            };
            let Some(op) = operations.iter_mut().find(|o| &o.name == name) else {
                report(
                    warnings,
                    name.clone(),
                    "override names an operation the model does not have".into(),
                );
                continue;
            };
            let single = |v: &read::OneOrMany| match v.as_slice() {
                [one] => Ok(one.clone()),
                many => Err(many.join(", ")),
            };
            let input_token = single(&entry.input_token);
            let output_token = single(&entry.output_token);
            let items = entry.result_key.as_ref().map(single).transpose();
            let (input_token, output_token, items) = match (input_token, output_token, items) {
                (Ok(i), Ok(o), Ok(r)) => (i, o, r),
                _ => {
                    report(
                        warnings,
                        op.id.clone(),
                        "several tokens or result keys are not supported".into(),
                    );
                    continue;
                }
            };
            if entry.more_results.is_some() {
                report(
                    warnings,
                    op.id.clone(),
                    "more_results is not supported".into(),
                );
                continue;
            }
            let mut pagination = Pagination {
                input_token,
                output_token: output_token.split('.').map(str::to_owned).collect(),
                items: items.map(|i| i.split('.').map(str::to_owned).collect()),
                page_size: entry.limit_key.clone(),
                source: PaginationSource::Override(file.name.clone()),
                paths: PaginationPaths::default(),
            };
            // Problems of an override belong to the override file, not the model.
            let mut problems = Vec::new();
            match check(op, &pagination, defs, &location, &mut problems) {
                Some(paths) if problems.is_empty() => {
                    pagination.paths = paths;
                    op.pagination = Some(pagination);
                }
                _ => {
                    for problem in problems {
                        let message = match problem.error {
                            Error::Pagination { message, .. } => message,
                            Error::LeftOut { why, .. } => why,
                            other => other.to_string(),
                        };
                        report(warnings, op.id.clone(), message);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Symbol;
    use crate::ir::defs::hand_built;
    use crate::ir::testing::{list_of, map_of, member, structure};

    /// `ListThings(In) -> Out`, where Out nests its token in `Page`; with `Key`, a map,
    /// last in In and Out when `map_key`.
    fn defs_with(map_key: bool) -> Defs {
        hand_built(|named| {
            let key = || member("Key", map_of(Ty::String, Ty::String));
            let mut input = vec![
                member("NextToken", Ty::String),
                member("Limit", Ty::Integer),
                member("Flag", Ty::Boolean),
            ];
            let mut output = vec![
                member("Items", list_of(Ty::String)),
                member("Page", named("ex#Page")),
                member("Count", Ty::Integer),
            ];
            if map_key {
                input.push(key());
                output.push(key());
            }
            vec![
                structure("ex#In", input),
                structure("ex#Out", output),
                structure("ex#Page", vec![member("Token", Ty::String)]),
            ]
        })
    }

    fn defs() -> Defs {
        defs_with(false)
    }

    fn structure_id(defs: &Defs, id: &str) -> StructureId {
        match defs.find(id) {
            Some(DefId::Structure(s)) => s,
            other => panic!("{id} is {other:?}"),
        }
    }

    /// The member positions along a path.
    fn positions(path: &[MemberStep]) -> Vec<usize> {
        path.iter().map(|s| s.member).collect()
    }

    fn operation() -> Operation {
        Operation {
            id: "ex#ListThings".into(),
            name: "ListThings".into(),
            module: "list_things".into(),
            marker: Symbol {
                module: vec!["operation".into(), "list_things".into()],
                name: "ListThings".into(),
            },
            error_enum: Symbol {
                module: vec!["operation".into(), "list_things".into()],
                name: "ListThingsError".into(),
            },
            docs: None,
            input: Some(structure_id(&defs(), "ex#In")),
            output: Some(structure_id(&defs(), "ex#Out")),
            errors: Vec::new(),
            http: None,
            pagination: None,
            client_method: "list_things".into(),
            paginator_method: None,
            endpoint_params: Vec::new(),
            feature: String::new(),
            checksum_required: false,
            request_compression: Vec::new(),
            host_prefix: None,
            request_tests: Vec::new(),
            response_tests: Vec::new(),
        }
    }

    fn pagination(
        input: &str,
        output: &str,
        items: Option<&str>,
        size: Option<&str>,
    ) -> Pagination {
        Pagination {
            input_token: input.into(),
            output_token: output.split('.').map(str::to_owned).collect(),
            items: items.map(|i| i.split('.').map(str::to_owned).collect()),
            page_size: size.map(str::to_owned),
            source: PaginationSource::Trait,
            paths: PaginationPaths::default(),
        }
    }

    fn at() -> Location {
        Location {
            file: "model.json".into(),
            line_col: Some((3, 5)),
        }
    }

    fn messages(diagnostics: &[Diagnostic]) -> Vec<String> {
        diagnostics.iter().map(|d| d.error.to_string()).collect()
    }

    #[test]
    fn metadata_that_fits_the_shapes_passes_through_nested_paths() {
        let mut diagnostics = Vec::new();
        let p = pagination("NextToken", "Page.Token", Some("Items"), Some("Limit"));
        let paths = check(&operation(), &p, &defs(), &at(), &mut diagnostics).unwrap();
        // Positions: In is (NextToken, Limit, Flag), Out (Items, Page, Count), Page (Token).
        assert_eq!(positions(&paths.input_token), [0]);
        assert_eq!(positions(&paths.output_token), [1, 0], "each step resolved");
        let structures: Vec<StructureId> = paths.output_token.iter().map(|s| s.structure).collect();
        assert_eq!(
            structures,
            [
                structure_id(&defs(), "ex#Out"),
                structure_id(&defs(), "ex#Page")
            ],
            "each step in the structure it reads"
        );
        assert_eq!(positions(&paths.items), [0]);
        assert_eq!(positions(&paths.page_size), [1]);
        assert!(diagnostics.is_empty(), "{:?}", messages(&diagnostics));
    }

    #[test]
    fn every_problem_is_reported_with_the_operation_and_member() {
        let mut diagnostics = Vec::new();
        let p = pagination("Missing", "Count", Some("Page"), Some("Flag"));
        assert_eq!(
            check(&operation(), &p, &defs(), &at(), &mut diagnostics),
            None
        );
        assert_eq!(
            messages(&diagnostics),
            [
                "ex#ListThings: pagination inputToken member Missing not found in ex#In",
                "ex#ListThings: pagination outputToken member Count is neither a string nor a map",
                "ex#ListThings: pagination items member Page is not a list or map",
                "ex#ListThings: pagination pageSize member Flag is neither an integer nor a string",
            ]
        );
        assert!(diagnostics.iter().all(|d| d.location == at()));
        // A path that runs through a non-structure member does not resolve.
        let mut diagnostics = Vec::new();
        let p = pagination("NextToken", "Count.Token", None, None);
        assert_eq!(
            check(&operation(), &p, &defs(), &at(), &mut diagnostics),
            None
        );
        assert_eq!(
            messages(&diagnostics),
            ["ex#ListThings: pagination outputToken member Count.Token not found in ex#Out"]
        );
    }

    /// A map token (DynamoDB's `ExclusiveStartKey`/`LastEvaluatedKey`) paginates as a
    /// JSON token when both tokens are maps of one type; a map against a string is left
    /// out with a warning.
    #[test]
    fn map_tokens_of_one_type_paginate_and_mixed_tokens_are_left_out() {
        let defs = defs_with(true);
        let mut diagnostics = Vec::new();
        let p = pagination("Key", "Key", Some("Items"), None);
        let paths = check(&operation(), &p, &defs, &at(), &mut diagnostics).expect("a JSON token");
        assert_eq!(positions(&paths.input_token), [3]);
        assert_eq!(positions(&paths.output_token), [3]);
        assert!(diagnostics.is_empty(), "{:?}", messages(&diagnostics));

        let p = pagination("Key", "Page.Token", Some("Items"), None);
        assert_eq!(
            check(&operation(), &p, &defs, &at(), &mut diagnostics),
            None
        );
        assert_eq!(
            messages(&diagnostics),
            [
                "ex#ListThings: left out: pagination skipped: outputToken member Page.Token is not of the type of inputToken member Key"
            ]
        );
    }

    /// An override file of `(operation, entry JSON, line)`.
    fn file(entries: &[(&str, &str, usize)]) -> read::PaginationFile {
        read::PaginationFile {
            name: "paginators.json".into(),
            entries: entries
                .iter()
                .map(|(name, json, line)| {
                    (
                        (*name).to_owned(),
                        serde_json::from_str(json).unwrap(),
                        (*line, 5),
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn overrides_attach_what_checks_out_and_skip_the_rest_with_a_warning_in_their_file() {
        let mut operations = vec![operation()];
        let mut diagnostics = Vec::new();
        let overrides = file(&[
            (
                "ListThings",
                r#"{"input_token": "NextToken", "output_token": "Page.Token", "result_key": "Items", "limit_key": "Limit"}"#,
                2,
            ),
            (
                "Gone",
                r#"{"input_token": "NextToken", "output_token": "NextToken"}"#,
                3,
            ),
        ]);
        apply_overrides(&[overrides], &mut operations, &defs(), &mut diagnostics);
        let attached = operations[0].pagination.as_ref().expect("attached");
        assert_eq!(
            (attached.source.clone(), attached.paths.output_token.len()),
            (PaginationSource::Override("paginators.json".into()), 2)
        );
        assert_eq!(
            Pagination {
                paths: PaginationPaths::default(),
                ..attached.clone()
            },
            Pagination {
                source: PaginationSource::Override("paginators.json".into()),
                ..pagination("NextToken", "Page.Token", Some("Items"), Some("Limit"))
            }
        );
        assert_eq!(
            messages(&diagnostics),
            [
                "Gone: left out: pagination entry \"Gone\" skipped: override names an operation the model does not have"
            ]
        );
        assert_eq!(diagnostics[0].location.file, "paginators.json");
        assert_eq!(diagnostics[0].location.line_col, Some((3, 5)));

        let mut operations = vec![operation()];
        let mut diagnostics = Vec::new();
        let overrides = file(&[(
            "ListThings",
            r#"{"input_token": ["NextToken", "Other"], "output_token": "Page.Token"}"#,
            2,
        )]);
        apply_overrides(&[overrides], &mut operations, &defs(), &mut diagnostics);
        assert_eq!(operations[0].pagination, None);
        assert_eq!(
            messages(&diagnostics),
            [
                "ex#ListThings: left out: pagination entry \"ListThings\" skipped: several tokens or result keys are not supported"
            ]
        );
        let mut diagnostics = Vec::new();
        let overrides = file(&[(
            "ListThings",
            r#"{"input_token": "NextToken", "output_token": "Missing"}"#,
            2,
        )]);
        apply_overrides(&[overrides], &mut operations, &defs(), &mut diagnostics);
        assert_eq!(operations[0].pagination, None, "nothing attached");
        assert_eq!(
            diagnostics[0].location.file, "paginators.json",
            "located in the override file"
        );
        assert_eq!(
            messages(&diagnostics),
            [
                "ex#ListThings: left out: pagination entry \"ListThings\" skipped: outputToken member Missing not found in ex#Out"
            ]
        );
    }
}
