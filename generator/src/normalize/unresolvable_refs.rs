//! References progenitor cannot resolve at all.
//!
//! progenitor (and typify, and openapiv3 inside it) follows a `$ref` only to a whole component
//! of this document, spelled the way it reads it; anything else makes it panic ("external
//! references are not supported", "$ref # is missing") or refuse the whole document ("path …
//! uses reference, unsupported"). A real file has all of these: references to other files or
//! URLs, to the document itself (`#`) or an anchor (`#name`), to a component that was renamed
//! or never written, to a place that is not a schema (`#/info`, a parameter used as a schema),
//! and path items written as a reference. This rule finds every reference by the role of the
//! place it is in, and where it cannot be followed:
//! - a **schema** becomes any value (its other keywords kept), the reference named in its
//!   description;
//! - a **parameter**, **request body**, **header**, **link** or **example** is removed;
//! - a **response** becomes a bodiless one;
//! - a **path item** written as a reference to another path item of this document becomes a
//!   copy of it (progenitor reads no path item references); any other is removed.
//!
//! A reference to a component written otherwise than progenitor reads it (percent-encoded:
//! `#/components/schemas/My%20Thing`) is rewritten to the component's own name. Nothing the
//! spec names outside itself — a file, a URL — is ever read. References into a schema or a
//! path are left to `inline-deep-references`, which copies what they point at.

use serde_json::{Map, Value};

use super::{append_description, Log, Rule};
use crate::document::{self, local_pointer, reference_of, token, METHODS};

pub(crate) const RULE: Rule = Rule {
    name: "unresolvable-references",
    repairs: "`$ref`s progenitor cannot resolve (other files and URLs, `#`, anchors, missing components, non-schemas used as schemas, path item references)",
    apply,
    when: super::always,
};

/// What the place holding a reference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Schema,
    Parameter,
    RequestBody,
    Response,
    PathItem,
    /// Headers, links, examples: removed when their reference cannot be followed.
    Removable,
}

/// Why a reference cannot be followed, in words for the report; None when it can.
fn unresolvable(doc: &Value, reference: &str, role: Role) -> Option<String> {
    if !reference.starts_with('#') {
        return Some(format!(
            "{reference} is in another document (not read: only this document is)"
        ));
    }
    let Some(pointer) = local_pointer(reference) else {
        return Some(format!("{reference} is an anchor, not a JSON pointer"));
    };
    if pointer.is_empty() {
        return Some(format!("{reference} is the whole document"));
    }
    if doc.pointer(&pointer).is_none() {
        return Some(format!("{reference} points at nothing in this document"));
    }
    if role == Role::Schema && !is_schema_place(&pointer) {
        return Some(format!(
            "{reference} points at something that is not a schema"
        ));
    }
    None
}

/// Whether a pointer names a schema (or a place inside one): a component schema, or anything
/// under a `schema` key (a media type's, a parameter's).
fn is_schema_place(pointer: &str) -> bool {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    tokens.starts_with(&["components", "schemas"]) || tokens.contains(&"schema")
}

/// The reference as progenitor reads a reference to a whole component, when it names one but
/// is spelled otherwise (percent-encoded).
fn respelled(reference: &str) -> Option<String> {
    let (section, name) = document::component(reference)?;
    let canonical = format!("#/components/{section}/{}", token(&name));
    (canonical != reference).then_some(canonical)
}

fn apply(doc: &mut Value, log: &mut Log) {
    // Every change is decided on the document as it was, then made; a second round catches
    // references to what the first removed (a parameter whose component was a bad reference).
    for _ in 0..3 {
        let mut changes = Vec::new();
        visit(doc, doc, &mut changes);
        if changes.is_empty() {
            return;
        }
        // Removals from lists go last first, so that indices stay true; path items are copied
        // last, once what they copy is repaired.
        changes.sort_by(|a, b| {
            (a.role == Role::PathItem)
                .cmp(&(b.role == Role::PathItem))
                .then_with(|| pointer_order(&b.pointer, &a.pointer))
        });
        // Made last first, reported in document order.
        let mut done: Vec<(String, String)> = changes
            .into_iter()
            .filter_map(|change| change.make(doc))
            .collect();
        done.sort_by(|a, b| pointer_order(&a.0, &b.0));
        for (pointer, what) in done {
            log.fired(&pointer, what);
        }
    }
}

/// Pointers in document order, list indices compared as numbers (`/9` before `/10`).
fn pointer_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |p: &str| -> Vec<(u64, String)> {
        p.split('/')
            .map(|t| match t.parse::<u64>() {
                Ok(n) => (n, String::new()),
                Err(_) => (u64::MAX, t.to_string()),
            })
            .collect()
    };
    key(a).cmp(&key(b))
}

/// One repair at one place.
struct Change {
    pointer: String,
    role: Role,
    /// Why the reference cannot be followed, or None for a reference only spelled otherwise.
    why: Option<String>,
    /// The new spelling, or the pointer of the path item to copy.
    with: Option<String>,
}

impl Change {
    /// Makes the change; where it was made and what it did.
    fn make(self, doc: &mut Value) -> Option<(String, String)> {
        let Change {
            pointer,
            role,
            why,
            with,
        } = self;
        let Some(why) = why else {
            let (Some(Value::Object(map)), Some(spelling)) = (doc.pointer_mut(&pointer), with)
            else {
                return None;
            };
            let what = format!("reference respelled {spelling}");
            map.insert("$ref".into(), Value::String(spelling));
            return Some((pointer, what));
        };
        match role {
            Role::Schema => {
                let Some(Value::Object(map)) = doc.pointer_mut(&pointer) else {
                    return None;
                };
                map.remove("$ref");
                append_description(
                    map,
                    &format!("Any value: the reference cannot be followed ({why})."),
                );
                Some((pointer, format!("{why}: any value")))
            }
            Role::Response => {
                let slot = doc.pointer_mut(&pointer)?;
                let mut bodiless = Map::new();
                bodiless.insert(
                    "description".into(),
                    Value::String(format!("The reference cannot be followed ({why}).")),
                );
                *slot = Value::Object(bodiless);
                Some((pointer, format!("{why}: a bodiless response")))
            }
            Role::PathItem if with.as_deref().and_then(|p| path_item_at(doc, p)).is_some() => {
                let copy = with.as_deref().and_then(|p| path_item_at(doc, p))?;
                *doc.pointer_mut(&pointer)? = copy;
                Some((pointer, format!("{why}: the path item copied in")))
            }
            Role::Parameter | Role::RequestBody | Role::PathItem | Role::Removable => {
                remove(doc, &pointer).then(|| (pointer, format!("{why}: removed")))
            }
        }
    }
}

/// Removes the value at `pointer` from its object or list.
fn remove(doc: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => map.shift_remove(&key).is_some(),
        Some(Value::Array(items)) => match key.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// A path item of the document at `pointer` (one with operations, itself no reference).
fn path_item_at(doc: &Value, pointer: &str) -> Option<Value> {
    doc.pointer(pointer)
        .filter(|item| {
            item.as_object().is_some_and(|m| {
                m.keys().any(|k| METHODS.contains(&k.as_str())) && !m.contains_key("$ref")
            })
        })
        .cloned()
}

/// Looks at one place holding (perhaps) a reference.
fn check(doc: &Value, value: &Value, pointer: &str, role: Role, changes: &mut Vec<Change>) -> bool {
    let Some(reference) = reference_of(value) else {
        return false;
    };
    let why = match unresolvable(doc, reference, role) {
        Some(why) => Some(why),
        None if role == Role::PathItem => Some(format!(
            "{reference}: progenitor reads no path item references"
        )),
        None => None,
    };
    let with = match (&why, role) {
        // A path item elsewhere in this document: a copy stands in for the reference.
        (Some(_), Role::PathItem) => local_pointer(reference),
        (Some(_), _) => None,
        (None, _) => respelled(reference),
    };
    if why.is_some() || with.is_some() {
        changes.push(Change {
            pointer: pointer.to_string(),
            role,
            why,
            with,
        });
    }
    true
}

/// Walks the document by role.
fn visit(doc: &Value, root: &Value, changes: &mut Vec<Change>) {
    if let Some(paths) = root.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let at = format!("/paths/{}", token(path));
            if !check(doc, item, &at, Role::PathItem, changes) {
                path_item(doc, item, &at, changes);
            }
        }
    }
    let Some(components) = root.get("components").and_then(Value::as_object) else {
        return;
    };
    for (section, entries) in components {
        let role = match section.as_str() {
            "schemas" => Role::Schema,
            "parameters" => Role::Parameter,
            "requestBodies" => Role::RequestBody,
            "responses" => Role::Response,
            "pathItems" => Role::PathItem,
            "headers" | "examples" | "links" => Role::Removable,
            _ => continue,
        };
        for (name, entry) in entries.as_object().into_iter().flatten() {
            let at = format!("/components/{}/{}", token(section), token(name));
            if check(doc, entry, &at, role, changes) {
                continue;
            }
            match role {
                Role::Schema => schema(doc, entry, &at, changes),
                Role::Parameter => parameter(doc, entry, &at, changes),
                Role::RequestBody | Role::Response => content_holder(doc, entry, &at, changes),
                Role::PathItem => path_item(doc, entry, &at, changes),
                Role::Removable => {}
            }
        }
    }
}

fn path_item(doc: &Value, item: &Value, at: &str, changes: &mut Vec<Change>) {
    let Some(item) = item.as_object() else {
        return;
    };
    for (key, value) in item {
        let here = format!("{at}/{}", token(key));
        if key == "parameters" {
            parameters(doc, value, &here, changes);
        } else if METHODS.contains(&key.as_str()) {
            operation(doc, value, &here, changes);
        }
    }
}

fn operation(doc: &Value, op: &Value, at: &str, changes: &mut Vec<Change>) {
    if let Some(params) = op.get("parameters") {
        parameters(doc, params, &format!("{at}/parameters"), changes);
    }
    if let Some(body) = op.get("requestBody") {
        let here = format!("{at}/requestBody");
        if !check(doc, body, &here, Role::RequestBody, changes) {
            content_holder(doc, body, &here, changes);
        }
    }
    for (code, response) in op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let here = format!("{at}/responses/{}", token(code));
        if !check(doc, response, &here, Role::Response, changes) {
            content_holder(doc, response, &here, changes);
        }
    }
}

fn parameters(doc: &Value, list: &Value, at: &str, changes: &mut Vec<Change>) {
    for (i, param) in list.as_array().into_iter().flatten().enumerate() {
        let here = format!("{at}/{i}");
        if !check(doc, param, &here, Role::Parameter, changes) {
            parameter(doc, param, &here, changes);
        }
    }
}

fn parameter(doc: &Value, param: &Value, at: &str, changes: &mut Vec<Change>) {
    if let Some(s) = param.get("schema") {
        schema(doc, s, &format!("{at}/schema"), changes);
    }
    content_holder(doc, param, at, changes);
}

/// A request body, response or parameter: the schemas of its media types, and its headers.
fn content_holder(doc: &Value, holder: &Value, at: &str, changes: &mut Vec<Change>) {
    for (media, entry) in holder
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(s) = entry.get("schema") {
            schema(
                doc,
                s,
                &format!("{at}/content/{}/schema", token(media)),
                changes,
            );
        }
    }
    for (name, header) in holder
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let here = format!("{at}/headers/{}", token(name));
        if !check(doc, header, &here, Role::Removable, changes) {
            if let Some(s) = header.get("schema") {
                schema(doc, s, &format!("{here}/schema"), changes);
            }
        }
    }
}

fn schema(doc: &Value, s: &Value, at: &str, changes: &mut Vec<Change>) {
    if check(doc, s, at, Role::Schema, changes) {
        return;
    }
    let Some(map) = s.as_object() else {
        return;
    };
    for (key, child) in map {
        let here = format!("{at}/{}", token(key));
        match key.as_str() {
            "properties" => {
                for (name, prop) in child.as_object().into_iter().flatten() {
                    schema(doc, prop, &format!("{here}/{}", token(name)), changes);
                }
            }
            "items" | "additionalProperties" | "not" => schema(doc, child, &here, changes),
            "allOf" | "anyOf" | "oneOf" => {
                for (i, member) in child.as_array().into_iter().flatten().enumerate() {
                    schema(doc, member, &format!("{here}/{i}"), changes);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::testing::run;

    fn response(schema: Value) -> Value {
        json!({"description": "OK", "content": {"application/json": {"schema": schema}}})
    }

    #[test]
    fn schemas_whose_reference_cannot_be_followed_hold_any_value() {
        let (out, fired) = run(
            &RULE,
            json!({
                "paths": {"/a": {"get": {"responses": {
                    "200": response(json!({"type": "object", "properties": {
                        "file": {"$ref": "other.yaml#/components/schemas/X", "description": "From elsewhere."},
                        "url": {"$ref": "https://example.com/s.json"},
                        "root": {"$ref": "#"},
                        "anchor": {"$ref": "#thing"},
                        "gone": {"$ref": "#/components/schemas/Gone"},
                        "info": {"$ref": "#/info"},
                        "param": {"$ref": "#/components/parameters/P"},
                        "fine": {"$ref": "#/components/schemas/Thing"},
                        "deep": {"$ref": "#/components/schemas/Thing/properties/id"},
                    }})),
                }}}},
                "info": {"title": "t"},
                "components": {
                    "schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}},
                    "parameters": {"P": {"name": "p", "in": "query"}},
                },
            }),
        );
        let props = out
            .pointer("/paths/~1a/get/responses/200/content/application~1json/schema/properties")
            .unwrap();
        for name in ["file", "url", "root", "anchor", "gone", "info", "param"] {
            assert!(props[name].get("$ref").is_none(), "{name}: {}", props[name]);
            assert!(
                props[name]["description"]
                    .as_str()
                    .unwrap()
                    .contains("cannot be followed"),
                "{name}"
            );
        }
        assert!(props["file"]["description"]
            .as_str()
            .unwrap()
            .starts_with("From elsewhere."));
        assert_eq!(props["fine"], json!({"$ref": "#/components/schemas/Thing"}));
        assert_eq!(
            props["deep"],
            json!({"$ref": "#/components/schemas/Thing/properties/id"}),
            "left to inline-deep-references"
        );
        assert_eq!(fired.len(), 7, "{fired:?}");
    }

    #[test]
    fn other_places_are_removed_or_emptied_and_path_items_copied() {
        let (out, fired) = run(
            &RULE,
            json!({
                "paths": {
                    "/a": {"get": {
                        "parameters": [{"$ref": "file:///etc/passwd"}, {"name": "q", "in": "query"}],
                        "requestBody": {"$ref": "#/components/requestBodies/Gone"},
                        "responses": {"200": {"$ref": "other.yaml#/r"}, "404": {"$ref": "#/components/responses/NotFound"}},
                    }},
                    "/b": {"$ref": "#/paths/~1a"},
                    "/c": {"$ref": "https://example.com/paths.yaml#/c"},
                },
                "components": {"responses": {"NotFound": {"description": "gone"}}},
            }),
        );
        let a = &out["paths"]["/a"]["get"];
        assert_eq!(a["parameters"], json!([{"name": "q", "in": "query"}]));
        assert!(a.get("requestBody").is_none());
        assert!(a["responses"]["200"]["description"]
            .as_str()
            .unwrap()
            .contains("other.yaml#/r"));
        assert_eq!(
            a["responses"]["404"]["$ref"],
            "#/components/responses/NotFound"
        );
        assert_eq!(
            out["paths"]["/b"]["get"]["responses"]["404"]["$ref"],
            "#/components/responses/NotFound"
        );
        assert!(out["paths"].get("/c").is_none(), "nothing outside is read");
        assert_eq!(fired.len(), 5, "{fired:?}");
    }

    #[test]
    fn component_references_are_respelled_as_progenitor_reads_them() {
        let (out, fired) = run(
            &RULE,
            json!({
                "paths": {"/a": {"get": {"responses": {"200": response(json!({"$ref": "#/components/schemas/My%20Thing"}))}}}},
                "components": {"schemas": {"My Thing": {"type": "string"}}},
            }),
        );
        assert_eq!(
            out.pointer("/paths/~1a/get/responses/200/content/application~1json/schema/$ref"),
            Some(&json!("#/components/schemas/My Thing"))
        );
        assert_eq!(fired.len(), 1);
    }
}
