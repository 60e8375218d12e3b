//! Parameters without a schema.
//!
//! OpenAPI 3 requires each parameter to have a `schema` or a `content`; hand-written specs
//! leave both out (`{"name": "region", "in": "query"}`), and progenitor reads only `schema`.
//! A parameter with `content` gets the schema of its (first) media type; one with neither is a
//! string, which is what a query or path value is on the wire.

use serde_json::{json, Value};

use super::{Log, Rule};
use crate::document::for_each_operation;

pub(crate) const RULE: Rule = Rule {
    name: "parameter-schemas",
    repairs: "parameters without a schema: their `content`'s schema, or a string",
    apply,
    when: super::always,
};

fn apply(doc: &mut Value, log: &mut Log) {
    for_each_operation(doc, |_, _, op, pointer| {
        let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
            return;
        };
        for (i, p) in params.iter_mut().enumerate() {
            let Some(p) = p.as_object_mut() else { continue };
            if p.contains_key("$ref") || p.contains_key("schema") {
                continue;
            }
            let p_ptr = format!("{pointer}/parameters/{i}");
            let from_content = p.remove("content").and_then(|c| {
                c.as_object()
                    .and_then(|c| c.values().next())
                    .and_then(|m| m.get("schema"))
                    .cloned()
            });
            match from_content {
                Some(schema) => {
                    p.insert("schema".into(), schema);
                    log.fired(&p_ptr, "parameter `content` replaced by its schema");
                }
                None => {
                    p.insert("schema".into(), json!({"type": "string"}));
                    log.fired(&p_ptr, "parameter without schema: typed string");
                }
            }
        }
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
}
