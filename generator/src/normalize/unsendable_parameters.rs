//! Parameters progenitor cannot send.
//!
//! progenitor sends query parameters in the `form` style only, and no cookie parameters: a
//! `deepObject`, `spaceDelimited` or `pipeDelimited` query parameter, or any `in: cookie`
//! parameter, makes it refuse the whole spec. Such a parameter is dropped from its operation
//! (or path item), found through `$ref`s to `components/parameters` too, and each one is
//! reported: the operation stays usable without that filter or cookie.

use serde_json::{Map, Value};

use super::{Log, Rule};
use crate::document::{for_each_operation, resolved, token};

pub(crate) const RULE: Rule = Rule {
    name: "unsendable-parameters",
    repairs: "cookie parameters, and query parameters in styles progenitor cannot send (`deepObject`, `spaceDelimited`, `pipeDelimited`), dropped",
    apply,
    when: super::always,
};

/// Why progenitor cannot send a parameter, if it cannot.
fn unsendable(p: &Map<String, Value>) -> Option<String> {
    let style = p.get("style").and_then(Value::as_str);
    match p.get("in").and_then(Value::as_str) {
        Some("cookie") => Some("a cookie parameter".into()),
        Some("query") if style.is_some_and(|s| s != "form") => Some(format!(
            "a query parameter in style {}",
            style.unwrap_or("?")
        )),
        _ => None,
    }
}

/// Drops the parameters progenitor cannot send, following `$ref`s to
/// `components/parameters` to see where and how they are sent.
fn drop_unsendable(
    params: &mut Vec<Value>,
    components: &Map<String, Value>,
    pointer: &str,
    log: &mut Log,
) {
    let mut index = 0;
    params.retain(|p| {
        let declared = resolved(p, "parameters", components);
        let why = declared.as_object().and_then(unsendable);
        if let Some(why) = &why {
            let name = declared.get("name").and_then(Value::as_str).unwrap_or("?");
            log.fired(
                &format!("{pointer}/parameters/{index}"),
                format!("`{name}`: {why}, which progenitor cannot send: dropped"),
            );
        }
        index += 1;
        why.is_none()
    });
}

fn apply(doc: &mut Value, log: &mut Log) {
    let components = doc
        .pointer("/components/parameters")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            if let Some(params) = item.get_mut("parameters").and_then(Value::as_array_mut) {
                drop_unsendable(params, &components, &format!("/paths/{}", token(path)), log);
            }
        }
    }
    for_each_operation(doc, |_, _, op, pointer| {
        if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
            drop_unsendable(params, &components, pointer, log);
        }
    });
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::testing::run;

    #[test]
    fn cookies_and_query_parameters_in_styles_that_cannot_be_sent_are_dropped() {
        let (out, fired) = run(
            &RULE,
            json!({"paths": {"/a": {"get": {"parameters": [
                {"name": "filter", "in": "query", "style": "deepObject", "schema": {"type": "object"}},
                {"name": "page", "in": "query", "style": "form", "schema": {"type": "string"}},
                {"name": "id", "in": "path", "style": "simple", "required": true, "schema": {"type": "string"}},
                {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
            ]}}}}),
        );
        let params = out["paths"]["/a"]["get"]["parameters"].as_array().unwrap();
        let names: Vec<&str> = params.iter().filter_map(|p| p["name"].as_str()).collect();
        assert_eq!(names, ["page", "id", "X-Trace"]);
        assert_eq!(
            fired,
            ["/paths/~1a/get/parameters/0", "/paths/~1a/get/parameters/3"]
        );
    }

    #[test]
    fn unsendable_styles_are_found_through_references_and_on_path_items() {
        let (out, fired) = run(
            &RULE,
            json!({
                "paths": {"/a": {
                    "parameters": [{"name": "where", "in": "query", "style": "pipeDelimited", "schema": {"type": "array", "items": {"type": "string"}}}],
                    "get": {"parameters": [{"$ref": "#/components/parameters/Filter"}, {"$ref": "#/components/parameters/Page"}]},
                }},
                "components": {"parameters": {
                    "Filter": {"name": "filter", "in": "query", "style": "deepObject", "schema": {"type": "object"}},
                    "Page": {"name": "page", "in": "query", "schema": {"type": "string"}},
                }},
            }),
        );
        assert_eq!(out["paths"]["/a"]["parameters"], json!([]));
        assert_eq!(
            out["paths"]["/a"]["get"]["parameters"],
            json!([{"$ref": "#/components/parameters/Page"}])
        );
        assert_eq!(
            fired,
            ["/paths/~1a/parameters/0", "/paths/~1a/get/parameters/0"]
        );
    }
}
