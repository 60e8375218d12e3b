//! Property names that become the same Rust field.
//!
//! `hostId` and `host_id` in one object are two JSON names but one Rust field, `host_id`:
//! typify writes the struct with the field twice, and the code does not compile. The later
//! property is dropped from the typed struct (a value the server sends under it is read and
//! ignored); the first keeps the name.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use serde_json::{Map, Value};

use super::{Log, Rule};
use crate::document::{for_each_schema, token};

pub(crate) const RULE: Rule = Rule {
    name: "colliding-property-names",
    repairs:
        "properties that make the same Rust field name (`hostId`, `host_id`): the later one dropped",
    apply,
    when: super::always,
};

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
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

fn apply(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, &mut |schema, pointer| repair(schema, pointer, log));
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::testing::run_on_schema;

    #[test]
    fn colliding_property_names_keep_the_first() {
        let (s, fired) = run_on_schema(
            &RULE,
            json!({"type": "object", "properties": {
                "hostId": {"type": "string"}, "host_id": {"type": "string"}, "HostID": {"type": "string"},
                "host_name": {"type": "string"},
            }}),
        );
        let names: Vec<_> = s["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(names, ["hostId", "host_name"]);
        assert_eq!(
            fired,
            [
                "/components/schemas/S/properties/host_id",
                "/components/schemas/S/properties/HostID"
            ]
        );
    }
}
