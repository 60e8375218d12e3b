//! The day the real spec arrives, rehearsed: a copy of this workspace fetches a different spec
//! from a server on 127.0.0.1 with `--accept-version`, runs `regen`, and then its own
//! `cargo test --workspace` passes.
//!
//! The new spec is the active one changed the way a real file differs from ours: version
//! 1.0.6, an operation added, an optional response field removed, component schemas renamed
//! and one inlined, and none of our extensions (`x-fotbo-source` …).
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

/// The active spec as a later, real file might differ from it.
fn spec_1_0_6(active: &Value) -> Value {
    let mut spec = active.clone();
    spec["info"]["version"] = json!("Specification 1.0.6");
    let schemas = spec["components"]["schemas"]
        .as_object_mut()
        .expect("component schemas");
    // Renamed components.
    for (from, to) in [
        ("InstanceDetails", "ServerDetails"),
        ("Attachment", "TicketFile"),
    ] {
        if let Some(schema) = schemas.shift_remove(from) {
            schemas.insert(to.into(), schema);
        }
    }
    // An optional response field gone.
    if let Some(props) = schemas
        .get_mut("Image")
        .and_then(|s| s.get_mut("properties"))
        .and_then(Value::as_object_mut)
    {
        props.shift_remove("hw_qemu_guest_agent");
    }
    // One component inlined where it is used.
    let inlined = schemas.shift_remove("RegionObject");
    for (from, to) in [
        ("InstanceDetails", "ServerDetails"),
        ("Attachment", "TicketFile"),
    ] {
        rename_refs(&mut spec, from, to);
    }
    if let Some(region) = inlined {
        inline_refs(&mut spec, "RegionObject", &region);
    }
    // An operation added.
    let lock = json!({
        "tags": ["Instances (VPS)"],
        "summary": "Lock Instance",
        "description": "Locks the instance against changes.",
        "responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Detail"}}}}},
        "security": [{"apikey header authorization": []}]
    });
    let mut item = Map::new();
    item.insert("post".into(), lock);
    spec["paths"].as_object_mut().expect("paths").insert(
        "/backend/api/openstack/instances/{instance_id}/lock".into(),
        Value::Object(item),
    );
    strip_extensions(&mut spec);
    spec
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
    let url = serve(serde_json::to_vec(&spec_1_0_6(&active)).expect("json"));

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
    assert!(regen.contains("+ instances_lock: POST"), "{regen}");
    assert!(
        regen.contains("[BREAKING] Removed: `Image.hw_qemu_guest_agent`"),
        "{regen}"
    );
    let changelog =
        std::fs::read_to_string(copy.path().join("CHANGELOG.md")).expect("CHANGELOG.md");
    assert!(
        changelog.contains("### API from spec/fotbo-1.0.6.json"),
        "{changelog}"
    );
    assert!(
        changelog.contains("- `instances_lock`: POST"),
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
