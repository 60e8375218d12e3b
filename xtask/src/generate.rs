//! `cargo xtask generate`: the generator on any spec file.

use std::path::Path;

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
