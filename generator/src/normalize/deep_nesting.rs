//! Schemas nested inline deeper than a compiler follows.
//!
//! Every level of inline nesting (a property's object, an array's items, a composition's
//! member) is one more level of type in the generated code: `Vec<Vec<…>>` a hundred deep
//! generates, but rustc then stops compiling fotbo-api ("reached the recursion limit while
//! instantiating … Serialize"), and the whole client is lost for one schema. A `$ref` starts a
//! type of its own, so only inline nesting counts. This rule cuts a schema nested deeper than
//! [`MAX_INLINE_DEPTH`] levels to "any value" at that level, saying so in its description: real
//! specs nest a handful of levels, and the value below the cut still arrives, untyped.

use serde_json::{Map, Value};

use super::{append_description, Log, Rule};
use crate::document::token;

pub(crate) const RULE: Rule = Rule {
    name: "deep-inline-nesting",
    repairs: "schemas nested inline deeper than the compiler follows: any value below the cut",
    apply,
    when: super::always,
};

/// Inline levels kept: below this, any value.
pub(crate) const MAX_INLINE_DEPTH: usize = 32;

/// Keys whose value is one nested schema.
const NESTED: &[&str] = &["items", "additionalProperties", "not"];
/// Keys whose value is a list of nested schemas.
const NESTED_LISTS: &[&str] = &["allOf", "anyOf", "oneOf"];

fn cut(schema: &mut Value, pointer: &str, depth: usize, log: &mut Log) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    if map.contains_key("$ref") {
        return;
    }
    if depth >= MAX_INLINE_DEPTH {
        let mut any = Map::new();
        if let Some(description) = map.get("description").cloned() {
            any.insert("description".into(), description);
        }
        append_description(
            &mut any,
            &format!("Any value: nested more than {MAX_INLINE_DEPTH} levels deep in its schema."),
        );
        *map = any;
        log.fired(
            pointer,
            format!("nested {MAX_INLINE_DEPTH} levels deep: any value from here down"),
        );
        return;
    }
    for (key, child) in map.iter_mut() {
        let here = format!("{pointer}/{}", token(key));
        if key == "properties" {
            for (name, prop) in child.as_object_mut().into_iter().flatten() {
                cut(prop, &format!("{here}/{}", token(name)), depth + 1, log);
            }
        } else if NESTED.contains(&key.as_str()) {
            cut(child, &here, depth + 1, log);
        } else if NESTED_LISTS.contains(&key.as_str()) {
            for (i, member) in child.as_array_mut().into_iter().flatten().enumerate() {
                cut(member, &format!("{here}/{i}"), depth + 1, log);
            }
        }
    }
}

/// Whether a schema nests inline deeper than the bound (read-only: most never do).
fn too_deep(schema: &Value, depth: usize) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    if map.contains_key("$ref") {
        return false;
    }
    if depth >= MAX_INLINE_DEPTH {
        return true;
    }
    map.iter().any(|(key, child)| {
        if key == "properties" {
            child
                .as_object()
                .is_some_and(|props| props.values().any(|p| too_deep(p, depth + 1)))
        } else if NESTED.contains(&key.as_str()) {
            too_deep(child, depth + 1)
        } else if NESTED_LISTS.contains(&key.as_str()) {
            child
                .as_array()
                .is_some_and(|list| list.iter().any(|m| too_deep(m, depth + 1)))
        } else {
            false
        }
    })
}

fn apply(doc: &mut Value, log: &mut Log) {
    for root in crate::document::schema_roots(doc) {
        if !doc.pointer(&root).is_some_and(|s| too_deep(s, 0)) {
            continue;
        }
        if let Some(schema) = doc.pointer_mut(&root) {
            cut(schema, &root, 0, log);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::testing::{run, run_on_schema};

    fn nested_arrays(levels: usize) -> Value {
        (0..levels).fold(
            json!({"type": "string"}),
            |inner, _| json!({"type": "array", "items": inner}),
        )
    }

    fn depth(schema: &Value) -> usize {
        match schema.get("items") {
            Some(items) => 1 + depth(items),
            None => 0,
        }
    }

    #[test]
    fn nesting_past_the_bound_becomes_any_value() {
        let (out, fired) = run_on_schema(&RULE, nested_arrays(100));
        assert_eq!(depth(&out), MAX_INLINE_DEPTH);
        assert_eq!(fired.len(), 1);
        let mut leaf = &out;
        while let Some(items) = leaf.get("items") {
            leaf = items;
        }
        assert!(leaf.get("type").is_none(), "{leaf}");
        assert!(leaf["description"].as_str().unwrap().contains("nested"));
    }

    #[test]
    fn references_start_a_new_count_and_shallow_schemas_stay() {
        let shallow = nested_arrays(5);
        let (out, fired) = run_on_schema(&RULE, shallow.clone());
        assert_eq!((out, fired.len()), (shallow, 0));
        let body = json!({"paths": {"/a": {"post": {"requestBody": {"content": {"application/json": {
            "schema": {"type": "object", "properties": {"deep": nested_arrays(40), "ref": {"$ref": "#/components/schemas/X"}}}}}}}}},
            "components": {"schemas": {"X": nested_arrays(10)}}});
        let (out, fired) = run(&RULE, body);
        assert_eq!(fired.len(), 1, "{fired:?}");
        let deep = out
            .pointer("/paths/~1a/post/requestBody/content/application~1json/schema/properties/deep")
            .unwrap();
        assert_eq!(
            depth(deep),
            MAX_INLINE_DEPTH - 1,
            "the property is one level in"
        );
    }
}
