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
//!
//! Evaluating the targets is most of this stage's cost (a `$..` query walks the whole
//! document, once per action), and the JSONPath engine is a build dependency of its own. So
//! `cargo xtask regen` resolves them once, for the spec it generates from, and records in the
//! overlay's JSON twin where each action's target pointed ([`Resolved`], keyed by a hash of
//! the spec's bytes). A build of that same spec replays the record: the same nodes, changed in
//! the same order, with no query run — and a build without the `jsonpath` feature (fotbo-api's
//! build script) compiles no engine. Another spec is resolved with the engine when the build
//! has it; without it, [`Overlay::apply_for`] says what to do.

use serde_json::{Map, Value};
#[cfg(feature = "jsonpath")]
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
    /// Where the targets pointed in one spec, when the overlay was resolved for it.
    pub resolved: Option<Resolved>,
}

/// Where each action's target pointed, applied in order to one spec: the JSON pointers the
/// query selected (in the order it selected them) on the document as the actions before it
/// left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// FNV-1a (64 bits, as 16 hex digits) of the spec's bytes.
    pub spec_fnv1a64: String,
    /// One list per action.
    pub targets: Vec<Vec<String>>,
}

impl Resolved {
    /// Whether this is the record of `spec` (its bytes, as read).
    pub fn is_for(&self, spec: &[u8]) -> bool {
        self.spec_fnv1a64 == fnv1a64(spec)
    }
}

/// The key of the record in the overlay document.
pub(crate) const RESOLVED_KEY: &str = "x-resolved";

/// FNV-1a, 64 bits, as 16 hex digits: enough to tell one file from another that was edited
/// (not a security check), with nothing more compiled for it.
pub(crate) fn fnv1a64(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
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
    #[cfg(feature = "jsonpath")]
    path: ParsedPath,
}

/// A compiled JSONPath that compares equal by its text (the compiled form has no `Eq`).
#[cfg(feature = "jsonpath")]
#[derive(Debug, Clone)]
struct ParsedPath(JsonPath);

#[cfg(feature = "jsonpath")]
impl PartialEq for ParsedPath {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_string() == other.0.to_string()
    }
}

#[cfg(feature = "jsonpath")]
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
        Overlay::from_document(&read_document(bytes)?)
    }

    /// [`Overlay::parse`] of a document already read (see [`read_document`]).
    pub fn from_document(value: &Value) -> Result<Overlay, Error> {
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
        let resolved = match root.get(RESOLVED_KEY) {
            Some(record) => Some(parse_resolved(record, actions.len())?),
            None => None,
        };
        Ok(Overlay {
            title,
            extends,
            actions,
            resolved,
        })
    }

    /// Applies every action to the document of `spec` (its bytes, as read), in order: by the
    /// record when the overlay was resolved for this spec, else with the JSONPath engine.
    /// Without the engine (the `jsonpath` feature), an overlay not resolved for this spec
    /// cannot be applied: the error says so and what to do, and the document is untouched.
    pub fn apply_for(&self, doc: &mut Value, spec: &[u8]) -> Result<Vec<Applied>, Error> {
        if let Some(resolved) = self.resolved.as_ref().filter(|r| r.is_for(spec)) {
            return Ok(self.replay(doc, &resolved.targets));
        }
        #[cfg(feature = "jsonpath")]
        {
            Ok(self.apply(doc))
        }
        #[cfg(not(feature = "jsonpath"))]
        {
            let _ = doc;
            let why = match &self.resolved {
                Some(r) => format!(
                    "were resolved for another spec (fnv1a64 {}, this one is {})",
                    r.spec_fnv1a64,
                    fnv1a64(spec)
                ),
                None => format!("were never resolved (no `{RESOLVED_KEY}` record)"),
            };
            Err(Error::new(
                Stage::Overlay,
                format!("the overlay's targets {why} and this build has no JSONPath engine to resolve them: run `cargo xtask regen`, or build with fotbo-api's `jsonpath` feature"),
            ))
        }
    }

    /// Applies every action to the document, in order, each target queried with the engine.
    #[cfg(feature = "jsonpath")]
    pub fn apply(&self, doc: &mut Value) -> Vec<Applied> {
        self.resolve(doc).0
    }

    /// [`Overlay::apply`], and where each target pointed: the record a build of the same
    /// spec replays.
    #[cfg(feature = "jsonpath")]
    pub fn resolve(&self, doc: &mut Value) -> (Vec<Applied>, Vec<Vec<String>>) {
        let mut targets = Vec::with_capacity(self.actions.len());
        let applied = self
            .actions
            .iter()
            .enumerate()
            .map(|(index, action)| {
                let selected = action.select(doc);
                targets.push(selected.clone());
                action.apply_at(index, doc, selected)
            })
            .collect();
        (applied, targets)
    }

    /// Applies every action to the nodes the record says its target selected.
    fn replay(&self, doc: &mut Value, targets: &[Vec<String>]) -> Vec<Applied> {
        self.actions
            .iter()
            .zip(targets)
            .enumerate()
            .map(|(index, (action, selected))| action.apply_at(index, doc, selected.clone()))
            .collect()
    }
}

/// An overlay file's bytes as a JSON value (JSON, or YAML with the `yaml` feature), for
/// [`Overlay::from_document`] and for what reads the file's other records (the twin's).
pub fn read_document(bytes: &[u8]) -> Result<Value, Error> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| overlay_error(format!("the overlay is not UTF-8 text: {e}"), ""))?;
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| overlay_error(format!("invalid JSON: {e}"), ""))
    } else {
        crate::load::yaml_to_json(text).map_err(|e| overlay_error(format!("invalid YAML: {e}"), ""))
    }
}

/// The `x-resolved` record: `{"spec_fnv1a64": "…", "targets": [["/pointer", …], …]}`, one
/// list per action.
fn parse_resolved(record: &Value, actions: usize) -> Result<Resolved, Error> {
    let at = |key: &str| format!("/{RESOLVED_KEY}{key}");
    let spec_fnv1a64 = record
        .get("spec_fnv1a64")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            overlay_error(
                "the record needs a `spec_fnv1a64` string",
                at("/spec_fnv1a64"),
            )
        })?
        .to_string();
    let lists = record
        .get("targets")
        .and_then(Value::as_array)
        .ok_or_else(|| overlay_error("the record needs a `targets` list", at("/targets")))?;
    if lists.len() != actions {
        return Err(overlay_error(
            format!(
                "the record has {} target lists for {actions} actions: run `cargo xtask regen`",
                lists.len()
            ),
            at("/targets"),
        ));
    }
    let targets = lists
        .iter()
        .enumerate()
        .map(|(i, list)| {
            list.as_array()
                .and_then(|l| {
                    l.iter()
                        .map(|p| {
                            p.as_str()
                                .filter(|p| p.starts_with('/'))
                                .map(str::to_string)
                        })
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or_else(|| {
                    overlay_error(
                        "a target list must hold JSON pointers",
                        at(&format!("/targets/{i}")),
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Resolved {
        spec_fnv1a64,
        targets,
    })
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
    // Without the engine the syntax is not checked here: the file was checked when regen
    // wrote it, by a build that has the engine.
    #[cfg(feature = "jsonpath")]
    let path = JsonPath::parse(&target).map_err(|e| {
        overlay_error(
            format!("`{target}` is not an RFC 9535 JSONPath: {e}"),
            at("/target"),
        )
    })?;
    #[cfg(not(feature = "jsonpath"))]
    if !target.starts_with('$') {
        return Err(overlay_error(
            format!("`{target}` is not a JSONPath (it must start with `$`)"),
            at("/target"),
        ));
    }
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
        #[cfg(feature = "jsonpath")]
        path: ParsedPath(path),
    })
}

impl Action {
    /// The nodes the target selects, as JSON pointers, in the order the query gives them.
    #[cfg(feature = "jsonpath")]
    fn select(&self, doc: &Value) -> Vec<String> {
        self.path
            .0
            .query_located(doc)
            .locations()
            .map(|l| l.to_json_pointer())
            .collect()
    }

    /// The action's change, made at the selected nodes (located first: the query borrows
    /// the document).
    fn apply_at(&self, index: usize, doc: &mut Value, mut pointers: Vec<String>) -> Applied {
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

    /// An overlay with a record of where its targets point in the spec `spec_bytes`.
    fn resolved(actions: Value, spec_bytes: &[u8], targets: Value) -> Overlay {
        let doc = json!({
            "overlay": "1.0.0", "actions": actions,
            RESOLVED_KEY: {"spec_fnv1a64": fnv1a64(spec_bytes), "targets": targets},
        });
        Overlay::parse(doc.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn a_record_for_this_spec_is_replayed_without_a_query() {
        let spec = br#"{"l": [{"k": 1}, {"k": 2}, {"k": 1}], "a": {"x": 1}}"#;
        let mut doc: Value = serde_json::from_slice(spec).unwrap();
        // The record, not the target, says where: a target that would select otherwise
        // proves it is not queried.
        let o = resolved(
            json!([
                {"target": "$.l[?@.k == 1]", "remove": true},
                {"target": "$.nowhere", "update": {"y": 2}}
            ]),
            spec,
            json!([["/l/0", "/l/2"], ["/a"]]),
        );
        let applied = o.apply_for(&mut doc, spec).unwrap();
        assert_eq!(doc, json!({"l": [{"k": 2}], "a": {"x": 1, "y": 2}}));
        assert_eq!(applied[0].pointers, vec!["/l/2", "/l/0"]);
        assert_eq!(applied[1].pointers, vec!["/a"]);
    }

    #[test]
    fn a_broken_record_is_refused_where_it_is_wrong() {
        let bad = |record: Value| {
            let doc = json!({"overlay": "1.0.0", "actions": [{"target": "$.a", "remove": true}], RESOLVED_KEY: record});
            Overlay::parse(doc.to_string().as_bytes()).unwrap_err()
        };
        let e = bad(json!({"spec_fnv1a64": "0", "targets": []}));
        assert_eq!(e.pointer.as_deref(), Some("/x-resolved/targets"), "{e}");
        assert!(e.to_string().contains("1 actions"), "{e}");
        let e = bad(json!({"spec_fnv1a64": "0", "targets": [["a"]]}));
        assert_eq!(e.pointer.as_deref(), Some("/x-resolved/targets/0"), "{e}");
        let e = bad(json!({"targets": [[]]}));
        assert_eq!(
            e.pointer.as_deref(),
            Some("/x-resolved/spec_fnv1a64"),
            "{e}"
        );
    }

    /// Another spec than the record's: the engine resolves it, and the result is what the
    /// record of that spec would replay.
    #[test]
    #[cfg(feature = "jsonpath")]
    fn another_spec_is_queried_and_its_record_replays_the_same() {
        let actions = json!([
            {"target": "$..[?@.type == 'object'].properties.id", "update": {"format": "uuid"}},
            {"target": "$.l[?@.k == 1]", "remove": true}
        ]);
        let spec =
            br#"{"s": {"type": "object", "properties": {"id": {}}}, "l": [{"k": 1}, {"k": 2}]}"#;
        let o = resolved(actions.clone(), b"some other spec", json!([[], []]));
        let mut queried: Value = serde_json::from_slice(spec).unwrap();
        let applied = o.apply_for(&mut queried, spec).unwrap();
        assert_eq!(applied[0].pointers, vec!["/s/properties/id"]);

        let mut fresh: Value = serde_json::from_slice(spec).unwrap();
        let (_, targets) = o.resolve(&mut fresh);
        assert_eq!(fresh, queried);
        let mut replayed: Value = serde_json::from_slice(spec).unwrap();
        let again = resolved(actions, spec, json!(targets))
            .apply_for(&mut replayed, spec)
            .unwrap();
        assert_eq!(replayed, queried);
        assert_eq!(again, applied);
    }

    /// Without the engine, a spec the record is not for cannot be corrected: the error says
    /// what to do, and the document is as it was.
    #[test]
    #[cfg(not(feature = "jsonpath"))]
    fn without_the_engine_another_spec_is_an_error_that_says_what_to_do() {
        let spec = br#"{"a": {"x": 1}}"#;
        let mut doc: Value = serde_json::from_slice(spec).unwrap();
        let o = resolved(
            json!([{"target": "$.a", "remove": true}]),
            b"old",
            json!([["/a"]]),
        );
        let e = o.apply_for(&mut doc, spec).unwrap_err().to_string();
        assert!(
            e.contains("cargo xtask regen") && e.contains("`jsonpath` feature"),
            "{e}"
        );
        assert_eq!(doc, json!({"a": {"x": 1}}));
        let o = overlay(json!([{"target": "$.a", "remove": true}]));
        let e = o.apply_for(&mut doc, spec).unwrap_err().to_string();
        assert!(e.contains("never resolved"), "{e}");
    }

    #[test]
    #[cfg(feature = "jsonpath")]
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
    #[cfg(feature = "jsonpath")]
    fn remove_takes_every_match_and_keeps_indices_right() {
        let mut doc = json!({"l": [{"k": 1}, {"k": 2}, {"k": 1}, {"k": 3}]});
        let o = overlay(json!([{"target": "$.l[?@.k == 1]", "remove": true}]));
        let applied = o.apply(&mut doc);
        assert_eq!(doc, json!({"l": [{"k": 2}, {"k": 3}]}));
        assert_eq!(applied[0].pointers, vec!["/l/2", "/l/0"]);
    }

    #[test]
    #[cfg(feature = "jsonpath")]
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
    #[cfg(feature = "jsonpath")]
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
    #[cfg(feature = "jsonpath")]
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
