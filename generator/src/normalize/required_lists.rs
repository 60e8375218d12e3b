//! `required` lists that contradict the properties.
//!
//! `required: true` written on a property (a Swagger 2 habit) is moved into the parent's
//! `required` list, where OpenAPI 3 reads it; names in `required` that no property has are
//! removed (typify refuses them); a `required` that is not a list is removed.

use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::{for_each_schema, token};

pub(crate) const RULE: Rule = Rule {
    name: "required-lists",
    repairs: "`required: true` on a property moved to the parent's list; required names without a property removed",
    apply,
    when: super::always,
};

/// `required: true|false` on the properties → the parent's list.
fn lift_boolean_required(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    let mut lifted = Vec::new();
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, prop) in props.iter_mut() {
            let Some(p) = prop.as_object_mut() else {
                continue;
            };
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
    if lifted.is_empty() {
        return;
    }
    match schema.entry("required").or_insert_with(|| json!([])) {
        Value::Array(list) => list.extend(lifted.into_iter().map(Value::String)),
        // Not a list: the lifted names replace it.
        other => *other = Value::Array(lifted.into_iter().map(Value::String).collect()),
    }
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    lift_boolean_required(schema, pointer, log);
    match schema.get("required") {
        Some(Value::Array(names)) => {
            let Some(props) = schema.get("properties").and_then(Value::as_object) else {
                return;
            };
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
        Some(_) => {
            schema.remove("required");
            log.fired(pointer, "`required` that is not a list removed");
        }
        None => {}
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
    fn required_names_are_made_consistent() {
        let (s, _) = run_on_schema(
            &RULE,
            json!({"type": "object", "required": ["a", "ghost"], "properties": {
                "a": {"type": "string"}, "b": {"type": "string", "required": true},
                "c": {"type": "string", "required": false},
            }}),
        );
        assert_eq!(s["required"], json!(["a", "b"]));
        assert!(s["properties"]["b"].get("required").is_none());
        assert!(s["properties"]["c"].get("required").is_none());
    }

    #[test]
    fn a_required_that_is_not_a_list_goes() {
        let (s, fired) = run_on_schema(
            &RULE,
            json!({"type": "object", "required": "a", "properties": {"a": {"type": "string"}}}),
        );
        assert!(s.get("required").is_none());
        assert_eq!(fired.len(), 1);
    }
}
