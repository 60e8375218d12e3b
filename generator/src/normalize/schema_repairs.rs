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
//! - a `format` that contradicts the type (`type: object, format: file`) or stands in for it
//!   (`format: date-time` with no type): dropped, or turned into the type it implies; a schema
//!   with `properties` (or `items`) but no type: an object (or array);
//! - `true`/`false` written where a property or item schema belongs: any value;
//! - parameters without a schema, or with `content` instead: given a string schema, or the
//!   content's schema; query parameters in a style progenitor cannot send (`deepObject`,
//!   `spaceDelimited`, `pipeDelimited`): dropped, and reported.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::{for_each_operation, for_each_schema, resolved, token};

pub(crate) const RULE: Rule = Rule {
    name: "repair-schemas",
    repairs: "unknown type names, defaults/enums off their type, stray required names, colliding property names, parameters without schema",
    apply,
    when: super::always,
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

const STRING_FORMATS: &[&str] = &[
    "date",
    "date-time",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
    "binary",
    "byte",
    "password",
];
const INTEGER_FORMATS: &[&str] = &[
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
];
const NUMBER_FORMATS: &[&str] = &["float", "double"];

/// The type a format implies.
fn type_of_format(format: &str) -> Option<&'static str> {
    if STRING_FORMATS.contains(&format) {
        Some("string")
    } else if INTEGER_FORMATS.contains(&format) {
        Some("integer")
    } else if NUMBER_FORMATS.contains(&format) {
        Some("number")
    } else {
        None
    }
}

/// Keeps a format only where it agrees with the type; lets it supply a missing type.
fn repair_format(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    let Some(format) = schema
        .get("format")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        if schema.get("format").is_some() {
            schema.remove("format");
            log.fired(pointer, "format that is not a string removed");
        }
        return;
    };
    let implied = type_of_format(&format);
    let composed = ["$ref", "allOf", "anyOf", "oneOf", "enum"]
        .iter()
        .any(|k| schema.contains_key(*k));
    let ty = schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_string);
    match (ty.as_deref(), implied) {
        (Some(ty), Some(implied)) if ty == implied || (ty == "number" && implied == "integer") => {}
        (Some("string"), None) => {} // typify reads unknown string formats as plain strings
        (None, Some(implied)) if !composed => {
            schema.insert("type".into(), json!(implied));
            log.fired(
                pointer,
                format!("no type, format {format}: typed {implied}"),
            );
        }
        (ty, _) => {
            schema.remove("format");
            log.fired(
                pointer,
                format!(
                    "format {format} does not fit type {}: removed",
                    ty.unwrap_or("(none)")
                ),
            );
        }
    }
}

fn repair_schema(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    repair_format(schema, pointer, log);
    let composed = ["$ref", "allOf", "anyOf", "oneOf", "enum", "not"]
        .iter()
        .any(|k| schema.contains_key(*k));
    if !schema.contains_key("type") && !composed {
        if schema.contains_key("properties") {
            schema.insert("type".into(), json!("object"));
            log.fired(pointer, "properties but no type: an object");
        } else if schema.get("items").is_some_and(Value::is_object) {
            schema.insert("type".into(), json!("array"));
            log.fired(pointer, "items but no type: an array");
        }
    }
    // `true`/`false` in place of a property or item schema.
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, prop) in props.iter_mut().filter(|(_, v)| v.is_boolean()) {
            *prop = json!({});
            log.fired(
                &format!("{pointer}/properties/{}", token(name)),
                "boolean schema: any value",
            );
        }
    }
    if schema.get("items").is_some_and(Value::is_boolean) {
        schema.insert("items".into(), json!({}));
        log.fired(pointer, "boolean items schema: any value");
    }
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

/// Query styles progenitor can send.
fn sendable_style(p: &Map<String, Value>) -> bool {
    p.get("in").and_then(Value::as_str) != Some("query")
        || p.get("style")
            .and_then(Value::as_str)
            .is_none_or(|s| s == "form")
}

/// Drops the query parameters progenitor cannot send, following `$ref`s to
/// `components/parameters` to see their style.
fn drop_unsendable(
    params: &mut Vec<Value>,
    components: &Map<String, Value>,
    pointer: &str,
    log: &mut Log,
) {
    let mut index = 0;
    params.retain(|p| {
        let declared = resolved(p, "parameters", components);
        let keep = declared.as_object().is_none_or(sendable_style);
        if !keep {
            let name = declared.get("name").and_then(Value::as_str).unwrap_or("?");
            let style = declared.get("style").and_then(Value::as_str).unwrap_or("?");
            log.fired(
                &format!("{pointer}/parameters/{index}"),
                format!("query parameter `{name}` in style {style}, which cannot be sent: dropped"),
            );
        }
        index += 1;
        keep
    });
}

fn repair_parameters(doc: &mut Value, log: &mut Log) {
    let components = doc
        .pointer("/components/parameters")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            if let Some(params) = item.get_mut("parameters").and_then(Value::as_array_mut) {
                drop_unsendable(params, &components, &format!("/paths/{}", token(path)), log);
            }
        }
    }
    for_each_operation(doc, |_, _, op, pointer| {
        let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
            return;
        };
        drop_unsendable(params, &components, pointer, log);
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
    use crate::normalize::testing::{run, run_on_schema};

    fn one(schema: Value) -> (Value, Vec<String>) {
        run_on_schema(&RULE, schema)
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
    fn formats_that_contradict_or_stand_in_for_the_type() {
        let (s, _) = one(json!({"type": "object", "properties": {
            "file": {"type": "object", "format": "file"},
            "created": {"format": "date-time", "readOnly": true},
            "urls": {"type": "array", "format": "list of urls", "items": {"type": "string"}},
            "ratio": {"type": "number", "format": "float"},
            "note": {"type": "string", "format": "markdown"},
            "loose": {"properties": {"a": true}, "maxItems": 1},
        }}));
        let p = &s["properties"];
        assert_eq!(p["file"], json!({"type": "object"}));
        assert_eq!(
            p["created"],
            json!({"format": "date-time", "readOnly": true, "type": "string"})
        );
        assert!(p["urls"].get("format").is_none());
        assert_eq!(p["ratio"]["format"], "float");
        assert_eq!(p["note"]["format"], "markdown");
        assert_eq!(p["loose"]["type"], "object");
        assert_eq!(p["loose"]["properties"]["a"], json!({}));
    }

    #[test]
    fn query_parameters_in_styles_that_cannot_be_sent_are_dropped() {
        let (out, fired) = run(
            &RULE,
            json!({"paths": {"/a": {"get": {"parameters": [
                {"name": "filter", "in": "query", "style": "deepObject", "schema": {"type": "object"}},
                {"name": "page", "in": "query", "style": "form", "schema": {"type": "string"}},
            ]}}}}),
        );
        let params = out["paths"]["/a"]["get"]["parameters"].as_array().unwrap();
        assert_eq!(params.len(), 1);
        assert_eq!(params[0]["name"], "page");
        assert_eq!(fired, ["/paths/~1a/get/parameters/0"]);
    }

    #[test]
    fn unsendable_styles_are_found_through_references_and_on_path_items() {
        let (out, fired) = run(
            &RULE,
            json!({
                "paths": {"/a": {
                    "parameters": [{"name": "where", "in": "query", "style": "pipeDelimited", "schema": {"type": "array", "items": {"type": "string"}}}],
                    "get": {"parameters": [{"$ref": "#/components/parameters/Filter"}, {"$ref": "#/components/parameters/Page"}]},
                }},
                "components": {"parameters": {
                    "Filter": {"name": "filter", "in": "query", "style": "deepObject", "schema": {"type": "object"}},
                    "Page": {"name": "page", "in": "query", "schema": {"type": "string"}},
                }},
            }),
        );
        assert_eq!(out["paths"]["/a"]["parameters"], json!([]));
        assert_eq!(
            out["paths"]["/a"]["get"]["parameters"],
            json!([{"$ref": "#/components/parameters/Page"}])
        );
        assert_eq!(
            fired,
            ["/paths/~1a/parameters/0", "/paths/~1a/get/parameters/0"]
        );
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
