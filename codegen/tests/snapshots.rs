//! Snapshot review of the generator's output: every generated file of the naming
//! obstacle course and the HTTP bindings fixture (the bundled model's crate is committed
//! and pinned by the freshness test instead), one emitter at a time on tiny inline models, and the
//! error output for a corpus of broken models. Review changes with `cargo insta review`;
//! CI runs with `INSTA_UPDATE=no`, so a changed snapshot fails instead of being accepted.

use std::fs;
use std::path::{Path, PathBuf};

use apigw_codegen::{CrateConfig, GeneratedFile, Input, generate};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The configuration `cargo xtask codegen` uses for `crates/apigw-model`.
fn model_config() -> CrateConfig {
    CrateConfig {
        name: "apigw-model".into(),
        version: "0.1.0".into(),
        runtime_dependency: "{ path = \"../apigw-runtime\" }".into(),
        paginator_dependency: "{ path = \"../apigw-paginator\" }".into(),
        client_dependency: "{ path = \"../apigw-client\" }".into(),
        views: true,
    }
}

/// Every `*.json` in `dir`, named relative to `base`.
fn inputs_in(dir: &Path, base: &Path) -> Vec<Input> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| Input {
            name: p
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/"),
            text: fs::read_to_string(p).unwrap(),
        })
        .collect()
}

fn inline(text: &str) -> Vec<Input> {
    vec![Input {
        name: "inline.json".into(),
        text: text.into(),
    }]
}

/// The files generated from one inline model.
fn generate_inline(text: &str) -> Vec<GeneratedFile> {
    generate(&inline(text), &model_config())
        .unwrap_or_else(|e| panic!("the inline model is valid:\n{e}"))
        .files
}

fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} was not generated"))
        .contents
}

/// Snapshots every file, and checks that no snapshot of `prefix` is left over from a
/// file the generator no longer writes (a green run must not hide an orphan).
fn snapshot_all(prefix: &str, files: &[GeneratedFile]) {
    let mut expected = std::collections::BTreeSet::new();
    for f in files {
        let name = format!("{prefix}__{}", f.path.replace('/', "__"));
        expected.insert(format!("snapshots__{name}.snap"));
        insta::assert_snapshot!(name, &f.contents);
    }
    let start = format!("snapshots__{prefix}__");
    let on_disk: std::collections::BTreeSet<String> =
        fs::read_dir(crate_dir().join("tests/snapshots"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(&start) && n.ends_with(".snap"))
            .collect();
    let orphans: Vec<&String> = on_disk.difference(&expected).collect();
    assert!(
        orphans.is_empty(),
        "snapshots of files no longer generated (delete them): {orphans:?}"
    );
}

fn paths(files: &[GeneratedFile]) -> Vec<&str> {
    files.iter().map(|f| f.path.as_str()).collect()
}

/// The bundled model's files are pinned byte for byte by the freshness test
/// (`tests/codegen.rs`, against the committed `crates/apigw-model`), so they are not
/// snapshotted again here; this pins which files there are.
#[test]
fn bundled_model_generates_these_files() {
    let root = crate_dir().parent().unwrap().to_path_buf();
    let inputs = inputs_in(&root.join("model"), &root);
    let generated = generate(&inputs, &model_config()).unwrap();
    assert_eq!(
        paths(&generated.files),
        [
            "Cargo.toml",
            "src/client.rs",
            "src/error.rs",
            "src/lib.rs",
            "src/operation.rs",
            "src/operation/get_apis.rs",
            "src/operation/get_apis/view.rs",
            "src/operation/get_integrations.rs",
            "src/operation/get_integrations/view.rs",
            "src/types.rs",
            "src/types/view.rs",
        ]
    );
}

#[test]
fn naming_obstacle_course_every_generated_file() {
    let dir = crate_dir().join("tests/fixtures/naming");
    let generated = generate(&inputs_in(&dir, &dir), &model_config()).unwrap();
    assert_eq!(
        paths(&generated.files),
        [
            "Cargo.toml",
            "src/error.rs",
            "src/error/view.rs",
            "src/lib.rs",
            "src/operation.rs",
            "src/operation/list_things.rs",
            "src/operation/list_things/view.rs",
            "src/operation/match.rs",
            "src/operation/type.rs",
            "src/types.rs",
            "src/types/view.rs",
        ]
    );
    snapshot_all("naming", &generated.files);
}

#[test]
fn http_bindings_fixture_every_generated_file() {
    let dir = crate_dir().join("tests/fixtures/http");
    let generated = generate(&inputs_in(&dir, &dir), &model_config()).unwrap();
    assert_eq!(
        paths(&generated.files),
        [
            "Cargo.toml",
            "src/client.rs",
            "src/error.rs",
            "src/lib.rs",
            "src/operation.rs",
            "src/operation/describe_graph.rs",
            "src/operation/describe_graph/view.rs",
            "src/operation/get_object.rs",
            "src/operation/ping.rs",
            "src/operation/put_object.rs",
            "src/operation/put_object/view.rs",
            "src/operation/scan_things.rs",
            "src/operation/scan_things/view.rs",
            "src/types.rs",
        ]
    );
    snapshot_all("http", &generated.files);
}

#[test]
fn broken_models_report_every_problem_with_file_and_shape_id() {
    insta::glob!("fixtures/broken/*/model.json", |path| {
        let dir = path.parent().unwrap();
        let err = generate(&inputs_in(dir, dir), &model_config()).unwrap_err();
        insta::assert_snapshot!(err.to_string());
    });
}

/// What the generator leaves out (a stale botocore paginator entry, an event-stream
/// operation) is reported as a warning naming it and why, and the rest generates.
#[test]
fn what_is_left_out_is_warned_about_and_the_rest_generates() {
    insta::glob!("fixtures/warnings/*/model.json", |path| {
        let dir = path.parent().unwrap();
        let generated = generate(&inputs_in(dir, dir), &model_config())
            .unwrap_or_else(|e| panic!("{} does not generate: {e}", dir.display()));
        assert!(!generated.warnings.0.is_empty(), "no warning");
        let files: Vec<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
        insta::assert_snapshot!(format!(
            "{}\n\nfiles: {}",
            generated.warnings,
            files.join(", ")
        ));
    });
}

/// `smithy.test` cases become one test each in `src/protocol_tests.rs`: a request case
/// (params built through builders, every expectation passed on), a response case and an
/// error case (decoded as a client does). Server cases are left out.
#[test]
fn protocol_test_emitter_writes_one_test_per_client_case() {
    let files = generate_inline(
        r#"{"smithy": "2.0", "shapes": {
            "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Put"}],
                       "traits": {"aws.protocols#restJson1": {}}},
            "ex#Put": {"type": "operation", "input": {"target": "ex#PutInput"}, "output": {"target": "ex#PutOutput"},
                "errors": [{"target": "ex#Oops"}],
                "traits": {"smithy.api#http": {"method": "PUT", "uri": "/things/{Id}"},
                    "smithy.test#httpRequestTests": [
                        {"id": "PutsAThing", "protocol": "aws.protocols#restJson1", "method": "PUT", "uri": "/things/a",
                         "queryParams": ["tag=x"], "headers": {"X-Size": "2.5"}, "body": "{\"Tags\":[\"b\",null]}",
                         "bodyMediaType": "application/json",
                         "params": {"Id": "a", "Tag": "x", "Size": 2.5, "Tags": ["b", null]}},
                        {"id": "ServerOnly", "protocol": "aws.protocols#restJson1", "method": "PUT", "uri": "/things/a",
                         "appliesTo": "server", "params": {"Id": "a"}}
                    ],
                    "smithy.test#httpResponseTests": [
                        {"id": "ReadsAThing", "protocol": "aws.protocols#restJson1", "code": 200,
                         "headers": {"X-Kind": "big"}, "body": "{\"Ratio\": \"NaN\"}",
                         "params": {"Kind": "big", "Ratio": "NaN"}}
                    ]}},
            "ex#PutInput": {"type": "structure", "members": {
                "Id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}},
                "Tag": {"target": "smithy.api#String", "traits": {"smithy.api#httpQuery": "tag"}},
                "Size": {"target": "smithy.api#Double", "traits": {"smithy.api#httpHeader": "X-Size"}},
                "Tags": {"target": "ex#Tags"}
            }},
            "ex#Tags": {"type": "list", "member": {"target": "smithy.api#String"}, "traits": {"smithy.api#sparse": {}}},
            "ex#PutOutput": {"type": "structure", "members": {
                "Kind": {"target": "ex#Kind", "traits": {"smithy.api#httpHeader": "X-Kind"}},
                "Ratio": {"target": "smithy.api#Double"}
            }},
            "ex#Kind": {"type": "enum", "members": {"BIG": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "big"}}}},
            "ex#Oops": {"type": "structure", "members": {"Message": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#error": "client", "smithy.api#httpError": 400,
                    "smithy.test#httpResponseTests": [
                        {"id": "ReadsOops", "protocol": "aws.protocols#restJson1", "code": 400,
                         "headers": {"X-Amzn-Errortype": "Oops"}, "body": "{\"Message\": \"no\"}",
                         "params": {"Message": "no"}}
                    ]}}
        }}"#,
    );
    insta::assert_snapshot!(file(&files, "src/protocol_tests.rs"));
}

#[test]
fn enum_emitter_keeps_unknown_values_and_sanitizes_variants() {
    let files = generate_inline(
        r#"{"smithy": "2.0", "shapes": {
            "ex#Mode": {"type": "enum", "members": {
                "HTTP_PROXY": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "HTTP_PROXY", "smithy.api#documentation": "<p>Passed through.</p>"}},
                "v2": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "2.0"}}
            }},
            "ex#Level": {"type": "intEnum", "members": {
                "LOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}
            }}
        }}"#,
    );
    insta::assert_snapshot!(file(&files, "src/types.rs"));
}

#[test]
fn struct_emitter_optionality_constraints_and_builder() {
    let files = generate_inline(
        r#"{"smithy": "2.0", "shapes": {
            "ex#Thing": {"type": "structure", "members": {
                "Id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#jsonName": "id"}},
                "Size": {"target": "ex#Size", "traits": {"smithy.api#default": 3}},
                "Tags": {"target": "ex#Tags"},
                "Loose": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#clientOptional": {}}}
            }},
            "ex#Size": {"type": "integer", "traits": {"smithy.api#range": {"min": 1, "max": 9}}},
            "ex#Tags": {"type": "list", "member": {"target": "ex#Tag"}, "traits": {"smithy.api#length": {"max": 2}}},
            "ex#Tag": {"type": "string", "traits": {"smithy.api#length": {"min": 1}}}
        }}"#,
    );
    insta::assert_snapshot!(file(&files, "src/types.rs"));
}

#[test]
fn recursive_structures_are_boxed_only_on_the_cycle() {
    let files = generate_inline(
        r#"{"smithy": "2.0", "shapes": {
            "ex#Tree": {"type": "structure", "members": {
                "left": {"target": "ex#Tree"},
                "kids": {"target": "ex#Trees"},
                "leaf": {"target": "ex#Leaf"}
            }},
            "ex#Trees": {"type": "list", "member": {"target": "ex#Tree"}},
            "ex#Leaf": {"type": "structure", "members": {"v": {"target": "smithy.api#String"}}}
        }}"#,
    );
    let types = file(&files, "src/types.rs");
    assert!(
        types.contains("pub left: ::std::option::Option<::std::boxed::Box<crate::types::Tree>>")
    );
    assert!(types.contains("pub kids: ::std::option::Option<::std::vec::Vec<crate::types::Tree>>"));
    assert!(types.contains("pub leaf: ::std::option::Option<crate::types::Leaf>"));
}

#[test]
fn union_emitter_has_unit_and_adapted_variants() {
    let files = generate_inline(
        r#"{"smithy": "2.0", "shapes": {
            "ex#Choice": {"type": "union", "members": {
                "nothing": {"target": "smithy.api#Unit"},
                "when": {"target": "smithy.api#Timestamp"},
                "name": {"target": "smithy.api#String", "traits": {"smithy.api#length": {"max": 3}}}
            }}
        }}"#,
    );
    insta::assert_snapshot!(file(&files, "src/types.rs"));
}

#[test]
fn error_emitter_has_code_status_and_message() {
    let files = generate_inline(
        r#"{"smithy": "2.0", "shapes": {
            "ex#Conflict": {"type": "structure", "members": {
                "Message": {"target": "smithy.api#String", "traits": {"smithy.api#jsonName": "message"}}
            }, "traits": {"smithy.api#error": "client", "smithy.api#httpError": 409}}
        }}"#,
    );
    insta::assert_snapshot!(file(&files, "src/error.rs"));
}

#[test]
fn generation_is_deterministic() {
    let root = crate_dir().parent().unwrap().to_path_buf();
    let inputs = inputs_in(&root.join("model"), &root);
    let first = generate(&inputs, &model_config()).unwrap().files;
    let second = generate(&inputs, &model_config()).unwrap().files;
    assert_eq!(first, second);
}

/// Every file in `tests/snapshots` belongs to a test that still exists: a removed test,
/// fixture or generated file must take its snapshot with it (`snapshot_all` checks the
/// generated files of each prefix; this checks everything else).
#[test]
fn every_snapshot_file_belongs_to_a_test() {
    let source = include_str!("snapshots.rs");
    let has_test = |name: &str| source.contains(&format!("fn {name}()"));
    for entry in fs::read_dir(crate_dir().join("tests/snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let stem = name
            .strip_prefix("snapshots__")
            .and_then(|n| n.strip_suffix(".snap"))
            .unwrap_or_else(|| panic!("{name}: not a reviewed snapshot (never commit .snap.new)"));
        if let Some((test, input)) = stem.split_once('@') {
            assert!(has_test(test), "{name}: no test {test}");
            let fixture = input.strip_suffix("__model.json").unwrap_or(input);
            let dir = if test.starts_with("what_is_left_out") {
                "tests/fixtures/warnings"
            } else {
                "tests/fixtures/broken"
            };
            assert!(
                crate_dir().join(dir).join(fixture).is_dir(),
                "{name}: the fixture {fixture} is gone"
            );
        } else if let Some((prefix, _)) = stem.split_once("__") {
            assert!(
                ["naming", "http"].contains(&prefix),
                "{name}: no test writes snapshots with the prefix {prefix}"
            );
        } else {
            assert!(has_test(stem), "{name}: no test {stem}");
        }
    }
}

#[test]
fn views_are_left_out_when_the_config_says_so_and_nothing_else_changes() {
    let dir = crate_dir().join("tests/fixtures/naming");
    let with = generate(&inputs_in(&dir, &dir), &model_config()).unwrap();
    let without_config = CrateConfig {
        views: false,
        ..model_config()
    };
    let without = generate(&inputs_in(&dir, &dir), &without_config).unwrap();
    // With views, each module with any has `<module>/view.rs` besides.
    let view_files: Vec<&str> = paths(&with.files)
        .into_iter()
        .filter(|p| p.ends_with("/view.rs"))
        .collect();
    assert_eq!(
        view_files,
        [
            "src/error/view.rs",
            "src/operation/list_things/view.rs",
            "src/types/view.rs"
        ]
    );
    let others: Vec<&str> = paths(&with.files)
        .into_iter()
        .filter(|p| !p.ends_with("/view.rs"))
        .collect();
    assert_eq!(others, paths(&without.files));
    let has = |files: &[GeneratedFile], text: &str| files.iter().any(|f| f.contents.contains(text));
    for text in ["pub mod view;", "from_slice_borrowed", "\nviews = []"] {
        assert!(has(&with.files, text), "{text} with views");
        assert!(!has(&without.files, text), "{text} without views");
    }
    // Without views, each module file is the one with views less its `mod view;`.
    for b in &without.files {
        let a = with.files.iter().find(|a| a.path == b.path).unwrap();
        if a.path.ends_with(".rs") {
            let owned_part = a.contents.split("\n/// Borrowed views").next().unwrap();
            assert_eq!(owned_part.trim_end(), b.contents.trim_end(), "{}", a.path);
        }
    }
}
