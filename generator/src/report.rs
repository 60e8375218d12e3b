//! The report's printing and counts: in the order of the rules and passes, with what each
//! does (which is why this sits above `normalize` and `passes`, while the data it prints is in
//! `record`, below every stage).

use std::fmt;

use crate::normalize::RULES;
use crate::record::Report;

impl Report {
    /// How many times each rule fired, in rule order, leaving out rules that did not fire.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        RULES
            .iter()
            .map(|r| {
                (
                    r.name,
                    self.fired.iter().filter(|f| f.rule == r.name).count(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.overlay.is_empty() {
            let unmatched = self.unmatched_corrections().count();
            writeln!(
                f,
                "## wire corrections ({} actions, {} matched nothing): the overlay, applied before the rules",
                self.overlay.len(),
                unmatched
            )?;
            for applied in &self.overlay {
                writeln!(f, "- {applied}")?;
            }
            writeln!(f)?;
        }
        for rule in RULES {
            let fired: Vec<_> = self.fired.iter().filter(|x| x.rule == rule.name).collect();
            if fired.is_empty() {
                continue;
            }
            writeln!(f, "## {} ({}×): {}", rule.name, fired.len(), rule.repairs)?;
            for x in fired {
                writeln!(f, "- {}: {}", x.pointer, x.change)?;
            }
            writeln!(f)?;
        }
        if !self.losses.is_empty() {
            writeln!(
                f,
                "## losses ({}): what could not be generated, and was made without",
                self.losses.len()
            )?;
            for loss in &self.losses {
                writeln!(f, "- {loss}")?;
            }
            writeln!(f)?;
        }
        if self.progenitor_runs > 1 {
            writeln!(
                f,
                "## progenitor ran in {} parts, merged (the spec's size)\n",
                self.progenitor_runs
            )?;
        }
        if let Some(name) = &self.parts_disagreed_on {
            writeln!(
                f,
                "## progenitor ran whole: its parts defined `{name}` differently\n"
            )?;
        }
        if !self.passes.is_empty() {
            writeln!(f, "## passes over progenitor's output")?;
            for run in &self.passes {
                writeln!(f, "- {run}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
