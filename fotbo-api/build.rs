//! Generates the client from the spec named in `spec/ACTIVE` (written by `cargo xtask fetch`),
//! with the wire corrections of `spec/wire-corrections.overlay.yaml` applied, into
//! `$OUT_DIR/fotbo.rs`. A generation failure stops the build with the generator's own message
//! (stage, rule or operation, JSON pointer), not a panic.
//!
//! Whatever file the spec is, the build gets a client: a schema the generator cannot type is
//! generated as an untyped value and an operation it cannot generate is left out, each named
//! in one `cargo:warning` line. `FOTBO_STRICT_GENERATION=1` makes any such loss fail the build
//! instead (what CI and `cargo xtask regen --check` hold the workspace to).
//!
//! `FOTBO_SPEC_PATH` names another spec file to generate from instead (the overlay still
//! applies); `cargo xtask bench` uses it to measure rebuilds after a spec change without
//! touching spec/. `FOTBO_GENERATION_TIMINGS` names a file to write the stages' times to (the
//! bench reads them; the code is the same with or without it).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use generator::inputs::{SpecInputs, ACTIVE_FILE, OVERLAY_FILE, OVERLAY_JSON_FILE};
use generator::Losses;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: fotbo-api cannot be generated: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    println!("cargo:rerun-if-env-changed=FOTBO_SPEC_PATH");
    println!("cargo:rerun-if-env-changed=FOTBO_STRICT_GENERATION");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    // `fotbo-api/spec` is the workspace's spec/ (a symlink in the repository, a copy in the
    // published package), so the crate builds the same inside the workspace and from its .crate.
    let spec_dir = manifest.join("spec");
    // Re-run when ACTIVE changes or the overlay appears or goes.
    println!(
        "cargo:rerun-if-changed={}",
        spec_dir.join(ACTIVE_FILE).display()
    );
    // The YAML too: the twin is refused when the YAML changed after it was written.
    for overlay in [OVERLAY_FILE, OVERLAY_JSON_FILE] {
        println!(
            "cargo:rerun-if-changed={}",
            spec_dir.join(overlay).display()
        );
    }
    let inputs = match std::env::var_os("FOTBO_SPEC_PATH") {
        Some(path) => {
            let overlay = generator::inputs::overlay_in(&spec_dir).map_err(|e| e.to_string())?;
            SpecInputs::from_files(Path::new(&path), overlay.as_deref())
        }
        None => SpecInputs::active(&spec_dir),
    }
    .map_err(|e| e.to_string())?;
    for file in inputs.files() {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    let mut settings = inputs.fotbo_settings();
    if std::env::var_os("FOTBO_STRICT_GENERATION").is_some_and(|v| v != "0" && !v.is_empty()) {
        settings.losses = Losses::Refused;
    }
    // The `mock` feature: typed mocks in the client's own types (`crate::types`).
    let mock = std::env::var_os("CARGO_FEATURE_MOCK").is_some();
    if mock {
        settings.mock_crate_path = Some("crate".into());
    }
    // The `cli` feature: the `fotbo` program's command table.
    settings.cli = std::env::var_os("CARGO_FEATURE_CLI").is_some();
    let generated = generator::generate(&inputs.spec, &settings)
        .map_err(|e| format!("{}: {e}", inputs.spec_path.display()))?;

    // `cargo xtask bench` times the stages of this script as a user's debug build runs it.
    if let Some(path) = std::env::var_os("FOTBO_GENERATION_TIMINGS") {
        write_timings(Path::new(&path), &generated.timings)?;
    }

    // What could not be generated, one line each: never left out in silence.
    if let Some(why) = &generated.report.overlay_unapplied {
        println!("cargo::warning=fotbo-api: the wire corrections are not applied: {why}");
    }
    for loss in &generated.report.losses {
        println!("cargo::warning=fotbo-api: {loss}");
    }

    // Hand-written helpers compile only where the spec has their operation.
    println!("cargo::rustc-check-cfg=cfg(fotbo_helper, values(any()))");
    for helper in &settings.runtime_helpers {
        if helper.available_in(&generated.api) {
            println!("cargo::rustc-cfg=fotbo_helper=\"{}\"", helper.name);
        } else {
            println!(
                "cargo::warning=fotbo-api: `{}` is left out: the spec has no operation `{}` with path parameters {:?}",
                helper.name, helper.operation, helper.path_params
            );
        }
    }

    let out_dir = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    if let Some(mock) = &generated.mock {
        write_if_changed(&out_dir.join("fotbo_mock.rs"), mock)?;
    }
    if let Some(cli) = &generated.cli {
        write_if_changed(&out_dir.join("fotbo_cli.rs"), cli)?;
    }
    write_if_changed(&out_dir.join("fotbo.rs"), &generated.code)
}

/// Leaves the file (and its timestamp) alone when the code is the same.
fn write_if_changed(path: &Path, code: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == code) {
        return Ok(());
    }
    std::fs::write(path, code).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The stages' times as one JSON object of milliseconds (`{"load": 1.2, …}`).
fn write_timings(path: &Path, timings: &generator::Timings) -> Result<(), String> {
    let fields: Vec<String> = timings
        .stages()
        .iter()
        .map(|(stage, d)| format!("\"{stage}\": {:.3}", d.as_secs_f64() * 1000.0))
        .collect();
    let json = format!("{{{}}}\n", fields.join(", "));
    std::fs::write(path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
