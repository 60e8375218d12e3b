//! Property test: the Fotbo spec, mutated at random (keys deleted, values swapped for values of
//! another type, nulls inserted, the text truncated), gives either code or an error — never a
//! panic — and any error names its stage. The cases run on the Instances paths of the spec
//! (with every component) to keep a debug-build run short; `PROPTEST_CASES` raises the count.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use generator::{generate, Settings, SpecInputs};
use proptest::prelude::*;
use serde_json::{json, Value};

/// The active spec (whatever spec/ACTIVE names).
fn spec_bytes() -> &'static [u8] {
    static SPEC: OnceLock<Vec<u8>> = OnceLock::new();
    SPEC.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        SpecInputs::active(&dir)
            .unwrap_or_else(|e| panic!("{e}"))
            .spec
    })
}

/// The spec cut to its first paths, and every JSON pointer in it.
fn base() -> &'static (Value, Vec<String>) {
    static BASE: OnceLock<(Value, Vec<String>)> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut doc: Value = generator::load::load(spec_bytes()).expect("spec is JSON or YAML");
        if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
            let keep: Vec<String> = paths.keys().take(12).cloned().collect();
            paths.retain(|k, _| keep.contains(k));
        }
        let mut pointers = Vec::new();
        collect(&doc, String::new(), &mut pointers);
        (doc, pointers)
    })
}

fn collect(v: &Value, pointer: String, out: &mut Vec<String>) {
    out.push(pointer.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                collect(
                    child,
                    format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect(child, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Replace(usize, u8),
    InsertNull(usize),
    Truncate(usize),
}

fn other_value(kind: u8) -> Value {
    match kind % 7 {
        0 => json!(null),
        1 => json!(true),
        2 => json!(-1),
        3 => json!("integers"),
        4 => json!([]),
        5 => json!({}),
        _ => json!({"type": ["null"], "$ref": "#/nowhere"}),
    }
}

fn apply(mutations: &[Mutation]) -> Vec<u8> {
    let (doc, pointers) = base();
    let mut doc = doc.clone();
    let mut truncate = None;
    for m in mutations {
        let pick = |i: &usize| pointers[i % pointers.len()].clone();
        match m {
            Mutation::Delete(i) => {
                let p = pick(i);
                if let Some((parent, key)) = p.rsplit_once('/') {
                    match doc.pointer_mut(parent) {
                        Some(Value::Object(map)) => {
                            map.remove(&key.replace("~1", "/").replace("~0", "~"));
                        }
                        Some(Value::Array(items)) => {
                            if let Ok(i) = key.parse::<usize>() {
                                if i < items.len() {
                                    items.remove(i);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            Mutation::Replace(i, kind) => {
                if let Some(v) = doc.pointer_mut(&pick(i)) {
                    *v = other_value(*kind);
                }
            }
            Mutation::InsertNull(i) => match doc.pointer_mut(&pick(i)) {
                Some(Value::Object(map)) => {
                    map.insert("inserted".into(), Value::Null);
                }
                Some(Value::Array(items)) => items.push(Value::Null),
                Some(v) => *v = Value::Null,
                None => {}
            },
            Mutation::Truncate(n) => truncate = Some(*n),
        }
    }
    let mut bytes = serde_json::to_vec(&doc).expect("serializable");
    if let Some(n) = truncate {
        bytes.truncate(n % (bytes.len() + 1));
    }
    bytes
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => any::<usize>().prop_map(Mutation::Delete),
        4 => (any::<usize>(), any::<u8>()).prop_map(|(i, k)| Mutation::Replace(i, k)),
        2 => any::<usize>().prop_map(Mutation::InsertNull),
        1 => any::<usize>().prop_map(Mutation::Truncate),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_specs_never_panic(mutations in prop::collection::vec(mutation(), 1..6)) {
        let bytes = apply(&mutations);
        let outcome = catch_unwind(AssertUnwindSafe(|| generate(&bytes, &Settings::fotbo())));
        prop_assert!(outcome.is_ok(), "generator panicked on {:?}", mutations);
        if let Ok(Err(e)) = outcome {
            prop_assert!(!e.message.is_empty());
            prop_assert!(!e.to_string().is_empty());
        }
    }
}

#[test]
fn the_unmutated_base_generates() {
    let bytes = apply(&[]);
    generate(&bytes, &Settings::fotbo()).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn errors_name_stage_operation_and_pointer() {
    // An operation progenitor rejects after normalization: a query parameter holding an
    // object inside an object (progenitor panics; no rule repairs it yet).
    let mut doc = base().0.clone();
    doc["paths"]["/backend/api/openstack/instances"]["get"]["parameters"] = json!([{
        "name": "filter", "in": "query",
        "schema": {"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {"type": "string"}}}}},
    }]);
    let bytes = serde_json::to_vec(&doc).expect("json");
    let refused = Settings {
        losses: generator::Losses::Refused,
        ..Settings::fotbo()
    };
    let e = generate(&bytes, &refused).unwrap_err();
    assert_eq!(e.stage, generator::Stage::Progenitor);
    assert_eq!(e.context.as_deref(), Some("operation instances_list"));
    assert_eq!(
        e.pointer.as_deref(),
        Some("/paths/~1backend~1api~1openstack~1instances/get")
    );
    assert!(e.to_string().starts_with("progenitor stage (operation instances_list) at /paths/~1backend~1api~1openstack~1instances/get:"), "{e}");
    // Losses reported (fotbo-api's setting): the operation stays, only the parameter's schema
    // is untyped, and the report says so.
    let g = generate(&bytes, &Settings::fotbo()).unwrap_or_else(|e| panic!("{e}"));
    assert!(g.api.operations.iter().any(|o| o.id == "instances_list"));
    assert!(g.api.left_out.is_empty());
    let lost: Vec<String> = g
        .report
        .losses
        .iter()
        .map(|l| l.unit.pointer().to_string())
        .collect();
    assert_eq!(
        lost,
        ["/paths/~1backend~1api~1openstack~1instances/get/parameters/0/schema"]
    );
    // A value openapiv3 cannot read is repaired where it is, and the report names the place.
    let g = generate(
        br#"{"openapi": "3.0.3", "info": {"title": 5}, "paths": {}}"#,
        &Settings::fotbo(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(g
        .report
        .fired
        .iter()
        .any(|f| f.rule == "unreadable-values" && f.pointer == "/info/title"));
}

#[test]
fn unreadable_values_are_found_inside_paths_with_slashes_and_responses() {
    // openapiv3 reads paths and responses through maps that hide the position: the repair
    // still lands on the one value, not on the operation.
    let spec = br#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a/b": {"get": {"operationId": "x", "responses": {"200": {"description": 5}}}}}}"#;
    let g = generate(spec, &Settings::fotbo()).unwrap_or_else(|e| panic!("{e}"));
    let pointers: Vec<&str> = g
        .report
        .fired
        .iter()
        .filter(|f| f.rule == "unreadable-values")
        .map(|f| f.pointer.as_str())
        .collect();
    assert_eq!(pointers, ["/paths/~1a~1b/get/responses/200/description"]);
    assert_eq!(g.api.operations.len(), 1);
}
