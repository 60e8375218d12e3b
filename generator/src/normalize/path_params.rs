//! Path parameters used in a path template but never declared.
//!
//! The published Fotbo file writes paths like `/backend/api/openstack/instances/{instance_id}`
//! without a matching `in: path` parameter, which OpenAPI requires and progenitor needs to make
//! the method argument. This rule declares each missing one as a required string, in template
//! order. Declared path parameters that the template does not use are removed (progenitor
//! would otherwise fail on them).

use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::{for_each_operation, resolved};

pub(crate) const RULE: Rule = Rule {
    name: "undeclared-path-parameters",
    repairs: "path template parameters with no `in: path` declaration, or declarations the template lacks",
    apply,
    when: super::always,
};

/// The `{name}` placeholders of a path template, in order.
pub(crate) fn template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
        rest = &rest[start + len + 1..];
    }
    names
}

fn is_path_param(p: &Value, name: Option<&str>) -> bool {
    p.get("in").and_then(Value::as_str) == Some("path")
        && name.is_none_or(|n| p.get("name").and_then(Value::as_str) == Some(n))
}

fn apply(doc: &mut Value, log: &mut Log) {
    let components: Map<String, Value> = doc
        .pointer("/components/parameters")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // Parameters declared on the path item count for every operation below it.
    let item_params: Map<String, Value> = doc
        .get("paths")
        .and_then(Value::as_object)
        .map(|paths| {
            paths
                .iter()
                .map(|(path, item)| {
                    (
                        path.clone(),
                        item.get("parameters").cloned().unwrap_or(json!([])),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for_each_operation(doc, |path, _, op, pointer| {
        let names = template_names(path);
        let inherited = item_params
            .get(path)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let params = op.entry("parameters").or_insert_with(|| json!([]));
        let Some(params) = params.as_array_mut() else {
            return;
        };
        let before = params.len();
        params.retain(|p| {
            let p = resolved(p, "parameters", &components);
            !is_path_param(p, None)
                || p.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| names.iter().any(|x| x == n))
        });
        if params.len() != before {
            log.fired(
                &format!("{pointer}/parameters"),
                "removed path parameters the template does not use",
            );
        }
        for (i, name) in names.iter().enumerate() {
            let declared = params
                .iter()
                .chain(inherited.iter())
                .any(|p| is_path_param(resolved(p, "parameters", &components), Some(name)));
            if !declared {
                params.insert(
                    i.min(params.len()),
                    json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
                );
                log.fired(
                    &format!("{pointer}/parameters"),
                    format!("declared path parameter `{name}` (required string)"),
                );
            }
        }
        if params.is_empty() {
            op.remove("parameters");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run;

    #[test]
    fn undeclared_template_names_are_declared_in_order() {
        let (out, fired) = run(
            &RULE,
            json!({"paths": {"/dns/{zone_id}/records/{record_id}": {"get": {
                "parameters": [{"name": "page", "in": "query", "schema": {"type": "string"}},
                               {"name": "stale", "in": "path", "required": true, "schema": {"type": "string"}}],
            }}}}),
        );
        let params = out["paths"]["/dns/{zone_id}/records/{record_id}"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let names: Vec<_> = params.iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["zone_id", "record_id", "page"]);
        assert_eq!(params[0]["required"], true);
        assert_eq!(fired.len(), 3);
    }

    #[test]
    fn parameters_declared_by_reference_count() {
        let input = json!({
            "paths": {"/a/{id}": {"get": {"parameters": [{"$ref": "#/components/parameters/Id"}]}}},
            "components": {"parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}}},
        });
        let (out, fired) = run(&RULE, input.clone());
        assert_eq!(out, input);
        assert!(fired.is_empty());
    }

    #[test]
    fn declared_ones_are_kept() {
        let input = json!({"paths": {"/a/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "get": {},
        }}});
        let (out, fired) = run(&RULE, input.clone());
        assert_eq!(out, input);
        assert!(fired.is_empty());
        assert_eq!(template_names("/a/{x}/b/{y}/{x}"), ["x", "y"]);
        assert!(template_names("/broken/{oops").is_empty());
    }
}
