//! The day the real spec arrives, rehearsed: a copy of this workspace fetches a different spec
//! from a server on 127.0.0.1 with `--accept-version`, runs `regen`, and then its own
//! `cargo test --workspace` passes.
//!
//! The new spec is the active one changed the way a real file differs from ours: version
//! 1.0.6, an operation added, an optional response field removed, component schemas renamed
//! and one inlined, and none of our extensions (`x-fotbo-source` …). Each change is chosen
//! from what the active spec holds (an id it does not have, a field it has), so the rehearsal
//! holds whatever spec is active, our reconstruction or the real file.
//!
//! This builds the copy in a target directory of its own (`target/rehearsal`, kept between
//! runs), so the first run on a machine takes minutes. Inside the copy the rehearsal does not
//! run again (`FOTBO_REHEARSAL`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::thread;

use serde_json::{json, Map, Value};
use tiny_http::{Header, Response, Server};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The files git tracks (or would: untracked but not ignored), copied to `to`.
fn copy_workspace(from: &Path, to: &Path) {
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(from)
        .output()
        .expect("git ls-files");
    assert!(listed.status.success(), "git ls-files failed");
    for name in listed.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).to_string();
        let source = from.join(&name);
        let target = to.join(&name);
        let Ok(meta) = std::fs::symlink_metadata(&source) else {
            continue; // listed but deleted in the work tree
        };
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        if meta.file_type().is_symlink() {
            // fotbo-api/spec → ../spec: the copy's crate must read the copy's spec/.
            let link = std::fs::read_link(&source).expect("read symlink");
            std::os::unix::fs::symlink(link, &target).expect("symlink");
        } else if meta.is_file() {
            std::fs::copy(&source, &target).expect("copy");
        }
    }
}

/// Replaces every `$ref` to `#/components/schemas/<from>` by `<to>`.
fn rename_refs(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if *r == format!("#/components/schemas/{from}") {
                    *r = format!("#/components/schemas/{to}");
                }
            }
            map.values_mut().for_each(|v| rename_refs(v, from, to));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, from, to)),
        _ => {}
    }
}

/// Replaces every `$ref` to `#/components/schemas/<name>` by the schema itself.
fn inline_refs(value: &mut Value, name: &str, schema: &Value) {
    match value {
        Value::Object(map) => {
            if map.get("$ref").and_then(Value::as_str)
                == Some(&format!("#/components/schemas/{name}"))
            {
                *value = schema.clone();
                return;
            }
            map.values_mut().for_each(|v| inline_refs(v, name, schema));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| inline_refs(v, name, schema)),
        _ => {}
    }
}

/// Removes every `x-…` key.
fn strip_extensions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|k, _| !k.starts_with("x-"));
            map.values_mut().for_each(strip_extensions);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_extensions),
        _ => {}
    }
}

/// What the rehearsal changed, chosen from what the active spec holds, to check regen saw it.
struct Changes {
    /// The operation added: an id the active spec does not have.
    added: String,
    /// (type, field): an optional field of a generated type, removed from its schema.
    removed_field: (String, String),
}

/// Component schemas referenced from somewhere in the document, in document order.
fn referenced_components(spec: &Value) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                {
                    if !out.iter().any(|n| n == name) {
                        out.push(name.to_string());
                    }
                }
                map.values().for_each(|c| walk(c, out));
            }
            Value::Array(items) => items.iter().for_each(|c| walk(c, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(spec, &mut out);
    out
}

fn plain_name(name: &str) -> bool {
    name.chars().all(|c| c.is_ascii_alphanumeric())
        && name.starts_with(|c: char| c.is_ascii_uppercase())
}

/// The active spec as a later, real file might differ from it: version 1.0.6, two referenced
/// components renamed and one inlined, an optional field of a generated type removed, an
/// operation added — every choice made from what the active spec holds (`api`: what it
/// generates), so the rehearsal holds whatever spec is active.
fn spec_1_0_6(active: &Value, api: &generator::ApiSurface) -> (Value, Changes) {
    let mut spec = active.clone();
    spec["info"]["version"] = json!("Specification 1.0.6");
    let referenced: Vec<String> = referenced_components(active)
        .into_iter()
        .filter(|n| plain_name(n))
        .collect();
    assert!(
        referenced.len() >= 4,
        "the active spec refers to at least four components: {referenced:?}"
    );
    let (renamed, inlined) = (&referenced[..2], &referenced[2]);
    // An optional field of a generated type named as its component, that no change above touches.
    let removed_field = api
        .types
        .iter()
        .find_map(|t| match t {
            generator::TypeSurface::Struct { name, fields }
                if active["components"]["schemas"].get(name).is_some()
                    && !renamed.contains(name)
                    && name != inlined =>
            {
                fields
                    .iter()
                    .find(|(field, ty)| {
                        ty.starts_with("Option<")
                            && active["components"]["schemas"][name]["properties"]
                                .get(field)
                                .is_some()
                    })
                    .map(|(field, _)| (name.clone(), field.clone()))
            }
            _ => None,
        })
        .expect("a generated type with an optional field named as its property");
    let schemas = spec["components"]["schemas"]
        .as_object_mut()
        .expect("component schemas");
    let new_name = |from: &str| format!("{from}V2");
    for from in renamed {
        if let Some(schema) = schemas.shift_remove(from) {
            schemas.insert(new_name(from), schema);
        }
    }
    if let Some(props) = schemas
        .get_mut(&removed_field.0)
        .and_then(|s| s.get_mut("properties"))
        .and_then(Value::as_object_mut)
    {
        props.shift_remove(&removed_field.1);
    }
    let inlined_schema = schemas.shift_remove(inlined);
    for from in renamed {
        rename_refs(&mut spec, from, &new_name(from));
    }
    if let Some(schema) = inlined_schema {
        inline_refs(&mut spec, inlined, &schema);
    }
    // An operation added, with an id the active spec does not have.
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    let added = (1..)
        .map(|n| format!("rehearsal_lock_{n}"))
        .find(|id| !ids.contains(&id.as_str()))
        .expect("a fresh id");
    let first = api
        .operations
        .first()
        .expect("the active spec has operations");
    let security = spec["paths"][&first.path][first.method.to_lowercase()]
        .get("security")
        .cloned();
    let mut lock = json!({
        "operationId": added,
        "summary": "Lock",
        "description": "Locks the item against changes.",
        "responses": {"200": {"description": "OK"}},
    });
    if first.tag != "-" {
        lock["tags"] = json!([first.tag]);
    }
    if let Some(security) = security {
        lock["security"] = security;
    }
    let mut item = Map::new();
    item.insert("post".into(), lock);
    spec["paths"].as_object_mut().expect("paths").insert(
        format!("/rehearsal/{added}/{{item_id}}"),
        Value::Object(item),
    );
    strip_extensions(&mut spec);
    (
        spec,
        Changes {
            added,
            removed_field,
        },
    )
}

/// Serves `body` at `/spec.json` on 127.0.0.1; the URL.
fn serve(body: Vec<u8>) -> String {
    let server = Arc::new(Server::http("127.0.0.1:0").expect("server"));
    let addr = server.server_addr().to_ip().expect("ip address");
    thread::spawn(move || {
        for request in server.incoming_requests() {
            let header = Header::from_bytes("Content-Type", "application/json").expect("header");
            let _ = request.respond(Response::from_data(body.clone()).with_header(header));
        }
    });
    format!("http://{addr}/spec.json")
}

fn run(command: &mut Command, what: &str) -> String {
    let output = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{what} failed:\n{text}");
    text
}

#[test]
fn a_new_spec_is_fetched_regenerated_and_the_workspace_stays_green() {
    if std::env::var_os("FOTBO_REHEARSAL").is_some() {
        eprintln!("inside a rehearsal: not rehearsing again");
        return;
    }
    let root = workspace();
    let copy = tempfile::tempdir().expect("temp dir");
    copy_workspace(&root, copy.path());
    let active_dir = root.join("spec");
    let inputs = generator::SpecInputs::active(&active_dir).unwrap_or_else(|e| panic!("{e}"));
    let active: Value =
        generator::load::load(&inputs.spec).expect("the active spec is JSON or YAML");
    let generated = generator::generate(&inputs.spec, &inputs.fotbo_settings())
        .unwrap_or_else(|e| panic!("{e}"));
    let (next, changes) = spec_1_0_6(&active, &generated.api);
    let url = serve(serde_json::to_vec(&next).expect("json"));

    let target = root.join("target").join("rehearsal");
    let xtask = env!("CARGO_BIN_EXE_xtask");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let in_copy = |program: &str| {
        let mut c = Command::new(program);
        c.current_dir(copy.path())
            .env("CARGO_TARGET_DIR", &target)
            .env("FOTBO_REHEARSAL", "1")
            .env("CARGO", &cargo)
            .env_remove("RUSTFLAGS");
        c
    };

    let fetched = run(
        in_copy(xtask).args(["fetch", "--url", &url, "--accept-version", "--quiet"]),
        "xtask fetch",
    );
    println!("$ cargo xtask fetch --url {url} --accept-version\n{fetched}");
    assert_eq!(
        std::fs::read_to_string(copy.path().join("spec/ACTIVE")).expect("ACTIVE"),
        "fotbo-1.0.6.json\n"
    );

    let regen = run(in_copy(xtask).arg("regen"), "xtask regen");
    println!("$ cargo xtask regen\n{regen}");
    assert!(
        regen.contains(&format!("+ {}: POST", changes.added)),
        "{regen}"
    );
    let (ty, field) = &changes.removed_field;
    assert!(
        regen.contains(&format!("[BREAKING] Removed: `{ty}.{field}`")),
        "{regen}"
    );
    let changelog =
        std::fs::read_to_string(copy.path().join("CHANGELOG.md")).expect("CHANGELOG.md");
    assert!(
        changelog.contains("### API from spec/fotbo-1.0.6.json"),
        "{changelog}"
    );
    assert!(
        changelog.contains(&format!("- `{}`: POST", changes.added)),
        "{changelog}"
    );

    let check = run(
        in_copy(xtask).args(["regen", "--check"]),
        "xtask regen --check",
    );
    assert!(check.contains("no drift"), "{check}");

    let tests = run(
        in_copy(&cargo).args(["test", "--workspace", "--offline", "--locked"]),
        "cargo test --workspace in the copy",
    );
    let passed: usize = tests
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    println!("the copy's own tests: {passed} passed");
    assert!(!tests.contains("test result: FAILED"), "{tests}");
    assert!(passed > 100, "{tests}");
}
