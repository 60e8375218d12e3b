//! Forward compatibility: a server that adds a field or an enum value must not break clients.
//!
//! `additionalProperties: false` makes the generated types reject unknown fields
//! (`deny_unknown_fields`), and an `enum` in a response becomes a closed Rust enum that fails
//! on the first new value. This rule removes `additionalProperties: false` everywhere and, in
//! every schema a response can reach (directly or through `$ref`s), turns string enums into
//! plain strings, listing the known values in the description. Enums only requests use stay,
//! so callers still get the type checking there.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::{component_name, for_each_schema, reference_of, walk_schema};

pub(crate) const RULE: Rule = Rule {
    name: "forward-compatible-types",
    repairs: "closed types (additionalProperties: false, response enums) that break on new server fields or values",
    apply,
    when: super::always,
};

pub(crate) fn collect_refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = reference_of(value).and_then(|r| component_name(r, "schemas")) {
                out.insert(name);
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Component schemas a response can reach.
pub(crate) fn reached_by_responses(doc: &Value) -> BTreeSet<String> {
    let mut roots = BTreeSet::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for item in paths.values().filter_map(Value::as_object) {
            for op in item.values().filter_map(Value::as_object) {
                if let Some(responses) = op.get("responses") {
                    collect_refs(responses, &mut roots);
                }
            }
        }
    }
    if let Some(responses) = doc.pointer("/components/responses") {
        collect_refs(responses, &mut roots);
    }
    reach(doc, roots)
}

/// Component schemas a request (body or parameter) can reach.
pub(crate) fn reached_by_requests(doc: &Value) -> BTreeSet<String> {
    let mut roots = BTreeSet::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for item in paths.values().filter_map(Value::as_object) {
            if let Some(parameters) = item.get("parameters") {
                collect_refs(parameters, &mut roots);
            }
            for op in item.values().filter_map(Value::as_object) {
                for key in ["requestBody", "parameters"] {
                    if let Some(v) = op.get(key) {
                        collect_refs(v, &mut roots);
                    }
                }
            }
        }
    }
    for section in ["/components/requestBodies", "/components/parameters"] {
        if let Some(v) = doc.pointer(section) {
            collect_refs(v, &mut roots);
        }
    }
    reach(doc, roots)
}

/// The component schemas `roots` name and everything they reach through `$ref`s.
fn reach(doc: &Value, roots: BTreeSet<String>) -> BTreeSet<String> {
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut reached = BTreeSet::new();
    let mut todo: Vec<String> = roots.into_iter().collect();
    while let Some(name) = todo.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        let mut next = BTreeSet::new();
        if let Some(schema) = schemas.and_then(|s| s.get(&name)) {
            collect_refs(schema, &mut next);
        }
        todo.extend(next.into_iter().filter(|n| !reached.contains(n)));
    }
    reached
}

fn open_enum(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    let Some(Value::Array(values)) = schema.get("enum") else {
        return;
    };
    if !values.iter().all(|v| v.is_string() || v.is_null()) {
        return;
    }
    let known: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    let note = format!(
        "Known values: {}.",
        known
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let description = match schema.get("description").and_then(Value::as_str) {
        Some(d) => format!("{d}\n\n{note}"),
        None => note,
    };
    schema.insert("description".into(), json!(description));
    schema.remove("enum");
    schema.entry("type").or_insert(json!("string"));
    log.fired(pointer, "response enum opened to a string");
}

fn apply(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, &mut |schema, pointer| {
        if schema.get("additionalProperties") == Some(&json!(false)) {
            schema.remove("additionalProperties");
            log.fired(pointer, "additionalProperties: false removed");
        }
    });
    let reached = reached_by_responses(doc);
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut().filter(|(n, _)| reached.contains(*n)) {
            walk_schema(
                schema,
                &format!("/components/schemas/{}", crate::document::token(name)),
                &mut |s, p| open_enum(s, p, log),
            );
        }
    }
    for_each_schema(doc, &mut |schema, pointer| {
        if pointer.starts_with("/paths/") && pointer.contains("/responses/") {
            open_enum(schema, pointer, log);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run;

    #[test]
    fn response_enums_open_request_enums_stay() {
        let status = json!({"type": "string", "enum": ["active", "error"]});
        let (out, fired) = run(
            &RULE,
            json!({
                "paths": {"/a": {"post": {
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Resp"}}}}},
                }}},
                "components": {"schemas": {
                    "Req": {"type": "object", "additionalProperties": false, "properties": {"kind": status}},
                    "Resp": {"type": "object", "properties": {"inner": {"$ref": "#/components/schemas/Inner"}}},
                    "Inner": {"type": "object", "properties": {"status": status}},
                }},
            }),
        );
        let s = &out["components"]["schemas"];
        assert!(s["Req"].get("additionalProperties").is_none());
        assert_eq!(
            s["Req"]["properties"]["kind"]["enum"],
            json!(["active", "error"])
        );
        assert!(s["Inner"]["properties"]["status"].get("enum").is_none());
        assert_eq!(
            s["Inner"]["properties"]["status"]["description"],
            "Known values: `active`, `error`."
        );
        assert_eq!(fired.len(), 2);
    }
}
