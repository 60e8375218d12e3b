//! Whatever openapiv3 still cannot read, after every other rule.
//!
//! The rules before this one repair the defects we know. A real file will have others: a
//! value of the wrong JSON type where no rule looks (a `callbacks` entry that is a string, a
//! parameter with neither `schema` nor `content`, a media type with unknown keys in a strict
//! place). openapiv3 refuses the whole document at the first such value. This rule reads the
//! document as openapiv3 would, and while it cannot, removes the value at the place it names
//! (the smallest thing that makes the document readable) and reports it with its pointer — so
//! one slip costs one value, not the SDK. It stops after [`MAX_REMOVALS`] removals, or when the
//! place is the document itself; the error then surfaces as before, naming the place.

use serde_json::Value;

use super::{token, Log, Rule};

pub(crate) const RULE: Rule = Rule {
    name: "unreadable-values",
    repairs: "values openapiv3 still cannot read after every other rule: removed, each reported",
    apply,
    when: super::always,
};

/// A bound on the work: each removal re-reads the whole document.
pub(crate) const MAX_REMOVALS: usize = 200;

/// A serde path as a JSON pointer.
pub(crate) fn json_pointer(path: &serde_path_to_error::Path) -> String {
    path.iter()
        .map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => format!("/{index}"),
            serde_path_to_error::Segment::Map { key } => format!("/{}", token(key)),
            serde_path_to_error::Segment::Enum { variant } => format!("/{}", token(variant)),
            serde_path_to_error::Segment::Unknown => "/?".to_string(),
        })
        .collect()
}

/// The first place openapiv3 cannot read, and why; None when it reads the document.
pub(crate) fn first_unreadable(doc: &Value) -> Option<(String, String)> {
    let error = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(doc).err()?;
    let mut pointer = json_pointer(error.path());
    // openapiv3 reads `paths` in a way that hides the position inside it: find the path item
    // that fails on its own.
    if pointer == "/paths" {
        if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
            pointer = paths
                .iter()
                .find_map(|(path, item)| {
                    serde_path_to_error::deserialize::<_, openapiv3::PathItem>(item)
                        .err()
                        .map(|e| format!("/paths/{}{}", token(path), json_pointer(e.path())))
                })
                .unwrap_or(pointer);
        }
    }
    Some((pointer, error.inner().to_string()))
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

fn apply(doc: &mut Value, log: &mut Log) {
    for _ in 0..MAX_REMOVALS {
        let Some((pointer, why)) = first_unreadable(doc) else {
            return;
        };
        // A place that is not in the document (`/?`, a hidden position) cannot be removed.
        if pointer.contains("/?") || !remove(doc, &pointer) {
            return;
        }
        log.fired(
            &pointer,
            format!("removed: openapiv3 cannot read it ({why})"),
        );
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
    fn a_readable_document_is_left_alone_and_the_root_never_removed() {
        let doc = minimal(json!({"/a": {"get": {"responses": {"200": {"description": "OK"}}}}}));
        let (out, fired) = run(&RULE, doc.clone());
        assert_eq!(out, doc);
        assert!(fired.is_empty());
        let (_, fired) = run(&RULE, json!({"openapi": "3.0.3", "paths": {}}));
        assert!(fired.is_empty(), "{fired:?}");
    }
}
