//! Types that formats and shapes imply, and formats that contradict the type.
//!
//! `type: object, format: file` (a Swagger 2 upload) or `type: array, format: "list of urls"`
//! carry a format typify cannot honour: it is removed. A format standing in for the type
//! (`format: date-time` with no `type`) supplies the type it implies, and a schema with
//! `properties` (or `items`) but no type is an object (or an array) — otherwise typify reads
//! each as "any value" and the fields are lost. Constraints of one type with no type
//! (`minimum: 0`, `pattern: …`) imply that type; constraints of several (`minimum` beside
//! `pattern`) are removed — typify panics on a typeless schema with constraints ("invalid (or
//! unexpected) schema"). Schemas built by composition (`$ref`, `allOf` …, `enum`) are left to
//! their parts.

use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::for_each_schema;

pub(crate) const RULE: Rule = Rule {
    name: "implied-types",
    repairs: "formats that contradict the type removed; a type supplied by the format, `properties` or `items` when none is given",
    apply,
    when: super::always,
};

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

/// Whether a schema is made of other schemas (or values), which give its type.
fn composed(schema: &Map<String, Value>, keys: &[&str]) -> bool {
    keys.iter().any(|k| schema.contains_key(*k))
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
    let ty = schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_string);
    match (ty.as_deref(), implied) {
        (Some(ty), Some(implied)) if ty == implied || (ty == "number" && implied == "integer") => {}
        (Some("string"), None) => {} // typify reads unknown string formats as plain strings
        (None, Some(implied))
            if !composed(schema, &["$ref", "allOf", "anyOf", "oneOf", "enum"]) =>
        {
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

/// The keywords that constrain one type only, by the type they imply.
pub(crate) const CONSTRAINTS: &[(&str, &[&str])] = &[
    (
        "number",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    ("string", &["pattern", "minLength", "maxLength"]),
    ("array", &["minItems", "maxItems", "uniqueItems"]),
    ("object", &["minProperties", "maxProperties"]),
];

/// The types whose constraints a schema carries.
fn constrained_types(schema: &Map<String, Value>) -> Vec<&'static str> {
    CONSTRAINTS
        .iter()
        .filter(|(_, keys)| keys.iter().any(|k| schema.contains_key(*k)))
        .map(|(ty, _)| *ty)
        .collect()
}

/// Removes every type's constraints from a schema; the keywords removed.
pub(crate) fn remove_constraints(schema: &mut Map<String, Value>) -> Vec<&'static str> {
    CONSTRAINTS
        .iter()
        .flat_map(|(_, keys)| keys.iter().copied())
        .filter(|k| schema.remove(*k).is_some())
        .collect()
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    repair_format(schema, pointer, log);
    if schema.contains_key("type")
        || composed(schema, &["$ref", "allOf", "anyOf", "oneOf", "enum", "not"])
    {
        return;
    }
    if schema.contains_key("properties") {
        schema.insert("type".into(), json!("object"));
        log.fired(pointer, "properties but no type: an object");
    } else if schema.get("items").is_some_and(Value::is_object) {
        schema.insert("type".into(), json!("array"));
        log.fired(pointer, "items but no type: an array");
    } else {
        match constrained_types(schema).as_slice() {
            [] => {}
            [one] => {
                schema.insert("type".into(), json!(one));
                log.fired(pointer, format!("{one} constraints but no type: a {one}"));
            }
            several => {
                let removed = remove_constraints(schema);
                log.fired(
                    pointer,
                    format!(
                        "constraints of {} but no type: any value, {} removed",
                        several.join(" and "),
                        removed.join(", ")
                    ),
                );
            }
        }
    }
}

fn apply(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, &mut |schema, pointer| repair(schema, pointer, log));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run_on_schema;

    #[test]
    fn constraints_imply_their_type_or_go_when_they_disagree() {
        // typify panics on both ("invalid (or unexpected) schema").
        let (s, _) = run_on_schema(&RULE, json!({"minimum": 0, "description": "GB"}));
        assert_eq!(
            s,
            json!({"minimum": 0, "description": "GB", "type": "number"})
        );
        let (s, fired) = run_on_schema(
            &RULE,
            json!({"maximum": 9, "minimum": 1, "pattern": "^[0-9]+$"}),
        );
        assert_eq!(s, json!({}));
        assert_eq!(fired.len(), 1);
        let (s, fired) = run_on_schema(
            &RULE,
            json!({"allOf": [{"type": "string"}], "minLength": 1}),
        );
        assert_eq!(
            (s["minLength"].clone(), fired.len()),
            (json!(1), 0),
            "composed: left to its parts"
        );
    }

    #[test]
    fn formats_that_contradict_or_stand_in_for_the_type() {
        let (s, _) = run_on_schema(
            &RULE,
            json!({"type": "object", "properties": {
                "file": {"type": "object", "format": "file"},
                "created": {"format": "date-time", "readOnly": true},
                "urls": {"type": "array", "format": "list of urls", "items": {"type": "string"}},
                "ratio": {"type": "number", "format": "float"},
                "count": {"type": "number", "format": "int64"},
                "note": {"type": "string", "format": "markdown"},
                "loose": {"properties": {"a": {"type": "string"}}, "maxItems": 1},
                "list": {"items": {"type": "string"}},
                "either": {"oneOf": [{"type": "string"}], "format": "uuid"},
            }}),
        );
        let p = &s["properties"];
        assert_eq!(p["file"], json!({"type": "object"}));
        assert_eq!(
            p["created"],
            json!({"format": "date-time", "readOnly": true, "type": "string"})
        );
        assert!(p["urls"].get("format").is_none());
        assert_eq!(p["ratio"]["format"], "float");
        assert_eq!(p["count"]["format"], "int64");
        assert_eq!(p["note"]["format"], "markdown");
        assert_eq!(p["loose"]["type"], "object");
        assert_eq!(p["list"]["type"], "array");
        assert!(p["either"].get("type").is_none(), "composed: its parts say");
    }
}
