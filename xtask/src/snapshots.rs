//! Reading and writing insta snapshot files ourselves, in the exact format insta writes, so
//! that `cargo xtask regen` can accept a changed spec without cargo-insta installed.

use std::path::{Path, PathBuf};

/// A snapshot file: where it is, and the test that asserts it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub path: PathBuf,
    pub source: &'static str,
}

impl Snapshot {
    pub fn new(dir: &Path, name: &str, source: &'static str) -> Self {
        Snapshot {
            path: dir.join(format!("{name}.snap")),
            source,
        }
    }

    /// The file as insta writes it for `contents`.
    pub fn render(&self, contents: &str) -> String {
        format!(
            "---\nsource: {}\n---\n{}\n",
            self.source,
            contents.trim_end().replace("\r\n", "\n")
        )
    }

    /// The contents of the file on disk, without the header; None when there is no file.
    pub fn read_contents(&self) -> Option<String> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let body = text.strip_prefix("---\n")?;
        let end = body.find("\n---\n")?;
        Some(body[end + 5..].to_string())
    }

    /// Whether the file on disk is exactly what `render(contents)` gives.
    pub fn is_current(&self, contents: &str) -> bool {
        std::fs::read_to_string(&self.path).is_ok_and(|t| t == self.render(contents))
    }
}

/// The snapshots the generator's tests assert, for the Fotbo spec.
pub fn fotbo(dir: &Path) -> [Snapshot; 3] {
    let source = "generator/tests/fotbo_spec.rs";
    [
        Snapshot::new(dir, "api-surface", source),
        Snapshot::new(dir, "normalization-report", source),
        Snapshot::new(dir, "client-code", source),
    ]
}
