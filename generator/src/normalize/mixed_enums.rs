//! Enums without a `type` whose values are of several JSON kinds.
//!
//! The OpenStack specs under Fotbo write boolean-ish parameters as
//! `enum: ["0", "1", "FALSE", false, "False", true, …]` with no `type`. typify cannot choose a
//! Rust type for strings and booleans at once and panics ("multiple implied types for an
//! un-typed enum"), which costs the whole client. This rule drops such an enum — the value is
//! then any JSON value, which every listed value is — and keeps the allowed values in the
//! description, so the documentation still says them.

use serde_json::{Map, Value};

use super::{append_description, Log, Rule};
use crate::document::for_each_schema;

pub(crate) const RULE: Rule = Rule {
    name: "untyped-mixed-enums",
    repairs: "enums without a `type` mixing JSON kinds (strings and booleans, say)",
    apply,
    when: super::always,
};

fn kind(value: &Value) -> Option<&'static str> {
    match value {
        Value::Null => None,
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        Value::String(_) => Some("string"),
        Value::Array(_) => Some("array"),
        Value::Object(_) => Some("object"),
    }
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    if schema.contains_key("type") {
        return;
    }
    let Some(values) = schema.get("enum").and_then(Value::as_array) else {
        return;
    };
    let mut kinds: Vec<&str> = values.iter().filter_map(kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    // Integers are numbers too: one kind for typify.
    if kinds == ["integer", "number"] || kinds.len() <= 1 {
        return;
    }
    let listed: Vec<String> = values.iter().map(Value::to_string).collect();
    append_description(schema, &format!("One of: {}.", listed.join(", ")));
    schema.remove("enum");
    log.fired(
        &format!("{pointer}/enum"),
        format!(
            "dropped: values of several kinds ({}) without a type; listed in the description",
            kinds.join(", ")
        ),
    );
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
    fn strings_and_booleans_without_a_type_become_any_value() {
        let (s, fired) = one(json!({"enum": ["0", "1", "FALSE", false, "False", true, null]}));
        assert!(s.get("enum").is_none());
        assert_eq!(
            s["description"],
            r#"One of: "0", "1", "FALSE", false, "False", true, null."#
        );
        assert_eq!(fired, ["/components/schemas/S/enum"]);
    }

    #[test]
    fn one_kind_or_a_declared_type_stays() {
        for schema in [
            json!({"enum": ["a", "b", null]}),
            json!({"enum": [1, 2.5]}),
            json!({"type": "string", "enum": ["a", true]}),
        ] {
            let (s, fired) = one(schema.clone());
            assert_eq!(s, schema);
            assert!(fired.is_empty());
        }
    }
}
