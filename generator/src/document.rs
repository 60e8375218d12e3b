//! The OpenAPI document as JSON, as every stage reads it: where things are (JSON pointers),
//! how to walk its operations and schemas, and what a `$ref` points at.
//!
//! The normalization rules, progenitor's stage and the passes all read the document through
//! this module, so a reference means one thing everywhere: the part after `#`,
//! percent-decoded (`%7Bid%7D` → `{id}`), read as a JSON pointer whose tokens unescape `~1` and
//! `~0` (RFC 3986 and RFC 6901, in that order). References into other documents resolve to
//! nothing. Following a chain of references is bounded: a cycle the `ref-cycles` rule did not
//! break stops after [`MAX_ALIASES`] steps instead of looping.

use serde_json::{Map, Value};

/// The extension the rules write on an operation whose success body may be absent (a
/// bodiless success code beside a typed one, see the `one-response-type` rule): its result
/// type becomes `Option<T>`. Written by a rule, read by the passes: defined here, beside the
/// document both read.
pub(crate) const BODY_MAY_BE_ABSENT: &str = "x-body-may-be-absent";

/// How many `$ref`s in a row [`resolved`] follows.
pub(crate) const MAX_ALIASES: usize = 8;

/// The `$ref` of a value, when it has one.
pub(crate) fn reference_of(value: &Value) -> Option<&str> {
    value.get("$ref")?.as_str()
}

/// Decodes `%XX` escapes (`%7Bid%7D` → `{id}`); a `%` not followed by two hex digits stays.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The JSON pointer a reference into this document stands for (`#/a/b` → `/a/b`, `#` → the
/// whole document); None for a reference into another document.
pub(crate) fn local_pointer(reference: &str) -> Option<String> {
    let pointer = percent_decode(reference.strip_prefix('#')?);
    (pointer.is_empty() || pointer.starts_with('/')).then_some(pointer)
}

/// What a reference points at in the document, if anything.
pub(crate) fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(&local_pointer(reference)?)
}

/// Escapes one JSON pointer token (RFC 6901).
pub(crate) fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`token`].
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `#/components/<section>/<name>` → (section, name), decoded; None for a reference to
/// anything else (another document, or a place inside a component).
pub(crate) fn component(reference: &str) -> Option<(String, String)> {
    let pointer = local_pointer(reference)?;
    let (section, name) = pointer.strip_prefix("/components/")?.split_once('/')?;
    if name.contains('/') {
        return None;
    }
    Some((unescape(section), unescape(name)))
}

/// The name of the component of `section` a reference points at (`#/components/schemas/A`
/// → `A` for `schemas`).
pub(crate) fn component_name(reference: &str, section: &str) -> Option<String> {
    component(reference)
        .filter(|(s, _)| s == section)
        .map(|(_, name)| name)
}

/// A value as declared: while it is a `$ref` to one of `components` (the map of its
/// section, `components/parameters` say), the component it points at; at most
/// [`MAX_ALIASES`] steps. A reference that resolves to nothing leaves the value as it is.
pub(crate) fn resolved<'a>(
    value: &'a Value,
    section: &str,
    components: &'a Map<String, Value>,
) -> &'a Value {
    let mut at = value;
    for _ in 0..MAX_ALIASES {
        let Some(target) = reference_of(at)
            .and_then(|r| component_name(r, section))
            .and_then(|name| components.get(&name))
        else {
            break;
        };
        at = target;
    }
    at
}

/// The HTTP methods an OpenAPI path item may hold.
pub(crate) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The JSON pointer of an operation.
pub(crate) fn operation_pointer(path: &str, method: &str) -> String {
    format!("/paths/{}/{method}", token(path))
}

/// Every operation of the document, to read: (path, method, operation), in document order.
pub(crate) fn operations(doc: &Value) -> impl Iterator<Item = (&str, &str, &Map<String, Value>)> {
    doc.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(path, item)| Some((path, item.as_object()?)))
        .flat_map(|(path, item)| {
            item.iter()
                .filter(|(method, _)| METHODS.contains(&method.as_str()))
                .filter_map(move |(method, op)| {
                    Some((path.as_str(), method.as_str(), op.as_object()?))
                })
        })
}

/// Calls `f(path, method, operation, pointer)` for every operation of the document.
pub(crate) fn for_each_operation(
    doc: &mut Value,
    mut f: impl FnMut(&str, &str, &mut Map<String, Value>, &str),
) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            if let Some(op) = op.as_object_mut() {
                f(path, method, op, &operation_pointer(path, method));
            }
        }
    }
}

/// Calls `f(schema, pointer)` for every schema object in the document: component schemas,
/// parameter, request and response schemas, and everything nested inside them. Parents are
/// visited before their children.
pub(crate) fn for_each_schema(doc: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>, &str)) {
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            walk_schema(schema, &format!("/components/schemas/{}", token(name)), f);
        }
    }
    for section in ["parameters", "requestBodies", "responses"] {
        if let Some(items) = doc
            .pointer_mut(&format!("/components/{section}"))
            .and_then(Value::as_object_mut)
        {
            for (name, item) in items.iter_mut() {
                walk_container(item, &format!("/components/{section}/{}", token(name)), f);
            }
        }
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let base = format!("/paths/{}", token(path));
        for (key, value) in item.iter_mut() {
            if key == "parameters" || METHODS.contains(&key.as_str()) {
                walk_container(value, &format!("{base}/{}", token(key)), f);
            }
        }
    }
}

/// The JSON pointers of every place a schema starts: the component schemas, and each `schema`
/// of a parameter, media type or header, in paths and components — not the schemas nested
/// inside them. Read-only: a pointer is written only for a root, not for every node passed.
pub(crate) fn schema_roots(doc: &Value) -> Vec<String> {
    fn containers(value: &Value, path: &mut Vec<String>, out: &mut Vec<String>) {
        let pointer = |path: &[String], last: &str| {
            let mut p = String::new();
            for t in path.iter().map(String::as_str).chain([last]) {
                p.push('/');
                p.push_str(&token(t));
            }
            p
        };
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if key == "schema" {
                        out.push(pointer(path, key));
                    } else if !matches!(
                        key.as_str(),
                        "example" | "examples" | "description" | "summary"
                    ) && !key.starts_with("x-")
                    {
                        path.push(key.clone());
                        containers(child, path, out);
                        path.pop();
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    path.push(i.to_string());
                    containers(child, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, _)| format!("/components/schemas/{}", token(name)))
        .collect();
    for section in ["parameters", "requestBodies", "responses", "headers"] {
        if let Some(items) = doc.pointer(&format!("/components/{section}")) {
            let mut path = vec!["components".to_string(), section.to_string()];
            containers(items, &mut path, &mut out);
        }
    }
    if let Some(paths) = doc.get("paths") {
        containers(paths, &mut vec!["paths".to_string()], &mut out);
    }
    out
}

/// Walks the non-schema parts of an operation, parameter list, request body or response,
/// looking for `schema` keys.
fn walk_container(
    value: &mut Value,
    pointer: &str,
    f: &mut dyn FnMut(&mut Map<String, Value>, &str),
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let p = format!("{pointer}/{}", token(key));
                if key == "schema" {
                    walk_schema(child, &p, f);
                } else if !matches!(
                    key.as_str(),
                    "example" | "examples" | "description" | "summary"
                ) {
                    walk_container(child, &p, f);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk_container(child, &format!("{pointer}/{i}"), f);
            }
        }
        _ => {}
    }
}

/// Keys whose value is a schema.
const SCHEMA_KEYS: &[&str] = &["items", "additionalProperties", "not"];
/// Keys whose value is a list of schemas.
const SCHEMA_LIST_KEYS: &[&str] = &["allOf", "anyOf", "oneOf"];

pub(crate) fn walk_schema(
    value: &mut Value,
    pointer: &str,
    f: &mut dyn FnMut(&mut Map<String, Value>, &str),
) {
    let Some(map) = value.as_object_mut() else {
        return;
    };
    f(map, pointer);
    for (key, child) in map.iter_mut() {
        let p = format!("{pointer}/{}", token(key));
        if key == "properties" {
            if let Some(props) = child.as_object_mut() {
                for (name, prop) in props.iter_mut() {
                    walk_schema(prop, &format!("{p}/{}", token(name)), f);
                }
            }
        } else if SCHEMA_KEYS.contains(&key.as_str()) {
            walk_schema(child, &p, f);
        } else if SCHEMA_LIST_KEYS.contains(&key.as_str()) {
            if let Some(list) = child.as_array_mut() {
                for (i, item) in list.iter_mut().enumerate() {
                    walk_schema(item, &format!("{p}/{i}"), f);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_reference_is_percent_decoded_then_read_as_a_pointer() {
        assert_eq!(percent_decode("/paths/~1a~1%7Bid%7D"), "/paths/~1a~1{id}");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        let doc = json!({"paths": {"/a/{id}": {"get": {"x": 1}}}, "components": {"schemas": {"a/b c": {"type": "string"}}}});
        assert_eq!(
            resolve(&doc, "#/paths/~1a~1%7Bid%7D/get/x"),
            Some(&json!(1))
        );
        assert_eq!(
            component("#/components/schemas/a~1b%20c"),
            Some(("schemas".into(), "a/b c".into()))
        );
        assert_eq!(
            resolve(&doc, "#/components/schemas/a~1b%20c"),
            Some(&json!({"type": "string"}))
        );
    }

    #[test]
    fn only_references_into_this_document_resolve() {
        let doc = json!({"A": 1});
        assert_eq!(resolve(&doc, "other.json#/A"), None);
        assert_eq!(resolve(&doc, "#A"), None);
        assert_eq!(resolve(&doc, "#"), Some(&doc));
        assert_eq!(component("other.json#/components/schemas/A"), None);
        assert_eq!(component("#/components/schemas/A/properties/x"), None);
        assert_eq!(component_name("#/components/schemas/A", "parameters"), None);
        assert_eq!(
            component_name("#/components/parameters/P", "parameters"),
            Some("P".into())
        );
    }

    #[test]
    fn alias_chains_are_followed_a_bounded_number_of_times() {
        let params = json!({
            "P": {"$ref": "#/components/parameters/Q"},
            "Q": {"name": "q", "in": "query"},
            "Loop": {"$ref": "#/components/parameters/Loop"},
        });
        let params = params.as_object().unwrap();
        let use_p = json!({"$ref": "#/components/parameters/P"});
        assert_eq!(resolved(&use_p, "parameters", params)["name"], "q");
        let use_loop = json!({"$ref": "#/components/parameters/Loop"});
        assert_eq!(
            resolved(&use_loop, "parameters", params),
            &json!({"$ref": "#/components/parameters/Loop"}),
            "a cycle stops"
        );
        let missing = json!({"$ref": "#/components/parameters/Nope"});
        assert_eq!(resolved(&missing, "parameters", params), &missing);
    }

    #[test]
    fn schema_roots_are_where_schemas_start() {
        let doc = json!({
            "paths": {"/a": {"get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"content": {"application/json": {"schema": {
                    "type": "object", "properties": {"schema": {"type": "string"}}}}}}},
            }}},
            "components": {
                "schemas": {"A": {"type": "object", "properties": {"b": {"type": "string"}}}},
                "parameters": {"P": {"name": "p", "in": "query", "schema": {"type": "string"}}},
            },
        });
        assert_eq!(
            schema_roots(&doc),
            [
                "/components/schemas/A",
                "/components/parameters/P/schema",
                "/paths/~1a/get/parameters/0/schema",
                "/paths/~1a/get/responses/200/content/application~1json/schema",
            ]
        );
    }
}
