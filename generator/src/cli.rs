//! The `fotbo` command line as data: one command per generated operation, grouped by the
//! operation's first tag, with its arguments (path parameters, query parameters, the fields of
//! a JSON body), whether it is a list to walk page by page, and how to wait for what it
//! changes. fotbo-api's `cli` feature turns the table into clap commands at run time and sends
//! each through the client's runtime.
//!
//! Read from the normalized document and the API surface (so only operations the client has
//! become commands, under the names the client uses); written as Rust statics of the types in
//! fotbo-api's `bin/fotbo/table.rs` (`Group`, `Command`, `Arg`, …), which the generated code
//! names unqualified.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

use crate::document::{self, resolve};
use crate::error::{Error, Stage};
use crate::surface::{ApiSurface, OperationSurface};

/// Flags every command has, or every list or waiting command: a field of the same name gets
/// its place as a prefix (`--field-output`).
const RESERVED_FLAGS: &[&str] = &[
    "body",
    "output",
    "wait",
    "timeout",
    "limit",
    "columns",
    "page-size",
    "profile",
    "api-url",
    "help",
    "version",
];

/// Fields shown in a list's table when the item has them, in this order.
const PREFERRED_COLUMNS: &[&str] = &[
    "id",
    "name",
    "display_name",
    "status",
    "state",
    "region",
    "type",
    "created_at",
];

/// At most this many default columns.
const MAX_COLUMNS: usize = 6;

/// Help text is cut to this many characters (the description's first paragraph).
const MAX_HELP: usize = 240;

/// One command, as read from the document.
#[derive(Debug, Clone)]
struct Command {
    name: String,
    aliases: Vec<String>,
    operation: String,
    method: String,
    path: String,
    about: String,
    long_about: String,
    args: Vec<Arg>,
    body: Body,
    list: Option<List>,
    wait: Option<Wait>,
}

#[derive(Debug, Clone)]
struct Arg {
    name: String,
    flag: String,
    place: &'static str,
    kind: Kind,
    required: bool,
    help: String,
    values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    List(Box<Kind>),
    Json,
}

#[derive(Debug, Clone, PartialEq)]
enum Body {
    None,
    Json { required: bool },
    Unsupported(String),
}

#[derive(Debug, Clone)]
struct List {
    items: String,
    columns: Vec<String>,
}

#[derive(Debug, Clone)]
struct Wait {
    retrieve: String,
    /// The path parameter of the command that names the resource, or None when the id is the
    /// `id` of the answer (a create).
    id_param: Option<String>,
    gone: bool,
}

/// The command table for the operations of `api`, as formatted Rust.
pub(crate) fn generate(doc: &Value, api: &ApiSurface, header: &str) -> Result<String, Error> {
    let groups = groups(doc, api);
    let check = check_path(doc, api);
    let group_tokens = groups.iter().map(|(name, (about, commands))| {
        let commands = commands.iter().map(command_tokens);
        quote! {
            Group { name: #name, about: #about, commands: &[#(#commands),*] }
        }
    });
    let check = match check {
        Some(path) => quote!(Some(#path)),
        None => quote!(None),
    };
    let tokens = quote! {
        /// The command groups, one per tag of the spec.
        pub static GROUPS: &[Group] = &[#(#group_tokens),*];
        /// A cheap read-only request that needs a valid token: what `auth login` checks with.
        pub static CHECK_PATH: Option<&str> = #check;
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::new(
            Stage::Format,
            format!("the command table is not Rust syn can parse: {e}"),
        )
    })?;
    Ok(format!("{header}{}", prettyplease::unparse(&file)))
}

/// The number of commands the table for `api` holds.
#[cfg(test)]
pub(crate) fn command_count(doc: &Value, api: &ApiSurface) -> usize {
    groups(doc, api).values().map(|(_, c)| c.len()).sum()
}

/// Commands by group name (the tag's slug), with the group's help.
fn groups(doc: &Value, api: &ApiSurface) -> BTreeMap<String, (String, Vec<Command>)> {
    let mut by_tag: BTreeMap<String, Vec<&OperationSurface>> = BTreeMap::new();
    for op in &api.operations {
        by_tag.entry(op.tag.clone()).or_default().push(op);
    }
    let mut groups: BTreeMap<String, (String, Vec<Command>)> = BTreeMap::new();
    for (tag, ops) in by_tag {
        let group = group_name(&tag);
        let names = command_names(&group, &ops);
        let entry = groups
            .entry(group)
            .or_insert_with(|| (tag_about(doc, &tag), Vec::new()));
        for (op, name) in ops.iter().zip(names) {
            if let Some(command) = command(doc, op, name) {
                entry.1.push(command);
            }
        }
    }
    groups
}

/// `Instances (VPS)` → `instances`, `SSH Keys` → `ssh-keys`; an untagged operation is in
/// `other`.
fn group_name(tag: &str) -> String {
    let plain = match tag.find('(') {
        Some(at) if at > 0 => &tag[..at],
        _ => tag,
    };
    let mut slug = String::new();
    for c in plain.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() || tag == "-" {
        "other".into()
    } else {
        slug
    }
}

/// The tag's description, or its name.
fn tag_about(doc: &Value, tag: &str) -> String {
    doc.get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|t| t.get("name").and_then(Value::as_str) == Some(tag))
        .and_then(|t| t.get("description").and_then(Value::as_str))
        .map(first_paragraph)
        .unwrap_or_else(|| {
            if tag == "-" {
                "Other operations".into()
            } else {
                tag.into()
            }
        })
}

/// Command names within a group: the operation id without the word most of the group's ids
/// start with (`instances_reboot` → `reboot`) and without the group's own words after it
/// (`lbaas_load_balancers_list` in `load-balancers` → `list`); the whole id where that leaves
/// nothing or two operations would share a name.
fn command_names(group: &str, ops: &[&OperationSurface]) -> Vec<String> {
    let mut first_words: BTreeMap<&str, usize> = BTreeMap::new();
    for op in ops {
        if let Some(word) = op.id.split('_').next() {
            *first_words.entry(word).or_default() += 1;
        }
    }
    let dominant = first_words
        .iter()
        .max_by_key(|(word, n)| (**n, std::cmp::Reverse(**word)))
        .filter(|(_, n)| **n * 2 > ops.len())
        .map(|(word, _)| *word);
    let group_words = group.replace('-', "_");
    let short: Vec<String> = ops
        .iter()
        .map(|op| {
            let mut rest = op.id.as_str();
            if let Some(word) = dominant {
                if let Some(r) = rest.strip_prefix(word).and_then(|r| r.strip_prefix('_')) {
                    rest = r;
                }
            }
            if let Some(r) = rest
                .strip_prefix(group_words.as_str())
                .and_then(|r| r.strip_prefix('_'))
            {
                rest = r;
            }
            if rest.is_empty() {
                op.id.to_kebab_case()
            } else {
                rest.to_kebab_case()
            }
        })
        .collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for name in &short {
        *counts.entry(name).or_default() += 1;
    }
    ops.iter()
        .zip(&short)
        .map(|(op, name)| {
            if counts.get(name.as_str()).copied().unwrap_or(0) > 1 {
                op.id.to_kebab_case()
            } else {
                name.clone()
            }
        })
        .collect()
}

/// The operation object of `op` in the document.
fn operation<'a>(doc: &'a Value, op: &OperationSurface) -> Option<&'a Map<String, Value>> {
    doc.get("paths")?
        .get(&op.path)?
        .get(op.method.to_ascii_lowercase())?
        .as_object()
}

fn command(doc: &Value, op: &OperationSurface, name: String) -> Option<Command> {
    let operation = operation(doc, op)?;
    let item = doc.get("paths")?.get(&op.path)?;
    let about = operation
        .get("summary")
        .and_then(Value::as_str)
        .map(first_paragraph)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("{} {}", op.method, op.path));
    let long_about = operation
        .get("description")
        .and_then(Value::as_str)
        .map(description)
        .unwrap_or_default();
    let paged = is_paged(doc, operation);
    let mut args = Vec::new();
    let mut taken: BTreeSet<String> = RESERVED_FLAGS.iter().map(|f| f.to_string()).collect();
    for (parameter, place) in parameters(doc, item, operation) {
        let Some(name) = parameter.get("name").and_then(Value::as_str) else {
            continue;
        };
        if paged.is_some() && (name == "page" || name == "page_size") {
            continue; // the list walker sets them
        }
        let schema = parameter
            .get("schema")
            .map(|s| deref_schema(doc, s))
            .unwrap_or(&Value::Null);
        let flag = free_flag(&mut taken, name, place);
        args.push(Arg {
            name: name.to_string(),
            flag,
            place,
            kind: kind(doc, schema),
            required: place == "path"
                || parameter.get("required").and_then(Value::as_bool) == Some(true),
            help: parameter
                .get("description")
                .or_else(|| schema.get("description"))
                .and_then(Value::as_str)
                .map(first_paragraph)
                .unwrap_or_default(),
            values: enum_values(schema),
        });
    }
    let body = body(doc, operation, &mut args, &mut taken);
    let columns = paged.map(|item| List {
        items: "objects".into(),
        columns: columns(doc, item),
    });
    let wait = wait(doc, op);
    let mut aliases = Vec::new();
    for (long, short) in [("retrieve", "get"), ("destroy", "delete")] {
        if let Some(stem) = name.strip_suffix(long) {
            aliases.push(format!("{stem}{short}"));
        }
    }
    Some(Command {
        name,
        aliases,
        operation: op.id.clone(),
        method: op.method.clone(),
        path: op.path.clone(),
        about,
        long_about,
        args,
        body,
        list: columns,
        wait,
    })
}

/// The operation's parameters with their place (path first, in template order), path-level
/// ones included, references followed; only path and query parameters become arguments.
fn parameters<'a>(
    doc: &'a Value,
    item: &'a Value,
    operation: &'a Map<String, Value>,
) -> Vec<(&'a Value, &'static str)> {
    let listed = item
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(
            operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        )
        .map(|p| deref(doc, p));
    let mut by_name: BTreeMap<(String, String), &Value> = BTreeMap::new();
    let mut order = Vec::new();
    for parameter in listed {
        let (Some(name), Some(place)) = (
            parameter.get("name").and_then(Value::as_str),
            parameter.get("in").and_then(Value::as_str),
        ) else {
            continue;
        };
        let key = (place.to_string(), name.to_string());
        if by_name.insert(key.clone(), parameter).is_none() {
            order.push(key);
        }
    }
    let mut out = Vec::new();
    for wanted in ["path", "query"] {
        for key in &order {
            if key.0 == wanted {
                if let Some(p) = by_name.get(key) {
                    out.push((*p, if wanted == "path" { "path" } else { "query" }));
                }
            }
        }
    }
    out
}

/// A flag for `name` not yet taken: its kebab case, or with its place in front.
fn free_flag(taken: &mut BTreeSet<String>, name: &str, place: &str) -> String {
    let plain = name.to_kebab_case();
    let plain = if plain.is_empty() {
        "value".into()
    } else {
        plain
    };
    let prefix = if place == "body" { "field" } else { place };
    let mut flag = plain.clone();
    let mut n = 1;
    while taken.contains(&flag) {
        flag = if n == 1 {
            format!("{prefix}-{plain}")
        } else {
            format!("{prefix}-{plain}-{n}")
        };
        n += 1;
    }
    taken.insert(flag.clone());
    flag
}

/// The JSON body: each property of an object schema a flag; `--body` sends it whole.
fn body(
    doc: &Value,
    operation: &Map<String, Value>,
    args: &mut Vec<Arg>,
    taken: &mut BTreeSet<String>,
) -> Body {
    let Some(request) = operation.get("requestBody").map(|b| deref(doc, b)) else {
        return Body::None;
    };
    let required = request.get("required").and_then(Value::as_bool) == Some(true);
    let Some(content) = request.get("content").and_then(Value::as_object) else {
        return Body::None;
    };
    let json = content
        .iter()
        .find(|(media, _)| media.split(';').next().is_some_and(is_json_media));
    let Some((_, media)) = json else {
        let media = content.keys().next().cloned().unwrap_or_default();
        return Body::Unsupported(media);
    };
    let schema = media
        .get("schema")
        .map(|s| deref_schema(doc, s))
        .unwrap_or(&Value::Null);
    let needed: BTreeSet<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for (name, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let property = deref_schema(doc, property);
        if property.get("readOnly") == Some(&Value::Bool(true)) {
            continue;
        }
        let flag = free_flag(taken, name, "body");
        args.push(Arg {
            name: name.clone(),
            flag,
            place: "body",
            kind: kind(doc, property),
            required: needed.contains(name.as_str()),
            help: property
                .get("description")
                .and_then(Value::as_str)
                .map(first_paragraph)
                .unwrap_or_default(),
            values: enum_values(property),
        });
    }
    Body::Json { required }
}

fn is_json_media(media: &str) -> bool {
    let media = media.trim().to_ascii_lowercase();
    media == "application/json" || media.ends_with("+json") || media == "*/*"
}

/// A value as declared: references followed (at most a few steps).
fn deref<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    let mut at = value;
    for _ in 0..document::MAX_ALIASES {
        match document::reference_of(at).and_then(|r| resolve(doc, r)) {
            Some(target) => at = target,
            None => break,
        }
    }
    at
}

/// A schema as declared, references followed and a single `allOf` member looked through.
fn deref_schema<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let at = deref(doc, schema);
    match at.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        Some([only]) if at.get("properties").is_none() => deref(doc, only),
        _ => at,
    }
}

fn kind(doc: &Value, schema: &Value) -> Kind {
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => Kind::String,
        Some("integer") => Kind::Integer,
        Some("number") => Kind::Number,
        Some("boolean") => Kind::Boolean,
        Some("array") => {
            let item = schema
                .get("items")
                .map(|i| kind(doc, deref_schema(doc, i)))
                .unwrap_or(Kind::Json);
            match item {
                Kind::List(_) | Kind::Json => Kind::Json,
                scalar => Kind::List(Box::new(scalar)),
            }
        }
        _ => Kind::Json,
    }
}

fn enum_values(schema: &Value) -> Vec<String> {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// The success response's JSON schema, references followed.
fn response_schema<'a>(doc: &'a Value, operation: &'a Map<String, Value>) -> Option<&'a Value> {
    let responses = operation.get("responses")?.as_object()?;
    let (_, response) = responses.iter().find(|(code, _)| code.starts_with('2'))?;
    let content = deref(doc, response).get("content")?.as_object()?;
    let (_, media) = content
        .iter()
        .find(|(media, _)| media.split(';').next().is_some_and(is_json_media))?;
    Some(deref_schema(doc, media.get("schema")?))
}

/// The item schema when the operation is a list in the Fleio envelope (`page`, `page_size`,
/// and `objects` in the answer).
fn is_paged<'a>(doc: &'a Value, operation: &'a Map<String, Value>) -> Option<&'a Value> {
    let names: BTreeSet<&str> = operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| deref(doc, p))
        .filter_map(|p| p.get("name").and_then(Value::as_str))
        .collect();
    if !(names.contains("page") && names.contains("page_size")) {
        return None;
    }
    let objects = response_schema(doc, operation)?
        .get("properties")?
        .get("objects")?;
    let objects = deref_schema(doc, objects);
    Some(
        objects
            .get("items")
            .map_or(&Value::Null, |i| deref_schema(doc, i)),
    )
}

/// A list's default columns: the preferred fields it has, else its first scalar fields.
fn columns(doc: &Value, item: &Value) -> Vec<String> {
    let Some(properties) = item.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut columns: Vec<String> = PREFERRED_COLUMNS
        .iter()
        .filter(|c| properties.contains_key(**c))
        .take(MAX_COLUMNS)
        .map(|c| c.to_string())
        .collect();
    if columns.len() < 2 {
        for (name, schema) in properties {
            if columns.len() >= MAX_COLUMNS.min(5) {
                break;
            }
            let scalar = !matches!(
                kind(doc, deref_schema(doc, schema)),
                Kind::Json | Kind::List(_)
            );
            if scalar && !columns.contains(name) {
                columns.push(name.clone());
            }
        }
    }
    columns
}

/// How to wait for what the operation changes: the resource's own GET, when its answer has
/// a `status`. An action (`POST …/{id}/reboot`) waits on its parent, a change or delete of
/// `…/{id}` on itself, a create (`POST …/things`) on `…/things/{id}` with the new `id`.
fn wait(doc: &Value, op: &OperationSurface) -> Option<Wait> {
    let method = op.method.as_str();
    if method == "GET" || method == "HEAD" {
        return None;
    }
    let paths = doc.get("paths")?.as_object()?;
    let segments: Vec<&str> = op.path.trim_end_matches('/').split('/').collect();
    let last = *segments.last()?;
    let is_param = |s: &str| s.starts_with('{') && s.ends_with('}');
    let (retrieve, id_param) = if is_param(last) {
        (op.path.clone(), Some(param_name(last)))
    } else if segments.len() >= 2 && is_param(segments[segments.len() - 2]) && method == "POST" {
        (
            segments[..segments.len() - 1].join("/"),
            Some(param_name(segments[segments.len() - 2])),
        )
    } else if method == "POST" {
        let prefix = format!("{}/", op.path.trim_end_matches('/'));
        let child = paths.keys().find(|p| {
            p.strip_prefix(&prefix)
                .map(|rest| rest.trim_end_matches('/'))
                .is_some_and(|rest| is_param(rest) && !rest.contains('/'))
        })?;
        (child.clone(), None)
    } else {
        return None;
    };
    let get = paths.get(&retrieve)?.get("get")?.as_object()?;
    let status = response_schema(doc, get)?.get("properties")?.get("status");
    status?;
    // The retrieve path's own parameter must be the one the command names.
    let retrieve_param = retrieve
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| is_param(s))
        .map(param_name)?;
    let id_param = match id_param {
        Some(param) if param == retrieve_param => Some(param),
        Some(_) => return None,
        None => None,
    };
    Some(Wait {
        retrieve,
        id_param,
        gone: method == "DELETE",
    })
}

fn param_name(segment: &str) -> String {
    segment
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_string()
}

/// The path of a GET without parameters that needs a token: the signed-in user's, when the
/// spec has one (`current-user`, `/me`), else the first such GET that is not a list.
fn check_path(doc: &Value, api: &ApiSurface) -> Option<String> {
    let plain: Vec<&OperationSurface> = api
        .operations
        .iter()
        .filter(|op| op.method == "GET" && !op.path.contains('{'))
        .filter(|op| op.params.iter().all(|p| !p.required))
        .collect();
    let user = plain.iter().find(|op| {
        let path = op.path.to_ascii_lowercase();
        path.contains("current-user")
            || path.contains("current_user")
            || path.trim_end_matches('/').ends_with("/me")
    });
    user.or_else(|| {
        plain
            .iter()
            .find(|op| operation(doc, op).is_some_and(|o| is_paged(doc, o).is_none()))
    })
    .or(plain.first())
    .map(|op| op.path.clone())
}

/// The first paragraph of a description, without the spec's `**Host**:` lines and markdown
/// emphasis, one line, at most [`MAX_HELP`] characters.
fn first_paragraph(text: &str) -> String {
    let paragraph = description(text);
    let first = paragraph.split("\n\n").next().unwrap_or_default();
    let line = first.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > MAX_HELP {
        let cut: String = line.chars().take(MAX_HELP - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        line
    }
}

/// A description for `--help`: the `**Host**:` line the published file puts first dropped,
/// `**` and backticks kept out, paragraphs kept.
fn description(text: &str) -> String {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with("**Host**"))
        .map(|p| p.replace("**", ""))
        .collect();
    paragraphs.join("\n\n")
}

fn command_tokens(command: &Command) -> TokenStream {
    let Command {
        name,
        aliases,
        operation,
        method,
        path,
        about,
        long_about,
        args,
        body,
        list,
        wait,
    } = command;
    let args = args.iter().map(|arg| {
        let Arg {
            name,
            flag,
            place,
            kind,
            required,
            help,
            values,
        } = arg;
        let place = match *place {
            "path" => quote!(Place::Path),
            "query" => quote!(Place::Query),
            _ => quote!(Place::Body),
        };
        let kind = kind_tokens(kind);
        quote! {
            Arg { name: #name, flag: #flag, place: #place, kind: #kind, required: #required,
                  help: #help, values: &[#(#values),*] }
        }
    });
    let body = match body {
        Body::None => quote!(Body::None),
        Body::Json { required } => quote!(Body::Json { required: #required }),
        Body::Unsupported(media) => quote!(Body::Unsupported(#media)),
    };
    let list = match list {
        Some(List { items, columns }) => {
            quote!(Some(List { items: #items, columns: &[#(#columns),*] }))
        }
        None => quote!(None),
    };
    let wait = match wait {
        Some(Wait {
            retrieve,
            id_param,
            gone,
        }) => {
            let id = match id_param {
                Some(p) => quote!(Some(#p)),
                None => quote!(None),
            };
            quote!(Some(Wait { retrieve: #retrieve, id_param: #id, gone: #gone }))
        }
        None => quote!(None),
    };
    quote! {
        Command {
            name: #name, aliases: &[#(#aliases),*], operation: #operation, method: #method,
            path: #path, about: #about, long_about: #long_about, args: &[#(#args),*],
            body: #body, list: #list, wait: #wait,
        }
    }
}

fn kind_tokens(kind: &Kind) -> TokenStream {
    match kind {
        Kind::String => quote!(Kind::String),
        Kind::Integer => quote!(Kind::Integer),
        Kind::Number => quote!(Kind::Number),
        Kind::Boolean => quote!(Kind::Boolean),
        Kind::Json => quote!(Kind::Json),
        Kind::List(item) => {
            let item = kind_tokens(item);
            quote!(Kind::List(&#item))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn op(id: &str, method: &str, path: &str, tag: &str) -> OperationSurface {
        OperationSurface {
            id: id.into(),
            method: method.into(),
            path: path.into(),
            tag: tag.into(),
            params: Vec::new(),
            bodies: Vec::new(),
            result: "()".into(),
        }
    }

    #[test]
    fn groups_are_tag_slugs() {
        assert_eq!(group_name("Instances (VPS)"), "instances");
        assert_eq!(group_name("SSH Keys"), "ssh-keys");
        assert_eq!(group_name("Floating IPs"), "floating-ips");
        assert_eq!(group_name("-"), "other");
        assert_eq!(group_name("(weird)"), "weird");
    }

    #[test]
    fn names_drop_the_word_most_ids_start_with_and_never_collide() {
        let ops = [
            op("pkm_list", "GET", "/pkm", "SSH Keys"),
            op("pkm_create", "POST", "/pkm", "SSH Keys"),
            op("pkm_retrieve", "GET", "/pkm/{id}", "SSH Keys"),
            op("other_list", "GET", "/other", "SSH Keys"),
        ];
        let refs: Vec<&OperationSurface> = ops.iter().collect();
        assert_eq!(
            command_names("ssh-keys", &refs),
            ["list", "create", "retrieve", "other-list"]
        );
        // No majority: whole ids.
        let ops = [
            op("invoices_list", "GET", "/i", "Billing"),
            op("gateways_list", "GET", "/g", "Billing"),
        ];
        let refs: Vec<&OperationSurface> = ops.iter().collect();
        assert_eq!(
            command_names("billing", &refs),
            ["invoices-list", "gateways-list"]
        );
        // The group's own words go too.
        let ops = [
            op("lbaas_load_balancers_list", "GET", "/l", "Load balancers"),
            op("lbaas_pools_list", "GET", "/p", "Load balancers"),
        ];
        let refs: Vec<&OperationSurface> = ops.iter().collect();
        assert_eq!(
            command_names("load-balancers", &refs),
            ["list", "pools-list"]
        );
    }

    fn document() -> Value {
        json!({
            "paths": {
                "/things": {
                    "get": {
                        "summary": "List things",
                        "parameters": [
                            {"name": "page", "in": "query", "schema": {"type": "string"}},
                            {"name": "page_size", "in": "query", "schema": {"type": "string"}},
                            {"name": "output", "in": "query", "schema": {"type": "string"}}
                        ],
                        "responses": {"200": {"content": {"application/json": {"schema": {
                            "type": "object",
                            "properties": {"objects": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}
                        }}}}}
                    },
                    "post": {
                        "description": "**Host**: https://x\n\nMakes a **thing**.",
                        "requestBody": {"required": true, "content": {"application/json": {"schema": {
                            "type": "object", "required": ["name"],
                            "properties": {
                                "name": {"type": "string", "description": "Its name."},
                                "size": {"type": "integer"},
                                "tags": {"type": "array", "items": {"type": "string"}},
                                "extra": {"type": "object"},
                                "id": {"type": "string", "readOnly": true},
                                "output": {"type": "string"}
                            }
                        }}}},
                        "responses": {"201": {"description": "ok"}}
                    }
                },
                "/things/{thing_id}": {
                    "get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}},
                    "delete": {"responses": {"204": {"description": "gone"}}}
                },
                "/things/{thing_id}/start": {
                    "post": {"responses": {"200": {"description": "ok"}}}
                },
                "/files": {
                    "post": {"requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object"}}}},
                             "responses": {"200": {"description": "ok"}}}
                }
            },
            "components": {"schemas": {"Thing": {"type": "object", "properties": {
                "id": {"type": "string"}, "name": {"type": "string"}, "status": {"type": "string"},
                "flavor": {"type": "object"}
            }}}}
        })
    }

    fn api() -> ApiSurface {
        ApiSurface {
            operations: vec![
                op("things_list", "GET", "/things", "Things"),
                op("things_create", "POST", "/things", "Things"),
                op("things_retrieve", "GET", "/things/{thing_id}", "Things"),
                op("things_destroy", "DELETE", "/things/{thing_id}", "Things"),
                op("things_start", "POST", "/things/{thing_id}/start", "Things"),
                op("files_create", "POST", "/files", "Things"),
            ],
            ..ApiSurface::default()
        }
    }

    #[test]
    fn commands_read_arguments_lists_and_waits_from_the_document() {
        let doc = document();
        let groups = groups(&doc, &api());
        let (_, commands) = &groups["things"];
        let by_name = |n: &str| commands.iter().find(|c| c.name == n).expect(n);

        let list = by_name("list");
        assert_eq!(
            list.list.as_ref().map(|l| l.columns.clone()),
            Some(vec!["id".to_string(), "name".into(), "status".into()])
        );
        // page and page_size are the walker's; a parameter named like a global flag is renamed.
        let flags: Vec<&str> = list.args.iter().map(|a| a.flag.as_str()).collect();
        assert_eq!(flags, ["query-output"]);

        let create = by_name("create");
        assert_eq!(create.long_about, "Makes a thing.");
        let fields: Vec<(&str, &Kind, bool)> = create
            .args
            .iter()
            .map(|a| (a.flag.as_str(), &a.kind, a.required))
            .collect();
        assert_eq!(
            fields,
            [
                ("name", &Kind::String, true),
                ("size", &Kind::Integer, false),
                ("tags", &Kind::List(Box::new(Kind::String)), false),
                ("extra", &Kind::Json, false),
                ("field-output", &Kind::String, false),
            ]
        );
        assert_eq!(create.body, Body::Json { required: true });
        let wait = create.wait.as_ref().expect("create waits");
        assert_eq!(
            (wait.retrieve.as_str(), wait.id_param.as_deref(), wait.gone),
            ("/things/{thing_id}", None, false)
        );

        let start = by_name("start").wait.clone().expect("start waits");
        assert_eq!(
            (start.retrieve.as_str(), start.id_param.as_deref()),
            ("/things/{thing_id}", Some("thing_id"))
        );
        let delete = by_name("destroy");
        assert_eq!(delete.aliases, ["delete"]);
        assert!(delete.wait.as_ref().is_some_and(|w| w.gone));
        assert_eq!(by_name("retrieve").aliases, ["get"]);
        assert!(by_name("retrieve").wait.is_none());
        assert_eq!(
            by_name("files-create").body,
            Body::Unsupported("multipart/form-data".into())
        );
        assert_eq!(check_path(&doc, &api()).as_deref(), Some("/things"));
    }

    #[test]
    fn the_table_is_rust_and_the_same_each_time() {
        let doc = document();
        let one = generate(&doc, &api(), "").expect("table");
        let two = generate(&doc, &api(), "").expect("table");
        assert_eq!(one, two);
        assert!(one.contains("pub static GROUPS: &[Group]"));
        assert_eq!(command_count(&doc, &api()), 6);
    }

    #[test]
    fn a_document_without_what_the_surface_names_loses_the_command_only() {
        // The surface names operations the document does not have: no command, no panic.
        let doc = json!({"paths": {}});
        assert_eq!(command_count(&doc, &api()), 0);
    }
}
