//! OpenAPI 3.1 → 3.0.3.
//!
//! The published Fotbo file declares `openapi: 3.1.0` and uses 3.1's JSON Schema: nullable
//! fields as `type: ["string", "null"]`, a field typed only `"null"`, `anyOf` with a null
//! branch. progenitor reads 3.0 only. This rule rewrites each 3.1 construct into its 3.0
//! equivalent: type arrays and null branches become `nullable: true`; numeric
//! `exclusiveMinimum`/`exclusiveMaximum` become `minimum`/`maximum` with the boolean flag;
//! `examples` arrays inside schemas become a single `example`; `const` becomes a one-value
//! `enum`; `$schema`, `$id`, `webhooks`, `jsonSchemaDialect` and `info.summary` are dropped;
//! operations without `responses` (optional in 3.1) are left for the responses rule.

use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::for_each_schema;

pub(crate) const RULE: Rule = Rule {
    name: "openapi-3.1-to-3.0",
    repairs: "OpenAPI 3.1 / JSON Schema 2020-12 constructs that progenitor (3.0 only) rejects",
    apply,
    when: super::always,
};

fn apply(doc: &mut Value, log: &mut Log) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    if let Some(v) = root.get("openapi").and_then(Value::as_str) {
        if v != "3.0.3" {
            log.fired("/openapi", format!("version {v} → 3.0.3"));
            root.insert("openapi".into(), json!("3.0.3"));
        }
    }
    for key in ["webhooks", "jsonSchemaDialect"] {
        if root.remove(key).is_some() {
            log.fired(&format!("/{key}"), "removed (no 3.0 equivalent)");
        }
    }
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        if info.remove("summary").is_some() {
            log.fired("/info/summary", "removed (3.1 only)");
        }
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            if license.remove("identifier").is_some() {
                log.fired("/info/license/identifier", "removed (3.1 only)");
            }
        }
    }
    for_each_schema(doc, &mut |schema, pointer| {
        convert_schema(schema, pointer, log)
    });
}

fn is_null_schema(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str) == Some("null")
        && v.as_object().is_some_and(|m| m.len() == 1)
        || v.as_object()
            .is_some_and(|m| m.len() == 1 && m.get("enum") == Some(&json!([null])))
}

fn convert_schema(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    // type: ["T", "null"] or ["T1", "T2"] → one type (+ nullable); several non-null types → untyped.
    if let Some(Value::Array(types)) = schema.get("type").cloned() {
        let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
        let non_null: Vec<&str> = names.iter().copied().filter(|t| *t != "null").collect();
        let nullable = non_null.len() < names.len();
        match non_null.as_slice() {
            [one] => {
                schema.insert("type".into(), json!(one));
            }
            _ => {
                schema.remove("type");
                // Constraints of the types it could be mean nothing to a value of any type
                // (and typify panics on a typeless schema that has them).
                let removed = super::implied_types::remove_constraints(schema);
                if !removed.is_empty() {
                    log.fired(
                        pointer,
                        format!("{} removed with the type", removed.join(", ")),
                    );
                }
            }
        }
        if nullable {
            schema.insert("nullable".into(), json!(true));
        }
        log.fired(pointer, format!("type {types:?} → {}", describe(schema)));
    }
    // type: "null" → a nullable schema with no type of its own.
    if schema.get("type").and_then(Value::as_str) == Some("null") {
        schema.remove("type");
        schema.insert("nullable".into(), json!(true));
        log.fired(pointer, "type \"null\" → nullable, untyped");
    }
    // anyOf / oneOf with a null branch → the other branch(es), nullable.
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = schema.get(key) else {
            continue;
        };
        if !branches.iter().any(is_null_schema) {
            continue;
        }
        let rest: Vec<Value> = branches
            .iter()
            .filter(|b| !is_null_schema(b))
            .cloned()
            .collect();
        schema.remove(key);
        match rest.len() {
            0 => {}
            1 => {
                let only = rest.into_iter().next().unwrap_or_default();
                if only.get("$ref").is_some() {
                    // A sibling of $ref is ignored in 3.0, so the reference goes into allOf.
                    schema.insert("allOf".into(), json!([only]));
                } else if let Value::Object(fields) = only {
                    for (k, v) in fields {
                        schema.entry(k).or_insert(v);
                    }
                }
            }
            _ => {
                schema.insert(key.into(), Value::Array(rest));
            }
        }
        schema.insert("nullable".into(), json!(true));
        log.fired(pointer, format!("{key} with a null branch → nullable"));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n) = schema.get(exclusive).filter(|v| v.is_number()).cloned() {
            schema.insert(bound.into(), n);
            schema.insert(exclusive.into(), json!(true));
            log.fired(
                pointer,
                format!("numeric {exclusive} → {bound} + {exclusive}: true"),
            );
        }
    }
    if let Some(Value::Array(examples)) = schema.remove("examples") {
        if let Some(first) = examples.into_iter().next() {
            schema.entry("example").or_insert(first);
        }
        log.fired(pointer, "examples array → example");
    }
    if let Some(value) = schema.remove("const") {
        schema.insert("enum".into(), Value::Array(vec![value]));
        log.fired(pointer, "const → one-value enum");
    }
    for key in ["$schema", "$id", "$anchor", "$comment"] {
        if schema.remove(key).is_some() {
            log.fired(pointer, format!("{key} removed"));
        }
    }
}

fn describe(schema: &Map<String, Value>) -> String {
    let ty = schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("untyped");
    if schema.get("nullable") == Some(&json!(true)) {
        format!("{ty}, nullable")
    } else {
        ty.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run;

    fn doc(schema: Value) -> Value {
        json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}})
    }

    #[test]
    fn nullable_types_become_3_0_nullable() {
        let (out, fired) = run(
            &RULE,
            doc(json!({"type": "object", "properties": {
                "a": {"type": ["string", "null"]},
                "b": {"type": "null"},
                "c": {"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]},
                "d": {"oneOf": [{"type": "integer"}, {"type": "null"}]},
            }})),
        );
        assert_eq!(out["openapi"], "3.0.3");
        let props = &out["components"]["schemas"]["S"]["properties"];
        assert_eq!(props["a"], json!({"type": "string", "nullable": true}));
        assert_eq!(props["b"], json!({"nullable": true}));
        assert_eq!(
            props["c"],
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true})
        );
        assert_eq!(props["d"], json!({"type": "integer", "nullable": true}));
        assert!(fired.contains(&"/components/schemas/S/properties/a".to_string()));
        assert!(fired.contains(&"/openapi".to_string()));
    }

    #[test]
    fn other_3_1_keywords_are_rewritten() {
        let (out, _) = run(
            &RULE,
            json!({
                "openapi": "3.1.0",
                "webhooks": {},
                "info": {"title": "t", "version": "1", "summary": "s"},
                "components": {"schemas": {"S": {
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "type": "integer", "exclusiveMinimum": 0, "examples": [5, 6],
                }, "K": {"const": "fixed"}}},
            }),
        );
        assert!(out.get("webhooks").is_none());
        assert!(out["info"].get("summary").is_none());
        let s = &out["components"]["schemas"]["S"];
        assert_eq!(
            s,
            &json!({"type": "integer", "exclusiveMinimum": true, "minimum": 0, "example": 5})
        );
        assert_eq!(
            out["components"]["schemas"]["K"],
            json!({"enum": ["fixed"]})
        );
    }

    #[test]
    fn a_3_0_document_is_left_alone() {
        let input = json!({"openapi": "3.0.3", "components": {"schemas": {"S": {"type": "string", "nullable": true}}}});
        let (out, fired) = run(&RULE, input.clone());
        assert_eq!(out, input);
        assert!(fired.is_empty());
    }
}
