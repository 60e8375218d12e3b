//! References progenitor cannot follow.
//!
//! progenitor resolves `$ref`s to whole components only (`#/components/schemas/Name`); a
//! reference into a schema (`#/components/schemas/Disk/properties/filesystem`), into a path
//! (`#/paths/~1keys/get/responses/200/…`), or to a component that does not exist makes it
//! panic. This rule replaces each such reference with a copy of what it points at (references
//! inside the copy followed the same way, eight levels deep at most), and a reference to
//! nothing with "any value".

use serde_json::{json, Value};

use super::{Log, Rule};
use crate::document::{component, resolve, token};

pub(crate) const RULE: Rule = Rule {
    name: "inline-deep-references",
    repairs: "`$ref`s into a schema or a path, or to a missing component",
    apply,
    when: super::always,
};

/// How deep copies of copies go before giving up.
const MAX_DEPTH: usize = 8;

/// How many JSON values all copies together may hold: references that expand without bound
/// (a schema whose parts refer to each other) must not exhaust memory.
const MAX_COPIED: usize = 50_000;

/// The references being expanded (to stop at cycles), and what copying may still cost.
struct Expansion {
    chain: Vec<String>,
    budget: usize,
}

fn size(v: &Value) -> usize {
    match v {
        Value::Object(m) => 1 + m.values().map(size).sum::<usize>(),
        Value::Array(a) => 1 + a.iter().map(size).sum::<usize>(),
        _ => 1,
    }
}

/// `#/components/<kind>/<name>`: what progenitor follows itself.
fn is_whole_component(reference: &str) -> bool {
    component(reference).is_some()
}

/// What a reference points at, with its own deep references followed; "any value" for a
/// cycle, past the depth limit, or once the copy budget is spent.
fn target(doc: &Value, reference: &str, expansion: &mut Expansion) -> Option<Value> {
    let found = resolve(doc, reference)?;
    let cost = size(found);
    if expansion.chain.iter().any(|r| r == reference)
        || expansion.chain.len() >= MAX_DEPTH
        || cost > expansion.budget
    {
        return Some(json!({}));
    }
    expansion.budget -= cost;
    let mut value = found.clone();
    expansion.chain.push(reference.to_string());
    inline(&mut value, doc, expansion, &mut |_, _| {}, "");
    expansion.chain.pop();
    Some(value)
}

fn needs_inlining(doc: &Value, reference: &str) -> bool {
    reference.starts_with("#/")
        && (!is_whole_component(reference) || resolve(doc, reference).is_none())
}

/// Replaces every reference in `value` that progenitor cannot follow.
fn inline(
    value: &mut Value,
    doc: &Value,
    expansion: &mut Expansion,
    report: &mut dyn FnMut(&str, String),
    pointer: &str,
) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str).map(str::to_string) {
                if needs_inlining(doc, &reference) {
                    match target(doc, &reference, expansion) {
                        Some(found) => {
                            *value = found;
                            report(pointer, format!("{reference} inlined"));
                        }
                        None => {
                            *value = json!({});
                            report(pointer, format!("{reference} points at nothing: any value"));
                        }
                    }
                    return;
                }
            }
            for (k, v) in map.iter_mut() {
                inline(
                    v,
                    doc,
                    expansion,
                    report,
                    &format!("{pointer}/{}", token(k)),
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                inline(v, doc, expansion, report, &format!("{pointer}/{i}"));
            }
        }
        _ => {}
    }
}

/// Whether any reference in the document needs inlining (most specs have none: no copy then).
fn any(value: &Value, doc: &Value) -> bool {
    match value {
        Value::Object(map) => {
            map.get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| needs_inlining(doc, r))
                || map.values().any(|v| any(v, doc))
        }
        Value::Array(items) => items.iter().any(|v| any(v, doc)),
        _ => false,
    }
}

fn apply(doc: &mut Value, log: &mut Log) {
    if !any(doc, doc) {
        return;
    }
    let original = doc.clone();
    let mut expansion = Expansion {
        chain: Vec::new(),
        budget: MAX_COPIED,
    };
    inline(
        doc,
        &original,
        &mut expansion,
        &mut |pointer, change| log.fired(pointer, change),
        "",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run;

    #[test]
    fn references_into_schemas_and_paths_are_inlined() {
        let (out, fired) = run(
            &RULE,
            json!({
                "paths": {
                    "/keys": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
                        "type": "object", "properties": {"key": {"type": "object", "properties": {"id": {"type": "integer"}}}}}}}}}}},
                    "/keys/{id}": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
                        "$ref": "#/paths/~1keys/get/responses/200/content/application~1json/schema/properties/key"}}}}}}},
                },
                "components": {"schemas": {
                    "Disk": {"type": "object", "properties": {"filesystem": {"type": "string"}}},
                    "Volume": {"type": "object", "properties": {
                        "fs": {"$ref": "#/components/schemas/Disk/properties/filesystem"},
                        "disk": {"$ref": "#/components/schemas/Disk"},
                        "gone": {"$ref": "#/components/schemas/Missing"},
                    }},
                }},
            }),
        );
        let by_path = out
            .pointer("/paths/~1keys~1{id}/get/responses/200/content/application~1json/schema")
            .unwrap();
        assert_eq!(by_path["properties"]["id"]["type"], "integer");
        let volume = &out["components"]["schemas"]["Volume"]["properties"];
        assert_eq!(volume["fs"], json!({"type": "string"}));
        assert_eq!(
            volume["disk"],
            json!({"$ref": "#/components/schemas/Disk"}),
            "whole components stay references"
        );
        assert_eq!(volume["gone"], json!({}));
        assert_eq!(fired.len(), 3);
    }

    #[test]
    fn self_references_and_cycles() {
        let (out, _) = run(
            &RULE,
            json!({"components": {"schemas": {"Node": {"type": "object", "properties": {
                "child": {"$ref": "#/components/schemas/Node/properties/child"}}}}}}),
        );
        // A reference to itself ends as "any value" instead of recursing forever.
        assert!(out["components"]["schemas"]["Node"]["properties"]["child"].is_object());
        // Two schemas whose parts refer to each other expand a bounded amount.
        let (out, _) = run(
            &RULE,
            json!({"components": {"schemas": {
                "A": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/B/properties/y"},
                                                         "z": {"$ref": "#/components/schemas/B/properties/y"}}},
                "B": {"type": "object", "properties": {"y": {"type": "object", "properties": {
                    "a": {"$ref": "#/components/schemas/A/properties/x"}, "b": {"$ref": "#/components/schemas/A/properties/z"}}}}},
            }}}),
        );
        assert!(size(&out) < 200);
    }
}
