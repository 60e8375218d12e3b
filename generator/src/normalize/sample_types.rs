//! Response fields whose published samples contradict their declared type.
//!
//! The published samples are facts about what the server sends; the declared types were
//! written by hand and sometimes disagree. Create Instances declares `name`, `flavor`,
//! `region` and `operation_id` as strings while its sample shows objects; `pageNo` is declared
//! a string in the instance list and an integer in the other lists (all built by one server
//! serializer). A typed client that trusts the declaration fails to parse the whole response.
//! This rule reads every response sample against its schema and then:
//! - a property whose sample contradicts its declared type is made untyped (any JSON value),
//!   with a note in its description;
//! - a property whose sample is `null` but which is not declared nullable becomes nullable;
//! - the fields of the Fleio list envelope (schemas with `objects` and `next`) that are
//!   declared or sampled with different types in different lists are made untyped in all.
//!
//! A property marked `x-wire-verified: true` (a wire correction that states what the server
//! really sends, see spec/wire-corrections.overlay.yaml) keeps its declared type: there the
//! published samples are the ones known to be wrong.
//!
//! Request schemas are left alone: there the samples hold placeholders such as
//! `"{client_id}"` for an integer, and callers keep the declared types.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::{for_each_operation, local_pointer, reference_of, token};

/// Marks a property whose declared type was checked against real responses.
pub(crate) const WIRE_VERIFIED: &str = "x-wire-verified";

pub(crate) const RULE: Rule = Rule {
    name: "trust-response-samples",
    repairs: "response fields whose published samples contradict the declared type",
    apply,
    when: super::always,
};

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn fits(declared: &str, seen: &str) -> bool {
    declared == seen || (declared == "number" && seen == "integer")
}

/// Kinds of sample values seen, by the JSON pointer of the property schema they belong to.
type Seen = BTreeMap<String, BTreeSet<&'static str>>;

/// Resolves `$ref`s (and single-branch `allOf`s), returning the schema and its pointer.
fn resolve(schema: &Value, pointer: String, doc: &Value, depth: usize) -> Option<(Value, String)> {
    if depth > 32 {
        return None;
    }
    if let Some(reference) = reference_of(schema) {
        let target = local_pointer(reference)?;
        let next = doc.pointer(&target)?;
        return resolve(next, target, doc, depth + 1);
    }
    if let Some([only]) = schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        return resolve(only, format!("{pointer}/allOf/0"), doc, depth + 1);
    }
    Some((schema.clone(), pointer))
}

/// Walks a sample alongside its schema, recording the kind of each property value against
/// the pointer of the property's schema.
fn observe(
    sample: &Value,
    schema: &Value,
    pointer: String,
    doc: &Value,
    seen: &mut Seen,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    let Some((schema, pointer)) = resolve(schema, pointer, doc, 0) else {
        return;
    };
    match sample {
        Value::Object(fields) => {
            let Some(props) = schema.get("properties").and_then(Value::as_object) else {
                return;
            };
            for (name, value) in fields {
                if let Some(prop) = props.get(name) {
                    let p = format!("{pointer}/properties/{}", token(name));
                    seen.entry(p.clone()).or_default().insert(kind(value));
                    observe(value, prop, p, doc, seen, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for item in items {
                    observe(
                        item,
                        item_schema,
                        format!("{pointer}/items"),
                        doc,
                        seen,
                        depth + 1,
                    );
                }
            }
        }
        _ => {}
    }
}

fn make_untyped(prop: &mut Map<String, Value>, note: String) {
    let description = match prop.get("description").and_then(Value::as_str) {
        Some(d) => format!("{d}\n\n{note}"),
        None => note,
    };
    prop.clear();
    prop.insert("description".into(), json!(description));
}

/// Envelope schemas (`objects` list + `next`) among the response schemas, by pointer.
fn envelopes(doc: &Value, roots: &[String]) -> Vec<String> {
    let found: BTreeSet<String> = roots
        .iter()
        .filter_map(|root| {
            let (schema, pointer) = resolve(doc.pointer(root)?, root.clone(), doc, 0)?;
            let props = schema.get("properties")?.as_object()?;
            (props.contains_key("objects") && props.contains_key("next")).then_some(pointer)
        })
        .collect();
    found.into_iter().collect()
}

fn apply(doc: &mut Value, log: &mut Log) {
    let mut seen = Seen::new();
    let mut roots: Vec<String> = Vec::new();
    let snapshot = doc.clone();
    for_each_operation(doc, |_, _, op, pointer| {
        let Some(responses) = op.get("responses").and_then(Value::as_object) else {
            return;
        };
        for (code, response) in responses {
            let Some(media) = response.pointer("/content/application~1json") else {
                continue;
            };
            let Some(schema) = media.get("schema") else {
                continue;
            };
            let p = format!(
                "{pointer}/responses/{}/content/application~1json/schema",
                token(code)
            );
            roots.push(p.clone());
            if let Some(example) = media.get("example") {
                observe(example, schema, p, &snapshot, &mut seen, 0);
            }
        }
    });

    // Envelope fields: one serializer on the server, so one type for all lists.
    let envelopes = envelopes(&snapshot, &roots);
    let mut by_field: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for env in &envelopes {
        let Some(props) = snapshot
            .pointer(&format!("{env}/properties"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (name, prop) in props.iter().filter(|(n, _)| *n != "objects") {
            let p = format!("{env}/properties/{}", token(name));
            let kinds = by_field.entry(name.clone()).or_default();
            if let Some(t) = prop.get("type").and_then(Value::as_str) {
                kinds.insert(t.to_string());
            }
            for k in seen.get(&p).into_iter().flatten().filter(|k| **k != "null") {
                kinds.insert(k.to_string());
            }
        }
    }
    let disputed: BTreeSet<&String> = by_field
        .iter()
        .filter(|(_, kinds)| {
            kinds.len() > 1
                && !(kinds.len() == 2 && kinds.contains("number") && kinds.contains("integer"))
        })
        .map(|(name, _)| name)
        .collect();

    let mut changes: Vec<(String, Option<String>)> = Vec::new(); // (pointer, Some(note) = untyped, None = nullable)
    for (pointer, kinds) in &seen {
        let Some(prop) = snapshot.pointer(pointer) else {
            continue;
        };
        let Some(declared) = prop.get("type").and_then(Value::as_str) else {
            continue;
        };
        let contradicting: Vec<&str> = kinds
            .iter()
            .copied()
            .filter(|k| *k != "null" && !fits(declared, k))
            .collect();
        let verified = prop.get(WIRE_VERIFIED) == Some(&Value::Bool(true));
        if !contradicting.is_empty() && verified {
            // A type checked against real responses (a wire correction) outranks the samples.
            continue;
        }
        if !contradicting.is_empty() {
            changes.push((
                pointer.clone(),
                Some(format!(
                    "Declared {declared}; published samples show {}.",
                    contradicting.join(", ")
                )),
            ));
        } else if kinds.contains("null") && prop.get("nullable") != Some(&json!(true)) {
            changes.push((pointer.clone(), None));
        }
    }
    for env in &envelopes {
        for name in &disputed {
            let p = format!("{env}/properties/{}", token(name));
            if snapshot
                .pointer(&p)
                .is_some_and(|v| v.get("type").is_some())
                && !changes.iter().any(|(c, n)| *c == p && n.is_some())
            {
                let kinds: Vec<String> = by_field[*name].iter().cloned().collect();
                changes.push((
                    p,
                    Some(format!(
                        "Lists disagree on this envelope field: {}.",
                        kinds.join(", ")
                    )),
                ));
            }
        }
    }
    for (pointer, note) in changes {
        let Some(prop) = doc.pointer_mut(&pointer).and_then(Value::as_object_mut) else {
            continue;
        };
        match note {
            Some(note) => {
                log.fired(&pointer, format!("{note} Any JSON value."));
                make_untyped(prop, note);
            }
            None => {
                prop.insert("nullable".into(), json!(true));
                log.fired(&pointer, "sample shows null: nullable");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_verified_types_outrank_the_samples() {
        let doc = json!({"paths": {"/f": {"get": {"responses": {"200": {"description": "",
            "content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "properties": {"type": "string", "x-wire-verified": true},
                    "other": {"type": "string"}}},
                "example": {"properties": {}, "other": {}}}}}}}}}});
        let (out, fired) = crate::normalize::testing::run(&RULE, doc);
        let props = "/paths/~1f/get/responses/200/content/application~1json/schema/properties";
        assert_eq!(
            out.pointer(&format!("{props}/properties/type")),
            Some(&json!("string"))
        );
        assert_eq!(fired, vec![format!("{props}/other")]);
    }
    use crate::normalize::testing::run;

    #[test]
    fn contradicted_fields_accept_what_the_samples_show() {
        let (out, fired) = run(
            &RULE,
            json!({
                "paths": {
                    "/instances": {"get": {"responses": {"200": {"content": {"application/json": {
                        "schema": {"type": "object", "properties": {"pageNo": {"type": "string"},
                            "next": {"type": "string"}, "objects": {"type": "array", "items": {}}}},
                        "example": {"pageNo": "string"}}}}}}},
                    "/regions": {"get": {"responses": {"200": {"content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Envelope"},
                        "example": {"pageNo": 1, "next": null}}}}}}},
                    "/create": {"post": {
                        "requestBody": {"content": {"application/json": {
                            "schema": {"type": "object", "properties": {"client": {"type": "integer"}}},
                            "example": {"client": "{client_id}"}}}},
                        "responses": {"201": {"content": {"application/json": {
                            "schema": {"type": "object", "properties": {"name": {"type": "string"}}},
                            "example": {"name": {"value": "x"}}}}}}}},
                },
                "components": {"schemas": {"Envelope": {"type": "object", "properties": {
                    "pageNo": {"type": "integer"}, "next": {"type": "string"},
                    "objects": {"type": "array", "items": {}}}}}},
            }),
        );
        let untyped = |p: &str| out.pointer(p).and_then(|v| v.get("type")).is_none();
        assert!(untyped("/paths/~1instances/get/responses/200/content/application~1json/schema/properties/pageNo"));
        assert!(untyped("/components/schemas/Envelope/properties/pageNo"));
        assert!(untyped(
            "/paths/~1create/post/responses/201/content/application~1json/schema/properties/name"
        ));
        assert_eq!(
            out["components"]["schemas"]["Envelope"]["properties"]["next"]["nullable"],
            true
        );
        // The request keeps its declared integer despite the placeholder sample.
        assert_eq!(
            out.pointer("/paths/~1create/post/requestBody/content/application~1json/schema/properties/client/type"),
            Some(&json!("integer"))
        );
        assert_eq!(fired.len(), 4);
    }
}
