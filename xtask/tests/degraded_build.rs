//! fotbo-api builds from a spec with one operation progenitor refuses and one schema typify
//! cannot convert, as a user's `cargo build` would meet them: the build succeeds with every
//! other operation, and its output names both losses, one `cargo:warning` line each.
//! `FOTBO_STRICT_GENERATION=1` makes the same build fail, naming the first loss.
//!
//! The spec is the active one (whatever `spec/ACTIVE` names) with the two defects injected;
//! the build reads it through `FOTBO_SPEC_PATH`, with fotbo-api's `jsonpath` feature: the
//! overlay's twin was resolved for the active spec, not this one. Without the feature the
//! build still gets a client, without the wire corrections, and says so. It runs in `target/rehearsal`, the target
//! directory the rehearsal builds in, so the dependencies are built once for both.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The active spec, one GET made a websocket endpoint without the 101 response progenitor
/// requires, and a component no type can be made of. The operation's (method, path).
fn broken_spec(root: &Path) -> (Value, String) {
    let mut spec = active_spec(root);
    let path = spec["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .find(|(_, item)| item.get("get").is_some())
        .map(|(p, _)| p.clone())
        .expect("a GET operation");
    spec["paths"][&path]["get"]["x-dropshot-websocket"] = json!({});
    spec["components"]["schemas"]["NotAnObject"] =
        json!({"not": {"type": "object", "properties": {"x": {"type": "string"}}}});
    (spec, format!("GET {path}"))
}

/// The active spec, as a document.
fn active_spec(root: &Path) -> Value {
    let inputs =
        generator::SpecInputs::active(&root.join("spec")).unwrap_or_else(|e| panic!("{e}"));
    generator::load::load(&inputs.spec).unwrap_or_else(|e| panic!("{e}"))
}

/// `spec` written to `name` in a new temporary directory (removed with the guard).
fn write_spec(spec: &Value, name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(name);
    std::fs::write(&file, serde_json::to_vec_pretty(spec).expect("json")).expect("write");
    (dir, file)
}

/// Inside a rehearsal's copy the build under test is the rehearsal's own.
fn in_a_rehearsal() -> bool {
    let inside = std::env::var_os("FOTBO_REHEARSAL").is_some();
    if inside {
        eprintln!("inside a rehearsal: its own build is the test");
    }
    inside
}

fn cargo_build(root: &Path, spec: &Path, strict: bool, jsonpath: bool) -> (bool, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(["build", "-p", "fotbo-api", "--offline", "--locked"]);
    if jsonpath {
        command.args(["--features", "jsonpath"]);
    }
    command
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join("target").join("rehearsal"))
        .env("FOTBO_SPEC_PATH", spec)
        .env_remove("RUSTFLAGS");
    if strict {
        command.env("FOTBO_STRICT_GENERATION", "1");
    } else {
        command.env_remove("FOTBO_STRICT_GENERATION");
    }
    let output = command.output().expect("cargo build");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_spec_with_a_broken_operation_and_schema_still_builds_and_says_what_it_lost() {
    if in_a_rehearsal() {
        return;
    }
    let root = workspace();
    let (spec, operation) = broken_spec(&root);
    let (_dir, file) = write_spec(&spec, "broken.json");

    let (built, output) = cargo_build(&root, &file, false, true);
    assert!(built, "fotbo-api did not build:\n{output}");
    let lost: Vec<&str> = output
        .lines()
        .filter(|l| l.contains("left out:") || l.contains("untyped (any JSON value)"))
        .collect();
    println!("{}", lost.join("\n"));
    assert_eq!(lost.len(), 2, "{output}");
    assert!(
        lost.iter()
            .any(|l| l.contains(&format!("({operation}) left out: progenitor:"))),
        "{output}"
    );
    assert!(
        lost.iter().any(|l| l.contains(
            "fotbo-api: schema /components/schemas/NotAnObject untyped (any JSON value)"
        )),
        "{output}"
    );
    assert!(lost.iter().all(|l| l.starts_with("warning: fotbo-api@")));

    // Strict, the first loss is the build's error, naming the schema and where it is.
    let (built, output) = cargo_build(&root, &file, true, true);
    assert!(!built, "a strict build refuses the losses");
    assert!(
        output.contains("fotbo-api cannot be generated")
            && output.contains("progenitor stage (schema) at /components/schemas/NotAnObject"),
        "{output}"
    );
}

/// A user's build (no JSONPath engine) of a spec the twin was not resolved for: a client all
/// the same, one warning that the corrections are missing and what to do; strict, an error.
#[test]
fn a_spec_the_overlay_was_not_resolved_for_builds_without_the_corrections_and_says_so() {
    if in_a_rehearsal() {
        return;
    }
    let root = workspace();
    let mut spec = active_spec(&root);
    // One byte of difference is another spec.
    spec["info"]["description"] = json!("a spec the overlay was not resolved for");
    let (_dir, file) = write_spec(&spec, "other.json");

    let (built, output) = cargo_build(&root, &file, false, false);
    assert!(built, "fotbo-api did not build:\n{output}");
    let warned: Vec<&str> = output
        .lines()
        .filter(|l| l.contains("the wire corrections are not applied"))
        .collect();
    assert_eq!(warned.len(), 1, "{output}");
    assert!(
        warned[0].contains("run `cargo xtask regen`, or build with fotbo-api's `jsonpath` feature"),
        "{output}"
    );

    let (built, output) = cargo_build(&root, &file, true, false);
    assert!(!built, "a strict build refuses a spec it cannot correct");
    assert!(
        output.contains("fotbo-api cannot be generated")
            && output.contains("resolved for another spec"),
        "{output}"
    );
}
