//! Generates the client from the spec named in `spec/ACTIVE` (written by `cargo xtask fetch`)
//! into `$OUT_DIR/fotbo.rs`. A generation failure stops the build with the generator's own
//! message (stage, rule or operation, JSON pointer), not a panic.
//!
//! `FOTBO_SPEC_PATH` names another spec file to generate from instead; `cargo xtask bench`
//! uses it to measure rebuilds after a spec change without touching spec/.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
    let (spec_path, name) = match std::env::var_os("FOTBO_SPEC_PATH") {
        Some(path) => {
            let path = PathBuf::from(path);
            let name = path.display().to_string();
            (path, name)
        }
        None => active_spec()?,
    };
    println!("cargo:rerun-if-changed={}", spec_path.display());
    let spec = std::fs::read(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;

    let mut settings = generator::Settings::fotbo();
    settings.source_name = name;
    let generated = generator::generate(&spec, &settings)
        .map_err(|e| format!("{}: {e}", spec_path.display()))?;

    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?).join("fotbo.rs");
    write_if_changed(&out, &generated.code)
}

/// The spec named in spec/ACTIVE, and how the generated file's header names it.
fn active_spec() -> Result<(PathBuf, String), String> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    let spec_dir = manifest.join("..").join("spec");
    let active = spec_dir.join("ACTIVE");
    println!("cargo:rerun-if-changed={}", active.display());
    let name = std::fs::read_to_string(&active)
        .map_err(|e| format!("cannot read {}: {e}", active.display()))?
        .trim()
        .to_string();
    if name.is_empty() || name.contains(['/', '\\']) {
        return Err(format!(
            "{} must name one file in spec/, found {name:?}",
            active.display()
        ));
    }
    Ok((spec_dir.join(&name), format!("spec/{name}")))
}

/// Leaves the file (and its timestamp) alone when the code is the same.
fn write_if_changed(path: &Path, code: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == code) {
        return Ok(());
    }
    std::fs::write(path, code).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
