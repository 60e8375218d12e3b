//! `cargo xtask regen`: regenerate from the active spec, have insta accept the snapshots, build
//! fotbo-api, say what changed — classified, breaking or not — and add it to CHANGELOG.md.
//!
//! regen owns two kinds of file: the record of the last generation
//! (`generator/snapshots/api.json`: the API surface and rule counts as data, what the next
//! regen compares with) and the quirk fixtures' generated code. The three insta snapshots
//! (`api-surface`, `normalization-report`, `client-code`) are insta's: regen runs their test
//! with insta's own update setting (`INSTA_UPDATE=always`) to accept them, and with
//! `INSTA_UPDATE=no` to check them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use generator::{generate, Losses, Settings, SpecInputs};

use crate::changelog;
use crate::drift::{Drift, Record};
use crate::paths;

/// The record of the last generation, in the snapshot directory.
pub const RECORD_FILE: &str = "api.json";
/// The tests that assert insta snapshots of what the active spec generates: (package, test
/// target, test name filter, snapshot directory from the workspace root). The generator's
/// code, surface and report; the `fotbo` program's help.
const SNAPSHOT_TESTS: &[(&str, &str, &str, &str)] = &[
    (
        "fotbo-api-generator",
        "fotbo_spec",
        "",
        "generator/snapshots",
    ),
    ("fotbo-api", "cli", "help_", "fotbo-api/tests/snapshots"),
];

/// Where regen reads and writes (the workspace, or a copy of it in tests).
#[derive(Debug, Clone)]
pub struct Layout {
    pub spec_dir: PathBuf,
    pub snapshot_dir: PathBuf,
    pub quirks_dir: PathBuf,
    /// CHANGELOG.md.
    pub changelog: PathBuf,
}

impl Layout {
    /// The checkout the command runs in.
    pub fn workspace() -> Result<Self> {
        Ok(Layout {
            spec_dir: paths::spec_dir()?,
            snapshot_dir: paths::snapshot_dir()?,
            quirks_dir: paths::quirks_dir()?,
            changelog: paths::root()?.join("CHANGELOG.md"),
        })
    }

    fn root(&self) -> Result<&Path> {
        self.spec_dir
            .parent()
            .context("spec/ has no parent directory")
    }
}

/// How regen runs.
#[derive(Debug, Clone)]
pub struct RegenOptions {
    /// Change nothing; fail if anything would change.
    pub check: bool,
    /// Build fotbo-api after writing (skipped with `check`).
    pub build: bool,
    /// Have insta check or accept the snapshots (runs `cargo test` in the checkout).
    pub snapshots: bool,
}

/// What regen found and did.
#[derive(Debug)]
pub struct RegenReport {
    pub drift: Drift,
    /// Files that differ from what the spec generates (written unless checking).
    pub stale: Vec<PathBuf>,
    /// The changelog entry for this change (added to CHANGELOG.md unless checking).
    pub changelog_entry: Option<String>,
    /// Hand-written helpers of fotbo-api the spec has no operation for (left out of the build).
    pub helpers_left_out: Vec<String>,
    /// Wire corrections whose target matched nothing in this spec.
    pub unmatched_corrections: Vec<String>,
    /// What the generator could not make of this spec (schemas untyped, operations left
    /// out). With `check`, any is an error instead.
    pub losses: Vec<String>,
    /// With `check`: insta found snapshots that differ from what the spec generates.
    pub snapshots_differ: bool,
    pub timings: Vec<(String, Duration)>,
}

impl RegenReport {
    /// Whether nothing would change: regen's own files and insta's snapshots are current.
    pub fn up_to_date(&self) -> bool {
        self.stale.is_empty() && !self.snapshots_differ
    }

    pub fn summary(&self, check: bool) -> String {
        let mut out = String::new();
        out.push_str(&self.drift.to_string());
        if let Some(entry) = &self.changelog_entry {
            let verb = if check {
                "would be added to"
            } else {
                "added to"
            };
            out.push_str(&format!("changelog entry {verb} CHANGELOG.md:{entry}"));
        }
        if !self.unmatched_corrections.is_empty() {
            out.push_str(&format!(
                "wire corrections that matched nothing in this spec ({}; Fotbo fixed or renamed these places — review, then update or drop them in spec/wire-corrections.overlay.yaml):\n",
                self.unmatched_corrections.len()
            ));
            for c in &self.unmatched_corrections {
                out.push_str(&format!("  {c}\n"));
            }
        }
        if !self.losses.is_empty() {
            out.push_str(&format!(
                "what the generator could not make of this spec ({}; fotbo-api builds without it — a rule or a wire correction would make it):\n",
                self.losses.len()
            ));
            for loss in &self.losses {
                out.push_str(&format!("  {loss}\n"));
            }
        }
        for helper in &self.helpers_left_out {
            out.push_str(&format!("helper left out of fotbo-api: {helper}\n"));
        }
        if self.snapshots_differ {
            out.push_str("insta snapshots (generator/snapshots, fotbo-api/tests/snapshots) differ from what the spec generates\n");
        }
        if self.up_to_date() {
            out.push_str("files: all up to date, nothing written\n");
        } else if !self.stale.is_empty() {
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

/// What one generation produces: the files regen owns (path, contents) and the record.
struct Expected {
    files: Vec<(PathBuf, String)>,
    record: Record,
    helpers_left_out: Vec<String>,
    unmatched_corrections: Vec<String>,
    losses: Vec<String>,
}

/// The files one generation writes. `refuse_losses`: a schema or operation the generator
/// cannot make is an error (for `--check`), not a reported loss.
fn expected_files(
    layout: &Layout,
    refuse_losses: bool,
    timings: &mut Vec<(String, Duration)>,
) -> Result<Expected> {
    let inputs = SpecInputs::active(&layout.spec_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let spec_path = inputs.spec_path.clone();
    let started = Instant::now();
    let mut settings = inputs.fotbo_settings();
    if refuse_losses {
        settings.losses = Losses::Refused;
    }
    let generated = generate(&inputs.spec, &settings)
        .map_err(|e| anyhow::anyhow!("{}: {e}", spec_path.display()))?;
    timings.push(("generate".into(), started.elapsed()));
    let helpers_left_out = settings
        .runtime_helpers
        .iter()
        .filter(|h| !h.available_in(&generated.api))
        .map(|h| format!("{} (needs operation `{}`)", h.name, h.operation))
        .collect();
    let losses = generated
        .report
        .losses
        .iter()
        .map(ToString::to_string)
        .collect();
    let unmatched_corrections = generated
        .report
        .unmatched_corrections()
        .map(|a| format!("#{} {} — {}", a.index, a.target, a.summary))
        .collect();
    let record = Record {
        spec: inputs.spec_name.clone(),
        api: generated.api,
        rules: generated
            .report
            .counts()
            .into_iter()
            .map(|(rule, n)| (rule.to_string(), n))
            .collect(),
    };
    let mut files = vec![(
        layout.snapshot_dir.join(RECORD_FILE),
        serde_json::to_string_pretty(&record)? + "\n",
    )];
    // The overlay's JSON twin: what fotbo-api's build script reads (no YAML parser there).
    let overlay = layout.spec_dir.join(generator::inputs::OVERLAY_FILE);
    if let Ok(yaml) = std::fs::read(&overlay) {
        files.push((
            layout.spec_dir.join(generator::inputs::OVERLAY_JSON_FILE),
            generator::inputs::overlay_twin(&yaml, &inputs.spec)
                .map_err(|e| anyhow::anyhow!("{}: {e}", overlay.display()))?,
        ));
    }

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
        let g = generate(&bytes, &Settings::for_fixture(&name))
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
        record,
        helpers_left_out,
        unmatched_corrections,
        losses,
    })
}

/// The record of the previous generation, if there is one (and it can be read).
fn previous_record(layout: &Layout) -> Option<Record> {
    let text = std::fs::read_to_string(layout.snapshot_dir.join(RECORD_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Runs regen.
pub fn regen(layout: &Layout, opts: &RegenOptions) -> Result<RegenReport> {
    let mut timings = Vec::new();
    let Expected {
        files,
        record,
        helpers_left_out,
        unmatched_corrections,
        losses,
    } = expected_files(layout, opts.check, &mut timings)?;
    let previous = previous_record(layout);
    let drift = Drift::between(previous.as_ref(), &record);
    let root = layout.root()?.to_path_buf();
    let version = changelog::workspace_version(&root).unwrap_or_else(|| "0.1.0".into());
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    // A first generation (no record yet) is not a change of the API.
    let changelog_entry = previous
        .as_ref()
        .and_then(|_| changelog::entry(&drift, &record.spec, &version, &today));
    let mut stale: Vec<PathBuf> = files
        .iter()
        .filter(|(path, contents)| {
            std::fs::read_to_string(path).ok().as_deref() != Some(contents.as_str())
        })
        .map(|(p, _)| p.clone())
        .collect();

    let mut snapshots_differ = false;
    if opts.check {
        if opts.snapshots {
            let started = Instant::now();
            let (current, _) = run_snapshot_test(&root, "no")?;
            snapshots_differ = !current;
            timings.push(("insta check".into(), started.elapsed()));
        }
        return Ok(RegenReport {
            drift,
            stale,
            changelog_entry,
            helpers_left_out,
            unmatched_corrections,
            losses,
            snapshots_differ,
            timings,
        });
    }

    let started = Instant::now();
    for (path, contents) in files.iter().filter(|(p, _)| stale.contains(p)) {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(entry) = &changelog_entry {
        changelog::add(&layout.changelog, entry)?;
        stale.push(layout.changelog.clone());
    }
    timings.push(("write".into(), started.elapsed()));
    if opts.snapshots {
        let started = Instant::now();
        let before = all_snapshot_files(&root);
        let (passed, output) = run_snapshot_test(&root, "always")?;
        if !passed {
            bail!("the snapshot test failed while insta accepted the snapshots:\n{output}");
        }
        let after = all_snapshot_files(&root);
        stale.extend(
            after
                .iter()
                .filter(|(p, bytes)| before.iter().all(|(q, old)| q != p || old != bytes))
                .map(|(p, _)| p.clone()),
        );
        timings.push(("insta accept".into(), started.elapsed()));
    }
    if opts.build {
        let started = Instant::now();
        build_client(&root)?;
        timings.push(("build fotbo-api".into(), started.elapsed()));
    }
    Ok(RegenReport {
        drift,
        stale,
        changelog_entry,
        helpers_left_out,
        unmatched_corrections,
        losses,
        snapshots_differ,
        timings,
    })
}

/// The insta snapshot files (`*.snap`) with their bytes.
fn snapshot_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "snap"))
                .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The snapshot files of every [`SNAPSHOT_TESTS`] directory.
fn all_snapshot_files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    SNAPSHOT_TESTS
        .iter()
        .flat_map(|(_, _, _, dir)| snapshot_files(&root.join(dir)))
        .collect()
}

/// Runs the snapshot tests with insta's update setting (`no` to check, `always` to accept);
/// whether all passed, and what they printed.
fn run_snapshot_test(root: &Path, update: &str) -> Result<(bool, String)> {
    let mut passed = true;
    let mut text = String::new();
    for (package, test, filter, _) in SNAPSHOT_TESTS {
        let mut command = Command::new(paths::cargo());
        command.args(["test", "--quiet", "-p", package, "--test", test]);
        if !filter.is_empty() {
            command.arg(filter);
        }
        let output = command
            .env("INSTA_UPDATE", update)
            .env_remove("INSTA_FORCE_PASS")
            .current_dir(root)
            .output()
            .with_context(|| {
                format!("running the snapshot test (cargo test -p {package} --test {test})")
            })?;
        passed &= output.status.success();
        text.push_str(&String::from_utf8_lossy(&output.stdout));
        text.push_str(&String::from_utf8_lossy(&output.stderr));
    }
    Ok((passed, text))
}

fn build_client(root: &Path) -> Result<()> {
    let status = Command::new(paths::cargo())
        .args(["build", "--quiet", "-p", "fotbo-api"])
        .current_dir(root)
        .status()
        .context("running cargo build -p fotbo-api")?;
    if !status.success() {
        bail!("cargo build -p fotbo-api failed ({status})");
    }
    Ok(())
}
