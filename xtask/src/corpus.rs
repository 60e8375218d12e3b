//! `cargo xtask corpus`: the generator and progenitor alone over folders of public specs, one
//! table. Each tool runs on each spec in a process of its own (`cargo xtask corpus-one`), so a
//! stack overflow, an abort or a hang is counted as a crash of that tool on that spec instead
//! of ending the run; two run at a time.
//!
//! Ours runs as fotbo-api's build does (`Settings::fotbo()`, losses reported): a spec it
//! generates only by leaving operations out or schemas untyped counts as "generated with
//! losses", and the losses are counted and their reasons tallied.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use generator::{generate, Settings};

/// Which tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Tool {
    /// This generator, with fotbo-api's settings (losses reported, not refused).
    Ours,
    /// progenitor 0.15 alone on the spec as openapiv3 reads it.
    Alone,
}

/// The outcome of one tool on one spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Generated,
    /// Generated, with operations left out or schemas untyped (ours only).
    WithLosses,
    /// An error (ours: a clear refusal; alone: openapiv3 or progenitor's error).
    Refused,
    /// A caught panic.
    Panicked,
    /// The process died (stack overflow, abort) or ran out of time.
    Crashed,
}

impl Outcome {
    fn code(self) -> i32 {
        match self {
            Outcome::Generated => 0,
            Outcome::WithLosses => 13,
            Outcome::Refused => 10,
            Outcome::Panicked => 11,
            Outcome::Crashed => 12,
        }
    }

    fn from_code(code: Option<i32>) -> Outcome {
        match code {
            Some(0) => Outcome::Generated,
            Some(13) => Outcome::WithLosses,
            Some(10) => Outcome::Refused,
            Some(11) => Outcome::Panicked,
            _ => Outcome::Crashed,
        }
    }
}

/// Runs one tool on one spec in this process; the exit code says the outcome (see
/// [`Outcome::code`]), stdout the error if any, or one line per loss (`operation\treason` or
/// `schema\treason`).
pub fn one(tool: Tool, spec: &Path) -> i32 {
    let Ok(bytes) = std::fs::read(spec) else {
        println!("cannot read {}", spec.display());
        return Outcome::Refused.code();
    };
    let outcome = match tool {
        Tool::Ours => match generator::quietly(|| generate(&bytes, &Settings::fotbo())) {
            Ok(Ok(g)) if g.report.losses.is_empty() => Outcome::Generated,
            Ok(Ok(g)) => {
                for loss in &g.report.losses {
                    let kind = match loss.unit {
                        generator::Unit::Operation { .. } => "operation",
                        generator::Unit::Schema { .. } => "schema",
                    };
                    println!("{kind}\t{}: {}", loss.by, loss.message);
                }
                Outcome::WithLosses
            }
            Ok(Err(e)) => {
                println!("{e}");
                Outcome::Refused
            }
            Err(_) => Outcome::Panicked,
        },
        Tool::Alone => {
            let parsed: Result<openapiv3::OpenAPI, String> = std::str::from_utf8(&bytes)
                .map_err(|e| e.to_string())
                .and_then(generator::load::yaml_to_json)
                .and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string()));
            match parsed {
                Err(_) => Outcome::Refused,
                Ok(spec) => match generator::quietly(|| {
                    progenitor_impl::Generator::default().generate_tokens(&spec)
                }) {
                    Ok(Ok(_)) => Outcome::Generated,
                    Ok(Err(_)) => Outcome::Refused,
                    Err(_) => Outcome::Panicked,
                },
            }
        }
    };
    outcome.code()
}

fn spec_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            spec_files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml")
        ) && std::fs::read(&path).is_ok_and(|b| {
            let head = String::from_utf8_lossy(&b[..b.len().min(4096)]).to_string();
            head.contains("openapi") && head.contains("3.")
        }) {
            out.push(path);
        }
    }
}

/// Runs `corpus-one` and waits at most `timeout`; stdout is the error line, if any.
fn run_child(tool: Tool, spec: &Path, timeout: Duration) -> Result<(Outcome, String)> {
    let exe = std::env::current_exe().context("cannot find this executable")?;
    let tool_name = match tool {
        Tool::Ours => "ours",
        Tool::Alone => "alone",
    };
    let mut child = Command::new(exe)
        .args(["corpus-one", "--tool", tool_name, "--spec"])
        .arg(spec)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("cannot start corpus-one")?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            let mut text = String::new();
            if let Some(mut out) = child.stdout.take() {
                let _ = out.read_to_string(&mut text);
            }
            return Ok((Outcome::from_code(status.code()), text.trim().to_string()));
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Ok((
                Outcome::Crashed,
                format!("no answer within {} s", timeout.as_secs()),
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[derive(Default, Clone)]
struct Tally {
    specs: usize,
    ours: BTreeMap<Outcome, usize>,
    alone: BTreeMap<Outcome, usize>,
    /// Specs progenitor alone generates and we do not.
    worse: usize,
    /// Operations left out and schemas untyped, over the specs generated with losses.
    operations_lost: usize,
    schemas_lost: usize,
}

/// A loss's reason with what is particular to one spec taken out (quoted names, dumps), so
/// that losses of one class count together.
fn reason_class(reason: &str) -> String {
    let mut class = String::new();
    let mut quoted = false;
    for c in reason.chars() {
        match c {
            '"' | '`' => {
                quoted = !quoted;
                if quoted {
                    class.push('…');
                }
            }
            '(' | '{' | '[' if !quoted => break,
            _ if !quoted => class.push(c),
            _ => {}
        }
    }
    let class = class.trim().trim_end_matches(':').to_string();
    match class.char_indices().nth(100) {
        Some((i, _)) => format!("{}…", &class[..i]),
        None => class,
    }
}

/// Every OpenAPI 3 spec under each folder (at most `limit` per folder), both tools, one table;
/// the specs where ours does not generate are listed with the reason.
pub fn corpus(dirs: &[PathBuf], limit: usize, timeout: Duration) -> Result<String> {
    let started = Instant::now();
    let mut jobs = Vec::new();
    for (d, dir) in dirs.iter().enumerate() {
        let mut files = Vec::new();
        spec_files(dir, &mut files);
        files.truncate(limit);
        jobs.extend(files.into_iter().map(|f| (d, f)));
    }
    let jobs = Arc::new(jobs);
    let next = Arc::new(AtomicUsize::new(0));
    let results = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (jobs, next, results) = (jobs.clone(), next.clone(), results.clone());
            std::thread::spawn(move || -> Result<()> {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((d, spec)) = jobs.get(i) else {
                        return Ok(());
                    };
                    eprintln!("[{}/{}] {}", i + 1, jobs.len(), spec.display());
                    let (alone, _) = run_child(Tool::Alone, spec, timeout)?;
                    let (ours, why) = run_child(Tool::Ours, spec, timeout)?;
                    if let Ok(mut r) = results.lock() {
                        r.push((*d, spec.clone(), ours, alone, why));
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join()
            .map_err(|_| anyhow::anyhow!("a corpus worker panicked"))??;
    }
    let mut results = results
        .lock()
        .map_err(|_| anyhow::anyhow!("corpus results poisoned"))?
        .clone();
    results.sort_by(|a, b| a.1.cmp(&b.1));

    let mut tallies = vec![Tally::default(); dirs.len()];
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = String::new();
    for (d, spec, ours, alone, why) in &results {
        let t = &mut tallies[*d];
        t.specs += 1;
        *t.ours.entry(*ours).or_default() += 1;
        *t.alone.entry(*alone).or_default() += 1;
        match ours {
            Outcome::Generated => {}
            Outcome::WithLosses => {
                let _ = writeln!(
                    out,
                    "WithLosses {}: {} ({} in all)",
                    spec.display(),
                    why.lines().next().unwrap_or(""),
                    why.lines().count()
                );
                for line in why.lines() {
                    let Some((kind, reason)) = line.split_once('\t') else {
                        continue;
                    };
                    match kind {
                        "operation" => {
                            t.operations_lost += 1;
                            *reasons.entry(reason_class(reason)).or_default() += 1;
                        }
                        _ => t.schemas_lost += 1,
                    }
                }
            }
            _ => {
                if *alone == Outcome::Generated {
                    t.worse += 1;
                }
                let _ = writeln!(
                    out,
                    "{ours:?} {}: {}{}",
                    spec.display(),
                    why.lines().next().unwrap_or(""),
                    if *alone == Outcome::Generated {
                        "  [progenitor alone generates it]"
                    } else {
                        ""
                    }
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "\n| folder | specs | ours: generated whole | generated with losses (operations left out / schemas untyped) | failed (refused / panicked / crashed) | progenitor alone: generated | alone generates, we do not |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    let count = |m: &BTreeMap<Outcome, usize>, o| m.get(&o).copied().unwrap_or(0);
    let pct = |n: usize, of: usize| format!("{n} ({:.1}%)", 100.0 * n as f64 / of.max(1) as f64);
    for (dir, t) in dirs.iter().zip(&tallies) {
        let failed =
            [Outcome::Refused, Outcome::Panicked, Outcome::Crashed].map(|o| count(&t.ours, o));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} ({} / {}) | {} ({} / {} / {}) | {} | {} |",
            dir.display(),
            t.specs,
            pct(count(&t.ours, Outcome::Generated), t.specs),
            count(&t.ours, Outcome::WithLosses),
            t.operations_lost,
            t.schemas_lost,
            failed.iter().sum::<usize>(),
            failed[0],
            failed[1],
            failed[2],
            pct(count(&t.alone, Outcome::Generated), t.specs),
            t.worse,
        );
    }
    let mut ranked: Vec<(&String, &usize)> = reasons.iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    if !ranked.is_empty() {
        let _ = writeln!(out, "\noperations left out, by reason:");
        for (reason, n) in ranked.iter().take(10) {
            let _ = writeln!(out, "  {n:>5}  {reason}");
        }
    }
    let _ = writeln!(out, "({:.0} s)", started.elapsed().as_secs_f64());
    Ok(out)
}
