//! What every stage reports: the wire corrections applied, the rules that fired, the passes
//! that ran, and what could not be generated. Data only: each stage fills in its part, and
//! `report` (at the top of the generator) prints it.

use std::fmt;

/// What one action did when applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Position of the action in the overlay (0-based).
    pub index: usize,
    /// Its target.
    pub target: String,
    /// The first line of its description.
    pub summary: String,
    /// JSON pointers of the nodes it changed (empty: the target matched nothing).
    pub pointers: Vec<String>,
    /// Nodes it selected but could not change (an update aimed at a string, say).
    pub skipped: Vec<String>,
}

impl fmt::Display for Applied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.pointers.is_empty() && self.skipped.is_empty() {
            "MATCHED NOTHING".to_string()
        } else {
            format!("{} node(s)", self.pointers.len())
        };
        write!(
            f,
            "#{} {}: {what} — {}",
            self.index, self.target, self.summary
        )?;
        for p in &self.skipped {
            write!(f, "; skipped {p} (neither object nor array)")?;
        }
        Ok(())
    }
}

/// Where a rule fired and what it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fired {
    /// The rule's name.
    pub rule: &'static str,
    /// JSON pointer to the place it changed (in the document as it was when the rule ran).
    pub pointer: String,
    /// What it did there.
    pub change: String,
}

/// Every change the rules made, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// What each wire-correction action did, when an overlay was given (it runs first).
    pub overlay: Vec<Applied>,
    /// The changes, rule by rule.
    pub fired: Vec<Fired>,
    /// What each pass over progenitor's output did (after the rules and progenitor).
    pub passes: Vec<PassRun>,
    /// How many progenitor runs wrote the code: 1, or one per part of a spec generated in
    /// parts for its size (0 when generation stopped before progenitor).
    pub progenitor_runs: usize,
    /// Why a spec large enough to be generated in parts was generated whole after all: the
    /// name two parts defined differently.
    pub parts_disagreed_on: Option<String>,
}

impl Report {
    /// The overlay actions whose target selected nothing.
    pub fn unmatched_corrections(&self) -> impl Iterator<Item = &Applied> {
        self.overlay
            .iter()
            .filter(|a| a.pointers.is_empty() && a.skipped.is_empty())
    }
}

/// What one pass did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassRun {
    /// The pass's name.
    pub pass: &'static str,
    /// What it does.
    pub does: &'static str,
    /// How many places it changed (items removed, statements dropped, impls added …).
    pub changes: usize,
}

impl fmt::Display for PassRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}×): {}", self.pass, self.changes, self.does)
    }
}
