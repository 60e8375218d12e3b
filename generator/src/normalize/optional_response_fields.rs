//! Response fields the server may leave out.
//!
//! A `required` list in a response schema makes the generated field non-optional, so a body
//! without it cannot be decoded at all: an empty 204 where `{"detail": …}` was documented, a
//! newer server that stops sending a field. What a response carries is the server's to decide;
//! the client decodes what comes. This rule removes `required` from the schemas responses use
//! — inline response schemas, and component schemas that responses reach and requests do not
//! (a schema shared with a request body keeps its list, so request builders still check it).

use serde_json::{Map, Value};

use super::forward_compat::{reached_by_requests, reached_by_responses};
use super::{Log, Rule};
use crate::document::{for_each_schema, walk_schema};

pub(crate) const RULE: Rule = Rule {
    name: "optional-response-fields",
    repairs: "required response fields, which make a body that lacks one (an empty 204, a newer server) undecodable",
    apply,
    when: super::always,
};

fn drop_required(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    match schema.get("required") {
        Some(Value::Array(names)) if !names.is_empty() => {
            let names: Vec<String> = names
                .iter()
                .filter_map(Value::as_str)
                .map(|n| format!("`{n}`"))
                .collect();
            schema.remove("required");
            log.fired(
                pointer,
                format!(
                    "required {} dropped: responses decode what comes",
                    names.join(", ")
                ),
            );
        }
        Some(Value::Array(_)) => {
            schema.remove("required");
        }
        _ => {}
    }
}

fn apply(doc: &mut Value, log: &mut Log) {
    let responses = reached_by_responses(doc);
    let requests = reached_by_requests(doc);
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas
            .iter_mut()
            .filter(|(n, _)| responses.contains(*n) && !requests.contains(*n))
        {
            walk_schema(
                schema,
                &format!("/components/schemas/{}", crate::document::token(name)),
                &mut |s, p| drop_required(s, p, log),
            );
        }
    }
    for_each_schema(doc, &mut |schema, pointer| {
        if pointer.starts_with("/paths/") && pointer.contains("/responses/") {
            drop_required(schema, pointer, log);
        }
    });
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::testing::run;

    #[test]
    fn response_only_schemas_lose_required_shared_ones_keep_it() {
        let (out, fired) = run(
            &RULE,
            json!({
                "paths": {"/a": {"post": {
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shared"}}}},
                    "responses": {"200": {"content": {"application/json": {"schema": {
                        "type": "object", "required": ["ok"], "properties": {
                            "ok": {"type": "boolean"},
                            "detail": {"$ref": "#/components/schemas/Detail"},
                            "shared": {"$ref": "#/components/schemas/Shared"}}}}}}},
                }}},
                "components": {"schemas": {
                    "Detail": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}},
                    "Shared": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
                }},
            }),
        );
        let s = &out["components"]["schemas"];
        assert!(s["Detail"].get("required").is_none());
        assert_eq!(s["Shared"]["required"], json!(["name"]));
        assert!(out
            .pointer("/paths/~1a/post/responses/200/content/application~1json/schema/required")
            .is_none());
        assert_eq!(fired.len(), 2);
    }
}
