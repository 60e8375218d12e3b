//! `true` and `false` written where a property or item schema belongs.
//!
//! JSON Schema allows a boolean as a schema (`true`: anything); OpenAPI 3.0 does not, and
//! openapiv3 refuses the document. Both become the empty schema, any value: `false` ("no
//! value allowed") has no use in a client that must read what the server sends.

use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::{for_each_schema, token};

pub(crate) const RULE: Rule = Rule {
    name: "boolean-schemas",
    repairs: "`true`/`false` in place of a property or item schema: any value",
    apply,
    when: super::always,
};

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
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
}

fn apply(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, &mut |schema, pointer| repair(schema, pointer, log));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run_on_schema;

    #[test]
    fn boolean_property_and_item_schemas_become_any_value() {
        let (s, fired) = run_on_schema(
            &RULE,
            json!({"type": "object", "properties": {
                "a": true, "b": false, "c": {"type": "array", "items": true}, "d": {"type": "string"},
            }}),
        );
        let p = &s["properties"];
        assert_eq!(p["a"], json!({}));
        assert_eq!(p["b"], json!({}));
        assert_eq!(p["c"], json!({"type": "array", "items": {}}));
        assert_eq!(p["d"], json!({"type": "string"}));
        assert_eq!(fired.len(), 3);
    }
}
