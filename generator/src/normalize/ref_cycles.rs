//! `$ref` cycles that stand for nothing.
//!
//! Two kinds of cycle are valid JSON and valid OpenAPI, yet mean no value at all, and every
//! tool that follows them naively — openapiv3's resolution in progenitor, typify, our own rules
//! — recurses until the stack overflows (the process aborts; `catch_unwind` cannot help):
//! - **alias cycles**: a component that is nothing but a `$ref`, whose chain of references
//!   comes back to itself (`A: {$ref: A}`; parameters `P → Q → P`; a response `R → R`). Every
//!   member is replaced by what its section means by "nothing known": a schema by `{}` (any
//!   value), a response by a bodiless one, a request body by an empty one; a parameter cycle
//!   is removed together with every reference to it;
//! - **composition cycles**: a schema that includes itself through `allOf`/`anyOf`/`oneOf`
//!   members (`A: {allOf: [{$ref: A}, …]}`, or `A → B → A` through them). The member that
//!   closes the cycle is removed from its list, and a list left empty with it (two schemas
//!   composed only of each other).
//!
//! A schema that refers to itself through a property or items (a tree, a linked list) is a
//! recursive type, not a cycle of this kind, and is left alone.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::{component, for_each_operation, reference_of, token};

pub(crate) const RULE: Rule = Rule {
    name: "ref-cycles",
    repairs: "`$ref` cycles that stand for nothing (alias cycles, a schema composed of itself)",
    apply,
    when: super::always,
};

/// The component sections a local `$ref` may point into, and what "nothing known" is there.
const SECTIONS: &[&str] = &[
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "examples",
    "links",
    "callbacks",
    "securitySchemes",
    "pathItems",
];

fn neutral(section: &str) -> Option<Value> {
    match section {
        "schemas" => Some(json!({})),
        "responses" => Some(json!({"description": "a $ref cycle: no response described"})),
        "requestBodies" => Some(json!({"content": {}})),
        "headers" => Some(json!({"schema": {}})),
        "examples" => Some(json!({})),
        // A parameter cycle names no parameter: the component and its uses go.
        _ => None,
    }
}

fn alias_target(value: &Value) -> Option<(String, String)> {
    component(reference_of(value)?)
}

/// Components that are only a `$ref`, whose chain comes back to one of them. Linear in the
/// number of components: a walk stops at the first component an earlier walk has seen.
fn alias_cycles(components: &Map<String, Value>) -> BTreeSet<(String, String)> {
    let mut cyclic = BTreeSet::new();
    // Component → the walk that first reached it.
    let mut walked: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut walk = 0;
    for section in SECTIONS {
        let Some(items) = components.get(*section).and_then(Value::as_object) else {
            continue;
        };
        for name in items.keys() {
            walk += 1;
            let mut chain = Vec::new();
            let mut at = Some((section.to_string(), name.clone()));
            while let Some(node) = at {
                match walked.get(&node) {
                    // Reached again in this walk: the chain from there is a cycle.
                    Some(&w) if w == walk => {
                        if let Some(i) = chain.iter().position(|c| *c == node) {
                            cyclic.extend(chain.drain(i..));
                        }
                        break;
                    }
                    // An earlier walk went on from here.
                    Some(_) => break,
                    None => {}
                }
                walked.insert(node.clone(), walk);
                at = components
                    .get(&node.0)
                    .and_then(|s| s.get(&node.1))
                    .and_then(alias_target);
                chain.push(node);
            }
        }
    }
    cyclic
}

/// A composition member that refers to a schema: (the schema's name, `allOf`/`anyOf`/`oneOf`,
/// the member's index).
type Edge = (String, String, usize);

/// The schema names a schema's top-level compositions refer to, with where.
fn composition_edges(schema: &Value) -> Vec<Edge> {
    let mut edges = Vec::new();
    for key in ["allOf", "anyOf", "oneOf"] {
        let Some(parts) = schema.get(key).and_then(Value::as_array) else {
            continue;
        };
        for (i, part) in parts.iter().enumerate() {
            if let Some((section, name)) = alias_target(part) {
                if section == "schemas" {
                    edges.push((name, key.to_string(), i));
                }
            }
        }
    }
    edges
}

/// The composition members that close a cycle: (schema, keyword, index), found by a
/// depth-first walk (iterative: the walk itself must not recurse on input).
fn composition_back_edges(schemas: &Map<String, Value>) -> BTreeSet<Edge> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: BTreeMap<&str, Mark> = BTreeMap::new();
    let mut back = BTreeSet::new();
    for root in schemas.keys() {
        if marks.contains_key(root.as_str()) {
            continue;
        }
        // (schema, its edges, the next edge to follow)
        let mut stack: Vec<(&str, Vec<Edge>, usize)> = Vec::new();
        marks.insert(root, Mark::Open);
        stack.push((root, composition_edges(&schemas[root]), 0));
        while let Some((name, edges, next)) = stack.last_mut() {
            let Some((target, key, index)) = edges.get(*next).cloned() else {
                marks.insert(name, Mark::Done);
                stack.pop();
                continue;
            };
            *next += 1;
            let name: &str = name;
            let Some((target_name, target_schema)) = schemas.get_key_value(&target) else {
                continue;
            };
            match marks.get(target_name.as_str()) {
                Some(Mark::Open) => {
                    back.insert((name.to_string(), key, index));
                }
                Some(Mark::Done) => {}
                None => {
                    marks.insert(target_name, Mark::Open);
                    let edges = composition_edges(target_schema);
                    stack.push((target_name, edges, 0));
                }
            }
        }
    }
    back
}

/// Removes every `$ref` to a removed parameter from operations and path items.
fn drop_parameter_uses(doc: &mut Value, removed: &BTreeSet<String>, log: &mut Log) {
    let uses = |list: &mut Value, pointer: &str, log: &mut Log| {
        let Some(items) = list.as_array_mut() else {
            return;
        };
        let mut original = 0;
        items.retain(|p| {
            let gone = alias_target(p)
                .is_some_and(|(section, name)| section == "parameters" && removed.contains(&name));
            if gone {
                log.fired(
                    &format!("{pointer}/{original}"),
                    "removed: a reference to a parameter $ref cycle",
                );
            }
            original += 1;
            !gone
        });
    };
    for_each_operation(doc, |_, _, op, pointer| {
        if let Some(list) = op.get_mut("parameters") {
            uses(list, &format!("{pointer}/parameters"), log);
        }
    });
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            if let Some(list) = item.get_mut("parameters") {
                uses(list, &format!("/paths/{}/parameters", token(path)), log);
            }
        }
    }
}

fn apply(doc: &mut Value, log: &mut Log) {
    let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) else {
        return;
    };
    let mut removed_parameters = BTreeSet::new();
    for (section, name) in alias_cycles(components) {
        let pointer = format!("/components/{section}/{}", token(&name));
        let Some(items) = components.get_mut(&section).and_then(Value::as_object_mut) else {
            continue;
        };
        match neutral(&section) {
            Some(value) => {
                items.insert(name, value);
                log.fired(
                    &pointer,
                    "a $ref cycle that names no value: replaced by an empty one",
                );
            }
            None => {
                items.remove(&name);
                log.fired(&pointer, "a $ref cycle that names nothing: removed");
                if section == "parameters" {
                    removed_parameters.insert(name);
                }
            }
        }
    }
    if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
        let back = composition_back_edges(schemas);
        // Highest index first, so removing one member does not move the next.
        for (name, key, index) in back.into_iter().rev() {
            let Some(list) = schemas
                .get_mut(&name)
                .and_then(|s| s.get_mut(&key))
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            if index < list.len() {
                list.remove(index);
                log.fired(
                    &format!("/components/schemas/{}/{key}/{index}", token(&name)),
                    "removed: the schema would be composed of itself",
                );
            }
            // A composition of nothing (`A: allOf [B]`, `B: allOf [A]`, each left with no
            // member) is no composition: typify refuses an empty list.
            if list.is_empty() {
                if let Some(schema) = schemas.get_mut(&name).and_then(Value::as_object_mut) {
                    schema.remove(&key);
                    log.fired(
                        &format!("/components/schemas/{}/{key}", token(&name)),
                        "removed: no member left",
                    );
                }
            }
        }
    }
    if !removed_parameters.is_empty() {
        drop_parameter_uses(doc, &removed_parameters, log);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run;

    #[test]
    fn alias_cycles_become_empty_values() {
        let (out, fired) = run(
            &RULE,
            json!({"components": {
                "schemas": {"A": {"$ref": "#/components/schemas/A"}, "B": {"$ref": "#/components/schemas/C"},
                            "C": {"$ref": "#/components/schemas/B"}, "D": {"$ref": "#/components/schemas/E"},
                            "E": {"type": "string"}},
                "responses": {"R": {"$ref": "#/components/responses/R"}},
            }}),
        );
        assert_eq!(out["components"]["schemas"]["A"], json!({}));
        assert_eq!(out["components"]["schemas"]["B"], json!({}));
        assert_eq!(out["components"]["schemas"]["C"], json!({}));
        assert_eq!(
            out["components"]["schemas"]["D"],
            json!({"$ref": "#/components/schemas/E"})
        );
        assert!(out["components"]["responses"]["R"]["description"].is_string());
        assert_eq!(fired.len(), 4);
    }

    #[test]
    fn parameter_cycles_go_with_their_uses() {
        let (out, fired) = run(
            &RULE,
            json!({
                "paths": {"/a": {"get": {"parameters": [
                    {"$ref": "#/components/parameters/P"},
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                ]}}},
                "components": {"parameters": {
                    "P": {"$ref": "#/components/parameters/Q"},
                    "Q": {"$ref": "#/components/parameters/P"},
                }},
            }),
        );
        assert_eq!(out["components"]["parameters"], json!({}));
        assert_eq!(
            out["paths"]["/a"]["get"]["parameters"],
            json!([{"name": "q", "in": "query", "schema": {"type": "string"}}])
        );
        assert!(fired.contains(&"/paths/~1a/get/parameters/0".to_string()));
    }

    #[test]
    fn a_schema_composed_of_itself_loses_that_member_and_trees_stay() {
        let (out, fired) = run(
            &RULE,
            json!({"components": {"schemas": {
                "A": {"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object"}]},
                "B": {"allOf": [{"$ref": "#/components/schemas/C"}]},
                "C": {"oneOf": [{"$ref": "#/components/schemas/B"}, {"type": "string"}]},
                "Tree": {"type": "object", "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}},
            }}}),
        );
        let schemas = &out["components"]["schemas"];
        assert_eq!(schemas["A"], json!({"allOf": [{"type": "object"}]}));
        // One of B → C → B's members is removed: the cycle is broken once.
        let members = |name: &str, key: &str| {
            schemas[name]
                .get(key)
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        };
        assert_eq!(members("B", "allOf") + members("C", "oneOf"), 2);
        assert_eq!(
            schemas["Tree"]["properties"]["children"]["items"],
            json!({"$ref": "#/components/schemas/Tree"})
        );
        assert!(fired.len() >= 2, "{fired:?}");
    }

    #[test]
    fn two_schemas_composed_only_of_each_other_leave_no_empty_list() {
        // typify panics on an empty allOf ("we should not be trying to merge an empty array").
        let (out, fired) = run(
            &RULE,
            json!({"components": {"schemas": {
                "A": {"allOf": [{"$ref": "#/components/schemas/B"}]},
                "B": {"allOf": [{"$ref": "#/components/schemas/A"}], "description": "B."},
            }}}),
        );
        let schemas = &out["components"]["schemas"];
        let empty = |s: &Value| {
            s.get("allOf")
                .and_then(Value::as_array)
                .is_some_and(Vec::is_empty)
        };
        assert!(!empty(&schemas["A"]) && !empty(&schemas["B"]), "{schemas}");
        assert_eq!(fired.len(), 2, "{fired:?}");
    }
}
