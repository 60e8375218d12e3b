//! `cargo xtask regen` on a copy of the workspace layout: an unchanged spec touches no file; a
//! drifted spec (one operation added, one removed, one parameter changed) is reported, fails
//! `--check`, and is accepted by a plain run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use xtask::regen::{regen, Layout, RegenOptions};

const CHECK: RegenOptions = RegenOptions {
    check: true,
    build: false,
    snapshots: false,
};
const WRITE: RegenOptions = RegenOptions {
    check: false,
    build: false,
    snapshots: false,
};

fn layout(root: &Path, spec: &Value) -> Layout {
    let layout = Layout {
        spec_dir: root.join("spec"),
        snapshot_dir: root.join("snapshots"),
        quirks_dir: root.join("quirks"),
        changelog: root.join("CHANGELOG.md"),
    };
    std::fs::create_dir_all(&layout.spec_dir).unwrap();
    std::fs::create_dir_all(&layout.quirks_dir).unwrap();
    std::fs::write(layout.spec_dir.join("ACTIVE"), "fotbo-1.0.5.json\n").unwrap();
    write_spec(&layout, spec);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../generator/tests/quirks/misplaced_operation_keys.json");
    std::fs::copy(
        fixture,
        layout.quirks_dir.join("misplaced_operation_keys.json"),
    )
    .unwrap();
    layout
}

fn write_spec(layout: &Layout, spec: &Value) {
    std::fs::write(
        layout.spec_dir.join("fotbo-1.0.5.json"),
        serde_json::to_string_pretty(spec).unwrap() + "\n",
    )
    .unwrap();
}

fn mini() -> Value {
    serde_json::from_slice(
        &std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fotbo-mini.json"),
        )
        .unwrap(),
    )
    .unwrap()
}

/// Every file under `dir` with its bytes and modification time.
fn files(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let meta = std::fs::metadata(&path).unwrap();
                out.insert(
                    path.clone(),
                    (std::fs::read(&path).unwrap(), meta.modified().unwrap()),
                );
            }
        }
    }
    out
}

#[test]
fn unchanged_spec_touches_no_file() {
    let root = tempfile::tempdir().unwrap();
    let layout = layout(root.path(), &mini());
    let first = regen(&layout, &WRITE).unwrap();
    assert_eq!(first.stale.len(), 2, "the record and one fixture written");
    assert!(
        first.changelog_entry.is_none(),
        "a first generation is no change"
    );
    let before = files(root.path());
    let again = regen(&layout, &WRITE).unwrap();
    assert!(again.stale.is_empty());
    assert!(again.drift.is_empty(), "{}", again.drift);
    assert_eq!(
        files(root.path()),
        before,
        "a regen of an unchanged spec wrote something"
    );
    assert!(regen(&layout, &CHECK).unwrap().stale.is_empty());
}

#[test]
fn drift_is_reported_checked_and_accepted() {
    let root = tempfile::tempdir().unwrap();
    let layout = layout(root.path(), &mini());
    regen(&layout, &WRITE).unwrap();

    let mut drifted = mini();
    let paths = drifted["paths"].as_object_mut().unwrap();
    // Removed: reboot. Added: shelve. Changed: regions list gains a query parameter.
    let reboot = paths
        .remove("/backend/api/openstack/instances/{instance_id}/reboot")
        .unwrap();
    paths.insert(
        "/backend/api/openstack/instances/{instance_id}/shelve".into(),
        reboot,
    );
    paths["/backend/api/openstack/regions"]["get"]["parameters"] =
        json!([{"name": "page", "in": "query", "schema": {"type": "string"}}]);
    write_spec(&layout, &drifted);

    let before = files(root.path());
    let checked = regen(&layout, &CHECK).unwrap();
    assert!(
        !checked.stale.is_empty(),
        "--check must fail on a drifted spec"
    );
    assert_eq!(files(root.path()), before, "--check changed a file");
    let summary = checked.summary(true);
    println!("{summary}");
    assert_eq!(checked.drift.added, ["instances_shelve: POST /backend/api/openstack/instances/{instance_id}/shelve  [Instances (VPS)]"]);
    assert_eq!(checked.drift.removed, ["instances_reboot: POST /backend/api/openstack/instances/{instance_id}/reboot  [Instances (VPS)]"]);
    assert_eq!(checked.drift.changed.len(), 1);
    assert_eq!(checked.drift.changed[0].0, "regions_list");
    assert!(
        summary.contains("1 added, 1 removed, 1 changed"),
        "{summary}"
    );
    assert!(
        summary.contains("now: params: query page?: string"),
        "{summary}"
    );
    assert!(summary.contains("would change"), "{summary}");

    // Classified: the removed operation breaks callers, the new one and the new optional
    // parameter do not; the changelog entry says so.
    let entry = checked.changelog_entry.clone().unwrap();
    assert!(
        entry.contains("breaking, the next release is 0.2.0"),
        "{entry}"
    );
    assert!(
        entry.contains("- **breaking** `instances_reboot`: POST /backend/api/openstack/instances/{instance_id}/reboot"),
        "{entry}"
    );
    assert!(
        entry.contains("- `regions_list`: optional query parameter `page`"),
        "{entry}"
    );
    assert!(!layout.changelog.exists(), "--check writes no changelog");

    let written = regen(&layout, &WRITE).unwrap();
    assert_eq!(written.drift, checked.drift);
    let changelog = std::fs::read_to_string(&layout.changelog).unwrap();
    assert!(
        changelog.contains("## [Unreleased]\n\n### API from spec/fotbo-1.0.5.json"),
        "{changelog}"
    );
    assert!(
        regen(&layout, &CHECK).unwrap().stale.is_empty(),
        "accepted snapshots are current"
    );
}

#[test]
fn a_broken_spec_is_an_error_not_a_panic() {
    let root = tempfile::tempdir().unwrap();
    let layout = layout(
        root.path(),
        // A value of the wrong type is repaired now (unreadable-values); an OpenAPI version
        // the generator does not read is still refused, naming the place.
        &json!({"openapi": "4.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}),
    );
    let e = regen(&layout, &CHECK).unwrap_err();
    assert!(format!("{e:#}").contains("at /openapi"), "{e:#}");
}

#[test]
fn the_committed_spec_is_in_the_format_fetch_writes() {
    // So that fetching the identical document reports no change.
    let path = xtask::paths::active_spec(&xtask::paths::spec_dir().unwrap()).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    assert!(
        xtask::fetch::canonical_json(&value).unwrap() == text,
        "{} is not in canonical form",
        path.display()
    );
}

#[test]
fn the_binary_acts_on_the_checkout_it_runs_in() {
    // A second checkout (here: a minimal one with another spec), and the xtask binary built
    // from this one, run inside it: it must check the second checkout's files, not ours.
    let copy = tempfile::tempdir().unwrap();
    let root = copy.path();
    std::fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    std::fs::create_dir_all(root.join("xtask")).unwrap();
    std::fs::write(
        root.join("xtask/Cargo.toml"),
        "[package]\nname = \"xtask\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("generator/snapshots")).unwrap();
    std::fs::create_dir_all(root.join("generator/tests/quirks")).unwrap();
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::write(root.join("spec/ACTIVE"), "fotbo-1.0.5.json\n").unwrap();
    std::fs::write(
        root.join("spec/fotbo-1.0.5.json"),
        serde_json::to_string_pretty(&mini()).unwrap() + "\n",
    )
    .unwrap();
    let ours = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/snapshots");
    let before = files(&ours);

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regen", "--check"])
        .current_dir(root.join("generator"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("generator/snapshots/api.json"), "{stdout}");
    assert!(
        !root.join("generator/snapshots/api.json").exists(),
        "--check writes nothing"
    );
    assert_eq!(files(&ours), before, "our own checkout was not touched");

    // Outside any checkout it refuses, saying why.
    let outside = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regen", "--check"])
        .current_dir(outside.path())
        .output()
        .unwrap();
    assert_ne!(output.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("not inside a fotbo-api checkout"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
