//! Test support: the spec's samples, a mock Fotbo on 127.0.0.1, a client pointed at it.
#![allow(dead_code)]

use std::sync::OnceLock;

use fotbo_api::Client;
use serde_json::{json, Map, Value};
use wiremock::MockServer;

pub const TOKEN: &str = "test-token-5f3c";

/// The spec as the client was generated from (normalized), read once.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let bytes = include_bytes!("../../../spec/fotbo-1.0.5.json");
        generator::normalize_spec(bytes)
            .unwrap_or_else(|e| panic!("{e}"))
            .0
    })
}

/// The operation object with this operationId.
pub fn operation(id: &str) -> &'static Value {
    spec()["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .find(|op| op.get("operationId").and_then(Value::as_str) == Some(id))
        .unwrap_or_else(|| panic!("no operation {id} in the spec"))
}

fn resolve(schema: &Value) -> &Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(
            spec()
                .pointer(r.trim_start_matches('#'))
                .unwrap_or(&Value::Null),
        ),
        None => match schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([one]) => resolve(one),
            _ => schema,
        },
    }
}

/// A value of the schema's shape, for operations whose spec shows no sample.
pub fn sample_of(schema: &Value, depth: usize) -> Value {
    let schema = resolve(schema);
    if depth > 8 {
        return Value::Null;
    }
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values.first().cloned().unwrap_or(Value::Null);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => match schema.get("format").and_then(Value::as_str) {
            Some("uuid") => json!("0b6fbc5e-36bd-4a0e-9b1c-2f8d1b8f4c11"),
            Some("date-time") => json!("2024-01-01T00:00:00Z"),
            _ => json!("string"),
        },
        Some("integer") => json!(1),
        Some("number") => json!(1.5),
        Some("boolean") => json!(true),
        Some("array") => json!([sample_of(
            schema.get("items").unwrap_or(&json!({})),
            depth + 1
        )]),
        Some("object") | None
            if schema.get("properties").is_some()
                || schema.get("additionalProperties").is_some() =>
        {
            let mut out = Map::new();
            for (k, v) in schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                out.insert(k.clone(), sample_of(v, depth + 1));
            }
            if let Some(extra) = schema.get("additionalProperties").filter(|v| v.is_object()) {
                out.insert("key".into(), sample_of(extra, depth + 1));
            }
            Value::Object(out)
        }
        Some("object") => json!({}),
        _ => json!("any"),
    }
}

/// The published samples use placeholders such as `"{client_id}"` for integer fields; a typed
/// client cannot send those, so they become values of the declared type.
pub fn coerce(sample: &Value, schema: &Value) -> Value {
    let schema = resolve(schema);
    match (sample, schema.get("type").and_then(Value::as_str)) {
        (Value::String(_), Some("integer")) => json!(1),
        (Value::String(_), Some("number")) => json!(1.5),
        (Value::String(_), Some("boolean")) => json!(true),
        (Value::Object(map), _) => {
            let props = schema.get("properties").and_then(Value::as_object);
            Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            props
                                .and_then(|p| p.get(k))
                                .map_or(v.clone(), |s| coerce(v, s)),
                        )
                    })
                    .collect(),
            )
        }
        (Value::Array(items), _) => {
            let item = schema.get("items").cloned().unwrap_or(json!({}));
            Value::Array(items.iter().map(|v| coerce(v, &item)).collect())
        }
        _ => sample.clone(),
    }
}

/// The request body an operation's test sends: the published sample, coerced.
pub fn request_sample(id: &str) -> Value {
    let media = operation(id)
        .pointer("/requestBody/content/application~1json")
        .unwrap_or_else(|| panic!("{id} has no JSON request body"));
    let schema = media.get("schema").cloned().unwrap_or(json!({}));
    let sample = media
        .get("example")
        .cloned()
        .unwrap_or_else(|| sample_of(&schema, 0));
    coerce(&sample, &schema)
}

/// A typed request body built from the operation's sample.
pub fn body<T: serde::de::DeserializeOwned>(id: &str) -> T {
    let sample = request_sample(id);
    serde_json::from_value(sample.clone())
        .unwrap_or_else(|e| panic!("sample body of {id} does not fit its type: {e}\n{sample}"))
}

/// The success status and sample body (None when bodiless) an operation answers with.
pub fn response_sample(id: &str) -> (u16, Option<Value>) {
    let responses = operation(id)["responses"]
        .as_object()
        .unwrap_or_else(|| panic!("{id}: no responses"));
    let (code, response) = responses
        .iter()
        .find(|(c, _)| c.starts_with('2'))
        .unwrap_or_else(|| panic!("{id}: no success"));
    let status = code.parse().unwrap_or(200);
    let body = response.pointer("/content/application~1json").map(|media| {
        media
            .get("example")
            .cloned()
            .unwrap_or_else(|| sample_of(media.get("schema").unwrap_or(&json!({})), 0))
    });
    (status, body)
}

/// A client with fast retries, pointed at a mock server.
pub fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry_policy(fotbo_api::RetryPolicy {
            initial_backoff: std::time::Duration::from_millis(10),
            max_backoff: std::time::Duration::from_millis(50),
            ..fotbo_api::RetryPolicy::default()
        })
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// `{name}` placeholders replaced by `p-name`, as the table-driven tests fill them.
pub fn concrete_path(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
        out.push_str(&format!("p-{}", &rest[start + 1..end]));
        rest = &rest[(end + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}
