//! The wire-corrections overlay in spec/ against the active spec: every action applies, and
//! applying it leaves schemas that say one thing (the Overlay merge appends arrays, so an
//! update of `type: [string, "null"]` onto `type: [integer, "null"]` would give a schema that
//! allows both: such a fact needs a remove before its update).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

use std::path::Path;

use generator::SpecInputs;
use serde_json::Value;

fn inputs() -> SpecInputs {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    SpecInputs::active(&dir).unwrap_or_else(|e| panic!("{e}"))
}

fn walk<'a>(value: &'a Value, at: String, out: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(map) => {
            out.push((at.clone(), value));
            for (k, v) in map {
                walk(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_correction_applies_and_leaves_unambiguous_types() {
    let inputs = inputs();
    let Some(overlay) = &inputs.overlay else {
        // No overlay beside the active spec: nothing to check.
        return;
    };
    let mut doc: Value = generator::load::load(&inputs.spec).unwrap_or_else(|e| panic!("{e}"));
    let applied = overlay.apply(&mut doc);
    let mut problems = Vec::new();
    for a in &applied {
        for p in &a.skipped {
            problems.push(format!(
                "action #{} ({}) could not change {p}",
                a.index, a.target
            ));
        }
        for p in &a.pointers {
            let Some(node) = doc.pointer(p) else { continue };
            let mut nodes = Vec::new();
            walk(node, p.clone(), &mut nodes);
            for (at, schema) in nodes {
                if let Some(Value::Array(types)) = schema.get("type") {
                    let mut seen = Vec::new();
                    for t in types {
                        if seen.contains(&t) {
                            problems.push(format!("{at}: type {types:?} repeats {t} (merged onto a type list: remove it first)"));
                        }
                        seen.push(t);
                    }
                }
                if let Some(Value::Array(required)) = schema.get("required") {
                    let mut sorted = required.clone();
                    sorted.sort_by_key(Value::to_string);
                    sorted.dedup();
                    if sorted.len() != required.len() {
                        problems.push(format!("{at}: required {required:?} repeats a name"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let unmatched: Vec<_> = applied
        .iter()
        .filter(|a| a.pointers.is_empty() && a.skipped.is_empty())
        .map(|a| format!("#{} {}", a.index, a.target))
        .collect();
    // On the spec the overlay says it extends, every action matches; on another spec the
    // report lists the ones that do not, and that is not a failure.
    if overlay.extends.as_deref() == Some(inputs.spec_name.as_str()) {
        assert!(unmatched.is_empty(), "matched nothing: {unmatched:?}");
    }
}

/// What fotbo-api's build script does (the twin's record replayed, no query) gives the
/// document the overlay's queries give: the same nodes, changed in the same order.
#[test]
fn the_twins_record_replays_what_the_queries_do() {
    let inputs = inputs();
    let Some(overlay) = &inputs.overlay else {
        return;
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let twin_path = dir.join(generator::inputs::OVERLAY_JSON_FILE);
    let twin = SpecInputs::from_files(&inputs.spec_path, Some(&twin_path))
        .unwrap_or_else(|e| panic!("{e}"))
        .overlay
        .expect("the twin is an overlay");
    // A record for this spec is replayed, never queried (`Overlay::apply_for`).
    assert!(
        twin.resolved
            .as_ref()
            .is_some_and(|r| r.is_for(&inputs.spec)),
        "{} has no record of where its targets point in {}: run `cargo xtask regen`",
        twin_path.display(),
        inputs.spec_path.display()
    );
    let loaded: Value = generator::load::load(&inputs.spec).unwrap_or_else(|e| panic!("{e}"));
    let mut queried = loaded.clone();
    let by_query = overlay.apply(&mut queried);
    let mut replayed = loaded;
    let by_record = twin
        .apply_for(&mut replayed, &inputs.spec)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(by_record, by_query);
    assert!(
        replayed == queried,
        "the replayed document differs from the queried one"
    );
    assert_eq!(
        twin.resolved.as_ref().map(|r| r.targets.len()),
        Some(overlay.actions.len())
    );
}
