//! Stage 1½: wire corrections, as an OpenAPI Overlay (Overlay Specification 1.0.0).
//!
//! The published spec says what Fotbo *documented*; the server sends something else in places
//! (a JSON-text string where an object is declared, `null` in fields typed `string`, 204 where
//! 200 is documented). Those corrections live beside the spec in an overlay file instead of in
//! the spec itself, so that they survive `cargo xtask fetch` replacing the spec: each action is a
//! JSONPath target (RFC 9535) and an `update` merged into every node it selects, or `remove`.
//!
//! Semantics, as the Overlay Specification gives them: actions run in order, each on the result
//! of the one before; `update` is merged recursively into an object (objects merge, arrays are
//! appended to, anything else is replaced) or appended to an array as one entry; `remove: true`
//! removes the selected nodes from their parents. An action whose target selects nothing is not
//! an error: it is reported, because that is how we learn that Fotbo fixed its file.

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::error::{Error, Stage};
pub use crate::record::Applied;

/// A parsed overlay document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    /// `info.title`.
    pub title: String,
    /// `extends`: the document the overlay was written for, when it says.
    pub extends: Option<String>,
    /// The actions, in order.
    pub actions: Vec<Action>,
}

/// One overlay action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// The JSONPath expression, as written.
    pub target: String,
    /// What the action does and why (the evidence).
    pub description: String,
    /// The value merged into each selected node (ignored when `remove`).
    pub update: Option<Value>,
    /// Whether the selected nodes are removed.
    pub remove: bool,
    path: ParsedPath,
}

/// A compiled JSONPath that compares equal by its text (the compiled form has no `Eq`).
#[derive(Debug, Clone)]
struct ParsedPath(JsonPath);

impl PartialEq for ParsedPath {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_string() == other.0.to_string()
    }
}

impl Eq for ParsedPath {}

fn overlay_error(message: impl Into<String>, pointer: impl AsRef<str>) -> Error {
    let pointer = pointer.as_ref();
    let error = Error::new(Stage::Overlay, message);
    if pointer.is_empty() {
        error
    } else {
        error.at(pointer)
    }
}

impl Overlay {
    /// Reads an overlay document (JSON or YAML). Every defect is named with its pointer: the
    /// overlay is our own file, so a broken action is refused rather than silently skipped.
    pub fn parse(bytes: &[u8]) -> Result<Overlay, Error> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| overlay_error(format!("the overlay is not UTF-8 text: {e}"), ""))?;
        let value: Value = if text.trim_start().starts_with('{') {
            serde_json::from_str(text)
                .map_err(|e| overlay_error(format!("invalid JSON: {e}"), ""))?
        } else {
            crate::load::yaml_to_json(text)
                .map_err(|e| overlay_error(format!("invalid YAML: {e}"), ""))?
        };
        let root = value
            .as_object()
            .ok_or_else(|| overlay_error("the overlay is not an object", ""))?;
        match root.get("overlay").and_then(Value::as_str) {
            Some(v) if v.starts_with("1.") => {}
            Some(v) => {
                return Err(overlay_error(
                    format!("overlay version {v} is not supported (1.x only)"),
                    "/overlay",
                ))
            }
            None => {
                return Err(overlay_error(
                    "no `overlay` version field: not an overlay document",
                    "/overlay",
                ))
            }
        }
        let title = root
            .get("info")
            .and_then(|i| i.get("title"))
            .and_then(Value::as_str)
            .unwrap_or("overlay")
            .to_string();
        let list = root
            .get("actions")
            .and_then(Value::as_array)
            .ok_or_else(|| overlay_error("`actions` must be a list", "/actions"))?;
        let actions = list
            .iter()
            .enumerate()
            .map(|(i, a)| parse_action(i, a))
            .collect::<Result<Vec<_>, _>>()?;
        let extends = root
            .get("extends")
            .and_then(Value::as_str)
            .map(str::to_string);
        Ok(Overlay {
            title,
            extends,
            actions,
        })
    }

    /// Applies every action to the document, in order.
    pub fn apply(&self, doc: &mut Value) -> Vec<Applied> {
        self.actions
            .iter()
            .enumerate()
            .map(|(index, action)| action.apply(index, doc))
            .collect()
    }
}

fn parse_action(index: usize, value: &Value) -> Result<Action, Error> {
    let at = |key: &str| format!("/actions/{index}{key}");
    let map = value
        .as_object()
        .ok_or_else(|| overlay_error("an action must be an object", at("")))?;
    let target = map
        .get("target")
        .and_then(Value::as_str)
        .ok_or_else(|| overlay_error("an action needs a `target` string", at("/target")))?
        .to_string();
    let path = JsonPath::parse(&target).map_err(|e| {
        overlay_error(
            format!("`{target}` is not an RFC 9535 JSONPath: {e}"),
            at("/target"),
        )
    })?;
    let remove = match map.get("remove") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(overlay_error("`remove` must be a boolean", at("/remove"))),
    };
    let update = map.get("update").cloned();
    if !remove && update.is_none() {
        return Err(overlay_error(
            "an action needs `update` or `remove: true`",
            at(""),
        ));
    }
    let description = map
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    Ok(Action {
        target,
        description,
        update,
        remove,
        path: ParsedPath(path),
    })
}

impl Action {
    fn apply(&self, index: usize, doc: &mut Value) -> Applied {
        // Locations first (the query borrows the document), then the changes.
        let mut pointers: Vec<String> = self
            .path
            .0
            .query_located(doc)
            .locations()
            .map(|l| l.to_json_pointer())
            .collect();
        let mut skipped = Vec::new();
        if self.remove {
            // Later array entries first, so that earlier indices stay valid.
            pointers.sort_by(|a, b| compare_for_removal(b, a));
            pointers.retain(|p| remove_at(doc, p));
        } else if let Some(update) = &self.update {
            pointers.retain(|p| match doc.pointer_mut(p) {
                Some(Value::Object(node)) => {
                    if let Value::Object(changes) = update {
                        merge(node, changes);
                    } else {
                        skipped.push(p.clone());
                        return false;
                    }
                    true
                }
                Some(Value::Array(items)) => {
                    items.push(update.clone());
                    true
                }
                _ => {
                    skipped.push(p.clone());
                    false
                }
            });
        }
        Applied {
            index,
            target: self.target.clone(),
            summary: self.description.lines().next().unwrap_or("").to_string(),
            pointers,
            skipped,
        }
    }
}

/// Orders pointers so that, within one array, higher indices compare greater.
fn compare_for_removal(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |p: &str| -> Vec<(u8, u64, String)> {
        p.split('/')
            .map(|t| match t.parse::<u64>() {
                Ok(n) => (0, n, String::new()),
                Err(_) => (1, 0, t.to_string()),
            })
            .collect()
    };
    key(a).cmp(&key(b))
}

/// Removes the node at `pointer` from its parent; false when there is none (or it is the root).
fn remove_at(doc: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => map.shift_remove(&last).is_some(),
        Some(Value::Array(items)) => match last.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// The Overlay Specification's merge: objects recursively, arrays appended, the rest replaced.
fn merge(node: &mut Map<String, Value>, changes: &Map<String, Value>) {
    for (key, change) in changes {
        match (node.get_mut(key), change) {
            (Some(Value::Object(existing)), Value::Object(more)) => merge(existing, more),
            (Some(Value::Array(existing)), Value::Array(more)) => {
                existing.extend(more.iter().cloned())
            }
            _ => {
                node.insert(key.clone(), change.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn overlay(actions: Value) -> Overlay {
        let doc =
            json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions});
        Overlay::parse(doc.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn update_merges_objects_appends_arrays_replaces_the_rest() {
        let mut doc = json!({"a": {"type": "object", "required": ["x"], "n": {"k": 1}}});
        let o = overlay(json!([{
            "target": "$.a",
            "update": {"type": "string", "required": ["y"], "n": {"j": 2}}
        }]));
        let applied = o.apply(&mut doc);
        assert_eq!(
            doc,
            json!({"a": {"type": "string", "required": ["x", "y"], "n": {"k": 1, "j": 2}}})
        );
        assert_eq!(applied[0].pointers, vec!["/a"]);
    }

    #[test]
    fn remove_takes_every_match_and_keeps_indices_right() {
        let mut doc = json!({"l": [{"k": 1}, {"k": 2}, {"k": 1}, {"k": 3}]});
        let o = overlay(json!([{"target": "$.l[?@.k == 1]", "remove": true}]));
        let applied = o.apply(&mut doc);
        assert_eq!(doc, json!({"l": [{"k": 2}, {"k": 3}]}));
        assert_eq!(applied[0].pointers, vec!["/l/2", "/l/0"]);
    }

    #[test]
    fn unmatched_targets_are_reported_not_refused() {
        let mut doc = json!({"paths": {}});
        let o = overlay(json!([
            {"target": "$.paths['/gone'].get", "description": "Fixed upstream?\nmore", "update": {"x": 1}},
            {"target": "$.paths", "update": "not an object"}
        ]));
        let applied = o.apply(&mut doc);
        assert!(applied[0].pointers.is_empty());
        assert_eq!(
            applied[0].to_string(),
            "#0 $.paths['/gone'].get: MATCHED NOTHING — Fixed upstream?"
        );
        assert_eq!(applied[1].skipped, vec!["/paths"]);
        assert_eq!(doc, json!({"paths": {}}));
    }

    #[test]
    fn keys_with_slashes_and_tildes_are_addressed() {
        let mut doc = json!({"paths": {"/a/{id}": {"get": {"x~y": 1}}}});
        let o = overlay(json!([
            {"target": "$.paths['/a/{id}'].get", "update": {"ok": true}},
            {"target": "$.paths['/a/{id}'].get['x~y']", "remove": true}
        ]));
        o.apply(&mut doc);
        assert_eq!(doc, json!({"paths": {"/a/{id}": {"get": {"ok": true}}}}));
    }

    #[test]
    fn broken_overlays_name_the_place() {
        let bad = |doc: Value| Overlay::parse(doc.to_string().as_bytes()).unwrap_err();
        let e = bad(json!({"overlay": "1.0.0", "actions": [{"target": "$..[", "update": {}}]}));
        assert_eq!(e.pointer.as_deref(), Some("/actions/0/target"));
        assert!(e.to_string().contains("JSONPath"), "{e}");
        let e = bad(json!({"overlay": "1.0.0", "actions": [{"target": "$.a"}]}));
        assert!(e.to_string().contains("`update` or `remove"), "{e}");
        let e = bad(json!({"overlay": "2.0.0", "actions": []}));
        assert_eq!(e.pointer.as_deref(), Some("/overlay"));
        let e = bad(json!({"openapi": "3.1.0"}));
        assert!(e.to_string().contains("not an overlay"), "{e}");
        assert!(
            Overlay::parse(b"overlay: 1.0.0\nactions:\n  - target: $.a\n    remove: true\n")
                .is_ok()
        );
    }
}
