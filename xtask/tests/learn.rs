//! The learn round trip: a client records what an answer holds beyond the spec, `learn` makes
//! overlay actions of the record, and the spec regenerated with them declares all of it.
//! Runs on a copy of the active spec (whatever it is), through the operation the typed mocks
//! name; the fields used are named so that no spec declares them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use fotbo_api::mock::{MockServer, MockServerExt};
use serde_json::{json, Value};

fn answer() -> Value {
    json!({
        "id": 4242,
        "zz_learned_note": "a value never recorded",
        "zz_learned_owner": {"email": "ops@example.com", "keys": [{"bits": 4096, "label": null}, {"bits": 2048, "label": "b"}]}
    })
}

fn copy_spec(to: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("spec");
    let active = std::fs::read_to_string(root.join("ACTIVE")).expect("ACTIVE");
    for name in ["ACTIVE", active.trim(), generator::inputs::OVERLAY_FILE] {
        if root.join(name).is_file() {
            std::fs::copy(root.join(name), to.join(name)).expect("copy");
        }
    }
}

/// Whether `value` fits `schema` in `doc`: every field declared, every kind admitted.
fn fits(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let mut schema = schema;
    for _ in 0..8 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                schema = doc
                    .pointer(r.trim_start_matches('#'))
                    .ok_or(format!("{at}: {r} missing"))?
            }
            None => break,
        }
    }
    // The kind as the record names it.
    let kind = fotbo_api::wire::kind(value);
    let admitted = match schema.get("type") {
        None => true,
        Some(Value::String(t)) => {
            t == kind
                || (t == "number" && kind == "integer")
                || (kind == "null" && schema.get("nullable") == Some(&json!(true)))
        }
        Some(Value::Array(ts)) => ts
            .iter()
            .any(|t| t == kind || (t == "number" && kind == "integer")),
        Some(_) => false,
    };
    if !admitted {
        return Err(format!("{at}: {kind} not admitted by {schema}"));
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let declared = schema
                    .get("properties")
                    .and_then(|p| p.get(key))
                    .ok_or(format!("{at}/{key}: not declared"))?;
                fits(doc, declared, child, &format!("{at}/{key}"))?;
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    fits(doc, item_schema, item, &format!("{at}/{i}"))?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

#[test]
fn a_record_becomes_overlay_actions_and_the_regenerated_spec_declares_what_came() {
    let spec = tempfile::tempdir().expect("dir");
    copy_spec(spec.path());
    let record = spec.path().join("wire.jsonl");

    // 1. A call: it succeeds, and keeps what the spec does not say.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = MockServer::start();
    server.instances_retrieve(|when, then| {
        when.instance_id("i-1");
        then.into_inner().status(200).json_body(answer());
    });
    let client = fotbo_api::Client::builder()
        .token("t")
        .base_url(server.base_url())
        .record_wire(&record)
        .build()
        .expect("client");
    let response = runtime
        .block_on(client.instances_retrieve().instance_id("i-1").send())
        .expect("the call succeeds");
    assert!(!response.mismatches().is_empty());
    assert_eq!(response.extra().len(), 2, "{:?}", response.extra());
    let recorded = std::fs::read_to_string(&record).expect("record");
    assert!(!recorded.contains("ops@example.com") && !recorded.contains("never recorded"));
    println!("the record:\n{recorded}");

    // 2. learn writes actions.
    let learned =
        xtask::learn::learn(spec.path(), std::slice::from_ref(&record), false).expect("learn");
    println!(
        "the actions:\n{}\nreported: {:#?}",
        learned.actions, learned.reported
    );
    assert!(learned.written);
    assert!(learned.actions.contains("LEARNED"), "{}", learned.actions);
    assert!(
        learned
            .summary
            .iter()
            .any(|s| s.contains("zz_learned_owner")),
        "{:?}",
        learned.summary
    );
    assert!(
        learned
            .summary
            .iter()
            .any(|s| s.contains("/id also integer")),
        "{:?}",
        learned.summary
    );

    // 3. Regenerated, the spec declares every field of the answer with a kind it admits.
    let inputs = generator::SpecInputs::active(spec.path()).expect("inputs");
    let generated = generator::generate(&inputs.spec, &inputs.fotbo_settings()).expect("generates");
    assert!(
        generated.report.losses.is_empty(),
        "{:?}",
        generated.report.losses
    );
    let normalized: Value = serde_json::from_str(&generated.normalized).expect("json");
    let op = generated
        .api
        .operations
        .iter()
        .find(|o| o.id == "instances_retrieve")
        .expect("operation");
    let schema = normalized["paths"][&op.path]["get"]["responses"]
        .as_object()
        .and_then(|r| {
            r.iter()
                .find(|(c, _)| c.starts_with('2'))
                .map(|(_, r)| r.clone())
        })
        .and_then(|r| {
            r["content"]["application/json"]["schema"]
                .as_object()
                .cloned()
        })
        .map(Value::Object)
        .expect("response schema");
    fits(&normalized, &schema, &answer(), "").unwrap_or_else(|e| panic!("{e}"));
    let typed = generated.api.types.iter().any(|t| match t {
        generator::TypeSurface::Struct { fields, .. } => {
            fields.iter().any(|(f, _)| f == "zz_learned_owner")
        }
        _ => false,
    });
    assert!(typed, "the learned field is a typed field of the result");

    // 4. Learning the same record again adds nothing.
    let again = xtask::learn::learn(spec.path(), &[record], true).expect("learn again");
    assert!(again.summary.is_empty(), "{:?}", again.summary);
}
