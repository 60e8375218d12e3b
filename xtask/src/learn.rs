//! `cargo xtask learn RECORD…`: wire records (what fotbo-api clients saw beyond the spec,
//! `ClientBuilder::record_wire`) become actions of spec/wire-corrections.overlay.yaml.
//!
//! - A field the spec lacks becomes a property of the response schema where it was seen, its
//!   schema made from the kinds recorded under it (an undeclared object with its fields, a list
//!   with its items).
//! - A value of another kind widens the declared type (`type: [string, integer]`).
//!
//! The schema is found from the operation's response, through `$ref`s (a component is changed
//! where every use of it sees the change, and the description says so), in the spec with the
//! overlay already applied: what an action (hand-written or learned before) already says is
//! never said again, and no hand-written action is changed. Each action's description holds
//! its evidence (operation, pointers, times seen, first and last day) and the mark `LEARNED`.
//! A record that points where the spec has no schema, or at a reference that cannot be
//! widened, is reported, not guessed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value};

use generator::inputs::{SpecInputs, OVERLAY_FILE};
use generator::Overlay;

/// A record file larger than this is refused (fotbo-api stops writing at 8 MiB).
const MAX_RECORD_BYTES: u64 = 64 << 20;

/// One aggregated observation.
#[derive(Debug, Clone)]
struct Seen {
    times: usize,
    first: String,
    last: String,
}

/// What `learn` found and did.
#[derive(Debug, Default)]
pub struct Learned {
    /// The actions added, as YAML text (what was appended to the overlay).
    pub actions: String,
    /// One line per action.
    pub summary: Vec<String>,
    /// What was not learned, and why.
    pub reported: Vec<String>,
    /// Whether the overlay file was written.
    pub written: bool,
}

/// Reads the records and, unless `dry_run`, appends the actions to the overlay of `spec_dir`.
pub fn learn(spec_dir: &Path, records: &[PathBuf], dry_run: bool) -> Result<Learned> {
    let inputs = SpecInputs::active(spec_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut doc = generator::load::load(&inputs.spec).map_err(|e| anyhow::anyhow!("{e}"))?;
    let existing_targets: BTreeSet<String> = inputs
        .overlay
        .iter()
        .flat_map(|o| o.actions.iter().map(|a| a.target.clone()))
        .collect();
    if let Some(overlay) = &inputs.overlay {
        overlay.apply(&mut doc);
    }
    let generated = generator::generate(&inputs.spec, &inputs.fotbo_settings())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let operations: BTreeMap<&str, (&str, &str)> = generated
        .api
        .operations
        .iter()
        .map(|op| (op.id.as_str(), (op.method.as_str(), op.path.as_str())))
        .collect();

    let mut learned = Learned::default();
    let observed = read_records(records, &mut learned.reported)?;
    // By operation: (pointer, spec, came) → seen.
    let mut by_operation: BTreeMap<String, BTreeMap<(String, String, String), Seen>> =
        BTreeMap::new();
    for ((operation, pointer, spec, came), seen) in observed {
        by_operation
            .entry(operation)
            .or_default()
            .insert((pointer, spec, came), seen);
    }

    let mut actions: Vec<(String, String, Value)> = Vec::new();
    for (operation, seen) in &by_operation {
        let Some((method, path)) = operations.get(operation.as_str()) else {
            learned.reported.push(format!(
                "{operation}: not an operation of the active spec's client"
            ));
            continue;
        };
        let Some(root) = response_root(&doc, path, method) else {
            learned.reported.push(format!(
                "{operation}: {method} {path} has no JSON success response in the spec"
            ));
            continue;
        };
        learn_operation(
            &doc,
            operation,
            method,
            path,
            &root,
            seen,
            &existing_targets,
            &mut actions,
            &mut learned,
        );
    }
    if actions.is_empty() {
        return Ok(learned);
    }
    let mut text = String::new();
    for (target, description, update) in &actions {
        text.push_str(&format!(
            "\n  - target: {}\n    description: |\n{}    update: {}\n",
            serde_json::to_string(target)?,
            indent(description, 6),
            serde_json::to_string(update)?
        ));
    }
    learned.actions = text.clone();
    if dry_run {
        return Ok(learned);
    }
    let overlay_path = spec_dir.join(OVERLAY_FILE);
    let mut file = std::fs::read_to_string(&overlay_path).unwrap_or_else(|_| {
        "overlay: 1.0.0\ninfo:\n  title: Fotbo wire corrections\n  version: 1.0.0\nactions:\n"
            .to_string()
    });
    const HEADING: &str = "  # ---- learned from the wire (cargo xtask learn) ----";
    if !file.contains(HEADING) {
        if !file.ends_with('\n') {
            file.push('\n');
        }
        file.push_str(&format!("\n{HEADING}\n"));
    }
    file.push_str(&text);
    // The file must still be an overlay the generator reads, or nothing is written.
    Overlay::parse(file.as_bytes())
        .map_err(|e| anyhow::anyhow!("the learned actions do not make a valid overlay: {e}"))?;
    let temp = overlay_path.with_extension("yaml.learn-tmp");
    std::fs::write(&temp, &file).with_context(|| format!("writing {}", temp.display()))?;
    std::fs::rename(&temp, &overlay_path)
        .with_context(|| format!("replacing {}", overlay_path.display()))?;
    learned.written = true;
    Ok(learned)
}

fn indent(text: &str, spaces: usize) -> String {
    let pad = " ".repeat(spaces);
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}

type Key = (String, String, String, String);

fn read_records(records: &[PathBuf], reported: &mut Vec<String>) -> Result<BTreeMap<Key, Seen>> {
    let mut observed: BTreeMap<Key, Seen> = BTreeMap::new();
    for path in records {
        let size = std::fs::metadata(path)
            .with_context(|| format!("reading {}", path.display()))?
            .len();
        if size > MAX_RECORD_BYTES {
            bail!(
                "{}: {size} bytes, more than a wire record holds ({MAX_RECORD_BYTES})",
                path.display()
            );
        }
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let mut unreadable = 0;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let Ok(value) = serde_json::from_str::<Value>(line) else {
                unreadable += 1;
                continue;
            };
            let field = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_string);
            let (Some(operation), Some(pointer), Some(spec), Some(came)) = (
                field("operation"),
                field("pointer"),
                field("spec"),
                field("came"),
            ) else {
                unreadable += 1;
                continue;
            };
            let day = field("day").unwrap_or_default();
            let seen = observed
                .entry((operation, pointer, spec, came))
                .or_insert_with(|| Seen {
                    times: 0,
                    first: day.clone(),
                    last: day.clone(),
                });
            seen.times += 1;
            if day < seen.first {
                seen.first = day.clone();
            }
            if day > seen.last {
                seen.last = day;
            }
        }
        if unreadable > 0 {
            reported.push(format!(
                "{}: {unreadable} line(s) are not wire-record lines (left out)",
                path.display()
            ));
        }
    }
    Ok(observed)
}

/// A schema node with its JSONPath in the document.
#[derive(Debug, Clone)]
struct Node {
    path: String,
    /// The component the walk went through last, if any (said in the description).
    via: Option<String>,
}

fn quote(key: &str) -> String {
    format!("['{}']", key.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The first JSON 2xx response schema of an operation.
fn response_root(doc: &Value, path: &str, method: &str) -> Option<Node> {
    let method = method.to_ascii_lowercase();
    let responses = doc
        .get("paths")?
        .get(path)?
        .get(&method)?
        .get("responses")?
        .as_object()?;
    let (code, response) = responses.iter().find(|(c, _)| c.starts_with('2'))?;
    let (media, _) = response
        .get("content")?
        .as_object()?
        .iter()
        .find(|(m, v)| m.contains("json") && v.get("schema").is_some())?;
    Some(Node {
        path: format!(
            "$.paths{}.{method}.responses{}.content{}.schema",
            quote(path),
            quote(code),
            quote(media)
        ),
        via: None,
    })
}

/// The value at a JSONPath of the simple form this module writes (`$.a['b'].c`).
fn at<'a>(doc: &'a Value, node: &Node) -> Option<&'a Value> {
    let mut value = doc;
    for step in steps(&node.path)? {
        value = value.get(&step)?;
    }
    Some(value)
}

fn steps(path: &str) -> Option<Vec<String>> {
    let mut rest = path.strip_prefix('$')?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("['") {
            let mut key = String::new();
            let mut chars = r.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, next)) = chars.next() {
                            key.push(next);
                        }
                    }
                    '\'' => {
                        end = Some(i);
                        break;
                    }
                    c => key.push(c),
                }
            }
            let end = end?;
            rest = r.get(end + 2..)?;
            out.push(key);
        } else if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            out.push(r[..end].to_string());
            rest = &r[end..];
        } else {
            return None;
        }
    }
    Some(out)
}

/// Follows `$ref`s to components (at most a few).
fn resolved(doc: &Value, mut node: Node) -> Option<Node> {
    for _ in 0..8 {
        let value = at(doc, &node)?;
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return Some(node);
        };
        let name = reference.strip_prefix("#/components/schemas/")?;
        let name = name.replace("~1", "/").replace("~0", "~");
        node = Node {
            path: format!("$.components.schemas{}", quote(&name)),
            via: Some(name),
        };
    }
    None
}

/// The schema at a pointer pattern below `root`: properties for names, items for `*`.
fn walk(doc: &Value, root: &Node, tokens: &[&str]) -> Option<Node> {
    let mut node = resolved(doc, root.clone())?;
    for token in tokens {
        let value = at(doc, &node)?;
        let next = if *token == "*" {
            value.get("items")?;
            format!("{}.items", node.path)
        } else {
            let key = token.replace("~1", "/").replace("~0", "~");
            value.get("properties")?.get(&key)?;
            format!("{}.properties{}", node.path, quote(&key))
        };
        node = resolved(
            doc,
            Node {
                path: next,
                via: node.via.clone(),
            },
        )?;
    }
    Some(node)
}

fn tokens(pattern: &str) -> Vec<&str> {
    pattern.split('/').skip(1).collect()
}

#[allow(clippy::too_many_arguments)]
fn learn_operation(
    doc: &Value,
    operation: &str,
    method: &str,
    path: &str,
    root: &Node,
    seen: &BTreeMap<(String, String, String), Seen>,
    existing_targets: &BTreeSet<String>,
    actions: &mut Vec<(String, String, Value)>,
    learned: &mut Learned,
) {
    let absent: BTreeMap<&str, BTreeSet<&str>> = seen
        .iter()
        .filter(|((_, spec, _), _)| spec == "absent")
        .fold(BTreeMap::new(), |mut acc, ((pointer, _, came), _)| {
            acc.entry(pointer.as_str())
                .or_default()
                .insert(came.as_str());
            acc
        });
    let evidence = |pointers: &[&str]| {
        let mut times = 0;
        let mut first = String::from("9999");
        let mut last = String::new();
        for ((pointer, _, _), s) in seen {
            if pointers
                .iter()
                .any(|p| pointer == p || pointer.starts_with(&format!("{p}/")))
            {
                times = times.max(s.times);
                first = first.min(s.first.clone());
                last = last.max(s.last.clone());
            }
        }
        (times, first, last)
    };
    // New properties, by the schema node they go into: only the topmost absent pointers (what
    // is under them is their schema).
    let mut additions: BTreeMap<String, Addition> = BTreeMap::new();
    for pointer in absent.keys() {
        let all = tokens(pointer);
        let Some((last, parent)) = all.split_last() else {
            continue;
        };
        let parent_pattern: String = parent.iter().map(|t| format!("/{t}")).collect();
        if absent.contains_key(parent_pattern.as_str()) || *last == "*" {
            continue; // part of an undeclared value above it
        }
        let Some(node) = walk(doc, root, parent) else {
            learned.reported.push(format!(
                "{operation}: {pointer}: the spec has no schema at {parent_pattern} to add it to"
            ));
            continue;
        };
        let key = last.replace("~1", "/").replace("~0", "~");
        if at(doc, &node)
            .and_then(|v| v.get("properties"))
            .and_then(|p| p.get(&key))
            .is_some()
        {
            continue; // already declared (an action said it)
        }
        let entry = additions
            .entry(node.path.clone())
            .or_insert_with(|| (node.clone(), Map::new(), Vec::new()));
        entry.1.insert(key, schema_of(pointer, &absent));
        entry.2.push(pointer);
    }
    for (target, (node, properties, pointers)) in additions {
        if existing_targets.contains(&target) {
            learned.reported.push(format!(
                "{operation}: {}: an action of the overlay already targets {target}; add the fields there by hand",
                pointers.join(", ")
            ));
            continue;
        }
        let (times, first, last) = evidence(&pointers);
        let names: Vec<String> = properties.keys().map(|k| format!("`{k}`")).collect();
        let via = node
            .via
            .as_ref()
            .map(|c| format!(" It goes into component `{c}`, so every operation using it gets it."))
            .unwrap_or_default();
        let description = format!(
            "Learned from the wire: {method} {path} ({operation}) answered with {} (at {}), \
             which the spec does not declare.{via} Seen {times} time(s), first {first}, last {last}. \
             LEARNED from a wire record (cargo xtask learn): kinds only, check them against \
             Fleio's code. medium",
            names.join(", "),
            pointers.join(", ")
        );
        learned
            .summary
            .push(format!("{operation}: + {} in {target}", names.join(", ")));
        actions.push((
            target,
            wrap(&description),
            json!({"properties": properties}),
        ));
    }
    // Values of another kind: widen the declared type.
    for ((pointer, spec, came), s) in seen {
        if spec == "absent" {
            continue;
        }
        let Some(node) = walk(doc, root, &tokens(pointer)) else {
            learned.reported.push(format!(
                "{operation}: {pointer}: {came} where the spec expects {spec}, but the spec has no schema there"
            ));
            continue;
        };
        let Some(schema) = at(doc, &node) else {
            continue;
        };
        let update = match schema.get("type") {
            Some(Value::String(t)) if t != came && !(t == "number" && came == "integer") => {
                json!({"type": [t, came]})
            }
            Some(Value::Array(types)) if !admits(types, came) => {
                json!({"type": [came]})
            }
            Some(_) => continue, // already admits it
            None => {
                learned.reported.push(format!(
                    "{operation}: {pointer}: {came} where the spec expects {spec}; the schema there has no type to widen (a reference or a composition): correct it by hand"
                ));
                continue;
            }
        };
        if existing_targets.contains(&node.path) {
            learned.reported.push(format!(
                "{operation}: {pointer}: an action of the overlay already targets {}; widen it there by hand",
                node.path
            ));
            continue;
        }
        let via = node
            .via
            .as_ref()
            .map(|c| format!(" It is in component `{c}`, so every operation using it accepts it."))
            .unwrap_or_default();
        let description = format!(
            "Learned from the wire: {method} {path} ({operation}) sent {came} at {pointer}, \
             where the spec expects {spec}.{via} Seen {} time(s), first {}, last {}. LEARNED \
             from a wire record (cargo xtask learn). medium",
            s.times, s.first, s.last
        );
        learned.summary.push(format!(
            "{operation}: {pointer} also {came} ({})",
            node.path
        ));
        actions.push((node.path.clone(), wrap(&description), update));
    }
}

/// Whether a type list already takes `came` (an integer is a number).
fn admits(types: &[Value], came: &str) -> bool {
    types
        .iter()
        .any(|t| t == came || (came == "integer" && t == "number"))
}

/// New properties for one schema node: the node, the properties, the pointers they came from.
type Addition<'a> = (Node, Map<String, Value>, Vec<&'a str>);

/// A schema for the undeclared value at `pointer`, from the kinds recorded at and below it.
fn schema_of(pointer: &str, absent: &BTreeMap<&str, BTreeSet<&str>>) -> Value {
    let kinds = absent.get(pointer).cloned().unwrap_or_default();
    let nullable = kinds.contains("null");
    let types: Vec<&str> = kinds.iter().copied().filter(|k| *k != "null").collect();
    let mut schema = Map::new();
    match types.as_slice() {
        [] => {
            schema.insert("description".into(), json!("Only ever seen as null."));
            return Value::Object(schema);
        }
        [one] if !nullable => {
            schema.insert("type".into(), json!(one));
        }
        _ => {
            let mut all: Vec<&str> = types.clone();
            if nullable {
                all.push("null");
            }
            schema.insert("type".into(), json!(all));
        }
    }
    if types.contains(&"object") {
        let prefix = format!("{pointer}/");
        let mut properties = Map::new();
        for child in absent.keys() {
            if let Some(rest) = child.strip_prefix(&prefix) {
                if !rest.contains('/') && rest != "*" {
                    let key = rest.replace("~1", "/").replace("~0", "~");
                    properties.insert(key, schema_of(child, absent));
                }
            }
        }
        if !properties.is_empty() {
            schema.insert("properties".into(), Value::Object(properties));
        }
    }
    if types.contains(&"array") {
        let items = format!("{pointer}/*");
        if absent.contains_key(items.as_str()) {
            schema.insert("items".into(), schema_of(&items, absent));
        }
    }
    Value::Object(schema)
}

/// A description as lines of at most about 92 characters.
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + word.len() > 92 {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_written_are_paths_read() {
        let path = format!("$.paths{}.get.responses{}", quote("/a/{b}'s"), quote("200"));
        assert_eq!(
            steps(&path).expect("steps"),
            ["paths", "/a/{b}'s", "get", "responses", "200"]
        );
    }

    #[test]
    fn an_undeclared_tree_becomes_one_schema() {
        let mut absent: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (p, k) in [
            ("/user", "object"),
            ("/user/id", "integer"),
            ("/user/clients", "array"),
            ("/user/clients/*", "object"),
            ("/user/clients/*/name", "string"),
            ("/user/clients/*/name", "null"),
        ] {
            absent.entry(p).or_default().insert(k);
        }
        assert_eq!(
            schema_of("/user", &absent),
            json!({"type": "object", "properties": {
                "clients": {"type": "array", "items": {"type": "object", "properties": {
                    "name": {"type": ["string", "null"]}}}},
                "id": {"type": "integer"}
            }})
        );
    }
}
