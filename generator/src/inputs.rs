//! What the fotbo-api build generates from, found in one place: the spec that `spec/ACTIVE`
//! names and the wire-corrections overlay beside it. build.rs, xtask and the tests all read
//! their inputs through here, so none of them names a spec file of its own.

use std::path::{Path, PathBuf};

use crate::error::{Error, Stage};
#[cfg(all(feature = "yaml", feature = "jsonpath"))]
use crate::overlay::RESOLVED_KEY;
use crate::overlay::{fnv1a64, read_document, Overlay};
use crate::settings::Settings;

/// The file in spec/ that names the active spec.
pub const ACTIVE_FILE: &str = "ACTIVE";
/// The wire-corrections overlay in spec/ (optional: without it the spec is taken as it is).
pub const OVERLAY_FILE: &str = "wire-corrections.overlay.yaml";
/// Its JSON twin, written by `cargo xtask regen`: what a build without the generator's `yaml`
/// feature (fotbo-api's build script) reads, so that no YAML parser is compiled for it.
pub const OVERLAY_JSON_FILE: &str = "wire-corrections.overlay.json";
/// The twin's record of the YAML it was written from.
const TWIN_OF: &str = "x-twin-of";

/// The overlay file a build reads in `spec_dir`, if there is one: the YAML with the `yaml`
/// feature, else its JSON twin — and an error, never no overlay, when the YAML is there
/// without its twin.
pub fn overlay_in(spec_dir: &Path) -> Result<Option<PathBuf>, Error> {
    let yaml = spec_dir.join(OVERLAY_FILE);
    if cfg!(feature = "yaml") {
        return Ok(yaml.is_file().then_some(yaml));
    }
    let twin = spec_dir.join(OVERLAY_JSON_FILE);
    if twin.is_file() {
        return Ok(Some(twin));
    }
    if yaml.is_file() {
        return Err(Error::new(
            Stage::Overlay,
            format!(
                "{} has no JSON twin ({OVERLAY_JSON_FILE}), which this build reads: run `cargo xtask regen`",
                yaml.display()
            ),
        ));
    }
    Ok(None)
}

/// The JSON twin of an overlay YAML, resolved for one spec: the same document as JSON, with
/// a record of the YAML's hash (so that a build reading the twin can tell it is stale) and of
/// where each target points in `spec` (so that a build of that spec needs no JSONPath engine:
/// see [`crate::overlay`]).
#[cfg(all(feature = "yaml", feature = "jsonpath"))]
pub fn overlay_twin(yaml: &[u8], spec: &[u8]) -> Result<String, Error> {
    let mut value = read_document(yaml)?;
    // Refuse what the generator would refuse, before anything is written.
    let overlay = Overlay::from_document(&value)?;
    let mut doc = crate::load::load(spec)?;
    let (_, targets) = overlay.resolve(&mut doc);
    if let Some(root) = value.as_object_mut() {
        root.insert(
            TWIN_OF.into(),
            serde_json::json!({"file": OVERLAY_FILE, "fnv1a64": fnv1a64(yaml)}),
        );
        root.insert(
            RESOLVED_KEY.into(),
            serde_json::json!({"spec_fnv1a64": fnv1a64(spec), "targets": targets}),
        );
    }
    serde_json::to_string_pretty(&value)
        .map(|t| t + "\n")
        .map_err(|e| Error::new(Stage::Overlay, format!("cannot write the twin: {e}")))
}

/// A twin read: refused when the YAML beside it is not the one it was written from.
fn check_twin(path: &Path, twin: &serde_json::Value) -> Result<(), Error> {
    let Some(yaml_path) = path.parent().map(|d| d.join(OVERLAY_FILE)) else {
        return Ok(());
    };
    let Ok(yaml) = std::fs::read(&yaml_path) else {
        return Ok(()); // the twin alone (a package without the YAML) is what there is
    };
    let recorded = twin
        .get(TWIN_OF)
        .and_then(|t| t.get("fnv1a64"))
        .and_then(serde_json::Value::as_str);
    if recorded != Some(fnv1a64(&yaml).as_str()) {
        return Err(Error::new(
            Stage::Overlay,
            format!(
                "{} changed after {} was written from it: run `cargo xtask regen`",
                yaml_path.display(),
                path.display()
            ),
        ));
    }
    Ok(())
}

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
        let overlay = overlay_in(spec_dir)?;
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
                let in_file = |e: Error| e.context(format!("overlay {}", path.display()));
                // Read once: the twin's own record and the overlay come from the same value.
                let document = read_document(&bytes).map_err(in_file)?;
                if path.file_name().is_some_and(|n| n == OVERLAY_JSON_FILE) {
                    check_twin(path, &document)?;
                }
                Some(Overlay::from_document(&document).map_err(in_file)?)
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
    #[cfg(feature = "yaml")]
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
        if cfg!(feature = "yaml") {
            assert_eq!(e.pointer.as_deref(), Some("/actions"), "{e}");
        } else {
            // A build that reads the JSON twin: the YAML alone is no overlay it can read.
            assert!(e.to_string().contains("has no JSON twin"), "{e}");
        }
        // The twin alone (a package without the YAML), broken, is named where it is.
        #[cfg(not(feature = "yaml"))]
        {
            std::fs::write(
                d.join(OVERLAY_JSON_FILE),
                r#"{"overlay": "1.0.0", "actions": 3}"#,
            )
            .unwrap();
            std::fs::remove_file(d.join(OVERLAY_FILE)).unwrap();
            let e = SpecInputs::active(d).unwrap_err();
            assert_eq!(e.pointer.as_deref(), Some("/actions"), "{e}");
        }
    }

    #[test]
    #[cfg(all(feature = "yaml", feature = "jsonpath"))]
    fn a_twin_is_read_only_while_it_is_the_yamls() {
        let guard = dir();
        let d = guard.path();
        std::fs::write(d.join("spec.json"), "{}").unwrap();
        let yaml = "overlay: 1.0.0\nactions:\n  - target: $.a\n    remove: true\n";
        std::fs::write(d.join(OVERLAY_FILE), yaml).unwrap();
        let spec = br#"{"openapi": "3.1.0", "a": 1}"#;
        let twin = overlay_twin(yaml.as_bytes(), spec).unwrap();
        std::fs::write(d.join(OVERLAY_JSON_FILE), &twin).unwrap();
        let read =
            SpecInputs::from_files(&d.join("spec.json"), Some(&d.join(OVERLAY_JSON_FILE))).unwrap();
        let from_yaml =
            SpecInputs::from_files(&d.join("spec.json"), Some(&d.join(OVERLAY_FILE))).unwrap();
        // The same actions either way, and the twin knows where they point in this spec: the
        // build that reads the twin generates the same code.
        let (read, from_yaml) = (read.overlay.unwrap(), from_yaml.overlay.unwrap());
        assert_eq!(read.actions, from_yaml.actions);
        assert!(from_yaml.resolved.is_none());
        let resolved = read.resolved.unwrap();
        assert_eq!(resolved.spec_fnv1a64, fnv1a64(spec));
        assert_eq!(resolved.targets, vec![vec!["/a".to_string()]]);
        // The YAML edited, the twin not rewritten: refused, saying what to do.
        std::fs::write(d.join(OVERLAY_FILE), yaml.replace("$.a", "$.b")).unwrap();
        let e = SpecInputs::from_files(&d.join("spec.json"), Some(&d.join(OVERLAY_JSON_FILE)))
            .unwrap_err()
            .to_string();
        assert!(e.contains("run `cargo xtask regen`"), "{e}");
    }
}
