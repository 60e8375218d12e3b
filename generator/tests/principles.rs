//! Whatever file arrives, the user gets a client: the principle, held on defects no rule knows.
//!
//! Each test takes the active spec (whatever `spec/ACTIVE` names: nothing here assumes it is
//! our reconstruction) and breaks it the way a real file could, in a way the normalization
//! rules do not repair, so that only the generator's design — lose the smallest unit, name it —
//! can save it:
//! - one operation progenitor refuses whatever its schemas (a websocket extension without the
//!   101 response progenitor requires): that operation is left out, and only it;
//! - one component schema typify cannot convert (`not` of an object): that schema is untyped,
//!   every other type stays typed;
//! - random mutations (a component deleted, a keyword retyped, a schema dropped, a reference
//!   renamed): generation never fails or panics, and every operation of the spec is either in
//!   the client or named as left out.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use generator::{generate, Generated, Losses, Settings, SpecInputs, Unit};
use proptest::prelude::*;
use serde_json::{json, Value};

fn active() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let inputs = SpecInputs::active(&dir).unwrap_or_else(|e| panic!("{e}"));
        generator::load::load(&inputs.spec).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// The operations of a document: (path, method).
fn operations(doc: &Value) -> Vec<(String, String)> {
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flatten()
                .filter(|(m, _)| METHODS.contains(&m.as_str()))
                .map(move |(m, _)| (path.clone(), m.clone()))
        })
        .collect()
}

fn run(doc: &Value, settings: &Settings) -> Result<Generated, generator::Error> {
    generate(&serde_json::to_vec(doc).unwrap(), settings)
}

/// Every operation of the spec the generator was given is in the client or left out, by
/// method and path: none disappears unnamed.
fn every_operation_accounted_for(doc: &Value, g: &Generated) -> Result<(), String> {
    let made: BTreeSet<(String, String)> = g
        .api
        .operations
        .iter()
        .map(|o| (o.method.to_lowercase(), o.path.clone()))
        .chain(
            g.api
                .left_out
                .iter()
                .map(|o| (o.method.to_lowercase(), o.path.clone())),
        )
        .collect();
    let missing: Vec<String> = operations(doc)
        .into_iter()
        .filter(|(path, method)| {
            // Rules may move a path (a query string cut off): compare by what is left.
            let path = path.split(['?', '#']).next().unwrap_or(path).to_string();
            !made.contains(&(method.clone(), path))
        })
        .map(|(p, m)| format!("{} {p}", m.to_uppercase()))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "operations neither generated nor named as left out: {missing:?}"
        ))
    }
}

/// The active spec with one operation progenitor refuses: a websocket endpoint (its
/// `x-dropshot-websocket` extension) without the 101 response progenitor requires of one.
fn with_a_refused_operation() -> (Value, (String, String)) {
    let mut doc = active().clone();
    let (path, method) = operations(&doc)
        .into_iter()
        .find(|(_, m)| m == "get")
        .expect("the active spec has a GET operation");
    doc["paths"][&path][&method]["x-dropshot-websocket"] = json!({});
    (doc, (path, method))
}

#[test]
fn an_operation_progenitor_refuses_is_left_out_and_only_it() {
    let (doc, (path, method)) = with_a_refused_operation();
    let g = run(&doc, &Settings::fotbo()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.api.left_out.len(), 1, "{:?}", g.api.left_out);
    let out = &g.api.left_out[0];
    assert_eq!(
        (out.method.as_str(), out.path.as_str()),
        (method.to_uppercase().as_str(), path.as_str())
    );
    assert!(out.reason.contains("websocket"), "{}", out.reason);
    assert_eq!(
        g.api.operations.len(),
        operations(&doc).len() - 1,
        "every other operation generated"
    );
    every_operation_accounted_for(&doc, &g).unwrap();
    assert!(g.surface.contains("## Left out"), "the surface names it");
    assert!(
        g.report.to_string().contains("left out"),
        "the report names it"
    );
    // Refused, the same spec fails, naming the operation and its pointer.
    let refused = Settings {
        losses: Losses::Refused,
        ..Settings::fotbo()
    };
    let e = run(&doc, &refused).unwrap_err();
    assert_eq!(
        e.context.as_deref(),
        Some(format!("operation {}", out.id).as_str())
    );
    assert!(e.pointer.is_some_and(|p| p.starts_with("/paths/")));
}

#[test]
fn a_schema_typify_cannot_convert_is_untyped_and_only_it() {
    let mut doc = active().clone();
    let schemas = doc["components"]["schemas"]
        .as_object_mut()
        .expect("the active spec has component schemas");
    // typify has no type for "not an object": it panics ("unhandled not schema").
    schemas.insert(
        "NotAnObject".into(),
        json!({"not": {"type": "object", "properties": {"x": {"type": "string"}}}}),
    );
    let whole = run(active(), &Settings::fotbo()).unwrap_or_else(|e| panic!("{e}"));
    let g = run(&doc, &Settings::fotbo()).unwrap_or_else(|e| panic!("{e}"));
    let lost: Vec<&str> = g.report.losses.iter().map(|l| l.unit.pointer()).collect();
    assert_eq!(lost, ["/components/schemas/NotAnObject"]);
    assert!(
        g.report.losses[0].message.contains("not"),
        "{}",
        g.report.losses[0]
    );
    assert!(g.api.left_out.is_empty());
    assert_eq!(g.api.operations, whole.api.operations);
    // Every other type is exactly as typed as without the broken schema.
    let changed: Vec<&str> = whole
        .api
        .types
        .iter()
        .filter(|t| !g.api.types.contains(t))
        .map(|t| t.name())
        .collect();
    assert!(changed.is_empty(), "{changed:?}");
    assert!(
        g.code
            .contains("pub struct NotAnObject(pub ::serde_json::Value);"),
        "the broken schema is any value"
    );
}

#[derive(Debug, Clone)]
enum Mutation {
    /// A component schema removed (its references now point at nothing).
    DeleteComponent(usize),
    /// A schema's `type` set to something JSON Schema does not have.
    RetypeKeyword(usize, u8),
    /// A media type's or parameter's `schema` removed.
    DropSchema(usize),
    /// A `$ref` pointed elsewhere: nowhere, outside the document, at a non-schema.
    RenameReference(usize, u8),
}

/// Pointers of the places a mutation can pick.
fn places(doc: &Value, key: &str) -> Vec<String> {
    fn walk(v: &Value, pointer: String, key: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let p = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                    if k == key {
                        out.push(p.clone());
                    }
                    walk(child, p, key, out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, format!("{pointer}/{i}"), key, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, String::new(), key, &mut out);
    out
}

/// The active spec cut to its first paths (every component kept), to keep a debug run short.
fn base() -> &'static Value {
    static BASE: OnceLock<Value> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut doc = active().clone();
        if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
            let keep: Vec<String> = paths.keys().take(16).cloned().collect();
            paths.retain(|k, _| keep.contains(k));
        }
        doc
    })
}

fn mutate(mutations: &[Mutation]) -> Value {
    let mut doc = base().clone();
    for m in mutations {
        match m {
            Mutation::DeleteComponent(i) => {
                if let Some(schemas) = doc
                    .pointer_mut("/components/schemas")
                    .and_then(Value::as_object_mut)
                {
                    if let Some(name) = schemas.keys().nth(i % schemas.len().max(1)).cloned() {
                        schemas.shift_remove(&name);
                    }
                }
            }
            Mutation::RetypeKeyword(i, kind) => {
                let at = places(&doc, "type");
                if let Some(p) = at.get(i % at.len().max(1)) {
                    if let Some(v) = doc.pointer_mut(p) {
                        *v = match kind % 5 {
                            0 => json!("integers"),
                            1 => json!(5),
                            2 => json!(["object", "string"]),
                            3 => json!(null),
                            _ => json!("file"),
                        };
                    }
                }
            }
            Mutation::DropSchema(i) => {
                let at = places(&doc, "schema");
                if let Some((parent, key)) =
                    at.get(i % at.len().max(1)).and_then(|p| p.rsplit_once('/'))
                {
                    if let Some(Value::Object(map)) = doc.pointer_mut(parent) {
                        map.shift_remove(key);
                    }
                }
            }
            Mutation::RenameReference(i, kind) => {
                let at = places(&doc, "$ref");
                if let Some(p) = at.get(i % at.len().max(1)) {
                    if let Some(v) = doc.pointer_mut(p) {
                        *v = match kind % 4 {
                            0 => json!("#/components/schemas/NoSuchSchema"),
                            1 => json!("other.yaml#/components/schemas/X"),
                            2 => json!("#/info"),
                            _ => json!("#"),
                        };
                    }
                }
            }
        }
    }
    doc
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteComponent),
        (any::<usize>(), any::<u8>()).prop_map(|(i, k)| Mutation::RetypeKeyword(i, k)),
        any::<usize>().prop_map(Mutation::DropSchema),
        (any::<usize>(), any::<u8>()).prop_map(|(i, k)| Mutation::RenameReference(i, k)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_mutated_spec_always_gives_a_client_and_names_what_it_lost(mutations in prop::collection::vec(mutation(), 1..5)) {
        let doc = mutate(&mutations);
        let outcome = catch_unwind(AssertUnwindSafe(|| run(&doc, &Settings::fotbo())));
        prop_assert!(outcome.is_ok(), "the generator panicked on {:?}", mutations);
        let generated = match outcome {
            Ok(Ok(g)) => g,
            Ok(Err(e)) => return Err(TestCaseError::fail(format!("{mutations:?}: generation failed: {e}"))),
            Err(_) => unreachable!(),
        };
        prop_assert!(every_operation_accounted_for(&doc, &generated).is_ok(), "{mutations:?}: {:?}", every_operation_accounted_for(&doc, &generated));
        for loss in &generated.report.losses {
            prop_assert!(!loss.message.is_empty(), "{loss:?}");
            if let Unit::Operation { id, .. } = &loss.unit {
                prop_assert!(generated.api.left_out.iter().any(|o| &o.id == id), "{loss}");
            }
        }
    }
}
