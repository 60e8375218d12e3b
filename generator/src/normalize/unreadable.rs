//! Whatever openapiv3 still cannot read, after every other rule.
//!
//! The rules before this one repair the defects we know. A real file will have others: a
//! value of the wrong JSON type where no rule looks (a `callbacks` entry that is a string, a
//! parameter with neither `schema` nor `content`, a media type with unknown keys in a strict
//! place). openapiv3 refuses the whole document at the first such value. This rule reads the
//! document as openapiv3 would, and while it cannot, repairs the place it names — the least
//! that makes it readable — and reports it with its pointer, so one slip costs one value, not
//! the SDK:
//! - a number or boolean where text is expected becomes its text (`title: 5` → `"5"`);
//! - a missing field with an obvious empty value gets it (`description`, `title`, `version`:
//!   `""`; `info`; `responses`: a bodiless `200`; `paths`: none);
//! - anything else is removed. Where openapiv3 hides the position (inside `paths` and
//!   `responses`), the failing path item and response are found first, so only they are
//!   touched.
//!
//! It stops after [`MAX_REMOVALS`] repairs, or when the place is the document itself; the error
//! then surfaces as before, naming the place.

use serde_json::Value;

use super::{Log, Rule};
use crate::document::token;
use crate::openapi::{first_unreadable, first_unreadable_as};

pub(crate) const RULE: Rule = Rule {
    name: "unreadable-values",
    repairs: "values openapiv3 still cannot read after every other rule: removed, each reported",
    apply,
    when: super::always,
};

/// A bound on the work: each removal re-reads the whole document.
pub(crate) const MAX_REMOVALS: usize = 1_000;

/// Repairs one part of the document (a path item, a component) until openapiv3 reads it as
/// a `T`, within the budget; the part is read on its own, so each try costs its size only.
fn repair_part<T: serde::de::DeserializeOwned>(
    doc: &mut Value,
    at: &str,
    budget: &mut usize,
    log: &mut Log,
) {
    while *budget > 0 {
        let Some(part) = doc.pointer(at) else {
            return;
        };
        // A reference is read where it points.
        if part.get("$ref").is_some() {
            return;
        }
        let Some((pointer, why)) = first_unreadable_as::<T>(part) else {
            return;
        };
        let Some(part) = doc.pointer_mut(at) else {
            return;
        };
        let Some(done) = repair(part, &pointer, &why) else {
            return;
        };
        *budget -= 1;
        log.fired(&format!("{at}{pointer}"), done);
    }
}

/// Removes the value at `pointer` (a key of an object, an item of an array); false when the
/// pointer names the document itself or nothing.
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

/// The empty value of a field openapiv3 requires, where one is obvious.
fn empty_field(field: &str) -> Option<Value> {
    Some(match field {
        "description" | "title" | "version" | "summary" => Value::String(String::new()),
        "info" => serde_json::json!({"title": "", "version": ""}),
        "responses" => serde_json::json!({"200": {"description": ""}}),
        "paths" => serde_json::json!({}),
        _ => return None,
    })
}

/// `missing field `x``: the field's name.
fn missing_field(why: &str) -> Option<&str> {
    why.strip_prefix("missing field `")?.split('`').next()
}

/// Repairs the place; returns what was done, or None when nothing can be.
fn repair(doc: &mut Value, pointer: &str, why: &str) -> Option<String> {
    if pointer.contains("/?") {
        return None;
    }
    if let Some(field) = missing_field(why) {
        if let Some(value) = empty_field(field) {
            let target = if pointer.is_empty() {
                Some(&mut *doc)
            } else {
                doc.pointer_mut(pointer)
            };
            if let Some(Value::Object(map)) = target {
                if !map.contains_key(field) {
                    map.insert(field.to_string(), value);
                    return Some(format!("added `{field}` (empty): openapiv3 requires it"));
                }
            }
        }
    }
    if why.contains("expected a string") {
        if let Some(value) = doc.pointer_mut(pointer) {
            let text = match value {
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            };
            if let Some(text) = text {
                *value = Value::String(text);
                return Some("converted to text: openapiv3 expects a string".to_string());
            }
        }
    }
    remove(doc, pointer).then(|| format!("removed: openapiv3 cannot read it ({why})"))
}

fn apply(doc: &mut Value, log: &mut Log) {
    let mut budget = MAX_REMOVALS;
    // Part by part first (a spec that repeats one slip in hundreds of places costs hundreds of
    // small reads, not hundreds of reads of the whole document), then the whole.
    type RepairPart = fn(&mut Value, &str, &mut usize, &mut Log);
    const PARTS: [(&str, RepairPart); 6] = [
        ("/paths", repair_part::<openapiv3::PathItem>),
        ("/components/schemas", repair_part::<openapiv3::Schema>),
        ("/components/responses", repair_part::<openapiv3::Response>),
        (
            "/components/parameters",
            repair_part::<openapiv3::Parameter>,
        ),
        (
            "/components/requestBodies",
            repair_part::<openapiv3::RequestBody>,
        ),
        ("/components/headers", repair_part::<openapiv3::Header>),
    ];
    for (section, repair_one) in PARTS {
        let parts: Vec<String> = doc
            .pointer(section)
            .and_then(Value::as_object)
            .map(|m| {
                m.keys()
                    .map(|k| format!("{section}/{}", token(k)))
                    .collect()
            })
            .unwrap_or_default();
        for at in parts {
            repair_one(doc, &at, &mut budget, log);
        }
    }
    while budget > 0 {
        let Some((pointer, why)) = first_unreadable(doc) else {
            return;
        };
        let Some(done) = repair(doc, &pointer, &why) else {
            return;
        };
        budget -= 1;
        log.fired(&pointer, done);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::testing::run;

    fn minimal(paths: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths})
    }

    #[test]
    fn each_unreadable_value_is_removed_and_the_rest_kept() {
        let (out, fired) = run(
            &RULE,
            minimal(json!({
                "/a": {"get": {
                    "callbacks": {"onEvent": "#/components/callbacks/onEvent"},
                    "responses": {"200": {"description": "OK"}},
                }},
                "/b": {"get": {"responses": {"200": {"description": "OK"}}}},
            })),
        );
        assert!(first_unreadable(&out).is_none());
        assert!(out["paths"]["/a"]["get"]["responses"].is_object());
        assert!(out["paths"]["/b"]["get"].is_object());
        assert_eq!(fired, ["/paths/~1a/get/callbacks/onEvent"]);
    }

    #[test]
    fn scalars_become_text_missing_fields_get_empty_values_and_one_response_is_touched() {
        let (out, fired) = run(
            &RULE,
            json!({"openapi": "3.0.3", "info": {"title": 5}, "paths": {"/a/b": {"get": {
                "responses": {"200": {"description": 5}, "404": {"description": "gone"}},
            }}}}),
        );
        assert!(first_unreadable(&out).is_none());
        assert_eq!(out["info"], json!({"title": "5", "version": ""}));
        let responses = &out["paths"]["/a/b"]["get"]["responses"];
        assert_eq!(responses["200"]["description"], "5");
        assert_eq!(responses["404"]["description"], "gone");
        assert_eq!(
            fired,
            [
                "/paths/~1a~1b/get/responses/200/description",
                "/info/title",
                "/info"
            ]
        );
    }

    #[test]
    fn a_readable_document_is_left_alone_and_the_root_never_removed() {
        let doc = minimal(json!({"/a": {"get": {"responses": {"200": {"description": "OK"}}}}}));
        let (out, fired) = run(&RULE, doc.clone());
        assert_eq!(out, doc);
        assert!(fired.is_empty());
        // Only the document itself is wrong (no `openapi` field is not this rule's to invent):
        // nothing is removed.
        let (out, _) = run(
            &RULE,
            json!({"info": {"title": "t", "version": "1"}, "paths": {}}),
        );
        assert_eq!(
            out,
            json!({"info": {"title": "t", "version": "1"}, "paths": {}})
        );
    }
}
