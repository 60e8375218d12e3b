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
        yaml_to_json(trimmed).map_err(|e| Error::new(Stage::Load, format!("invalid YAML: {e}")))?
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

/// Nesting deeper than this is refused (serde_json's own limit is the same): no spec needs
/// it, and every later stage recurses over the document.
pub const MAX_YAML_DEPTH: usize = 128;

/// YAML text → JSON value (serde-saphyr). Its limits are sized by the text: a document
/// without aliases cannot have more nodes than it has bytes, so a node budget of the text's
/// length never refuses a real spec and stops alias expansion ("billion laughs") at memory
/// linear in the input; 128 levels at most.
#[cfg(feature = "yaml")]
pub fn yaml_to_json(text: &str) -> Result<Value, String> {
    let nodes = text.len().saturating_add(1024);
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_YAML_DEPTH;
    budget.max_nodes = nodes;
    budget.max_events = nodes.saturating_mul(2);
    budget.max_total_scalar_bytes = text.len().saturating_add(1024);
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    serde_saphyr::from_str_with_options(text, options).map_err(|e| e.to_string())
}

/// Without the `yaml` feature (fotbo-api's build script, which reads JSON only), YAML is
/// refused with what to do.
#[cfg(not(feature = "yaml"))]
pub fn yaml_to_json(_text: &str) -> Result<Value, String> {
    Err("this is not JSON, and this build of the generator reads JSON only (its `yaml` feature is off): convert the file to JSON".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "yaml")]
    fn reads_json_and_yaml_alike() {
        let json = load(br#"{"openapi": "3.1.0", "paths": {}}"#).unwrap();
        let yaml = load(b"openapi: 3.1.0\npaths: {}\n").unwrap();
        assert_eq!(json, yaml);
    }

    #[test]
    #[cfg(feature = "yaml")]
    fn yaml_keys_and_scalars_read_as_json_would() {
        let yaml = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: OK\n        '404': {description: gone}\nx-n: 1.5\nx-b: true\nx-null: ~\n";
        let value = load(yaml.as_bytes()).unwrap();
        let responses = &value["paths"]["/a"]["get"]["responses"];
        let keys: Vec<_> = responses.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["200", "404"]);
        assert_eq!(value["x-n"], 1.5);
        assert_eq!(value["x-b"], true);
        assert!(value["x-null"].is_null());
        assert_eq!(value["openapi"], "3.0.3");
    }

    #[test]
    #[cfg(feature = "yaml")]
    fn hostile_yaml_is_refused_not_expanded() {
        // Each level refers to the one before ten times: 10^9 strings if expanded.
        let mut yaml = String::from("openapi: 3.0.3\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            yaml.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
        }
        let refused = yaml_to_json(&yaml).unwrap_err();
        assert!(
            refused.contains("budget") || refused.contains("limit"),
            "{refused}"
        );
        let deep = format!(
            "openapi: 3.0.3\nx: {}{}",
            "[".repeat(1000),
            "]".repeat(1000)
        );
        assert!(yaml_to_json(&deep).is_err());
    }

    /// The build fotbo-api's build script compiles: JSON only, and YAML named as the cause.
    #[test]
    #[cfg(not(feature = "yaml"))]
    fn without_the_feature_yaml_is_refused_saying_convert_it() {
        let e = load(b"openapi: 3.1.0\npaths: {}\n").unwrap_err();
        assert!(e.to_string().contains("`yaml` feature is off"), "{e}");
    }

    #[test]
    fn names_what_is_wrong() {
        let e = load(b"{\"openapi\": ").unwrap_err();
        assert_eq!(e.stage, Stage::Load);
        assert!(e.to_string().contains("invalid JSON"), "{e}");
        let e = load(br#"{"swagger": "2.0"}"#).unwrap_err();
        assert!(e.to_string().contains("Swagger 2.0"), "{e}");
        #[cfg(feature = "yaml")]
        {
            let e = load(b"swagger: '2.0'\n").unwrap_err();
            assert!(e.to_string().contains("Swagger 2.0"), "{e}");
        }
        // A list is YAML to this reader (only `{` starts JSON).
        let e = load(b"[1, 2]").unwrap_err();
        let expected = if cfg!(feature = "yaml") {
            "not an object"
        } else {
            "reads JSON only"
        };
        assert!(e.to_string().contains(expected), "{e}");
        assert!(load(b"").is_err());
        assert!(load(&[0xff, 0xfe]).is_err());
    }
}
