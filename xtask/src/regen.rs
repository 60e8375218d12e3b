//! `cargo xtask regen`: regenerate from the committed spec, accept the snapshots, build
//! fotbo-api, and say what changed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use generator::{generate, Settings, SpecInputs};

use crate::drift::Drift;
use crate::paths;
use crate::snapshots::{self, Snapshot};

/// Where regen reads and writes (the workspace, or a copy of it in tests).
#[derive(Debug, Clone)]
pub struct Layout {
    pub spec_dir: PathBuf,
    pub snapshot_dir: PathBuf,
    pub quirks_dir: PathBuf,
}

impl Layout {
    /// The checkout the command runs in.
    pub fn workspace() -> Result<Self> {
        Ok(Layout {
            spec_dir: paths::spec_dir()?,
            snapshot_dir: paths::snapshot_dir()?,
            quirks_dir: paths::quirks_dir()?,
        })
    }
}

/// How regen runs.
#[derive(Debug, Clone)]
pub struct RegenOptions {
    /// Change nothing; fail if anything would change.
    pub check: bool,
    /// Build fotbo-api after writing (skipped with `check`).
    pub build: bool,
}

/// What regen found and did.
#[derive(Debug)]
pub struct RegenReport {
    pub drift: Drift,
    /// Files that differ from what the spec generates (written unless checking).
    pub stale: Vec<PathBuf>,
    pub timings: Vec<(String, Duration)>,
}

impl RegenReport {
    pub fn summary(&self, check: bool) -> String {
        let mut out = String::new();
        out.push_str(&self.drift.to_string());
        if self.stale.is_empty() {
            out.push_str("files: all up to date, nothing written\n");
        } else {
            let verb = if check { "would change" } else { "written" };
            out.push_str(&format!("files {verb}:\n"));
            let root = paths::root().ok();
            for f in &self.stale {
                let shown = root.as_ref().and_then(|r| f.strip_prefix(r).ok());
                out.push_str(&format!("  {}\n", shown.unwrap_or(f).display()));
            }
        }
        out.push_str("timings:");
        for (step, d) in &self.timings {
            out.push_str(&format!(" {step} {:.0} ms;", d.as_secs_f64() * 1000.0));
        }
        out.push('\n');
        out
    }
}

/// What one generation produces: the files it writes (path, contents), and the surface and
/// report the drift is computed from.
struct Expected {
    files: Vec<(PathBuf, String)>,
    surface: String,
    report: String,
}

/// The files one generation writes.
fn expected_files(layout: &Layout, timings: &mut Vec<(String, Duration)>) -> Result<Expected> {
    let inputs = SpecInputs::active(&layout.spec_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let spec_path = inputs.spec_path.clone();
    let started = Instant::now();
    let generated = generate(&inputs.spec, &inputs.fotbo_settings())
        .map_err(|e| anyhow::anyhow!("{}: {e}", spec_path.display()))?;
    timings.push(("generate".into(), started.elapsed()));
    let report = generated.report.to_string();
    let [surface_snap, report_snap, code_snap] = snapshots::fotbo(&layout.snapshot_dir);
    let mut files = vec![
        (
            surface_snap.path.clone(),
            surface_snap.render(&generated.surface),
        ),
        (report_snap.path.clone(), report_snap.render(&report)),
        (code_snap.path.clone(), code_snap.render(&generated.code)),
    ];

    let started = Instant::now();
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&layout.quirks_dir)
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    fixtures.retain(|p| {
        matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml")
        )
    });
    fixtures.sort();
    for fixture in fixtures {
        let name = fixture
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("fixture")
            .to_string();
        let stem = name.split('.').next().unwrap_or(&name).to_string();
        let bytes =
            std::fs::read(&fixture).with_context(|| format!("reading {}", fixture.display()))?;
        let g = generate(
            &bytes,
            &Settings::plain(format!("generator/tests/quirks/{name}")),
        )
        .map_err(|e| anyhow::anyhow!("{}: {e}", fixture.display()))?;
        files.push((
            layout
                .quirks_dir
                .join("generated")
                .join(format!("{stem}.rs")),
            g.code,
        ));
    }
    timings.push(("quirk fixtures".into(), started.elapsed()));
    Ok(Expected {
        files,
        surface: generated.surface,
        report,
    })
}

fn old_contents(snap: &Snapshot) -> String {
    snap.read_contents().unwrap_or_default()
}

/// Runs regen.
pub fn regen(layout: &Layout, opts: &RegenOptions) -> Result<RegenReport> {
    let mut timings = Vec::new();
    let Expected {
        files,
        surface,
        report,
    } = expected_files(layout, &mut timings)?;
    let [surface_snap, report_snap, _] = snapshots::fotbo(&layout.snapshot_dir);
    let drift = Drift::between(
        &old_contents(&surface_snap),
        &surface,
        &old_contents(&report_snap),
        &report,
    );
    let stale: Vec<PathBuf> = files
        .iter()
        .filter(|(path, contents)| {
            std::fs::read_to_string(path).ok().as_deref() != Some(contents.as_str())
        })
        .map(|(p, _)| p.clone())
        .collect();
    if !opts.check && !stale.is_empty() {
        let started = Instant::now();
        for (path, contents) in files.iter().filter(|(p, _)| stale.contains(p)) {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
            std::fs::write(path, contents)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        timings.push(("write".into(), started.elapsed()));
    }
    if opts.build && !opts.check {
        let started = Instant::now();
        let root = layout
            .spec_dir
            .parent()
            .context("spec/ has no parent directory")?;
        build_client(root)?;
        timings.push(("build fotbo-api".into(), started.elapsed()));
    }
    Ok(RegenReport {
        drift,
        stale,
        timings,
    })
}

fn build_client(root: &Path) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "-p", "fotbo-api"])
        .current_dir(root)
        .status()
        .context("running cargo build -p fotbo-api")?;
    if !status.success() {
        bail!("cargo build -p fotbo-api failed ({status})");
    }
    Ok(())
}
