//! Parameters without a schema.
//!
//! OpenAPI 3 requires each parameter to have a `schema` or a `content`; hand-written specs
//! leave both out (`{"name": "region", "in": "query"}`), and progenitor reads only `schema`.
//! A parameter with `content` gets the schema of its (first) media type; one with neither is a
//! string, which is what a query or path value is on the wire. Operations, path items and
//! `components/parameters` alike.

use serde_json::{json, Value};

use super::{Log, Rule};
use crate::document::{for_each_operation, token};

pub(crate) const RULE: Rule = Rule {
    name: "parameter-schemas",
    repairs: "parameters without a schema: their `content`'s schema, or a string",
    apply,
    when: super::always,
};

/// Gives a parameter without a schema one; a `$ref` is left to its component.
fn repair(p: &mut Value, pointer: &str, log: &mut Log) {
    let Some(p) = p.as_object_mut() else { return };
    if p.contains_key("$ref") || p.contains_key("schema") {
        return;
    }
    let from_content = p.remove("content").and_then(|c| {
        c.as_object()
            .and_then(|c| c.values().next())
            .and_then(|m| m.get("schema"))
            .cloned()
    });
    match from_content {
        Some(schema) => {
            p.insert("schema".into(), schema);
            log.fired(pointer, "parameter `content` replaced by its schema");
        }
        None => {
            p.insert("schema".into(), json!({"type": "string"}));
            log.fired(pointer, "parameter without schema: typed string");
        }
    }
}

fn repair_list(params: Option<&mut Value>, pointer: &str, log: &mut Log) {
    let Some(params) = params.and_then(Value::as_array_mut) else {
        return;
    };
    for (i, p) in params.iter_mut().enumerate() {
        repair(p, &format!("{pointer}/parameters/{i}"), log);
    }
}

fn apply(doc: &mut Value, log: &mut Log) {
    // Components first: operations may refer to them.
    if let Some(components) = doc
        .pointer_mut("/components/parameters")
        .and_then(Value::as_object_mut)
    {
        for (name, p) in components.iter_mut() {
            repair(p, &format!("/components/parameters/{}", token(name)), log);
        }
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            repair_list(
                item.get_mut("parameters"),
                &format!("/paths/{}", token(path)),
                log,
            );
        }
    }
    for_each_operation(doc, |_, _, op, pointer| {
        repair_list(op.get_mut("parameters"), pointer, log);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run;

    #[test]
    fn parameters_get_a_schema() {
        let (out, fired) = run(
            &RULE,
            json!({"paths": {"/a": {"get": {"parameters": [
                {"name": "q", "in": "query"},
                {"name": "f", "in": "query", "content": {"application/json": {"schema": {"type": "integer"}}}},
                {"name": "ok", "in": "query", "schema": {"type": "boolean"}},
                {"$ref": "#/components/parameters/P"},
            ]}}}}),
        );
        let params = &out["paths"]["/a"]["get"]["parameters"];
        assert_eq!(params[0]["schema"], json!({"type": "string"}));
        assert_eq!(params[1]["schema"], json!({"type": "integer"}));
        assert!(params[1].get("content").is_none());
        assert_eq!(params[2]["schema"], json!({"type": "boolean"}));
        assert_eq!(fired.len(), 2);
    }

    #[test]
    fn shared_and_path_level_parameters_too() {
        let (out, fired) = run(
            &RULE,
            json!({
                "paths": {"/a": {"parameters": [{"name": "region", "in": "query"}],
                                 "get": {"parameters": [{"$ref": "#/components/parameters/Where"}]}}},
                "components": {"parameters": {"Where": {"name": "where", "in": "query",
                    "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}}}},
            }),
        );
        assert_eq!(
            out["components"]["parameters"]["Where"]["schema"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            out["paths"]["/a"]["parameters"][0]["schema"],
            json!({"type": "string"})
        );
        assert_eq!(
            fired,
            ["/components/parameters/Where", "/paths/~1a/parameters/0"]
        );
    }
}
