//! The normalized document read as OpenAPI 3.0 (openapiv3's types, what progenitor takes), and
//! the locator that names the first value openapiv3 cannot read: used by the rule that repairs
//! such values, and by the reader to say where a document it cannot read fails.

use serde_json::Value;

use crate::document::token;
use crate::error::{Error, Stage};

/// The document as openapiv3 reads it; an error names the first place it cannot read.
pub(crate) fn read_openapi(doc: &Value) -> Result<openapiv3::OpenAPI, Error> {
    <openapiv3::OpenAPI as serde::Deserialize>::deserialize(doc).map_err(|_| {
        let (pointer, why) =
            first_unreadable(doc).unwrap_or_else(|| ("".to_string(), "unreadable".to_string()));
        Error::new(
            Stage::Parse,
            format!("not a valid OpenAPI 3.0 document: {why}"),
        )
        .at(pointer)
    })
}

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
        if let Some(inner) = doc
            .get("paths")
            .and_then(Value::as_object)
            .and_then(|paths| {
                paths.iter().find_map(|(path, item)| {
                    first_unreadable_as::<openapiv3::PathItem>(item)
                        .map(|(p, _)| format!("/paths/{}{p}", token(path)))
                })
            })
        {
            pointer = inner;
        }
    }
    Some((pointer, error.inner().to_string()))
}

/// The first place of `value` that openapiv3 cannot read as a `T`, relative to `value`.
pub(crate) fn first_unreadable_as<T: serde::de::DeserializeOwned>(
    value: &Value,
) -> Option<(String, String)> {
    let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
    let mut pointer = json_pointer(error.path());
    // openapiv3 reads `responses` through a map that hides the status code: find the
    // response that fails on its own.
    if pointer.ends_with("/responses") || pointer == "/responses" {
        if let Some(responses) = value.pointer(&pointer).and_then(Value::as_object) {
            let failing = responses.iter().find_map(|(code, response)| {
                let inner = if response.get("$ref").is_some() {
                    None
                } else {
                    first_unreadable_as::<openapiv3::Response>(response)
                };
                inner.map(|(inner, _)| format!("/{}{inner}", token(code)))
            });
            if let Some(inner) = failing {
                pointer.push_str(&inner);
            }
        }
    }
    Some((pointer, error.inner().to_string()))
}
