//! `default` values typify cannot hold to their schema.
//!
//! typify checks every `default` against its schema and refuses the whole document when one
//! does not conform ("value does not conform to the given schema"). Public specs write
//! samples as defaults of object schemas (`default: {"minicart": {…}}` beside properties that
//! do not match it), `{}` defaults on objects with required properties, and enum defaults that
//! are not among the enum's values. A client never needs a default of a response or request
//! object (the server applies its own), so this rule drops `default` on object and array
//! schemas, beside a `$ref` or a composition (`allOf: [$ref Ordering], default: "descending"`),
//! a scalar default that is not one of its enum's values or lies outside its bounds, and a
//! text default beside a pattern, length or format (typify validates it, and one that does not
//! hold costs the whole document). (A scalar default of
//! the wrong JSON type is `values-off-their-type`' business.)

use serde_json::{Map, Value};

use super::{Log, Rule};
use crate::document::for_each_schema;

pub(crate) const RULE: Rule = Rule {
    name: "nonconforming-defaults",
    repairs: "`default`s typify rejects: on object and array schemas, or outside the enum",
    apply,
    when: super::always,
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
    let composed = ["$ref", "allOf", "anyOf", "oneOf", "not"]
        .iter()
        .any(|k| schema.contains_key(*k));
    let out_of_bounds = default.as_f64().is_some_and(|value| {
        let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
        let exclusive = |key: &str| schema.get(key).and_then(Value::as_bool) == Some(true);
        let below = bound("minimum")
            .is_some_and(|min| value < min || (exclusive("exclusiveMinimum") && value == min));
        let above = bound("maximum")
            .is_some_and(|max| value > max || (exclusive("exclusiveMaximum") && value == max));
        below || above
    });
    let constrained_text = default.is_string()
        && ["pattern", "minLength", "maxLength", "format"]
            .iter()
            .any(|k| schema.contains_key(*k));
    let outside_enum = schema
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| !values.contains(default));
    let why = if structured {
        "a default of an object or array schema (the server applies its own)"
    } else if composed {
        "a default beside a reference or composition (typify checks it against what that resolves to, and refuses the document when it cannot)"
    } else if outside_enum {
        "not one of the enum's values"
    } else if out_of_bounds {
        "outside the schema's minimum/maximum"
    } else if constrained_text {
        "a text default beside a pattern, length or format (typify refuses the document when one does not hold)"
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
    use crate::normalize::testing::run_on_schema;

    fn one(schema: Value) -> (Value, Vec<String>) {
        run_on_schema(&RULE, schema)
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
    fn a_default_beside_a_composition_goes() {
        let (s, fired) = one(json!({"allOf": [{"$ref": "#/components/schemas/Ordering"}],
                                    "default": "descending"}));
        assert!(s.get("default").is_none());
        assert_eq!(fired.len(), 1);
    }

    #[test]
    fn out_of_bounds_and_constrained_text_defaults_go() {
        for schema in [
            json!({"type": "integer", "minimum": 1, "default": 0}),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "default": 0}),
            json!({"type": "string", "pattern": "^[a-z]+$", "default": "ABC"}),
        ] {
            let (s, fired) = one(schema);
            assert!(s.get("default").is_none());
            assert_eq!(fired.len(), 1);
        }
    }

    #[test]
    fn fitting_scalar_defaults_stay() {
        let schema = json!({"type": "string", "enum": ["x", "y"], "default": "y"});
        let (s, fired) = one(schema.clone());
        assert_eq!(s, schema);
        assert!(fired.is_empty());
    }
}
