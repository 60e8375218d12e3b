//! The declared MSRV (`rust-version` in the workspace) is honest: no dependency the lock file
//! resolves asks for a newer Rust. (It was 1.85 while progenitor-client needed 1.88 and the
//! locked uuid 1.89.)

use std::process::Command;

use serde_json::Value;

/// `1.89` and `1.89.0` alike, as (major, minor, patch).
fn version(v: &str) -> (u64, u64, u64) {
    let mut parts = v.split('.').map(|p| p.parse().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

/// The host triple, as rustc reports it.
fn host() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let output = Command::new(rustc).arg("-vV").output().expect("rustc -vV");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_string()
}

#[test]
fn rust_version_covers_every_resolved_dependency() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Offline, the registry holds only what this machine's builds downloaded: the packages of
    // other platforms (android_system_properties …) are not there, and metadata over every
    // platform would fail on a fresh machine. The host's packages are the ones built here.
    let output = Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .args(["--filter-platform", &host()])
        .current_dir(&root)
        .output()
        .expect("cargo metadata");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("metadata is JSON");
    let members: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .expect("members")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let packages = metadata["packages"].as_array().expect("packages");
    let declared: Vec<&str> = packages
        .iter()
        .filter(|p| p["id"].as_str().is_some_and(|id| members.contains(&id)))
        .filter_map(|p| p["rust_version"].as_str())
        .collect();
    assert!(
        !declared.is_empty(),
        "the workspace declares no rust-version"
    );
    let ours = declared
        .iter()
        .map(|v| version(v))
        .min()
        .unwrap_or_default();
    let newer: Vec<String> = packages
        .iter()
        .filter(|p| !p["id"].as_str().is_some_and(|id| members.contains(&id)))
        .filter_map(|p| {
            let needed = p["rust_version"].as_str()?;
            (version(needed) > ours)
                .then(|| format!("{} {} needs {needed}", p["name"], p["version"]))
        })
        .collect();
    assert!(
        newer.is_empty(),
        "rust-version {:?} is below what dependencies need: {newer:?}",
        declared
    );
}
