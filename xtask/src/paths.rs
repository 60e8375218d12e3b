//! Where things are in the workspace.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};

/// The workspace this command acts on: the nearest directory, from the current one upwards,
/// that holds this workspace's layout (a Cargo.toml, spec/ and xtask/). Found at run time, not
/// from where the binary was compiled: with a cargo target directory shared between
/// checkouts, one binary serves them all, and each must act on its own files.
pub fn root() -> Result<PathBuf> {
    let start = std::env::current_dir().context("cannot read the current directory")?;
    find_root(&start)
}

/// The workspace root at or above `start`.
pub fn find_root(start: &Path) -> Result<PathBuf> {
    start
        .ancestors()
        .find(|dir| {
            dir.join("Cargo.toml").is_file()
                && dir.join("spec").is_dir()
                && dir.join("xtask").join("Cargo.toml").is_file()
        })
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            anyhow!(
                "{} is not inside a fotbo-api checkout (no Cargo.toml with spec/ and xtask/ beside it)",
                start.display()
            )
        })
}

/// The cargo that runs this command (so a nested build uses the same toolchain).
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// spec/.
pub fn spec_dir() -> Result<PathBuf> {
    Ok(root()?.join("spec"))
}

/// The spec file named in spec/ACTIVE (read by the generator's one helper).
pub fn active_spec(spec_dir: &Path) -> Result<PathBuf> {
    let name = generator::inputs::active_name(spec_dir).map_err(|e| anyhow!("{e}"))?;
    let active = spec_dir.join(generator::inputs::ACTIVE_FILE);
    let path = spec_dir.join(&name);
    if !path.is_file() {
        return Err(anyhow!(
            "{} names {name}, which does not exist",
            active.display()
        ));
    }
    Ok(path)
}

/// generator/snapshots/.
pub fn snapshot_dir() -> Result<PathBuf> {
    Ok(root()?.join("generator").join("snapshots"))
}

/// generator/tests/quirks/.
pub fn quirks_dir() -> Result<PathBuf> {
    Ok(root()?.join("generator").join("tests").join("quirks"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_found_from_inside_and_not_from_outside() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = find_root(&here.join("src")).unwrap();
        assert_eq!(root, here.parent().unwrap());
        let outside = std::env::temp_dir().join(format!("xtask-no-root-{}", std::process::id()));
        std::fs::create_dir_all(&outside).unwrap();
        let e = find_root(&outside).unwrap_err();
        assert!(
            e.to_string().contains("not inside a fotbo-api checkout"),
            "{e}"
        );
    }
}
