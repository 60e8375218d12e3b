//! `cargo xtask generate`: the generator on any spec file; `cargo xtask corpus`: on a folder
//! of public specs, against progenitor alone.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use generator::{generate, Settings, SpecInputs};

/// Generates from `spec` into `out`: client.rs, api-surface.txt, normalization-report.md,
/// normalized.json (the OpenAPI 3.0.3 document handed to progenitor).
pub fn generate_to(
    spec: &Path,
    overlay: Option<&Path>,
    out: &Path,
    plain: bool,
) -> Result<generator::Generated> {
    let inputs = SpecInputs::from_files(spec, overlay).map_err(|e| anyhow::anyhow!("{e}"))?;
    let bytes = inputs.spec.clone();
    let name = spec.display().to_string();
    let mut settings = if plain {
        Settings::plain(name.clone())
    } else {
        inputs.fotbo_settings()
    };
    settings.overlay = inputs.overlay;
    let generated = generate(&bytes, &settings).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for (file, contents) in [
        ("client.rs", &generated.code),
        ("api-surface.txt", &generated.surface),
        ("normalization-report.md", &generated.report.to_string()),
        ("normalized.json", &generated.normalized),
    ] {
        let path = out.join(file);
        std::fs::write(&path, contents).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(generated)
}

/// The outcome of one tool on one spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Generated,
    Failed,
    Panicked,
}

fn progenitor_alone(bytes: &[u8]) -> Outcome {
    let parsed: Result<openapiv3::OpenAPI, String> = std::str::from_utf8(bytes)
        .map_err(|e| e.to_string())
        .and_then(generator::load::yaml_to_json)
        .and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string()));
    let Ok(spec) = parsed else {
        return Outcome::Failed;
    };
    // progenitor's panics are counted, not printed.
    match generator::quietly(|| progenitor_impl::Generator::default().generate_tokens(&spec)) {
        Ok(Ok(_)) => Outcome::Generated,
        Ok(Err(_)) => Outcome::Failed,
        Err(_) => Outcome::Panicked,
    }
}

fn ours(bytes: &[u8]) -> (Outcome, Option<String>) {
    match catch_unwind(AssertUnwindSafe(|| {
        generate(bytes, &Settings::plain("corpus"))
    })) {
        Ok(Ok(_)) => (Outcome::Generated, None),
        Ok(Err(e)) => (Outcome::Failed, Some(e.to_string())),
        Err(_) => (Outcome::Panicked, Some("panic".into())),
    }
}

fn spec_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            spec_files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml")
        ) && std::fs::read(&path).is_ok_and(|b| {
            let head = String::from_utf8_lossy(&b[..b.len().min(4096)]).to_string();
            head.contains("openapi") && head.contains("3.")
        }) {
            out.push(path);
        }
    }
}

/// Runs both tools over every OpenAPI 3 spec under `dir` (at most `limit`), printing a line
/// per spec where ours fails, and the totals.
pub fn corpus(dir: &Path, limit: usize) -> Result<String> {
    let mut files = Vec::new();
    spec_files(dir, &mut files);
    files.truncate(limit);
    // progenitor's panics are caught; keep their messages off the terminal.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let (mut ours_ok, mut ours_panic, mut alone_ok, mut alone_panic) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for (i, path) in files.iter().enumerate() {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        // Progress on stderr, so that a slow spec shows which it is.
        eprintln!(
            "[{}/{}] {} ({} KiB)",
            i + 1,
            files.len(),
            path.display(),
            bytes.len() / 1024
        );
        match progenitor_alone(&bytes) {
            Outcome::Generated => alone_ok += 1,
            Outcome::Panicked => alone_panic += 1,
            Outcome::Failed => {}
        }
        match ours(&bytes) {
            (Outcome::Generated, _) => ours_ok += 1,
            (Outcome::Panicked, _) => {
                ours_panic += 1;
                failures.push(format!("PANIC {}", path.display()));
            }
            (Outcome::Failed, e) => {
                failures.push(format!("{}: {}", path.display(), e.unwrap_or_default()))
            }
        }
    }
    std::panic::set_hook(hook);
    let n = files.len().max(1) as f64;
    let mut out = failures.join("\n");
    out.push_str(&format!(
        "\n\ncorpus: {} OpenAPI 3 specs under {} ({:.0} s)\n  generator:        {} generated ({:.1}%), {} panics\n  progenitor alone: {} generated ({:.1}%), {} panics\n",
        files.len(),
        dir.display(),
        started.elapsed().as_secs_f64(),
        ours_ok,
        100.0 * ours_ok as f64 / n,
        ours_panic,
        alone_ok,
        100.0 * alone_ok as f64 / n,
        alone_panic,
    ));
    Ok(out)
}
