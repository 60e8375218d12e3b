//! The readable API surface: what a reviewer reads when the spec changes. One block per
//! operation (method, path, tag, parameters, body, result), then every generated type with its
//! fields. Written from the normalized spec and the generated code, so it shows exactly what
//! users get.

use std::collections::BTreeMap;
use std::fmt;

use quote::ToTokens;
use serde_json::Value;

use crate::document::METHODS;
use crate::record::{Loss, Unit};
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
    record_results(&file.items, false, &mut out);
    if let Some(items) = module_items(&file.items, "builder") {
        record_results(items, true, &mut out);
    }
    out
}

/// Adds the result types these items declare: the `send` of builder impls (`builder`), or
/// the methods of `impl Client`.
pub(crate) fn record_results(
    items: &[syn::Item],
    builder: bool,
    out: &mut BTreeMap<String, String>,
) {
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
}

fn schema_summary(schema: &Value) -> String {
    if let Some(r) = crate::document::reference_of(schema) {
        return match crate::document::component(r) {
            Some((_, name)) => name,
            None => r.rsplit('/').next().unwrap_or(r).to_string(),
        };
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

/// The generated API as data: what a user of the client sees, read from the normalized spec
/// and the generated code. The API-surface snapshot is its rendering ([`fmt::Display`]); the
/// drift report and the changelog compare two of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ApiSurface {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// Every operation, in spec order.
    pub operations: Vec<OperationSurface>,
    /// Every generated type, in code order.
    pub types: Vec<TypeSurface>,
    /// The operations of the spec left out of the client, and why (see [`crate::Loss`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<LeftOut>,
}

/// An operation of the spec that the client does not have.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeftOut {
    /// Its operationId.
    pub id: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template.
    pub path: String,
    /// Why it was left out: what could not make it, and its message.
    pub reason: String,
}

/// One operation as users call it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OperationSurface {
    /// The method name (the operationId).
    pub id: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template.
    pub path: String,
    /// The first tag, or `-`.
    pub tag: String,
    /// Parameters, in spec order.
    pub params: Vec<ParamSurface>,
    /// Request bodies: (type shown, media type).
    pub bodies: Vec<(String, String)>,
    /// The result type of `send()`.
    pub result: String,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ParamSurface {
    /// `path`, `query`, `header` …
    pub place: String,
    /// Its name.
    pub name: String,
    /// Whether it must be given.
    pub required: bool,
    /// Its type, as the spec names it.
    pub ty: String,
}

/// One generated type.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TypeSurface {
    /// A struct and its fields: (name, Rust type).
    Struct {
        /// The type's name.
        name: String,
        /// Its fields.
        fields: Vec<(String, String)>,
    },
    /// An enum and its variants.
    Enum {
        /// The type's name.
        name: String,
        /// Its variants.
        variants: Vec<String>,
    },
}

impl TypeSurface {
    /// The type's name.
    pub fn name(&self) -> &str {
        match self {
            TypeSurface::Struct { name, .. } | TypeSurface::Enum { name, .. } => name,
        }
    }
}

impl ParamSurface {
    /// `query page?: string`
    pub fn signature(&self) -> String {
        let req = if self.required { "" } else { "?" };
        format!("{} {}{req}: {}", self.place, self.name, self.ty)
    }
}

impl fmt::Display for ApiSurface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "# {} ({})\n\n## Operations\n", self.title, self.version)?;
        for op in &self.operations {
            writeln!(f, "{}: {} {}  [{}]", op.id, op.method, op.path, op.tag)?;
            if !op.params.is_empty() {
                let params: Vec<String> = op.params.iter().map(ParamSurface::signature).collect();
                writeln!(f, "    params: {}", params.join(", "))?;
            }
            for (shown, media) in &op.bodies {
                writeln!(f, "    body: {shown} ({media})")?;
            }
            writeln!(f, "    -> {}", op.result)?;
        }
        if !self.left_out.is_empty() {
            writeln!(f, "\n## Left out\n")?;
            for op in &self.left_out {
                writeln!(f, "{}: {} {}", op.id, op.method, op.path)?;
                writeln!(f, "    left out: {}", op.reason)?;
            }
        }
        writeln!(f, "\n## Types\n")?;
        for ty in &self.types {
            match ty {
                TypeSurface::Struct { name, fields } => {
                    writeln!(f, "struct {name}")?;
                    for (field, ty) in fields {
                        writeln!(f, "    {field}: {ty}")?;
                    }
                }
                TypeSurface::Enum { name, variants } => {
                    writeln!(f, "enum {name} {{ {} }}", variants.join(", "))?;
                }
            }
        }
        Ok(())
    }
}

pub(crate) fn describe(
    doc: &Value,
    file: &syn::File,
    streamed: &BTreeMap<String, String>,
    losses: &[Loss],
) -> ApiSurface {
    let mut results = result_types(file);
    results.extend(streamed.iter().map(|(k, v)| (k.clone(), v.clone())));
    let text = |p: &str, default: &str| {
        doc.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_string()
    };
    let mut api = ApiSurface {
        title: text("/info/title", "API"),
        version: text("/info/version", "?"),
        left_out: losses
            .iter()
            .filter_map(|loss| match &loss.unit {
                Unit::Operation {
                    id, method, path, ..
                } => Some(LeftOut {
                    id: id.clone(),
                    method: method.clone(),
                    path: path.clone(),
                    reason: format!("{}: {}", loss.by, loss.message),
                }),
                Unit::Schema { .. } => None,
            })
            .collect(),
        ..ApiSurface::default()
    };
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item.iter().filter(|(m, _)| METHODS.contains(&m.as_str())) {
                let id = op.get("operationId").and_then(Value::as_str).unwrap_or("?");
                let params = op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| ParamSurface {
                        place: p.get("in").and_then(Value::as_str).unwrap_or("?").into(),
                        name: p.get("name").and_then(Value::as_str).unwrap_or("?").into(),
                        required: p.get("required") == Some(&Value::Bool(true)),
                        ty: p.get("schema").map(schema_summary).unwrap_or_default(),
                    })
                    .collect();
                let bodies = op
                    .pointer("/requestBody/content")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(media, m)| {
                        let schema = m.get("schema").map(schema_summary).unwrap_or_default();
                        let shown = if schema == "object" {
                            format!("{}Body", pascal(id))
                        } else {
                            schema
                        };
                        (shown, media.clone())
                    })
                    .collect();
                let result = results
                    .get(&pascal(id))
                    .or_else(|| results.get(id))
                    .cloned()
                    .unwrap_or_else(|| "?".into());
                api.operations.push(OperationSurface {
                    id: id.to_string(),
                    method: method.to_uppercase(),
                    path: path.clone(),
                    tag: op
                        .pointer("/tags/0")
                        .and_then(Value::as_str)
                        .unwrap_or("-")
                        .to_string(),
                    params,
                    bodies,
                    result,
                });
            }
        }
    }
    for item in module_items(&file.items, "types").into_iter().flatten() {
        match item {
            syn::Item::Struct(s) => api.types.push(TypeSurface::Struct {
                name: s.ident.to_string(),
                fields: s
                    .fields
                    .iter()
                    .filter_map(|f| f.ident.as_ref().map(|n| (n.to_string(), type_name(&f.ty))))
                    .collect(),
            }),
            syn::Item::Enum(e) => api.types.push(TypeSurface::Enum {
                name: e.ident.to_string(),
                variants: e.variants.iter().map(|v| v.ident.to_string()).collect(),
            }),
            _ => {}
        }
    }
    api
}
