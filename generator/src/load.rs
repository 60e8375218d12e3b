//! Stage 1: bytes → JSON value. Accepts JSON and YAML; the key order of the file is kept so
//! that generated code follows the spec's own order.

use serde_json::Value;

use crate::error::{Error, Stage};

/// Reads a spec from bytes. JSON is tried first (it is also YAML, but the JSON parser's errors
/// are clearer for JSON input); anything not starting with `{` is read as YAML.
pub fn load(bytes: &[u8]) -> Result<Value, Error> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Error::new(Stage::Load, format!("the spec is not UTF-8 text: {e}")))?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err(Error::new(Stage::Load, "the spec is empty"));
    }
    let value: Value = if trimmed.starts_with('{') {
        serde_json::from_str(trimmed)
            .map_err(|e| Error::new(Stage::Load, format!("invalid JSON: {e}")))?
    } else {
        serde_yaml::from_str(trimmed)
            .map_err(|e| Error::new(Stage::Load, format!("invalid YAML: {e}")))?
    };
    let Some(root) = value.as_object() else {
        return Err(Error::new(Stage::Load, "the spec is not an object").at(""));
    };
    match root.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.") => Ok(value),
        Some(v) => Err(Error::new(
            Stage::Load,
            format!("OpenAPI version {v} is not supported (3.x only)"),
        )
        .at("/openapi")),
        None if root.contains_key("swagger") => Err(Error::new(
            Stage::Load,
            "this is a Swagger 2.0 document; only OpenAPI 3.x is supported",
        )
        .at("/swagger")),
        None => Err(Error::new(
            Stage::Load,
            "no `openapi` version field: not an OpenAPI document",
        )
        .at("/openapi")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_and_yaml_alike() {
        let json = load(br#"{"openapi": "3.1.0", "paths": {}}"#).unwrap();
        let yaml = load(b"openapi: 3.1.0\npaths: {}\n").unwrap();
        assert_eq!(json, yaml);
    }

    #[test]
    fn names_what_is_wrong() {
        let e = load(b"{\"openapi\": ").unwrap_err();
        assert_eq!(e.stage, Stage::Load);
        assert!(e.to_string().contains("invalid JSON"), "{e}");
        let e = load(b"swagger: '2.0'\n").unwrap_err();
        assert!(e.to_string().contains("Swagger 2.0"), "{e}");
        let e = load(b"[1, 2]").unwrap_err();
        assert!(e.to_string().contains("not an object"), "{e}");
        assert!(load(b"").is_err());
        assert!(load(&[0xff, 0xfe]).is_err());
    }
}
