//! Parameters of one operation whose names make the same Rust identifier.
//!
//! progenitor names each method argument (and builder setter) after the parameter, in snake
//! case: `{id}` and `{ID}` in one path template, or the query parameters `pageSize` and
//! `page_size`, become two arguments called `id` (or `page_size`) — code that does not compile.
//! - Path template names are ours to choose (they are not sent): one that makes the same name
//!   as an earlier template name or as any query/header parameter of the path (Google's `{key}`
//!   beside the API-key query parameter `key`) is renamed (`{ID}` → `{ID_2}`) in the template
//!   and in every declaration of it, a `$ref`'d declaration replaced by a renamed copy.
//! - Other parameters are sent by name and cannot be renamed: the later one is dropped (the
//!   request can still be made without it), and reported.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{rust_snake_name, Log, Rule};
use crate::document::{resolved, token, METHODS};

pub(crate) const RULE: Rule = Rule {
    name: "colliding-parameter-names",
    repairs: "parameters of one operation that make the same Rust identifier (`{id}` and `{ID}`)",
    apply,
    when: super::always,
};

fn place_and_name(p: &Value, components: &Map<String, Value>) -> Option<(String, String)> {
    let p = resolved(p, "parameters", components);
    Some((
        p.get("in")?.as_str()?.to_string(),
        p.get("name")?.as_str()?.to_string(),
    ))
}

/// Template names to rename in one path: old → new. `taken`: the Rust names of the path
/// item's other parameters (query, header, cookie), which cannot be renamed.
fn template_renames(path: &str, taken: &[String]) -> BTreeMap<String, String> {
    let names = super::path_params::template_names(path);
    let mut seen: Vec<String> = taken.to_vec();
    let mut renames = BTreeMap::new();
    for name in names {
        let mut new = name.clone();
        let mut n = 2;
        while seen.contains(&rust_snake_name(&new)) {
            new = format!("{name}_{n}");
            n += 1;
        }
        seen.push(rust_snake_name(&new));
        if new != name {
            renames.insert(name, new);
        }
    }
    renames
}

/// Renames path parameter declarations in a parameter list.
fn rename_declarations(
    list: &mut Value,
    renames: &BTreeMap<String, String>,
    components: &Map<String, Value>,
) {
    let Some(items) = list.as_array_mut() else {
        return;
    };
    for p in items.iter_mut() {
        let Some((place, name)) = place_and_name(p, components) else {
            continue;
        };
        let Some(new) = renames.get(&name).filter(|_| place == "path") else {
            continue;
        };
        let mut copy = resolved(p, "parameters", components).clone();
        if let Some(obj) = copy.as_object_mut() {
            obj.insert("name".into(), Value::String(new.clone()));
        }
        *p = copy;
    }
}

/// The Rust names of a path item's parameters that are not in the path, its operations' included.
fn other_names(item: &Value, components: &Map<String, Value>) -> Vec<String> {
    let Some(item) = item.as_object() else {
        return Vec::new();
    };
    let lists = item.iter().filter_map(|(key, value)| {
        if key == "parameters" {
            Some(value)
        } else if METHODS.contains(&key.as_str()) {
            value.get("parameters")
        } else {
            None
        }
    });
    lists
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|p| place_and_name(p, components))
        .filter(|(place, _)| place != "path")
        .map(|(_, name)| rust_snake_name(&name))
        .collect()
}

fn rename_templates(doc: &mut Value, components: &Map<String, Value>, log: &mut Log) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    // Rebuilt in order; a path item without renames moves back as it was.
    let old = std::mem::take(paths);
    for (path, mut item) in old {
        let renames = template_renames(&path, &other_names(&item, components));
        if renames.is_empty() {
            paths.insert(path, item);
            continue;
        }
        let mut new_path = path.clone();
        for (from, to) in &renames {
            new_path = new_path.replace(&format!("{{{from}}}"), &format!("{{{to}}}"));
            log.fired(
                &format!("/paths/{}", token(&path)),
                format!("path parameter `{from}` renamed `{to}`: it makes the same Rust name as another parameter"),
            );
        }
        if let Some(item) = item.as_object_mut() {
            for (key, value) in item.iter_mut() {
                if key == "parameters" {
                    rename_declarations(value, &renames, components);
                } else if METHODS.contains(&key.as_str()) {
                    if let Some(list) = value.get_mut("parameters") {
                        rename_declarations(list, &renames, components);
                    }
                }
            }
        }
        paths.insert(new_path, item);
    }
}

fn drop_colliding(doc: &mut Value, components: &Map<String, Value>, log: &mut Log) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let inherited: Vec<(String, String)> = item
            .get("parameters")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|p| place_and_name(p, components))
                    .collect()
            })
            .unwrap_or_default();
        for (method, op) in item.iter_mut() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(list) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
                continue;
            };
            // An operation's own parameter overrides the path item's of the same place and name.
            let own: Vec<Option<(String, String)>> =
                list.iter().map(|p| place_and_name(p, components)).collect();
            let mut seen: Vec<String> = Vec::new(); // Rust names taken
            for (place, name) in &inherited {
                let overridden = own.iter().flatten().any(|(p, n)| p == place && n == name);
                if !overridden {
                    seen.push(rust_snake_name(name));
                }
            }
            let mut index = 0;
            list.retain(|_| {
                let keep = match &own[index] {
                    Some((place, name)) => {
                        let key = rust_snake_name(name);
                        let clash = seen.contains(&key);
                        if clash {
                            log.fired(
                                &format!("/paths/{}/{method}/parameters/{index}", token(path)),
                                format!("dropped {place} parameter `{name}`: it makes the same Rust name (`{key}`) as another parameter"),
                            );
                        } else {
                            seen.push(key);
                        }
                        !clash
                    }
                    None => true,
                };
                index += 1;
                keep
            });
        }
    }
}

fn apply(doc: &mut Value, log: &mut Log) {
    let components: Map<String, Value> = doc
        .pointer("/components/parameters")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    rename_templates(doc, &components, log);
    drop_colliding(doc, &components, log);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::testing::run;

    fn path(name: &str) -> Value {
        json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}})
    }

    #[test]
    fn template_names_that_collide_are_renamed_everywhere() {
        let (out, fired) = run(
            &RULE,
            json!({"paths": {"/a/{id}/b/{ID}": {
                "parameters": [{"$ref": "#/components/parameters/Upper"}],
                "get": {"parameters": [path("id")]},
            }}, "components": {"parameters": {"Upper": path("ID")}}}),
        );
        let item = &out["paths"]["/a/{id}/b/{ID_2}"];
        assert_eq!(item["parameters"][0]["name"], "ID_2");
        assert_eq!(item["get"]["parameters"][0]["name"], "id");
        assert_eq!(fired, ["/paths/~1a~1{id}~1b~1{ID}"]);
    }

    #[test]
    fn a_path_name_that_a_query_parameter_has_is_renamed_and_nothing_dropped() {
        let (out, fired) = run(
            &RULE,
            json!({"paths": {"/drug/{DRUG_ID}": {
                "parameters": [{"name": "key", "in": "query", "schema": {"type": "string"}}],
                "get": {"parameters": [
                    {"name": "drug_id", "in": "query", "required": true, "schema": {"type": "string"}},
                    path("DRUG_ID"),
                ]},
            }}}),
        );
        let params = &out["paths"]["/drug/{DRUG_ID_2}"]["get"]["parameters"];
        assert_eq!(params[0]["name"], "drug_id");
        assert_eq!(params[1]["name"], "DRUG_ID_2");
        assert_eq!(fired.len(), 1);
    }

    #[test]
    fn other_parameters_that_collide_are_dropped() {
        let q = |name: &str| json!({"name": name, "in": "query", "schema": {"type": "string"}});
        let (out, fired) = run(
            &RULE,
            json!({"paths": {"/a": {"get": {"parameters": [q("pageSize"), q("page_size"), q("page")]}}}}),
        );
        assert_eq!(
            out["paths"]["/a"]["get"]["parameters"],
            json!([q("pageSize"), q("page")])
        );
        assert_eq!(fired, ["/paths/~1a/get/parameters/1"]);
    }

    #[test]
    fn an_operation_may_override_its_path_items_parameter() {
        let input = json!({"paths": {"/a/{id}": {
            "parameters": [path("id")],
            "get": {"parameters": [path("id")]},
        }}});
        let (out, fired) = run(&RULE, input.clone());
        assert_eq!(out, input);
        assert!(fired.is_empty());
    }
}
