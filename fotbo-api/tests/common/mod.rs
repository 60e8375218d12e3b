//! Test support: the spec's samples, a mock Fotbo on 127.0.0.1, a client pointed at it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking
#![allow(dead_code)]

use std::sync::OnceLock;

use fotbo_api::Client;
use serde_json::{json, Map, Value};
use wiremock::MockServer;

pub const TOKEN: &str = "test-token-5f3c";

/// The spec as the client was generated from (the active spec with the wire corrections,
/// normalized), read once.
pub fn spec() -> &'static Value {
    &normalized().0
}

fn normalized() -> &'static (Value, generator::Report) {
    static SPEC: OnceLock<(Value, generator::Report)> = OnceLock::new();
    SPEC.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let inputs = generator::SpecInputs::active(&dir).unwrap_or_else(|e| panic!("{e}"));
        generator::normalize_spec(
            &inputs.spec,
            inputs.overlay.as_ref(),
            &generator::Settings::fotbo(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
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
        None if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() => {
            // A sample of a union is a sample of its first branch that is not null.
            let branches = schema
                .get("oneOf")
                .or_else(|| schema.get("anyOf"))
                .and_then(Value::as_array);
            match branches.into_iter().flatten().find(|b| {
                b.get("type") != Some(&json!("null")) && b.get("enum") != Some(&json!([null]))
            }) {
                Some(first) => resolve(first),
                None => schema,
            }
        }
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

/// Where in the spec the schema lies that a JSON pointer into an operation's success body
/// lands on (following `$ref`s, `allOf`s, list items and properties), if the spec says.
pub fn response_schema_pointer(id: &str, pointer: &str) -> Option<String> {
    let responses = operation(id)["responses"].as_object()?;
    let (code, _) = responses.iter().find(|(c, _)| c.starts_with('2'))?;
    let (path, method) = operation_location(id)?;
    let mut at = format!(
        "/paths/{}/{method}/responses/{code}/content/application~1json/schema",
        path.replace('~', "~0").replace('/', "~1")
    );
    for token in pointer.split('/').skip(1) {
        at = follow_ref(&at)?;
        let schema = spec().pointer(&at)?;
        let escaped = token.to_string();
        at = if token.parse::<usize>().is_ok() && schema.get("items").is_some() {
            format!("{at}/items")
        } else if schema.pointer(&format!("/properties/{escaped}")).is_some() {
            format!("{at}/properties/{escaped}")
        } else {
            // An allOf branch that has the property.
            let branches = schema.get("allOf").and_then(Value::as_array)?;
            let i = (0..branches.len()).find(|i| {
                follow_ref(&format!("{at}/allOf/{i}"))
                    .and_then(|b| spec().pointer(&b))
                    .is_some_and(|b| b.pointer(&format!("/properties/{escaped}")).is_some())
            })?;
            let branch = follow_ref(&format!("{at}/allOf/{i}"))?;
            format!("{branch}/properties/{escaped}")
        };
    }
    follow_ref(&at)
}

/// The pointer a `$ref` at this pointer leads to (itself when there is none).
fn follow_ref(at: &str) -> Option<String> {
    let mut at = at.to_string();
    for _ in 0..16 {
        match spec().pointer(&at)?.get("$ref").and_then(Value::as_str) {
            Some(r) => at = r.trim_start_matches('#').to_string(),
            None => return Some(at),
        }
    }
    None
}

/// (path, method) of the operation with this operationId.
fn operation_location(id: &str) -> Option<(String, String)> {
    spec()["paths"]
        .as_object()?
        .iter()
        .find_map(|(path, item)| {
            item.as_object()?.iter().find_map(|(method, op)| {
                (op.get("operationId").and_then(Value::as_str) == Some(id))
                    .then(|| (path.clone(), method.clone()))
            })
        })
}

/// Whether the schema of the value at this pointer of an operation's success body was set by
/// a wire correction (an overlay action changed it or a schema around it): there the
/// published sample is known to be wrong.
pub fn wire_corrected(id: &str, pointer: &str) -> bool {
    let Some(at) = response_schema_pointer(id, pointer) else {
        return false;
    };
    normalized()
        .1
        .overlay
        .iter()
        .flat_map(|a| &a.pointers)
        .any(|changed| at == *changed || at.starts_with(&format!("{changed}/")))
}

/// Everything a `tracing_subscriber::fmt` subscriber writes, kept for the test to read.
#[derive(Clone, Default)]
pub struct Captured(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// What was written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}
