//! `cargo xtask fetch`: download the published spec, check it, and write it into spec/ — all of
//! it or nothing.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::extract::{extract, validate, Extracted, Form};
use crate::paths;

/// Where the spec is published.
pub const DEFAULT_URL: &str = "https://docs-api.fotbo.com/";

/// A larger download is refused.
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;

/// What to fetch and how.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The page or spec URL.
    pub url: String,
    /// The version the spec must have ("1.0.5"); by default the active spec's.
    pub expect_version: Option<String>,
    /// Take another version than expected, as a new spec file the build switches to.
    pub accept_version: bool,
    /// Time allowed for everything, redirects and a followed spec link included.
    pub timeout: Duration,
    /// No progress output.
    pub quiet: bool,
    /// The spec/ directory.
    pub spec_dir: PathBuf,
    /// Download cap.
    pub max_bytes: u64,
}

/// What a fetch wrote.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub version: String,
    pub spec_file: PathBuf,
    pub form: Form,
    pub changed: bool,
}

struct Download {
    body: Vec<u8>,
    final_url: String,
}

fn download(
    client: &reqwest::blocking::Client,
    url: &str,
    deadline: Instant,
    opts: &FetchOptions,
) -> Result<Download> {
    let remaining = deadline.saturating_duration_since(Instant::now());
    if remaining.is_zero() {
        bail!("timed out after {:?} before requesting {url}", opts.timeout);
    }
    let mut response = client
        .get(url)
        .timeout(remaining)
        .send()
        .map_err(|e| anyhow!("request to {url} failed: {}", describe(&e, opts.timeout)))?;
    let final_url = response.url().to_string();
    let status = response.status();
    if !status.is_success() {
        bail!("{final_url} answered HTTP {status}");
    }
    if let Some(len) = response.content_length() {
        if len > opts.max_bytes {
            bail!(
                "{final_url} serves {len} bytes, more than the {} byte limit",
                opts.max_bytes
            );
        }
    }
    let declared = response.content_length();
    let progress = !opts.quiet && std::io::stderr().is_terminal();
    let mut body = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = response.read(&mut chunk).map_err(|e| match declared {
            Some(len) if (body.len() as u64) < len => {
                anyhow!(
                    "{final_url}: truncated download ({} of {len} bytes): {e}",
                    body.len()
                )
            }
            _ => anyhow!("reading {final_url} failed after {} bytes: {e}", body.len()),
        })?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
        if body.len() as u64 > opts.max_bytes {
            bail!(
                "{final_url} sent more than the {} byte limit",
                opts.max_bytes
            );
        }
        if progress {
            eprint!("\rreceived {:.1} KiB", body.len() as f64 / 1024.0);
        }
    }
    if progress {
        eprintln!();
    }
    if let Some(len) = declared {
        if (body.len() as u64) < len {
            bail!(
                "{final_url}: truncated download ({} of {len} bytes)",
                body.len()
            );
        }
    }
    Ok(Download { body, final_url })
}

fn describe(e: &reqwest::Error, timeout: Duration) -> String {
    if e.is_timeout() {
        format!("timed out (limit {timeout:?})")
    } else if e.is_connect() {
        format!("cannot connect: {e}")
    } else {
        e.to_string()
    }
}

/// The version of the spec the build uses now.
pub fn active_version(spec_dir: &Path) -> Result<String> {
    let active = paths::active_spec(spec_dir)?;
    let bytes = std::fs::read(&active).with_context(|| format!("reading {}", active.display()))?;
    let value: Value = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not JSON", active.display()))?;
    validate(&value)
}

/// The spec formatted as spec/ keeps it: pretty JSON in the served key order, trailing newline.
pub fn canonical_json(spec: &Value) -> Result<String> {
    Ok(serde_json::to_string_pretty(spec)? + "\n")
}

/// The prefix of the temporary files fetch writes in spec/ (removed on every exit path, and any
/// left by a killed run are removed by the next one).
const TEMP_PREFIX: &str = ".fetch-";

/// Removes its files when dropped: the temporary files of one write, whatever happens.
struct TempFiles(Vec<PathBuf>);

impl Drop for TempFiles {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Removes temporary files an earlier, killed fetch left in `dir`.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX) && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes the files as one set: all change, or none does. Each is written to a temporary file
/// first; then they are renamed into place in order (the last one — spec/ACTIVE — is the
/// switch). If a rename fails, the files already replaced get their old contents back and the
/// new ones are removed; temporary files never outlive the call.
fn write_all_or_nothing(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let mut temps = TempFiles(Vec::new());
    for (i, (path, bytes)) in files.iter().enumerate() {
        let dir = path
            .parent()
            .ok_or_else(|| anyhow!("{} has no directory", path.display()))?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("spec");
        let temp = dir.join(format!(
            "{TEMP_PREFIX}{}-{i}-{name}.tmp",
            std::process::id()
        ));
        temps.0.push(temp.clone());
        std::fs::File::create(&temp)
            .and_then(|mut f| {
                f.write_all(bytes)?;
                f.sync_all()
            })
            .map_err(|e| anyhow!("cannot write {}: {e}", temp.display()))?;
    }
    // What each target held before, to put back if the set cannot be completed.
    let previous: Vec<Option<Vec<u8>>> = files.iter().map(|(p, _)| std::fs::read(p).ok()).collect();
    for (i, (temp, (path, _))) in temps.0.iter().zip(files).enumerate() {
        if let Err(e) = std::fs::rename(temp, path) {
            let mut not_restored = Vec::new();
            for ((done, _), old) in files[..i].iter().zip(&previous) {
                let restored = match old {
                    Some(bytes) => std::fs::write(done, bytes),
                    None => std::fs::remove_file(done),
                };
                if restored.is_err() {
                    not_restored.push(done.display().to_string());
                }
            }
            let mut message = format!(
                "cannot move {} to {}: {e}; nothing was changed",
                temp.display(),
                path.display()
            );
            if !not_restored.is_empty() {
                message = format!(
                    "cannot move {} to {}: {e}; could not restore {}",
                    temp.display(),
                    path.display(),
                    not_restored.join(", ")
                );
            }
            return Err(anyhow!(message));
        }
    }
    Ok(())
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Fetches, checks and writes the spec.
pub fn fetch(opts: &FetchOptions) -> Result<Fetched> {
    remove_stale_temps(&opts.spec_dir);
    let started = Instant::now();
    let deadline = started + opts.timeout;
    let client = reqwest::blocking::Client::builder()
        .user_agent(concat!("fotbo-api-xtask/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::limited(10))
        .connect_timeout(opts.timeout.min(Duration::from_secs(30)))
        .build()
        .context("cannot set up the HTTP client")?;

    let first = download(&client, &opts.url, deadline, opts)?;
    let (served, spec, form, followed_to) = match extract(&first.body)
        .with_context(|| format!("{} did not serve a spec", first.final_url))?
    {
        Extracted::Spec(value, form) => (first, value, form, None),
        Extracted::Pointer(link) => {
            let base = reqwest::Url::parse(&first.final_url)
                .with_context(|| format!("bad URL {}", first.final_url))?;
            let target = base
                .join(&link)
                .with_context(|| format!("the page's spec link {link:?} is not a URL"))?;
            let second = download(&client, target.as_str(), deadline, opts)?;
            match extract(&second.body)
                .with_context(|| format!("{} did not serve a spec", second.final_url))?
            {
                Extracted::Spec(value, form) => {
                    let url = second.final_url.clone();
                    (second, value, form, Some(url))
                }
                Extracted::Pointer(_) => bail!(
                    "{} points to another page instead of a spec; links are followed once",
                    target
                ),
            }
        }
    };
    let version =
        validate(&spec).with_context(|| format!("{} is not a usable spec", served.final_url))?;
    // Without an active spec to compare with (spec/ACTIVE or the file it names is missing),
    // the served version is taken: there is nothing to keep.
    let expected = match &opts.expect_version {
        Some(v) => Some(v.clone()),
        None => active_version(&opts.spec_dir).ok(),
    };
    if let Some(expected) = expected {
        if version != expected && !opts.accept_version {
            bail!("the served spec is version {version}, not the expected {expected}; pass --accept-version to take it as spec/fotbo-{version}.json");
        }
    }

    let spec_file = opts.spec_dir.join(format!("fotbo-{version}.json"));
    let text = canonical_json(&spec)?;
    let changed = std::fs::read(&spec_file)
        .map(|old| old != text.as_bytes())
        .unwrap_or(true);
    let provenance = serde_json::json!({
        "source_url": opts.url,
        "final_url": followed_to.unwrap_or(served.final_url),
        "fetched_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "sha256_of_served_bytes": sha256_hex(&served.body),
        "served_bytes": served.body.len(),
        "served_as": form.name(),
        "version": version,
    });
    let mut files = vec![(spec_file.clone(), text.into_bytes())];
    if changed {
        files.push((
            opts.spec_dir
                .join(format!("fotbo-{version}.provenance.json")),
            canonical_json(&provenance)?.into_bytes(),
        ));
    }
    let active = format!("fotbo-{version}.json\n");
    if std::fs::read_to_string(opts.spec_dir.join("ACTIVE"))
        .ok()
        .as_deref()
        != Some(active.as_str())
    {
        files.push((opts.spec_dir.join("ACTIVE"), active.into_bytes()));
    }
    if changed || files.len() > 1 {
        write_all_or_nothing(&files)?;
    }
    Ok(Fetched {
        version,
        spec_file,
        form,
        changed,
    })
}
