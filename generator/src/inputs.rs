//! What the fotbo-api build generates from, found in one place: the spec that `spec/ACTIVE`
//! names and the wire-corrections overlay beside it. build.rs, xtask and the tests all read
//! their inputs through here, so none of them names a spec file of its own.

use std::path::{Path, PathBuf};

use crate::error::{Error, Stage};
use crate::overlay::Overlay;
use crate::settings::Settings;

/// The file in spec/ that names the active spec.
pub const ACTIVE_FILE: &str = "ACTIVE";
/// The wire-corrections overlay in spec/ (optional: without it the spec is taken as it is).
pub const OVERLAY_FILE: &str = "wire-corrections.overlay.yaml";

/// The spec and overlay one generation reads.
#[derive(Debug, Clone)]
pub struct SpecInputs {
    /// The spec file.
    pub spec_path: PathBuf,
    /// How the generated file's header names the spec (`spec/<file>`).
    pub spec_name: String,
    /// The spec's bytes.
    pub spec: Vec<u8>,
    /// The overlay file, when there is one.
    pub overlay_path: Option<PathBuf>,
    /// The parsed overlay.
    pub overlay: Option<Overlay>,
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::new(
        Stage::Load,
        format!("cannot read {what} {}: {e}", path.display()),
    )
}

/// The name written in `spec/ACTIVE`, checked to be one file in spec/.
pub fn active_name(spec_dir: &Path) -> Result<String, Error> {
    let active = spec_dir.join(ACTIVE_FILE);
    let name = std::fs::read_to_string(&active).map_err(|e| io_error("", &active, e))?;
    let name = name.trim();
    if name.is_empty() || name.contains(['/', '\\']) || name == ".." {
        return Err(Error::new(
            Stage::Load,
            format!(
                "{} must name one file in spec/, found {name:?}",
                active.display()
            ),
        ));
    }
    Ok(name.to_string())
}

impl SpecInputs {
    /// The active spec of a spec/ directory, with the overlay beside it if present.
    pub fn active(spec_dir: &Path) -> Result<Self, Error> {
        let name = active_name(spec_dir)?;
        let overlay = spec_dir.join(OVERLAY_FILE);
        let overlay = overlay.is_file().then_some(overlay);
        let mut inputs = Self::from_files(&spec_dir.join(&name), overlay.as_deref())?;
        inputs.spec_name = format!("spec/{name}");
        Ok(inputs)
    }

    /// A given spec file and, optionally, an overlay file.
    pub fn from_files(spec_path: &Path, overlay_path: Option<&Path>) -> Result<Self, Error> {
        let spec = std::fs::read(spec_path).map_err(|e| io_error("the spec", spec_path, e))?;
        let overlay = match overlay_path {
            Some(path) => {
                let bytes = std::fs::read(path).map_err(|e| io_error("the overlay", path, e))?;
                Some(
                    Overlay::parse(&bytes)
                        .map_err(|e| e.context(format!("overlay {}", path.display())))?,
                )
            }
            None => None,
        };
        Ok(SpecInputs {
            spec_path: spec_path.to_path_buf(),
            spec_name: spec_path.display().to_string(),
            spec,
            overlay_path: overlay_path.map(Path::to_path_buf),
            overlay,
        })
    }

    /// The fotbo-api settings for these inputs: [`Settings::fotbo`], this spec's name in the
    /// header, and the overlay.
    pub fn fotbo_settings(&self) -> Settings {
        Settings {
            source_name: self.spec_name.clone(),
            overlay: self.overlay.clone(),
            ..Settings::fotbo()
        }
    }

    /// Every file read, for build scripts' `rerun-if-changed`.
    pub fn files(&self) -> Vec<&Path> {
        std::iter::once(self.spec_path.as_path())
            .chain(self.overlay_path.as_deref())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory, removed when the returned guard goes.
    fn dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn follows_active_and_finds_the_overlay() {
        let guard = dir();
        let d = guard.path();
        std::fs::write(d.join("ACTIVE"), "x-2.0.json\n").unwrap();
        std::fs::write(d.join("x-2.0.json"), "{}").unwrap();
        let inputs = SpecInputs::active(d).unwrap();
        assert_eq!(inputs.spec_name, "spec/x-2.0.json");
        assert!(inputs.overlay.is_none());
        std::fs::write(
            d.join(OVERLAY_FILE),
            "overlay: 1.0.0\nactions:\n  - target: $.a\n    remove: true\n",
        )
        .unwrap();
        let inputs = SpecInputs::active(d).unwrap();
        assert_eq!(inputs.files().len(), 2);
        assert_eq!(inputs.overlay.map(|o| o.actions.len()), Some(1));
    }

    #[test]
    fn names_what_is_missing_or_wrong() {
        let guard = dir();
        let d = guard.path();
        let e = SpecInputs::active(d).unwrap_err();
        assert!(e.to_string().contains("ACTIVE"), "{e}");
        std::fs::write(d.join("ACTIVE"), "../etc/passwd").unwrap();
        assert!(SpecInputs::active(d)
            .unwrap_err()
            .to_string()
            .contains("one file"));
        std::fs::write(d.join("ACTIVE"), "gone.json").unwrap();
        assert!(SpecInputs::active(d)
            .unwrap_err()
            .to_string()
            .contains("gone.json"));
        std::fs::write(d.join("gone.json"), "{}").unwrap();
        std::fs::write(d.join(OVERLAY_FILE), "overlay: 1.0.0\nactions: 3\n").unwrap();
        let e = SpecInputs::active(d).unwrap_err();
        assert_eq!(e.pointer.as_deref(), Some("/actions"), "{e}");
    }
}
