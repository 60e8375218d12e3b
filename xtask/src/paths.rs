//! Where things are in the workspace.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};

/// The workspace root (the parent of xtask/).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// spec/.
pub fn spec_dir() -> PathBuf {
    root().join("spec")
}

/// The spec file named in spec/ACTIVE.
pub fn active_spec(spec_dir: &Path) -> Result<PathBuf> {
    let active = spec_dir.join("ACTIVE");
    let name = std::fs::read_to_string(&active)
        .with_context(|| format!("reading {}", active.display()))?;
    let name = name.trim();
    if name.is_empty() || name.contains(['/', '\\']) {
        bail!(
            "{} must name one file in spec/, found {name:?}",
            active.display()
        );
    }
    let path = spec_dir.join(name);
    if !path.is_file() {
        return Err(anyhow!(
            "{} names {name}, which does not exist",
            active.display()
        ));
    }
    Ok(path)
}

/// generator/snapshots/.
pub fn snapshot_dir() -> PathBuf {
    root().join("generator").join("snapshots")
}

/// generator/tests/quirks/.
pub fn quirks_dir() -> PathBuf {
    root().join("generator").join("tests").join("quirks")
}
