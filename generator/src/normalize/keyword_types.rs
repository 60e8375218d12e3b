//! Schema keywords holding a value of the wrong JSON type, and properties written beside
//! `type: object` instead of inside `properties`.
//!
//! Nine published versions of a sibling Fleio provider's spec (one still titled "OpenAPI
//! Fotbo.com", "Specification 1.0.5") write, inside an `items` schema,
//! `{"type": "object", "name": {"type": "string"}, "description": {"type": "string"}}`: the
//! property called `description` sits where the description string belongs, and openapiv3
//! refuses the whole document ("invalid type: map, expected a string"); the property `name`
//! is silently ignored. This rule runs first and repairs every schema so that the document
//! parses:
//! - in an object schema (`type: object`, or with `properties`), a value that is a schema
//!   (it has `type`, `$ref`, `properties`, `items`, `enum`, `format` or a composition) under a
//!   key that is not a keyword, or under a keyword whose value must not be an object
//!   (`description`, `title`, `format`, `pattern`, `minimum` …), moves into `properties`
//!   (unless `properties` already has that name: then it is dropped);
//! - any other keyword value of the wrong JSON type is dropped.
//!
//! Each change is reported with its pointer. `type` and `required` are left to
//! `unknown-type-names` and `required-lists`, which know what their wrong values mean.

use serde_json::{Map, Value};

use super::{Log, Rule};
use crate::document::{for_each_schema, token};

pub(crate) const RULE: Rule = Rule {
    name: "schema-keyword-types",
    repairs:
        "keywords holding a value of the wrong JSON type; properties written beside `type: object`",
    apply,
    when: super::always,
};

/// The JSON types a keyword's value may have (OpenAPI 3.0 and 3.1 alike).
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Number,
    Count,
    Flag,
    Object,
    List,
    /// A schema: an object, or (3.1) a boolean.
    Schema,
    /// `exclusiveMinimum`/`exclusiveMaximum`: a flag in 3.0, a number in 3.1.
    FlagOrNumber,
    /// Anything: `default`, `example`, `const`, extensions…
    Any,
}

fn kind(keyword: &str) -> Option<Kind> {
    use Kind::*;
    Some(match keyword {
        "description" | "title" | "format" | "pattern" | "$ref" | "$id" | "$schema"
        | "$comment" | "$anchor" | "contentMediaType" | "contentEncoding" => Text,
        "minimum" | "maximum" | "multipleOf" => Number,
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties"
        | "minContains" | "maxContains" => Count,
        "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems" => Flag,
        "exclusiveMinimum" | "exclusiveMaximum" => FlagOrNumber,
        "properties" | "discriminator" | "externalDocs" | "xml" | "patternProperties" | "$defs"
        | "definitions" | "dependentSchemas" | "dependentRequired" | "dependencies" => Object,
        "enum" | "allOf" | "anyOf" | "oneOf" | "prefixItems" | "examples" => List,
        "items"
        | "additionalProperties"
        | "not"
        | "if"
        | "then"
        | "else"
        | "contains"
        | "propertyNames"
        | "unevaluatedProperties"
        | "unevaluatedItems"
        | "contentSchema" => Schema,
        "default" | "example" | "const" | "type" | "required" => Any,
        _ => return None,
    })
}

fn fits(kind: Kind, value: &Value) -> bool {
    match kind {
        Kind::Text => value.is_string(),
        Kind::Number => value.is_number(),
        Kind::Count => value.as_u64().is_some(),
        Kind::Flag => value.is_boolean(),
        Kind::FlagOrNumber => value.is_boolean() || value.is_number(),
        Kind::Object => value.is_object(),
        Kind::List => value.is_array(),
        Kind::Schema => value.is_object() || value.is_boolean(),
        Kind::Any => true,
    }
}

/// Keys that make an object read as a schema rather than as data.
const SCHEMA_MARKERS: &[&str] = &[
    "type",
    "$ref",
    "properties",
    "items",
    "enum",
    "format",
    "allOf",
    "anyOf",
    "oneOf",
];

fn looks_like_schema(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|m| SCHEMA_MARKERS.iter().any(|k| m.contains_key(*k)))
}

fn is_object_schema(schema: &Map<String, Value>) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        || schema.get("properties").is_some_and(Value::is_object)
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    let object_schema = is_object_schema(schema);
    let misplaced: Vec<String> = schema
        .iter()
        .filter(|(key, value)| {
            if key.starts_with("x-") {
                return false;
            }
            match kind(key) {
                Some(kind) => !fits(kind, value),
                // An unknown key: a property written beside the keywords, or harmless prose.
                None => object_schema && looks_like_schema(value),
            }
        })
        .map(|(key, _)| key.clone())
        .collect();
    for key in misplaced {
        let Some(value) = schema.remove(&key) else {
            continue;
        };
        let at = format!("{pointer}/{}", token(&key));
        if object_schema && looks_like_schema(&value) {
            let properties = schema
                .entry("properties")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(properties) = properties.as_object_mut() {
                if properties.contains_key(&key) {
                    log.fired(
                        &at,
                        format!("dropped: a property schema written beside `type: object`, and `properties` already has `{key}`"),
                    );
                } else {
                    log.fired(
                        &at,
                        "moved into `properties`: a property schema written beside `type: object`",
                    );
                    properties.insert(key, value);
                }
                continue;
            }
        }
        log.fired(
            &at,
            format!("dropped: `{key}` cannot hold {}", json_kind(&value)),
        );
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn apply(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, &mut |schema, pointer| repair(schema, pointer, log));
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::testing::run_on_schema;

    fn one(schema: Value) -> (Value, Vec<String>) {
        run_on_schema(&RULE, schema)
    }

    #[test]
    fn properties_beside_type_object_move_into_properties() {
        // The sibling provider's InstanceCreateOptions items, as published.
        let (s, fired) = one(json!({"type": "array", "items": {
            "type": "object",
            "name": {"type": "string"},
            "description": {"type": "string"},
            "sizeIncrement": {"type": "integer"},
        }}));
        assert_eq!(
            s["items"],
            json!({"type": "object", "properties": {
                "name": {"type": "string"},
                "description": {"type": "string"},
                "sizeIncrement": {"type": "integer"},
            }})
        );
        assert_eq!(fired.len(), 3);
        assert_eq!(fired[0], "/components/schemas/S/items/name");
    }

    #[test]
    fn an_existing_property_wins_and_prose_stays() {
        let (s, fired) = one(json!({
            "type": "object",
            "properties": {"description": {"type": "integer"}},
            "description": {"type": "string"},
            "notes": "a stray note, not a schema",
        }));
        assert_eq!(s["properties"]["description"], json!({"type": "integer"}));
        assert!(s.get("description").is_none());
        assert_eq!(s["notes"], "a stray note, not a schema");
        assert_eq!(fired, ["/components/schemas/S/description"]);
    }

    #[test]
    fn wrong_typed_keywords_are_dropped_valid_ones_kept() {
        let (s, fired) = one(json!({
            "type": "string",
            "maxLength": "64",
            "minLength": -1,
            "pattern": {"regex": "x"},
            "nullable": "yes",
            "enum": "a",
            "exclusiveMinimum": 3,
            "items": true,
            "x-anything": {"type": "string"},
            "format": "uuid",
        }));
        assert_eq!(
            s,
            json!({"type": "string", "exclusiveMinimum": 3, "items": true,
                   "x-anything": {"type": "string"}, "format": "uuid"})
        );
        assert_eq!(fired.len(), 5);
    }

    #[test]
    fn nested_schemas_are_repaired_too() {
        let (s, _) = one(json!({"type": "object", "properties": {
            "inner": {"type": "object", "title": {"type": "string"}},
        }}));
        assert_eq!(
            s["properties"]["inner"],
            json!({"type": "object", "properties": {"title": {"type": "string"}}})
        );
    }
}
