//! The one error type of the generator: every failure names its stage and, where it has one,
//! the rule or operation and the JSON pointer into the spec.

use std::fmt;

/// Where in the pipeline a failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the bytes as JSON or YAML.
    Load,
    /// Reading or applying the wire-corrections overlay.
    Overlay,
    /// Repairing the document with the normalization rules.
    Normalize,
    /// Reading the repaired document as OpenAPI 3.0.
    Parse,
    /// progenitor turning the document into Rust tokens.
    Progenitor,
    /// Parsing and pretty-printing the tokens.
    Format,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Load => "load",
            Stage::Overlay => "overlay",
            Stage::Normalize => "normalize",
            Stage::Parse => "parse",
            Stage::Progenitor => "progenitor",
            Stage::Format => "format",
        })
    }
}

/// A generation failure.
#[derive(Debug, thiserror::Error)]
#[error("{stage} stage{}{}: {message}", .context.as_deref().map(|c| format!(" ({c})")).unwrap_or_default(), .pointer.as_deref().map(|p| format!(" at {p}")).unwrap_or_default())]
pub struct Error {
    /// The stage that failed.
    pub stage: Stage,
    /// The rule or operation at fault, when known.
    pub context: Option<String>,
    /// JSON pointer into the spec (as loaded, or as normalized for later stages), when known.
    pub pointer: Option<String>,
    /// What went wrong.
    pub message: String,
}

impl Error {
    pub(crate) fn new(stage: Stage, message: impl Into<String>) -> Self {
        Error {
            stage,
            context: None,
            pointer: None,
            message: message.into(),
        }
    }

    pub(crate) fn context(mut self, context: impl Into<String>) -> Self {
        self.context = Some(context.into());
        self
    }

    pub(crate) fn at(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }
}
