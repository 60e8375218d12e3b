//! Schemas that contradict themselves.
//!
//! Hand-written specs of the Fotbo family carry schemas no generator can honour as written:
//! - unknown type names (`integers` in the load-balancer bodies, `int`, `str`, `bool` …):
//!   mapped to the JSON Schema type they mean, or dropped (untyped) when unrecognisable;
//! - `default` values and `enum` members that do not fit the declared type: dropped;
//! - `required` names absent from `properties`, and `required: true` written on a property
//!   (a Swagger 2 habit): the former dropped, the latter moved to the parent's list;
//! - property names that become the same Rust identifier (`hostId` and `host_id`): the later
//!   one is dropped from the typed struct (its value is still accepted and ignored);
//! - string enums whose values become the same Rust variant (`+1` and `-1`): the enum is
//!   opened to a plain string, its values listed in the description;
//! - parameters without a schema, or with `content` instead: given a string schema, or the
//!   content's schema.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::{json, Map, Value};

use super::{for_each_operation, for_each_schema, token, Log, Rule};

pub(crate) const RULE: Rule = Rule {
    name: "repair-schemas",
    repairs: "unknown type names, defaults/enums off their type, stray required names, colliding property names, parameters without schema",
    apply,
};

const TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object"];

fn known_type(name: &str) -> Option<&'static str> {
    let lower = name.trim().to_ascii_lowercase();
    if let Some(t) = TYPES.iter().find(|t| **t == lower) {
        return Some(t);
    }
    Some(match lower.as_str() {
        "integers" | "int" | "int32" | "int64" | "long" | "uint" => "integer",
        "str" | "strings" | "text" | "char" | "uuid" | "date" | "datetime" | "date-time" => {
            "string"
        }
        "bool" | "booleans" => "boolean",
        "float" | "double" | "decimal" | "numeric" | "numbers" => "number",
        "dict" | "map" | "json" | "objects" | "hash" => "object",
        "list" | "arrays" => "array",
        _ => return None,
    })
}

fn fits(value: &Value, ty: &str, nullable: bool) -> bool {
    match value {
        Value::Null => nullable,
        Value::Bool(_) => ty == "boolean",
        Value::Number(n) => ty == "number" || (ty == "integer" && (n.is_i64() || n.is_u64())),
        Value::String(_) => ty == "string",
        Value::Array(_) => ty == "array",
        Value::Object(_) => ty == "object",
    }
}

fn repair_schema(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    match schema.get("type").cloned() {
        Some(Value::String(name)) if !TYPES.contains(&name.as_str()) => match known_type(&name) {
            Some(t) => {
                schema.insert("type".into(), json!(t));
                log.fired(pointer, format!("unknown type \"{name}\" → \"{t}\""));
            }
            None => {
                schema.remove("type");
                log.fired(
                    pointer,
                    format!("unknown type \"{name}\" removed (untyped)"),
                );
            }
        },
        Some(Value::String(_)) | None => {}
        Some(other) => {
            schema.remove("type");
            log.fired(pointer, format!("type {other} is not a type name: removed"));
        }
    }
    let nullable = schema.get("nullable") == Some(&json!(true));
    if let Some(ty) = schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_string)
    {
        if let Some(default) = schema.get("default") {
            if !fits(default, &ty, nullable) {
                log.fired(
                    pointer,
                    format!("default {default} does not fit type {ty}: removed"),
                );
                schema.remove("default");
            }
        }
        if let Some(Value::Array(values)) = schema.get("enum").cloned() {
            let kept: Vec<Value> = values
                .iter()
                .filter(|v| fits(v, &ty, nullable))
                .cloned()
                .collect();
            if kept.len() != values.len() {
                log.fired(
                    pointer,
                    format!("enum values that do not fit type {ty} removed"),
                );
                if kept.is_empty() {
                    schema.remove("enum");
                } else {
                    schema.insert("enum".into(), Value::Array(kept));
                }
            }
        }
        if ty == "array" && !schema.get("items").is_some_and(Value::is_object) {
            schema.insert("items".into(), json!({}));
            log.fired(pointer, "array without items: items may be anything");
        }
        if let Some(Value::Array(values)) = schema.get("enum") {
            let mut variants = BTreeMap::new();
            let collides = values.iter().filter_map(Value::as_str).any(|v| {
                variants
                    .insert(v.to_upper_camel_case().to_lowercase(), v)
                    .is_some()
            });
            if collides {
                let known: Vec<String> = values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|v| format!("`{v}`"))
                    .collect();
                let note = format!("Known values: {}.", known.join(", "));
                let description = match schema.get("description").and_then(Value::as_str) {
                    Some(d) => format!("{d}\n\n{note}"),
                    None => note,
                };
                schema.insert("description".into(), json!(description));
                schema.remove("enum");
                log.fired(
                    pointer,
                    "enum values collide as Rust variant names: opened to a plain string",
                );
            }
        }
    } else if schema.get("enum").is_some_and(|e| !e.is_array()) {
        schema.remove("enum");
        log.fired(pointer, "enum that is not a list removed");
    }

    // required: true on properties → the parent's required list.
    let mut lifted = Vec::new();
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, prop) in props.iter_mut() {
            if let Some(p) = prop.as_object_mut() {
                if p.get("required").is_some_and(Value::is_boolean) {
                    if p.remove("required") == Some(json!(true)) {
                        lifted.push(name.clone());
                    }
                    log.fired(
                        &format!("{pointer}/properties/{}", token(name)),
                        "boolean `required` moved to the parent's list",
                    );
                }
            }
        }
    }
    if !lifted.is_empty() {
        let req = schema.entry("required").or_insert_with(|| json!([]));
        if let Some(list) = req.as_array_mut() {
            list.extend(lifted.into_iter().map(Value::String));
        }
    }

    // Property names that collide as Rust identifiers.
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut dropped = Vec::new();
        for name in props.keys() {
            let rust = name.to_snake_case();
            match seen.get(&rust) {
                Some(first) => dropped.push((name.clone(), first.clone())),
                None => {
                    seen.insert(rust, name.clone());
                }
            }
        }
        for (name, first) in dropped {
            props.remove(&name);
            log.fired(
                &format!("{pointer}/properties/{}", token(&name)),
                format!("`{name}` collides with `{first}` as a Rust field name: dropped from the typed struct"),
            );
        }
    }

    match schema.get("required") {
        Some(Value::Array(names)) => {
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                let kept: Vec<Value> = names
                    .iter()
                    .filter(|n| n.as_str().is_some_and(|n| props.contains_key(n)))
                    .cloned()
                    .collect();
                if kept.len() != names.len() {
                    log.fired(pointer, "required names absent from properties removed");
                    if kept.is_empty() {
                        schema.remove("required");
                    } else {
                        schema.insert("required".into(), Value::Array(kept));
                    }
                }
            }
        }
        Some(_) => {
            schema.remove("required");
            log.fired(pointer, "`required` that is not a list removed");
        }
        None => {}
    }
}

fn repair_parameters(doc: &mut Value, log: &mut Log) {
    for_each_operation(doc, |_, _, op, pointer| {
        let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
            return;
        };
        for (i, p) in params.iter_mut().enumerate() {
            let Some(p) = p.as_object_mut() else { continue };
            if p.contains_key("$ref") || p.contains_key("schema") {
                continue;
            }
            let p_ptr = format!("{pointer}/parameters/{i}");
            let from_content = p.remove("content").and_then(|c| {
                c.as_object()
                    .and_then(|c| c.values().next())
                    .and_then(|m| m.get("schema"))
                    .cloned()
            });
            match from_content {
                Some(schema) => {
                    p.insert("schema".into(), schema);
                    log.fired(&p_ptr, "parameter `content` replaced by its schema");
                }
                None => {
                    p.insert("schema".into(), json!({"type": "string"}));
                    log.fired(&p_ptr, "parameter without schema: typed string");
                }
            }
        }
    });
}

fn apply(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, &mut |schema, pointer| {
        repair_schema(schema, pointer, log)
    });
    repair_parameters(doc, log);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run;

    fn one(schema: Value) -> (Value, Vec<String>) {
        let (out, fired) = run(&RULE, json!({"components": {"schemas": {"S": schema}}}));
        (out["components"]["schemas"]["S"].clone(), fired)
    }

    #[test]
    fn unknown_type_names_are_mapped() {
        let (s, fired) = one(json!({"type": "object", "properties": {
            "a": {"type": "integers"}, "b": {"type": "whatever"}, "c": {"type": 5},
        }}));
        assert_eq!(s["properties"]["a"], json!({"type": "integer"}));
        assert_eq!(s["properties"]["b"], json!({}));
        assert_eq!(s["properties"]["c"], json!({}));
        assert_eq!(fired.len(), 3);
    }

    #[test]
    fn defaults_and_enums_off_their_type_are_dropped() {
        let (s, _) = one(json!({"type": "integer", "default": "ten", "enum": [1, "two", 3]}));
        assert_eq!(s, json!({"type": "integer", "enum": [1, 3]}));
    }

    #[test]
    fn required_names_are_made_consistent() {
        let (s, _) = one(
            json!({"type": "object", "required": ["a", "ghost"], "properties": {
                "a": {"type": "string"}, "b": {"type": "string", "required": true},
            }}),
        );
        assert_eq!(s["required"], json!(["a", "b"]));
        assert!(s["properties"]["b"].get("required").is_none());
    }

    #[test]
    fn colliding_property_names_keep_the_first() {
        let (s, fired) = one(json!({"type": "object", "properties": {
            "hostId": {"type": "string"}, "host_id": {"type": "string"}, "host_name": {"type": "string"},
        }}));
        let names: Vec<_> = s["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(names, ["hostId", "host_name"]);
        assert_eq!(fired, ["/components/schemas/S/properties/host_id"]);
    }

    #[test]
    fn enum_values_that_collide_as_variants_open_the_enum() {
        let (s, fired) =
            one(json!({"type": "string", "enum": ["reactions-+1", "reactions--1", "created"]}));
        assert!(s.get("enum").is_none());
        assert_eq!(
            s["description"],
            "Known values: `reactions-+1`, `reactions--1`, `created`."
        );
        assert_eq!(fired.len(), 1);
        let (s, _) = one(json!({"type": "string", "enum": ["asc", "desc"]}));
        assert_eq!(s["enum"], json!(["asc", "desc"]));
    }

    #[test]
    fn parameters_get_a_schema() {
        let (out, _) = run(
            &RULE,
            json!({"paths": {"/a": {"get": {"parameters": [
                {"name": "q", "in": "query"},
                {"name": "f", "in": "query", "content": {"application/json": {"schema": {"type": "integer"}}}},
            ]}}}}),
        );
        let params = &out["paths"]["/a"]["get"]["parameters"];
        assert_eq!(params[0]["schema"], json!({"type": "string"}));
        assert_eq!(params[1]["schema"], json!({"type": "integer"}));
    }
}
