//! CHANGELOG.md, in the Keep a Changelog style: regen adds an entry per spec change under
//! `## [Unreleased]`, newest first, each item marked **breaking** or not, with the version the
//! next release of fotbo-api takes (Semantic Versioning).

use std::path::Path;

use anyhow::{Context, Result};

use crate::drift::{next_version, Drift, Section};

const HEADER: &str = "# Changelog\n\nAll notable changes to fotbo-api are written here. The format follows\n[Keep a Changelog](https://keepachangelog.com/en/1.1.0/), and fotbo-api follows\n[Semantic Versioning](https://semver.org/spec/v2.0.0.html). `cargo xtask regen` adds an\nentry for every change of the API it generates from spec/, each item marked **breaking** or\nnot by what a Rust user of the crate feels.\n\n## [Unreleased]\n";

/// The entry for one regeneration; `None` when users would notice nothing.
pub fn entry(drift: &Drift, spec: &str, current_version: &str, date: &str) -> Option<String> {
    let next = next_version(current_version, drift)?;
    let kind = if drift.breaking() {
        "breaking"
    } else {
        "additive"
    };
    let mut out = format!(
        "\n### API from {spec} ({date}): {kind}, the next release is {next} (now {current_version})\n"
    );
    for (section, title) in [
        (Section::Added, "Added"),
        (Section::Changed, "Changed"),
        (Section::Removed, "Removed"),
    ] {
        let items: Vec<_> = drift
            .changes
            .iter()
            .filter(|c| c.section == section)
            .collect();
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!("\n#### {title}\n\n"));
        for c in items {
            let mark = if c.breaking { "**breaking** " } else { "" };
            out.push_str(&format!("- {mark}{}\n", c.text));
        }
    }
    Some(out)
}

/// Adds an entry right under `## [Unreleased]` (creating the file or the heading as needed).
pub fn add(path: &Path, entry: &str) -> Result<()> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => HEADER.to_string(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let heading = "## [Unreleased]\n";
    let updated = match text.find(heading) {
        Some(at) => {
            let cut = at + heading.len();
            format!("{}{entry}{}", &text[..cut], &text[cut..])
        }
        None => format!("{}\n{heading}{entry}", text.trim_end()),
    };
    std::fs::write(path, updated).with_context(|| format!("writing {}", path.display()))
}

/// The workspace's version (`[workspace.package] version` in the root Cargo.toml).
pub fn workspace_version(root: &Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).ok()?;
    let section = text.split("[workspace.package]").nth(1)?;
    section.lines().find_map(|l| {
        let value = l.trim().strip_prefix("version")?.trim().strip_prefix('=')?;
        Some(value.trim().trim_matches('"').to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::Change;

    #[test]
    fn entries_go_under_unreleased_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("CHANGELOG.md");
        let drift = Drift {
            changes: vec![
                Change {
                    section: Section::Removed,
                    breaking: true,
                    text: "`a`: GET /a".into(),
                },
                Change {
                    section: Section::Added,
                    breaking: false,
                    text: "`b`: GET /b".into(),
                },
            ],
            ..Drift::default()
        };
        let first = entry(&drift, "spec/x-1.json", "0.1.0", "2026-11-28").unwrap();
        assert!(
            first.contains("breaking, the next release is 0.2.0 (now 0.1.0)"),
            "{first}"
        );
        assert!(
            first.contains("#### Removed\n\n- **breaking** `a`: GET /a"),
            "{first}"
        );
        add(&path, &first).unwrap();
        add(&path, "\n### second\n").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# Changelog"));
        let second = text.find("### second").unwrap();
        let earlier = text.find("### API from spec/x-1.json").unwrap();
        assert!(second < earlier, "{text}");
        assert_eq!(entry(&Drift::default(), "s", "0.1.0", "d"), None);
    }

    #[test]
    fn reads_the_workspace_version() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        assert!(workspace_version(&root).is_some_and(|v| v.split('.').count() == 3));
    }
}
