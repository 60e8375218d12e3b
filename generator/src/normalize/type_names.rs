//! Unknown type names.
//!
//! Hand-written specs of the Fotbo family name types JSON Schema does not have: `integers` in
//! the load-balancer bodies, `int`, `str`, `bool`, `dict` … openapiv3 refuses the whole
//! document over one of them. Each is mapped to the JSON Schema type it means, or removed
//! (the schema becomes untyped: any value) when it means nothing recognisable; a `type` that
//! is not a name at all (a number, a list) is removed too.

use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::for_each_schema;

pub(crate) const RULE: Rule = Rule {
    name: "unknown-type-names",
    repairs: "type names JSON Schema lacks (`integers`, `str`, `bool` …) mapped to the type they mean, or removed",
    apply,
    when: super::always,
};

/// The JSON Schema type names OpenAPI 3.0 reads.
pub(crate) const TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object"];

/// The type a hand-written type name means, if it means one.
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

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
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
}

fn apply(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, &mut |schema, pointer| repair(schema, pointer, log));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run_on_schema;

    #[test]
    fn unknown_type_names_are_mapped_or_removed() {
        let (s, fired) = run_on_schema(
            &RULE,
            json!({"type": "object", "properties": {
                "a": {"type": "integers"}, "b": {"type": "whatever"}, "c": {"type": 5},
                "d": {"type": " Bool "}, "e": {"type": "string"},
            }}),
        );
        assert_eq!(s["properties"]["a"], json!({"type": "integer"}));
        assert_eq!(s["properties"]["b"], json!({}));
        assert_eq!(s["properties"]["c"], json!({}));
        assert_eq!(s["properties"]["d"], json!({"type": "boolean"}));
        assert_eq!(s["properties"]["e"], json!({"type": "string"}));
        assert_eq!(fired.len(), 4);
    }
}
