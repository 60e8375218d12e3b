//! What a URL served, turned into an OpenAPI document: a JSON or YAML spec, a Redoc page with
//! the spec inside (`redoc-cli bundle`'s `__redoc_state`, Redocly's `__redoc_definition`), or
//! a page that points at the spec (`<redoc spec-url=…>`, `Redoc.init('…')`).

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;

/// The forms a served document can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A JSON spec.
    Json,
    /// A YAML spec.
    Yaml,
    /// A `redoc-cli bundle` page (`__redoc_state`).
    RedocCliBundle,
    /// A Redocly `build-docs` page (`__redoc_definition`).
    RedoclyBundle,
}

impl Form {
    pub fn name(self) -> &'static str {
        match self {
            Form::Json => "json",
            Form::Yaml => "yaml",
            Form::RedocCliBundle => "redoc-cli bundle page",
            Form::RedoclyBundle => "redocly build-docs page",
        }
    }
}

/// What a served document turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Extracted {
    /// The spec itself.
    Spec(Value, Form),
    /// A page naming the spec's URL (as written, possibly relative).
    Pointer(String),
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<head")
        || head.contains("<body")
}

/// The first JSON value in `text` after `marker` (and the `=` that follows it).
fn json_after(text: &str, marker: &str) -> Option<Result<Value>> {
    let at = text.find(marker)?;
    let rest = text[at + marker.len()..].trim_start();
    let rest = rest.strip_prefix('=').unwrap_or(rest).trim_start();
    let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
    Some(match values.next() {
        Some(Ok(v)) => Ok(v),
        Some(Err(e)) => Err(anyhow!(
            "the {marker} data in the page is not valid JSON: {e}"
        )),
        None => Err(anyhow!("the page's {marker} holds no data")),
    })
}

/// The value of attribute `name` in the first `<tag …>` of the page.
fn attribute(html: &str, tag: &str, name: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find(&format!("<{tag}"))?;
    let end = start + lower[start..].find('>')?;
    let element = &html[start..end];
    let lower_element = &lower[start..end];
    let at = lower_element.find(&format!("{name}="))? + name.len() + 1;
    let rest = &element[at..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        rest[1..].find(quote).map(|e| rest[1..1 + e].to_string())
    } else {
        Some(
            rest.split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_string(),
        )
    }
}

/// The first argument of `Redoc.init(…)` when it is a string literal.
fn redoc_init_url(html: &str) -> Option<String> {
    let at = html.find("Redoc.init(")? + "Redoc.init(".len();
    let rest = html[at..].trim_start();
    let quote = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'))?;
    rest[1..].find(quote).map(|e| rest[1..1 + e].to_string())
}

/// Reads what a URL served.
pub fn extract(body: &[u8]) -> Result<Extracted> {
    let text = std::str::from_utf8(body).context("the document is not UTF-8 text")?;
    let text = text.trim_start_matches('\u{feff}');
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        bail!("the document is empty");
    }
    if trimmed.starts_with('{') {
        let value = serde_json::from_str(trimmed)
            .context("the document looks like JSON but does not parse")?;
        return Ok(Extracted::Spec(value, Form::Json));
    }
    if looks_like_html(text) {
        if let Some(state) = json_after(text, "__redoc_state") {
            let state = state?;
            let spec = state
                .pointer("/spec/data")
                .cloned()
                .ok_or_else(|| anyhow!("the page's __redoc_state has no spec.data"))?;
            return Ok(Extracted::Spec(spec, Form::RedocCliBundle));
        }
        if let Some(definition) = json_after(text, "__redoc_definition") {
            return Ok(Extracted::Spec(definition?, Form::RedoclyBundle));
        }
        if let Some(url) = attribute(text, "redoc", "spec-url").filter(|u| !u.is_empty()) {
            return Ok(Extracted::Pointer(url));
        }
        if let Some(url) = redoc_init_url(text).filter(|u| !u.is_empty()) {
            return Ok(Extracted::Pointer(url));
        }
        bail!("the HTML page holds no OpenAPI spec (no __redoc_state, __redoc_definition, <redoc spec-url> or Redoc.init)");
    }
    let value: Value = generator::load::yaml_to_json(text)
        .map_err(|e| anyhow!("the document is neither JSON, YAML nor an HTML page: {e}"))?;
    if !value.is_object() {
        bail!("the document is not a JSON or YAML object");
    }
    Ok(Extracted::Spec(value, Form::Yaml))
}

/// The version number in `info.version` as published: "Specification 1.0.5" → "1.0.5".
pub fn version_number(info_version: &str) -> Option<String> {
    info_version
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|t| t.trim_matches('.'))
        .find(|t| {
            t.contains('.')
                && t.split('.')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        })
        .map(str::to_string)
}

/// Checks that a value is an OpenAPI 3.x document and returns its version number.
pub fn validate(spec: &Value) -> Result<String> {
    let openapi = spec
        .get("openapi")
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow!("not an OpenAPI document: no `openapi` field"))?;
    if !openapi.starts_with("3.") {
        bail!("OpenAPI {openapi} is not supported (3.x only)");
    }
    if spec.get("paths").is_some_and(|p| !p.is_object()) {
        bail!("`paths` is not an object");
    }
    let info_version = spec
        .pointer("/info/version")
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow!("the spec has no info.version"))?;
    version_number(info_version)
        .ok_or_else(|| anyhow!("no version number in info.version {info_version:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_numbers_as_published() {
        assert_eq!(
            version_number("Specification 1.0.5").as_deref(),
            Some("1.0.5")
        );
        assert_eq!(
            version_number("Specification  1.0.6").as_deref(),
            Some("1.0.6")
        );
        assert_eq!(version_number("v2.10.0-beta").as_deref(), Some("2.10.0"));
        assert_eq!(version_number("1.0.5").as_deref(), Some("1.0.5"));
        assert_eq!(version_number("latest"), None);
    }

    #[test]
    fn pointer_pages() {
        let page =
            r#"<!DOCTYPE html><html><body><redoc spec-url='api/spec.yaml'></redoc></body></html>"#;
        assert_eq!(
            extract(page.as_bytes()).unwrap(),
            Extracted::Pointer("api/spec.yaml".into())
        );
        let page = r#"<html><body><script>Redoc.init("https://x.test/o.json", {}, el)</script></body></html>"#;
        assert_eq!(
            extract(page.as_bytes()).unwrap(),
            Extracted::Pointer("https://x.test/o.json".into())
        );
    }

    #[test]
    fn broken_inputs_say_what_they_are() {
        let e = extract(b"<html><body>Maintenance</body></html>")
            .unwrap_err()
            .to_string();
        assert!(e.contains("holds no OpenAPI spec"), "{e}");
        let e = extract(b"{\"openapi\": \"3.1.0\", \"paths\": {")
            .unwrap_err()
            .to_string();
        assert!(e.contains("does not parse"), "{e}");
        let e = extract(b"<html><script>const __redoc_state = {\"spec\": {\"da</script>")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not valid JSON"), "{e}");
        assert!(validate(&serde_json::json!({"swagger": "2.0"})).is_err());
        assert!(
            validate(&serde_json::json!({"openapi": "3.1.0", "info": {"version": "x"}})).is_err()
        );
    }
}
