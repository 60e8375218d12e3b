//! Path keys that are not paths.
//!
//! - A sample URL pasted as a path (`/backend/api/openstack/instances?page_size=10&page=1`) is
//!   a path to progenitor: the whole key, `?` and all, would be sent percent-encoded as the
//!   path, and the same resource would get a second method under another name. The key is cut
//!   at `?` (and `#`): the names of the query become optional query parameters (strings) of
//!   every operation under it, unless one already declares them.
//! - A key without its leading `/` (`v4/auth_plugins/{name}`) is not read as a path by
//!   openapiv3 at all: its operations vanished without a word. It gets the `/`.
//!
//! The repaired path item joins the one of the same path when there is one. An operation
//! written both ways is the same operation twice: the one written as a proper path is kept.

use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::{percent_decode, token, METHODS};

pub(crate) const RULE: Rule = Rule {
    name: "malformed-path-keys",
    repairs: "path keys that are not paths: a query string (`/instances?page=1`) cut off, its names optional query parameters; a missing leading `/`",
    apply,
    when: super::always,
};

/// The path and the query's parameter names of a key (`/a?x=1&y` → `/a`, [x, y]).
fn split(key: &str) -> (String, Vec<String>) {
    let without_fragment = key.split('#').next().unwrap_or(key);
    let (path, query) = without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""));
    let mut names: Vec<String> = Vec::new();
    for pair in query.split('&') {
        let name = percent_decode(pair.split('=').next().unwrap_or("").trim());
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    let path = match path.trim() {
        "" => "/".to_string(),
        p if !p.starts_with('/') => format!("/{p}"),
        p => p.to_string(),
    };
    (path, names)
}

/// Whether a parameter list declares this query parameter.
fn declares(list: Option<&Value>, name: &str) -> bool {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|p| {
            p.get("name").and_then(Value::as_str) == Some(name)
                && p.get("in").and_then(Value::as_str) == Some("query")
        })
}

/// Adds the query's names to every operation of the path item as optional query parameters.
fn add_query_parameters(item: &mut Map<String, Value>, names: &[String]) -> Vec<String> {
    let shared = item.get("parameters").cloned();
    let mut added = Vec::new();
    for (method, op) in item.iter_mut() {
        if !METHODS.contains(&method.as_str()) {
            continue;
        }
        let Some(op) = op.as_object_mut() else {
            continue;
        };
        for name in names {
            if declares(shared.as_ref(), name) || declares(op.get("parameters"), name) {
                continue;
            }
            let list = op
                .entry("parameters")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Some(list) = list.as_array_mut() {
                list.push(json!({"name": name, "in": "query", "required": false, "schema": {"type": "string"}}));
                added.push(format!("{} {name}", method.to_uppercase()));
            }
        }
    }
    added
}

/// Merges a path item into the one already at its path; returns the methods both have (the
/// incoming one kept when `replace`, else the one already there).
fn merge(into: &mut Map<String, Value>, from: Map<String, Value>, replace: bool) -> Vec<String> {
    let mut repeated = Vec::new();
    for (key, value) in from {
        match into.get_mut(&key) {
            None => {
                into.insert(key, value);
            }
            Some(slot) if METHODS.contains(&key.as_str()) => {
                if replace {
                    *slot = value;
                }
                repeated.push(key.to_uppercase());
            }
            Some(Value::Array(existing)) if key == "parameters" => {
                for p in value.as_array().into_iter().flatten() {
                    let same =
                        |q: &Value| q.get("name") == p.get("name") && q.get("in") == p.get("in");
                    if !existing.iter().any(same) {
                        existing.push(p.clone());
                    }
                }
            }
            Some(_) => {}
        }
    }
    repeated
}

fn apply(doc: &mut Value, log: &mut Log) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let malformed = |k: &str| k.contains(['?', '#']) || !k.starts_with('/');
    if !paths.keys().any(|k| malformed(k)) {
        return;
    }
    // Rebuilt in order, so that the operations keep their place in the document.
    let mut rebuilt = Map::new();
    for (key, item) in std::mem::take(paths) {
        if key.starts_with("x-") {
            rebuilt.insert(key, item);
            continue;
        }
        if !malformed(&key) {
            match (rebuilt.get_mut(&key).and_then(Value::as_object_mut), item) {
                (Some(existing), Value::Object(item)) => {
                    // The path was written with a query first: this one joins it, and is
                    // the one kept where both have an operation.
                    for method in merge(existing, item, true) {
                        log.fired(
                            &format!("/paths/{}/{}", token(&key), method.to_lowercase()),
                            format!("{method} {key} was also written as a key that is not a path: this one kept"),
                        );
                    }
                }
                (_, item) => {
                    rebuilt.insert(key, item);
                }
            }
            continue;
        }
        let pointer = format!("/paths/{}", token(&key));
        let (path, names) = split(&key);
        let Value::Object(mut item) = item else {
            log.fired(&pointer, "not a path item: removed");
            continue;
        };
        let added = add_query_parameters(&mut item, &names);
        let mut change = format!("path {path}");
        if !added.is_empty() {
            change.push_str(&format!(
                ", the query's names as optional query parameters ({})",
                added.join(", ")
            ));
        }
        match rebuilt.get_mut(&path).and_then(Value::as_object_mut) {
            Some(existing) => {
                let repeated = merge(existing, item, false);
                change.push_str(&format!(", joined to the path item {path}"));
                if !repeated.is_empty() {
                    change.push_str(&format!(
                        " ({} already there: kept as written there)",
                        repeated.join(", ")
                    ));
                }
            }
            None => {
                rebuilt.insert(path, Value::Object(item));
            }
        }
        log.fired(&pointer, change);
    }
    *paths = rebuilt;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run;

    fn get(params: Value) -> Value {
        json!({"parameters": params, "responses": {"200": {"description": "OK"}}})
    }

    #[test]
    fn the_query_becomes_parameters_and_the_path_joins_its_twin() {
        let plain_get =
            get(json!([{"name": "ordering", "in": "query", "schema": {"type": "string"}}]));
        let (out, fired) = run(
            &RULE,
            json!({"paths": {
                "/instances?page_size=10&page=1": {"get": get(json!([]))},
                "/instances": {"post": {"responses": {"201": {"description": "made"}}}, "get": plain_get.clone()},
                "/volumes?page_size=10&page=1": {"get": get(json!([{"name": "page", "in": "query", "schema": {"type": "integer"}}]))},
                "/flavors?region=NL#top": {"get": get(json!([]))},
                "/plain": {"get": get(json!([]))},
                "/plain?x=1": {"get": get(json!([])), "put": get(json!([]))},
                "v4/slashless": {"delete": get(json!([]))},
                "x-extension": {"kept": true},
            }}),
        );
        let paths = out["paths"].as_object().unwrap();
        let keys: Vec<&String> = paths.keys().collect();
        assert_eq!(
            keys,
            [
                "/instances",
                "/volumes",
                "/flavors",
                "/plain",
                "/v4/slashless",
                "x-extension"
            ],
            "in document order"
        );
        assert_eq!(
            paths["/instances"]["get"], plain_get,
            "the one without the query"
        );
        assert!(paths["/instances"].get("post").is_some(), "joined");
        assert_eq!(
            paths["/volumes"]["get"]["parameters"],
            json!([
                {"name": "page", "in": "query", "schema": {"type": "integer"}},
                {"name": "page_size", "in": "query", "required": false, "schema": {"type": "string"}},
            ]),
            "a declared one kept as declared"
        );
        assert_eq!(paths["/flavors"]["get"]["parameters"][0]["name"], "region");
        assert_eq!(
            paths["/plain"]["get"],
            get(json!([])),
            "written first, without the query"
        );
        assert_eq!(paths["/plain"]["put"]["parameters"][0]["name"], "x");
        assert_eq!(fired.len(), 6, "{fired:?}");
        assert!(
            fired.iter().any(|p| p == "/paths/~1instances/get"),
            "{fired:?}"
        );
    }

    #[test]
    fn keys_split_at_the_query_and_fragment() {
        assert_eq!(
            split("/a?x=1&y&x=2"),
            ("/a".into(), vec!["x".into(), "y".into()])
        );
        assert_eq!(split("/a#frag"), ("/a".into(), vec![]));
        assert_eq!(split("v4/a?x"), ("/v4/a".into(), vec!["x".into()]));
        assert_eq!(split("?q=%20a"), ("/".into(), vec!["q".into()]));
        assert_eq!(
            split("/a?my%20name=1"),
            ("/a".into(), vec!["my name".into()])
        );
    }
}
