//! The readable API surface: what a reviewer reads when the spec changes. One block per
//! operation (method, path, tag, parameters, body, result), then every generated type with its
//! fields. Written from the normalized spec and the generated code, so it shows exactly what
//! users get.

use std::collections::BTreeMap;
use std::fmt::Write;

use quote::ToTokens;
use serde_json::Value;

use crate::normalize::METHODS;
use crate::syntax::module_items;

/// A type as a reader would write it: no token spacing, std and serde_json paths shortened.
fn type_name(ty: &syn::Type) -> String {
    let compact: String = ty
        .to_token_stream()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    [
        ("::std::option::Option", "Option"),
        ("::std::string::String", "String"),
        ("::std::vec::Vec", "Vec"),
        ("::std::collections::HashMap", "HashMap"),
        ("::serde_json::Map", "Map"),
        ("::serde_json::Value", "Value"),
        ("::chrono::DateTime<::chrono::offset::Utc>", "DateTime<Utc>"),
        ("::uuid::Uuid", "Uuid"),
    ]
    .iter()
    .fold(compact, |acc, (long, short)| acc.replace(long, short))
}

/// Result types of the generated methods, by method name: from the builder structs' `send`
/// (builder interface) or the client's methods (positional).
fn result_types(file: &syn::File) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut visit = |items: &[syn::Item], builder: bool| {
        for item in items {
            let syn::Item::Impl(imp) = item else { continue };
            let self_name = type_name(&imp.self_ty);
            for it in &imp.items {
                let syn::ImplItem::Fn(f) = it else { continue };
                let is_send = builder && f.sig.ident == "send";
                let is_method = !builder && self_name == "Client";
                if !(is_send || is_method) {
                    continue;
                }
                let syn::ReturnType::Type(_, ret) = &f.sig.output else {
                    continue;
                };
                let ret = type_name(ret);
                // Result<ResponseValue<T>, Error<E>> or, through the runtime,
                // Result<path::Response<T>, path::Error> → T
                let t = ret
                    .strip_prefix("Result<ResponseValue<")
                    .and_then(|r| r.rsplit_once(">,Error<"))
                    .or_else(|| {
                        let r = ret.strip_prefix("Result<")?;
                        let (_, r) = r.split_once("Response<")?;
                        r.rsplit_once(">,")
                    })
                    .map(|(t, _)| t.replace("types::", ""))
                    .unwrap_or(ret.clone());
                let key = if is_send {
                    self_name.split('<').next().unwrap_or_default().to_string()
                } else {
                    f.sig.ident.to_string()
                };
                out.insert(key, t);
            }
        }
    };
    visit(&file.items, false);
    if let Some(items) = module_items(&file.items, "builder") {
        visit(items, true);
    }
    out
}

fn schema_summary(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    let ty = schema.get("type").and_then(Value::as_str).unwrap_or("any");
    if ty == "array" {
        return format!(
            "[{}]",
            schema.get("items").map(schema_summary).unwrap_or_default()
        );
    }
    ty.to_string()
}

fn pascal(id: &str) -> String {
    use heck::ToUpperCamelCase;
    id.to_upper_camel_case()
}

pub(crate) fn describe(doc: &Value, file: &syn::File) -> String {
    let results = result_types(file);
    let mut out = String::new();
    let title = doc
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("API");
    let version = doc
        .pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or("?");
    let _ = writeln!(out, "# {title} ({version})\n\n## Operations\n");
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item.iter().filter(|(m, _)| METHODS.contains(&m.as_str())) {
                let id = op.get("operationId").and_then(Value::as_str).unwrap_or("?");
                let tag = op.pointer("/tags/0").and_then(Value::as_str).unwrap_or("-");
                let _ = writeln!(out, "{id}: {} {path}  [{tag}]", method.to_uppercase());
                let mut params = Vec::new();
                for p in op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let name = p.get("name").and_then(Value::as_str).unwrap_or("?");
                    let place = p.get("in").and_then(Value::as_str).unwrap_or("?");
                    let req = if p.get("required") == Some(&Value::Bool(true)) {
                        ""
                    } else {
                        "?"
                    };
                    let ty = p.get("schema").map(schema_summary).unwrap_or_default();
                    params.push(format!("{place} {name}{req}: {ty}"));
                }
                if !params.is_empty() {
                    let _ = writeln!(out, "    params: {}", params.join(", "));
                }
                if let Some(content) = op
                    .pointer("/requestBody/content")
                    .and_then(Value::as_object)
                {
                    for (media, m) in content {
                        let schema = m.get("schema").map(schema_summary).unwrap_or_default();
                        let shown = if schema == "object" {
                            format!("{}Body", pascal(id))
                        } else {
                            schema
                        };
                        let _ = writeln!(out, "    body: {shown} ({media})");
                    }
                }
                let result = results
                    .get(&pascal(id))
                    .or_else(|| results.get(id))
                    .cloned()
                    .unwrap_or_else(|| "?".into());
                let _ = writeln!(out, "    -> {result}");
            }
        }
    }
    let _ = writeln!(out, "\n## Types\n");
    for item in module_items(&file.items, "types").into_iter().flatten() {
        match item {
            syn::Item::Struct(s) => {
                let _ = writeln!(out, "struct {}", s.ident);
                for f in &s.fields {
                    if let Some(name) = &f.ident {
                        let _ = writeln!(out, "    {name}: {}", type_name(&f.ty));
                    }
                }
            }
            syn::Item::Enum(e) => {
                let variants: Vec<String> =
                    e.variants.iter().map(|v| v.ident.to_string()).collect();
                let _ = writeln!(out, "enum {} {{ {} }}", e.ident, variants.join(", "));
            }
            _ => {}
        }
    }
    out
}
