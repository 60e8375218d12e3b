//! Media types progenitor cannot use.
//!
//! progenitor sends a body as exactly one of JSON, `application/x-www-form-urlencoded`,
//! `text/plain` or raw bytes (`application/octet-stream`), and panics on `encoding` maps or a
//! media type without a schema. This rule:
//! - keeps only the JSON entry where a body offers JSON next to other media types;
//! - turns a `multipart/form-data` body without file fields into a form-urlencoded one (the
//!   server's form parser accepts both), and drops one with file fields, reporting that the
//!   operation needs a hand-written upload;
//! - reads `*/*` and other binary media types as raw bytes, drops the rest;
//! - gives a JSON media type without a schema the schema "any value", and removes `encoding`.
//!
//! Responses offering JSON and other types keep JSON only.

use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::{component_name, for_each_operation, token};

pub(crate) const RULE: Rule = Rule {
    name: "usable-media-types",
    repairs: "request bodies and responses in media types progenitor cannot send or read",
    apply,
    when: super::always,
};

pub(crate) fn is_json(media: &str) -> bool {
    let base = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    base == "application/json" || (base.starts_with("application/") && base.ends_with("+json"))
}

fn has_file_fields(schema: &Value) -> bool {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| {
            p.values()
                .any(|v| v.get("format").and_then(Value::as_str) == Some("binary"))
        })
}

fn clean_media(media: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    if media.remove("encoding").is_some() {
        log.fired(pointer, "encoding map removed");
    }
}

fn fix_request_body(body: &mut Map<String, Value>, pointer: &str, log: &mut Log) -> bool {
    let Some(content) = body.get_mut("content").and_then(Value::as_object_mut) else {
        return true;
    };
    let json_key = content.keys().find(|k| is_json(k)).cloned();
    if let Some(key) = json_key {
        if content.len() > 1 {
            content.retain(|k, _| *k == key);
            log.fired(&format!("{pointer}/content"), format!("kept {key} only"));
        }
        // progenitor matches "application/json" exactly.
        if key != "application/json" {
            if let Some(v) = content.remove(&key) {
                content.insert("application/json".into(), v);
                log.fired(
                    &format!("{pointer}/content"),
                    format!("{key} sent as application/json"),
                );
            }
        }
    } else if let Some((key, media)) = content.iter().next().map(|(k, v)| (k.clone(), v.clone())) {
        let base = key
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let schema = media.get("schema").cloned().unwrap_or(json!({}));
        let media_ptr = format!("{pointer}/content/{}", token(&key));
        content.clear();
        match base.as_str() {
            "application/x-www-form-urlencoded" | "application/octet-stream" | "text/plain" => {
                content.insert(base.clone(), media);
            }
            "multipart/form-data" if !has_file_fields(&schema) => {
                content.insert(
                    "application/x-www-form-urlencoded".into(),
                    json!({"schema": schema}),
                );
                log.fired(
                    &media_ptr,
                    "multipart form without files sent as application/x-www-form-urlencoded",
                );
            }
            "multipart/form-data" => {
                log.fired(
                    &media_ptr,
                    "multipart upload with file fields dropped: needs a hand-written upload",
                );
                return false;
            }
            _ if base == "*/*"
                || base.starts_with("application/")
                || base.starts_with("image/") =>
            {
                content.insert(
                    "application/octet-stream".into(),
                    json!({"schema": {"type": "string", "format": "binary"}}),
                );
                log.fired(&media_ptr, format!("{key} sent as raw bytes"));
            }
            _ => {
                log.fired(
                    &media_ptr,
                    format!("unsupported request media type {key}: body dropped"),
                );
                return false;
            }
        }
    }
    for (key, media) in content.iter_mut() {
        let media_ptr = format!("{pointer}/content/{}", token(key));
        let Some(media) = media.as_object_mut() else {
            continue;
        };
        clean_media(media, &media_ptr, log);
        let binary = json!({"type": "string", "format": "binary"});
        match key.as_str() {
            "application/octet-stream" if media.get("schema") != Some(&binary) => {
                media.insert("schema".into(), binary);
                log.fired(&media_ptr, "raw body schema set to binary string");
            }
            "text/plain" if media.get("schema") != Some(&json!({"type": "string"})) => {
                media.insert("schema".into(), json!({"type": "string"}));
                log.fired(&media_ptr, "text body schema set to string");
            }
            _ if !media.contains_key("schema") => {
                media.insert("schema".into(), json!({}));
                log.fired(&media_ptr, "media type without schema: any value");
            }
            _ => {}
        }
    }
    !content.is_empty()
}

fn apply(doc: &mut Value, log: &mut Log) {
    let bodies = doc
        .pointer("/components/requestBodies")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for_each_operation(doc, |_, _, op, pointer| {
        let body_ptr = format!("{pointer}/requestBody");
        // A body given by reference is repaired as a copy of its own.
        let reference = op
            .get("requestBody")
            .and_then(|b| b.get("$ref"))
            .and_then(Value::as_str);
        if let Some(r) = reference.map(str::to_string) {
            match component_name(&r, "requestBodies").and_then(|n| bodies.get(&n)) {
                Some(target) => {
                    op.insert("requestBody".into(), target.clone());
                    log.fired(&body_ptr, format!("{r} resolved in place"));
                }
                None => {
                    op.remove("requestBody");
                    log.fired(&body_ptr, format!("{r} does not resolve: body dropped"));
                }
            }
        }
        let keep = match op.get_mut("requestBody").and_then(Value::as_object_mut) {
            Some(body) => fix_request_body(body, &body_ptr, log),
            None => true,
        };
        if !keep {
            op.remove("requestBody");
        }
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        for (status, response) in responses.iter_mut() {
            let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else {
                continue;
            };
            let r_ptr = format!("{pointer}/responses/{}/content", token(status));
            if let Some(key) = content.keys().find(|k| is_json(k)).cloned() {
                if content.len() > 1 || key != "application/json" {
                    let media = content.remove(&key).unwrap_or_default();
                    content.clear();
                    content.insert("application/json".into(), media);
                    log.fired(&r_ptr, format!("kept {key} only, read as application/json"));
                }
            }
            for (key, media) in content.iter_mut() {
                if let Some(media) = media.as_object_mut() {
                    clean_media(media, &format!("{r_ptr}/{}", token(key)), log);
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run;

    fn body(content: Value) -> Value {
        let (out, _) = run(
            &RULE,
            json!({"paths": {"/a": {"post": {"requestBody": {"content": content}}}}}),
        );
        out["paths"]["/a"]["post"]
            .get("requestBody")
            .cloned()
            .unwrap_or(Value::Null)
    }

    #[test]
    fn json_wins_over_other_media_types() {
        let b = body(
            json!({"application/xml": {}, "application/json": {"schema": {"type": "object"}}}),
        );
        assert_eq!(
            b["content"],
            json!({"application/json": {"schema": {"type": "object"}}})
        );
    }

    #[test]
    fn multipart_becomes_a_form_or_is_dropped() {
        let form = body(
            json!({"multipart/form-data": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}),
        );
        assert!(form["content"]
            .get("application/x-www-form-urlencoded")
            .is_some());
        let upload = body(
            json!({"multipart/form-data": {"schema": {"type": "object", "properties": {
            "data": {"type": "string", "format": "binary"}}}}}),
        );
        assert_eq!(upload, Value::Null);
    }

    #[test]
    fn bodies_by_reference_are_repaired_too() {
        let (out, fired) = run(
            &RULE,
            json!({
                "paths": {"/a": {"post": {"requestBody": {"$ref": "#/components/requestBodies/B"}}}},
                "components": {"requestBodies": {"B": {"content": {
                    "application/xml": {}, "application/json": {"schema": {"type": "object"}}}}}},
            }),
        );
        assert_eq!(
            out["paths"]["/a"]["post"]["requestBody"]["content"],
            json!({"application/json": {"schema": {"type": "object"}}})
        );
        assert_eq!(fired.len(), 2);
    }

    #[test]
    fn json_without_schema_and_encodings_are_repaired() {
        let b = body(json!({"application/json": {"encoding": {"x": {}}}}));
        assert_eq!(b["content"], json!({"application/json": {"schema": {}}}));
        let raw = body(json!({"*/*": {"schema": {"type": "string"}}}));
        assert_eq!(
            raw["content"]["application/octet-stream"]["schema"]["format"],
            "binary"
        );
    }
}
