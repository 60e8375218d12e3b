//! What every stage reports: the wire corrections applied, the rules that fired, the passes
//! that ran, and what could not be generated. Data only: each stage fills in its part, and
//! `report` (at the top of the generator) prints it.

use std::fmt;

use crate::error::{Error, Stage};

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
    /// What could not be generated and was made without (schemas untyped, operations left
    /// out), in the order it was found. Empty unless the settings report losses rather than
    /// refuse them.
    pub losses: Vec<Loss>,
    /// Why the overlay was not applied, when it could not be and the settings report losses
    /// rather than refuse them: the client is generated from the spec as it is.
    pub overlay_unapplied: Option<String>,
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

/// A unit of the spec that the generator could not make as the spec describes it, and made
/// do without: a schema generated as an untyped value, or an operation left out of the
/// client. A loss is never silent: it is in [`Report::losses`], in the API surface (operations
/// left out) and, through fotbo-api's build script, in the build output. When the settings
/// refuse losses, the first one is the error ([`Loss::to_error`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// What was lost.
    pub unit: Unit,
    /// The stage that could not make it.
    pub stage: Stage,
    /// What could not make it.
    pub by: Culprit,
    /// Why, in the words of what failed (progenitor's or typify's message, the pass's).
    pub message: String,
}

/// The unit a [`Loss`] is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// A schema (a component, or one inline in an operation), generated as an untyped value
    /// (`serde_json::Value`) at its place.
    Schema {
        /// Its JSON pointer in the normalized document.
        pointer: String,
    },
    /// An operation, left out of the client.
    Operation {
        /// Its operationId.
        id: String,
        /// Its HTTP method, upper case.
        method: String,
        /// Its path template.
        path: String,
        /// Its JSON pointer in the normalized document.
        pointer: String,
    },
}

/// What could not make a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Culprit {
    /// progenitor (or typify inside it): an error, or a panic caught.
    Progenitor,
    /// One of the passes over progenitor's output, by name.
    Pass(&'static str),
}

impl fmt::Display for Culprit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Culprit::Progenitor => f.write_str("progenitor"),
            Culprit::Pass(name) => write!(f, "pass {name}"),
        }
    }
}

impl Unit {
    /// Its JSON pointer.
    pub fn pointer(&self) -> &str {
        match self {
            Unit::Schema { pointer } | Unit::Operation { pointer, .. } => pointer,
        }
    }
}

impl Loss {
    /// The error this loss is when losses are refused: the stage, what failed on which unit,
    /// and the pointer, as a failure of the whole generation names them.
    pub fn to_error(&self) -> Error {
        let context = match (&self.unit, self.by) {
            (Unit::Operation { id, .. }, Culprit::Progenitor) => format!("operation {id}"),
            (Unit::Schema { .. }, Culprit::Progenitor) => "schema".to_string(),
            (_, by) => by.to_string(),
        };
        Error::new(self.stage, self.message.clone())
            .context(context)
            .at(self.unit.pointer())
    }
}

impl fmt::Display for Loss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.unit {
            Unit::Schema { pointer } => write!(
                f,
                "schema {pointer} untyped (any JSON value): {}: {}",
                self.by, self.message
            ),
            Unit::Operation {
                id, method, path, ..
            } => write!(
                f,
                "operation {id} ({method} {path}) left out: {}: {}",
                self.by, self.message
            ),
        }
    }
}
