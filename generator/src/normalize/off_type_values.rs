//! Values that do not fit the declared type.
//!
//! A `default: 5` on a string, `enum: ["fast", 2, "slow"]` on a string: typify refuses the
//! schema ("value does not conform"), so the default and the enum members that do not fit are
//! removed (an enum left empty goes). An `enum` that is not a list is removed; an array
//! without `items` gets items of any value (typify needs to know the item type).

use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::for_each_schema;

pub(crate) const RULE: Rule = Rule {
    name: "values-off-their-type",
    repairs: "defaults and enum members that do not fit the type removed; arrays without items given any items",
    apply,
    when: super::always,
};

/// Whether a JSON value is of a JSON Schema type (null only where nullable).
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

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    let nullable = schema.get("nullable") == Some(&json!(true));
    let Some(ty) = schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        if schema.get("enum").is_some_and(|e| !e.is_array()) {
            schema.remove("enum");
            log.fired(pointer, "enum that is not a list removed");
        }
        return;
    };
    if let Some(default) = schema.get("default") {
        if !fits(default, &ty, nullable) {
            log.fired(
                pointer,
                format!("default {default} does not fit type {ty}: removed"),
            );
            schema.remove("default");
        }
    }
    match schema.get("enum").cloned() {
        Some(Value::Array(values)) => {
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
        Some(_) => {
            schema.remove("enum");
            log.fired(pointer, "enum that is not a list removed");
        }
        None => {}
    }
    if ty == "array" && !schema.get("items").is_some_and(Value::is_object) {
        schema.insert("items".into(), json!({}));
        log.fired(pointer, "array without items: items may be anything");
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
    fn defaults_and_enums_off_their_type_are_dropped() {
        let (s, _) = run_on_schema(
            &RULE,
            json!({"type": "integer", "default": "ten", "enum": [1, "two", 3]}),
        );
        assert_eq!(s, json!({"type": "integer", "enum": [1, 3]}));
    }

    #[test]
    fn null_fits_only_where_nullable_and_arrays_get_items() {
        let (s, fired) = run_on_schema(
            &RULE,
            json!({"type": "object", "properties": {
                "a": {"type": "string", "default": null},
                "b": {"type": "string", "nullable": true, "default": null},
                "c": {"type": "number", "default": 3},
                "d": {"type": "array"},
                "e": {"enum": "x"},
            }}),
        );
        let p = &s["properties"];
        assert!(p["a"].get("default").is_none());
        assert_eq!(p["b"]["default"], Value::Null);
        assert_eq!(p["c"]["default"], 3, "an integer is a number");
        assert_eq!(p["d"]["items"], json!({}));
        assert!(p["e"].get("enum").is_none());
        assert_eq!(fired.len(), 3);
    }
}
