//! The operations of a normalized document, as the later stages read them: one read-only model
//! (id, method, path, pointer) and a document cut down to some of them (what one progenitor run
//! of a part, or a check of one operation, is given).

use serde_json::Value;

use crate::document::{self, BODY_MAY_BE_ABSENT};

/// One operation of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Operation {
    /// Its path template.
    pub(crate) path: String,
    /// Its method, lower case as the document writes it.
    pub(crate) method: String,
    /// Its operationId (every operation has one once the rules ran).
    pub(crate) id: Option<String>,
    /// Its JSON pointer.
    pub(crate) pointer: String,
    /// Whether its success body may be absent ([`BODY_MAY_BE_ABSENT`]).
    pub(crate) body_may_be_absent: bool,
}

/// Every operation of the document, in document order.
pub(crate) fn operations(doc: &Value) -> Vec<Operation> {
    document::operations(doc)
        .map(|(path, method, op)| Operation {
            path: path.to_string(),
            method: method.to_string(),
            id: op
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_string),
            pointer: document::operation_pointer(path, method),
            body_may_be_absent: op.get(BODY_MAY_BE_ABSENT) == Some(&Value::Bool(true)),
        })
        .collect()
}

/// The document with only these operations in `paths` (components kept whole).
pub(crate) fn with_operations(doc: &Value, ops: &[Operation]) -> Value {
    let mut paths = serde_json::Map::new();
    for op in ops {
        let Some(item) = doc
            .get("paths")
            .and_then(|p| p.get(&op.path))
            .and_then(Value::as_object)
        else {
            continue;
        };
        let entry = paths.entry(op.path.clone()).or_insert_with(|| {
            // Path-level keys (parameters, summary) come along with the first operation.
            let shared: serde_json::Map<String, Value> = item
                .iter()
                .filter(|(k, _)| !document::METHODS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Value::Object(shared)
        });
        if let (Some(entry), Some(operation)) = (entry.as_object_mut(), item.get(&op.method)) {
            entry.insert(op.method.clone(), operation.clone());
        }
    }
    let mut copy = serde_json::Map::new();
    for (key, value) in doc.as_object().into_iter().flatten() {
        // Everything but `paths`, without copying the old paths first.
        if key != "paths" {
            copy.insert(key.clone(), value.clone());
        }
    }
    copy.insert("paths".into(), Value::Object(paths));
    Value::Object(copy)
}

/// Removes the operation `method` of `path` from the document, and its path item when no
/// operation is left in it (what an operation that cannot be generated comes to).
pub(crate) fn remove(doc: &mut Value, path: &str, method: &str) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let method = method.to_lowercase();
    let empty = match paths.get_mut(path).and_then(Value::as_object_mut) {
        Some(item) => {
            item.shift_remove(&method);
            !item.keys().any(|k| document::METHODS.contains(&k.as_str()))
        }
        None => false,
    };
    if empty {
        paths.shift_remove(path);
    }
}

/// The snake-case Rust name progenitor makes of a name (an operationId, a parameter): its
/// non-identifier characters become separators first, as progenitor's `sanitize` does.
pub(crate) fn rust_snake_name(name: &str) -> String {
    use heck::ToSnakeCase;
    name.replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .to_snake_case()
}
