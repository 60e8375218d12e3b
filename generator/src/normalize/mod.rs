//! Stage 2: repair the published spec so that progenitor can digest it.
//!
//! Each rule is a small module that repairs one class of defect, says so in its doc comment,
//! and records in the [`Report`] every place (JSON pointer) where it changed something. Rules
//! run in the order of [`RULES`]: keyword values of the wrong JSON type first (every later rule
//! may then read any keyword), version conversion next (later rules may then assume OpenAPI
//! 3.0 shapes), operation naming before anything that reports by operation.

use serde_json::{Map, Value};

use crate::error::{Error, Stage};
pub(crate) use crate::operations::rust_snake_name;
pub use crate::record::{Fired, Report};
use crate::settings::Settings;

mod all_of;
mod boolean_schemas;
mod deep_nesting;
mod deep_refs;
mod defaults;
mod enum_variants;
mod error_responses;
mod forward_compat;
mod implied_types;
mod keyword_types;
mod media_types;
mod misplaced_keys;
mod mixed_enums;
mod off_type_values;
mod openapi31;
mod operation_ids;
mod optional_response_fields;
mod param_names;
mod parameter_schemas;
mod path_keys;
mod path_params;
mod property_names;
mod ref_cycles;
mod required_lists;
mod responses;
mod sample_types;
mod type_names;
mod unreadable;
mod unresolvable_refs;
mod unsendable_parameters;

/// One normalization rule.
pub struct Rule {
    /// Stable name, used in reports and errors.
    pub name: &'static str,
    /// The defect it repairs, in one line.
    pub repairs: &'static str,
    apply: fn(&mut Value, &mut Log),
    /// Whether the rule runs under these generator settings (most always do).
    when: fn(&Settings) -> bool,
}

/// For rules that run whatever the settings.
pub(crate) fn always(_: &Settings) -> bool {
    true
}

/// Every rule, in the order it runs.
pub const RULES: &[Rule] = &[
    keyword_types::RULE,
    ref_cycles::RULE,
    openapi31::RULE,
    unresolvable_refs::RULE,
    deep_refs::RULE,
    misplaced_keys::RULE,
    path_keys::RULE,
    operation_ids::RULE,
    path_params::RULE,
    param_names::RULE,
    all_of::RULE,
    deep_nesting::RULE,
    mixed_enums::RULE,
    defaults::RULE,
    type_names::RULE,
    implied_types::RULE,
    boolean_schemas::RULE,
    off_type_values::RULE,
    property_names::RULE,
    required_lists::RULE,
    unsendable_parameters::RULE,
    parameter_schemas::RULE,
    enum_variants::RULE,
    media_types::RULE,
    forward_compat::RULE,
    optional_response_fields::RULE,
    responses::RULE,
    sample_types::RULE,
    error_responses::RULE,
    unreadable::RULE,
];

/// What a rule writes to while it runs.
pub(crate) struct Log {
    rule: &'static str,
    fired: Vec<Fired>,
}

impl Log {
    pub(crate) fn fired(&mut self, pointer: &str, change: impl Into<String>) {
        self.fired.push(Fired {
            rule: self.rule,
            pointer: pointer.to_string(),
            change: change.into(),
        });
    }
}

/// Runs every rule the settings call for over the document.
pub fn normalize(doc: &mut Value, settings: &Settings) -> Result<Report, Error> {
    if !doc.is_object() {
        return Err(Error::new(Stage::Normalize, "the document is not an object").at(""));
    }
    let mut report = Report::default();
    for rule in RULES.iter().filter(|r| (r.when)(settings)) {
        let mut log = Log {
            rule: rule.name,
            fired: Vec::new(),
        };
        (rule.apply)(doc, &mut log);
        report.fired.append(&mut log.fired);
    }
    Ok(report)
}

// ---- shared walking helpers ---------------------------------------------------------------

/// Appends a paragraph to a schema's description (or makes it the description).
pub(crate) fn append_description(schema: &mut Map<String, Value>, paragraph: &str) {
    let description = match schema.get("description").and_then(Value::as_str) {
        Some(d) if !d.trim().is_empty() => format!("{}\n\n{paragraph}", d.trim_end()),
        _ => paragraph.to_string(),
    };
    schema.insert("description".into(), Value::String(description));
}

#[cfg(test)]
pub(crate) mod testing {
    use serde_json::Value;

    use super::{Log, Rule};

    /// Runs one rule on a document and returns the result and the pointers where it fired.
    pub(crate) fn run(rule: &Rule, mut doc: Value) -> (Value, Vec<String>) {
        let mut log = Log {
            rule: rule.name,
            fired: Vec::new(),
        };
        (rule.apply)(&mut doc, &mut log);
        (doc, log.fired.into_iter().map(|f| f.pointer).collect())
    }

    /// Runs one rule on a document holding only the component schema `S`; returns `S` after
    /// the rule and the pointers where it fired.
    pub(crate) fn run_on_schema(rule: &Rule, schema: Value) -> (Value, Vec<String>) {
        let (out, fired) = run(
            rule,
            serde_json::json!({"components": {"schemas": {"S": schema}}}),
        );
        (out["components"]["schemas"]["S"].clone(), fired)
    }
}
