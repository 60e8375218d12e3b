//! The wire record: what answers hold that the spec does not say, appended as JSON lines to
//! a file (`ClientBuilder::record_wire`, `FOTBO_WIRE_RECORD`) for `cargo xtask learn` to turn
//! into spec corrections.
//!
//! A line is one observation: the operation, the pointer pattern (list indices as `*`), what
//! the spec says there (`absent` for a field it does not name, else the type it declares) and
//! the JSON kind that came, with the day. Never a value: no names, addresses or secrets reach
//! the file, and never the token. Each observation is written once per process (deduplicated
//! in memory, at most [`MAX_SEEN`] of them), the file grows to at most [`MAX_RECORD_BYTES`],
//! each line goes out in one append (whole lines with many clients, threads and processes
//! writing at once), and a file that cannot be written is a warning, never a failed call.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use crate::decode::Mismatch;
use crate::extra::{self, Extra};

/// Observations one process keeps in memory to deduplicate (more are not recorded).
pub const MAX_SEEN: usize = 10_000;

/// A record file is not appended to once it is this large.
pub const MAX_RECORD_BYTES: u64 = 8 << 20;

/// An undeclared object or list is recorded with its fields this deep, at most.
const MAX_DEPTH: usize = 8;

/// At most this many observations from one answer.
const MAX_PER_ANSWER: usize = 500;

/// One record file, shared by every client of the process that writes to it.
#[derive(Debug)]
pub struct WireRecord {
    path: PathBuf,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    seen: HashSet<(String, String, String, String)>,
    file: Option<File>,
    /// Set once the file could not be opened or written, or is full: warned once.
    stopped: bool,
}

/// The record for `path`: the same one for every client of the process.
pub fn record(path: &Path) -> Arc<WireRecord> {
    static RECORDS: OnceLock<Mutex<HashMap<PathBuf, Arc<WireRecord>>>> = OnceLock::new();
    let records = RECORDS.get_or_init(Default::default);
    let mut records = match records.lock() {
        Ok(r) => r,
        Err(poisoned) => poisoned.into_inner(),
    };
    records
        .entry(path.to_path_buf())
        .or_insert_with(|| {
            Arc::new(WireRecord {
                path: path.to_path_buf(),
                state: Mutex::new(State::default()),
            })
        })
        .clone()
}

/// The JSON kind of a value, as the record writes it (the one mismatches describe with).
pub fn kind(value: &Value) -> &'static str {
    crate::decode::kind(value)
}

/// What an answer of `operation` held beyond its spec, as (pointer pattern, spec, came).
pub fn observations(
    body: &Value,
    mismatches: &[Mismatch],
    extras: &[Extra],
) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for m in mismatches {
        let came = body.pointer(&m.pointer).map_or("absent", kind);
        out.push((
            extra::pattern(body, &m.pointer),
            m.expected.clone(),
            came.to_string(),
        ));
    }
    for e in extras {
        let pattern = extra::pattern(body, &e.pointer);
        descend(&pattern, &e.value, 0, &mut out);
    }
    out.truncate(MAX_PER_ANSWER);
    out
}

/// An undeclared value and, for an object or list, what it holds: `learn` makes a schema of
/// the whole.
fn descend(pattern: &str, value: &Value, depth: usize, out: &mut Vec<(String, String, String)>) {
    if out.len() >= MAX_PER_ANSWER {
        return;
    }
    out.push((pattern.to_string(), "absent".into(), kind(value).into()));
    if depth >= MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let key = crate::decode::escape(key);
                descend(&format!("{pattern}/{key}"), child, depth + 1, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                descend(&format!("{pattern}/*"), item, depth + 1, out);
            }
        }
        _ => {}
    }
}

impl WireRecord {
    /// Appends the observations of one answer not yet written by this process.
    pub fn observe(&self, operation: &str, observations: Vec<(String, String, String)>) {
        if observations.is_empty() {
            return;
        }
        let mut state = match self.state.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        if state.stopped {
            return;
        }
        let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
        let mut lines = String::new();
        for (pointer, spec, came) in observations {
            let key = (operation.to_string(), pointer, spec, came);
            if state.seen.contains(&key) || state.seen.len() >= MAX_SEEN {
                continue;
            }
            let line = serde_json::json!({
                "operation": key.0, "pointer": key.1, "spec": key.2, "came": key.3, "day": day,
            });
            lines.push_str(&line.to_string());
            lines.push('\n');
            state.seen.insert(key);
        }
        if lines.is_empty() {
            return;
        }
        if let Err(why) = self.append(&mut state, &lines) {
            state.stopped = true;
            state.file = None;
            tracing::warn!(
                path = %self.path.display(),
                "the wire record is not written any more: {why}"
            );
        }
    }

    fn append(&self, state: &mut State, lines: &str) -> Result<(), String> {
        if state.file.is_none() {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .map_err(|e| format!("cannot open it: {e}"))?;
            state.file = Some(file);
        }
        let Some(file) = state.file.as_mut() else {
            return Err("not open".into());
        };
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        if size.saturating_add(lines.len() as u64) > MAX_RECORD_BYTES {
            return Err(format!("it reached {MAX_RECORD_BYTES} bytes"));
        }
        // One write of whole lines, in append mode: lines of other writers never tear it.
        file.write_all(lines.as_bytes())
            .map_err(|e| format!("cannot write it: {e}"))
    }
}
