//! What a body holds that its type does not name: found on demand ([`crate::Response::extra`])
//! by deserializing the body again with `serde_ignored`, which reports every field the type
//! skipped. The decoding of a call never pays for it.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::decode::{escape, unescape, Mismatch};

/// A field of a response body that its type does not declare.
#[derive(Debug, Clone, PartialEq)]
pub struct Extra {
    /// Where it is in the body, as a JSON pointer (`/user/clients/0/id`).
    pub pointer: String,
    /// Its value as it came.
    pub value: Value,
}

impl fmt::Display for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.value.to_string();
        let excerpt: String = text.chars().take(60).collect();
        let more = if excerpt.len() < text.len() {
            "…"
        } else {
            ""
        };
        write!(
            f,
            "{}: not in the spec, {}{more}",
            crate::text::escaped(&self.pointer),
            crate::text::escaped(&excerpt)
        )
    }
}

/// At most this many undeclared fields are reported for one body (the first ones).
pub const MAX_EXTRA: usize = 1000;

/// The fields of `body` that `T` does not take, the values of `mismatches` (already reported
/// as misfits) set aside first.
pub fn find<T: DeserializeOwned>(body: &[u8], mismatches: &[Mismatch]) -> Vec<Extra> {
    match serde_json::from_slice::<Value>(body) {
        Ok(original) => find_in::<T>(&original, mismatches),
        Err(_) => Vec::new(),
    }
}

/// [`find`] in a body already read as JSON.
pub(crate) fn find_in<T: DeserializeOwned>(
    original: &Value,
    mismatches: &[Mismatch],
) -> Vec<Extra> {
    let mut working = original.clone();
    let removed = set_aside(&mut working, mismatches);
    let mut found: Vec<Vec<Step>> = Vec::new();
    // An error is fine: what was ignored before it is still reported.
    let _ = serde_ignored::deserialize::<_, _, T>(&working, |path| {
        if found.len() < MAX_EXTRA {
            found.push(steps(&path));
        }
    });
    found
        .into_iter()
        .filter_map(|steps| {
            let pointer = original_pointer(&steps, &removed);
            let value = original.pointer(&pointer)?.clone();
            Some(Extra { pointer, value })
        })
        .collect()
}

/// One step of a path through a body.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn steps(path: &serde_ignored::Path<'_>) -> Vec<Step> {
    let mut out = Vec::new();
    let mut at = path;
    loop {
        match at {
            serde_ignored::Path::Root => break,
            serde_ignored::Path::Seq { parent, index } => {
                out.push(Step::Index(*index));
                at = parent;
            }
            serde_ignored::Path::Map { parent, key } => {
                out.push(Step::Key(key.clone()));
                at = parent;
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => at = parent,
        }
    }
    out.reverse();
    out
}

/// Takes the mismatched values out of the body (in reverse document order, so that the
/// pointers of those still to go stay right); returns the list items taken out, by the
/// original pointer of their list.
fn set_aside(body: &mut Value, mismatches: &[Mismatch]) -> BTreeMap<String, BTreeSet<usize>> {
    let mut pointers: Vec<Vec<String>> = mismatches
        .iter()
        .filter(|m| !m.pointer.is_empty())
        .map(|m| m.pointer.split('/').skip(1).map(unescape).collect())
        .collect();
    pointers.sort_by(|a, b| compare_tokens(b, a));
    let mut removed: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for tokens in pointers {
        let Some((last, parent)) = tokens.split_last() else {
            continue;
        };
        let parent_pointer: String = parent.iter().map(|t| format!("/{}", escape(t))).collect();
        match body.pointer_mut(&parent_pointer) {
            Some(Value::Object(map)) => {
                map.remove(last);
            }
            Some(Value::Array(items)) => {
                if let Ok(index) = last.parse::<usize>() {
                    if index < items.len() {
                        items.remove(index);
                        removed.entry(parent_pointer).or_default().insert(index);
                    }
                }
            }
            _ => {}
        }
    }
    removed
}

fn compare_tokens(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let order = match (x.parse::<usize>(), y.parse::<usize>()) {
            (Ok(i), Ok(j)) => i.cmp(&j),
            _ => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// The pointer, in the body as it came, of a path through the body with items taken out.
fn original_pointer(steps: &[Step], removed: &BTreeMap<String, BTreeSet<usize>>) -> String {
    let mut pointer = String::new();
    for step in steps {
        match step {
            Step::Key(key) => {
                pointer.push('/');
                pointer.push_str(&escape(key));
            }
            Step::Index(index) => {
                // The index-th item of those left is the one after as many taken out before it.
                let original = match removed.get(&pointer) {
                    Some(gone) => {
                        let mut original = *index;
                        for g in gone {
                            if *g <= original {
                                original += 1;
                            }
                        }
                        original
                    }
                    None => *index,
                };
                pointer.push_str(&format!("/{original}"));
            }
        }
    }
    pointer
}

/// The pointer as a pattern: list indices as `*` (what the wire record keeps).
pub fn pattern(body: &Value, pointer: &str) -> String {
    let mut out = String::new();
    let mut at = Some(body);
    for token in pointer.split('/').skip(1) {
        let is_index = matches!(at, Some(Value::Array(_)));
        let unescaped = unescape(token);
        at = match at {
            Some(Value::Array(items)) => unescaped.parse::<usize>().ok().and_then(|i| items.get(i)),
            Some(Value::Object(map)) => map.get(&unescaped),
            _ => None,
        };
        out.push('/');
        out.push_str(if is_index { "*" } else { token });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        objects: Vec<Item>,
    }

    #[test]
    fn undeclared_fields_are_named_where_they_are_in_the_body_as_it_came() {
        let body = br#"{"objects": [{"id": 1, "x": 1}, {"id": "b", "y": {"z": 2}}], "next": null}"#;
        // Item 0 did not fit (an integer id) and was taken out: item 1 keeps its pointer.
        let mismatches = [Mismatch {
            pointer: "/objects/0".into(),
            expected: "a string".into(),
            found: Value::Null,
        }];
        let extra = find::<Page>(body, &mismatches);
        let pointers: Vec<&str> = extra.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/objects/1/y", "/next"]);
        assert_eq!(extra[0].value, serde_json::json!({"z": 2}));
        let doc: Value = serde_json::from_slice(body).expect("json");
        assert_eq!(pattern(&doc, "/objects/1/y"), "/objects/*/y");
    }
}
