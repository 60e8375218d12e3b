//! `allOf` compositions of plain objects.
//!
//! The Fotbo file writes its paginated lists as `allOf: [ListEnvelope, {objects: […], …}]`.
//! Merged by hand, such a composition is one flat object; left to the code generator it becomes
//! nested flattened structs or fails on overlapping properties. This rule merges an `allOf`
//! whose parts are all objects (inline, or references to object components) into one object
//! with the union of properties and required names. Compositions with anything else
//! (discriminators, scalars, a single `$ref` used to make a reference nullable) are left alone.

use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::{component_name, for_each_schema};

pub(crate) const RULE: Rule = Rule {
    name: "merge-object-allof",
    repairs: "`allOf` of plain objects, merged into one object",
    apply,
    when: super::always,
};

/// The object a part stands for, following `$ref`s into components (and their own allOfs).
fn object_part(
    part: &Value,
    components: &Map<String, Value>,
    depth: usize,
) -> Option<Map<String, Value>> {
    if depth > 16 {
        return None;
    }
    let map = part.as_object()?;
    if let Some(r) = map.get("$ref").and_then(Value::as_str) {
        let name = component_name(r, "schemas")?;
        return object_part(components.get(&name)?, components, depth + 1);
    }
    if map.contains_key("discriminator") || map.contains_key("oneOf") || map.contains_key("anyOf") {
        return None;
    }
    if let Some(parts) = map.get("allOf").and_then(Value::as_array) {
        return merge(parts, components, depth + 1);
    }
    let is_object = map.get("type").and_then(Value::as_str) == Some("object")
        || (map.get("type").is_none() && map.contains_key("properties"));
    is_object.then(|| map.clone())
}

fn merge(
    parts: &[Value],
    components: &Map<String, Value>,
    depth: usize,
) -> Option<Map<String, Value>> {
    let mut properties = Map::new();
    let mut required: Vec<Value> = Vec::new();
    for part in parts {
        let obj = object_part(part, components, depth)?;
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            for (k, v) in props {
                properties.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        for r in obj
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !required.contains(r) {
                required.push(r.clone());
            }
        }
    }
    let mut out = Map::new();
    out.insert("type".into(), json!("object"));
    out.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        out.insert("required".into(), Value::Array(required));
    }
    Some(out)
}

fn apply(doc: &mut Value, log: &mut Log) {
    let components = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for_each_schema(doc, &mut |schema, pointer| {
        let Some(parts) = schema.get("allOf").and_then(Value::as_array) else {
            return;
        };
        if parts.len() < 2 {
            return;
        }
        let Some(merged) = merge(parts, &components, 0) else {
            return;
        };
        schema.remove("allOf");
        for (k, v) in merged {
            schema.insert(k, v);
        }
        log.fired(pointer, "allOf of objects merged into one object");
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run;

    #[test]
    fn list_envelope_composition_becomes_one_object() {
        let (out, fired) = run(
            &RULE,
            json!({"components": {"schemas": {
                "Envelope": {"type": "object", "properties": {"count": {"type": "integer"}}, "required": ["count"]},
                "List": {"allOf": [{"$ref": "#/components/schemas/Envelope"},
                                   {"type": "object", "properties": {"objects": {"type": "array", "items": {}}}}]},
                "Nullable": {"allOf": [{"$ref": "#/components/schemas/Envelope"}], "nullable": true},
            }}}),
        );
        assert_eq!(
            out["components"]["schemas"]["List"],
            json!({
                "type": "object",
                "properties": {"count": {"type": "integer"}, "objects": {"type": "array", "items": {}}},
                "required": ["count"],
            })
        );
        assert_eq!(
            out["components"]["schemas"]["Nullable"]["allOf"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        assert_eq!(fired, ["/components/schemas/List"]);
    }

    #[test]
    fn compositions_with_scalars_stay() {
        let input = json!({"components": {"schemas": {"S": {"allOf": [{"type": "string"}, {"minLength": 1}]}}}});
        let (out, fired) = run(&RULE, input.clone());
        assert_eq!(out, input);
        assert!(fired.is_empty());
    }
}
