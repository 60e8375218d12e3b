//! Synthetic specs of any size, for measuring how the generator scales: `n` operations in the
//! shape of the Fotbo file (list envelopes, path parameters, query filters, nested objects and
//! `$ref`s between components), one component schema per four operations.

use serde_json::{json, Map, Value};

/// A spec with `operations` operations.
pub fn spec(operations: usize) -> Value {
    let schemas_n = (operations / 4).max(1);
    let mut schemas = Map::new();
    for k in 0..schemas_n {
        let next = (k + 1) % schemas_n;
        schemas.insert(
            format!("Item{k}"),
            json!({
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "size": {"type": "integer"},
                    "created": {"type": "string", "format": "date-time"},
                    "status": {"type": "string", "enum": ["active", "stopped", "error"]},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "owner": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
                    "related": {"$ref": format!("#/components/schemas/Item{next}")},
                },
            }),
        );
    }
    let mut paths = Map::new();
    for i in 0..operations {
        let item = format!("#/components/schemas/Item{}", i % schemas_n);
        let group = i / 2;
        if i % 2 == 0 {
            let path = format!("/backend/api/res{group}/items");
            paths.insert(
                path,
                json!({"get": {
                    "tags": [format!("Group {}", group % 20)],
                    "parameters": [
                        {"name": "page", "in": "query", "schema": {"type": "string"}},
                        {"name": "page_size", "in": "query", "schema": {"type": "string"}},
                        {"name": "search", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {
                            "count": {"type": "integer"},
                            "next": {"type": "string", "nullable": true},
                            "objects": {"type": "array", "items": {"$ref": item}},
                        },
                    }}}}},
                }}),
            );
        } else {
            let path = format!("/backend/api/res{group}/items/{{item_id}}");
            paths.insert(
                path,
                json!({"get": {
                    "tags": [format!("Group {}", group % 20)],
                    "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": item}}}}},
                }}),
            );
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Synthetic", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

/// The process's peak resident memory so far, in MiB (Linux; None elsewhere).
pub fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
