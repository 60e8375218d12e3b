//! `default` values typify cannot hold to their schema.
//!
//! typify checks every `default` against its schema and refuses the whole document when one
//! does not conform ("value does not conform to the given schema"). Public specs write
//! samples as defaults of object schemas (`default: {"minicart": {…}}` beside properties that
//! do not match it), `{}` defaults on objects with required properties, and enum defaults that
//! are not among the enum's values. A client never needs a default of a response or request
//! object (the server applies its own), so this rule drops `default` on object and array
//! schemas, and a scalar default that is not one of its enum's values. (A scalar default of
//! the wrong JSON type is `repair-schemas`' business.)

use serde_json::{Map, Value};

use super::{for_each_schema, Log, Rule};

pub(crate) const RULE: Rule = Rule {
    name: "nonconforming-defaults",
    repairs: "`default`s typify rejects: on object and array schemas, or outside the enum",
    apply,
};

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    let Some(default) = schema.get("default") else {
        return;
    };
    let structured = matches!(
        schema.get("type").and_then(Value::as_str),
        Some("object" | "array")
    ) || default.is_object()
        || default.is_array();
    let outside_enum = schema
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| !values.contains(default));
    let why = if structured {
        "a default of an object or array schema (the server applies its own)"
    } else if outside_enum {
        "not one of the enum's values"
    } else {
        return;
    };
    schema.remove("default");
    log.fired(&format!("{pointer}/default"), format!("dropped: {why}"));
}

fn apply(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, &mut |schema, pointer| repair(schema, pointer, log));
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::testing::run;

    fn one(schema: Value) -> (Value, Vec<String>) {
        let (out, fired) = run(&RULE, json!({"components": {"schemas": {"S": schema}}}));
        (out["components"]["schemas"]["S"].clone(), fired)
    }

    #[test]
    fn structured_and_off_enum_defaults_go() {
        let (s, fired) = one(json!({"type": "object", "required": ["a"], "default": {},
            "properties": {"a": {"type": "string", "enum": ["x", "y"], "default": "z"},
                           "b": {"type": "array", "items": {"type": "integer"}, "default": ["1"]}}}));
        assert!(s.get("default").is_none());
        assert!(s["properties"]["a"].get("default").is_none());
        assert!(s["properties"]["b"].get("default").is_none());
        assert_eq!(fired.len(), 3);
    }

    #[test]
    fn fitting_scalar_defaults_stay() {
        let schema = json!({"type": "string", "enum": ["x", "y"], "default": "y"});
        let (s, fired) = one(schema.clone());
        assert_eq!(s, schema);
        assert!(fired.is_empty());
    }
}
