//! What changed between two generations, at the level a reviewer cares about: operations
//! added, removed and changed (parameters, body, result), and rules that fire differently.

use std::collections::BTreeMap;
use std::fmt;

/// One operation's block in the API surface: its header line and signature lines.
fn operations(surface: &str) -> BTreeMap<String, String> {
    let mut ops = BTreeMap::new();
    let body = surface.split("\n## Types").next().unwrap_or("");
    let mut current: Option<(String, String)> = None;
    for line in body.lines() {
        if !line.starts_with(' ') && line.contains(": ") && !line.starts_with('#') {
            if let Some((id, text)) = current.take() {
                ops.insert(id, text);
            }
            let id = line.split(':').next().unwrap_or("").to_string();
            current = Some((id, format!("{line}\n")));
        } else if line.starts_with("    ") {
            if let Some((_, text)) = current.as_mut() {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    if let Some((id, text)) = current {
        ops.insert(id, text);
    }
    ops
}

/// Rule name → how often it fired, from a normalization report.
fn rule_counts(report: &str) -> BTreeMap<String, usize> {
    report
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|l| {
            let (name, rest) = l.split_once(" (")?;
            let n = rest.split('×').next()?.parse().ok()?;
            Some((name.to_string(), n))
        })
        .collect()
}

/// The difference between two generations.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Drift {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// (operation, old block, new block)
    pub changed: Vec<(String, String, String)>,
    /// (rule, fired before, fired now)
    pub rules: Vec<(String, usize, usize)>,
    pub types_changed: bool,
}

impl Drift {
    pub fn between(
        old_surface: &str,
        new_surface: &str,
        old_report: &str,
        new_report: &str,
    ) -> Self {
        let old = operations(old_surface);
        let new = operations(new_surface);
        let mut drift = Drift::default();
        for (id, block) in &new {
            match old.get(id) {
                None => drift
                    .added
                    .push(block.lines().next().unwrap_or(id).to_string()),
                Some(before) if before != block => {
                    drift
                        .changed
                        .push((id.clone(), before.clone(), block.clone()))
                }
                Some(_) => {}
            }
        }
        for (id, block) in &old {
            if !new.contains_key(id) {
                drift
                    .removed
                    .push(block.lines().next().unwrap_or(id).to_string());
            }
        }
        let before = rule_counts(old_report);
        let after = rule_counts(new_report);
        let names: std::collections::BTreeSet<&String> =
            before.keys().chain(after.keys()).collect();
        for name in names {
            let (b, a) = (
                before.get(name).copied().unwrap_or(0),
                after.get(name).copied().unwrap_or(0),
            );
            if a != b {
                drift.rules.push((name.clone(), b, a));
            }
        }
        let types = |s: &str| s.split("\n## Types").nth(1).unwrap_or("").to_string();
        drift.types_changed = types(old_surface) != types(new_surface);
        drift
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.rules.is_empty()
            && !self.types_changed
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "no drift: the generated API is unchanged");
        }
        writeln!(
            f,
            "operations: {} added, {} removed, {} changed",
            self.added.len(),
            self.removed.len(),
            self.changed.len()
        )?;
        for a in &self.added {
            writeln!(f, "  + {a}")?;
        }
        for r in &self.removed {
            writeln!(f, "  - {r}")?;
        }
        for (id, before, after) in &self.changed {
            writeln!(f, "  ~ {id}")?;
            let old: Vec<&str> = before.lines().collect();
            let new: Vec<&str> = after.lines().collect();
            for line in old.iter().filter(|l| !new.contains(l)) {
                writeln!(f, "      was: {}", line.trim())?;
            }
            for line in new.iter().filter(|l| !old.contains(l)) {
                writeln!(f, "      now: {}", line.trim())?;
            }
        }
        if self.types_changed {
            writeln!(f, "types: changed (see the api-surface snapshot diff)")?;
        }
        for (rule, before, after) in &self.rules {
            let note = if *before == 0 {
                " (newly fired)"
            } else if *after == 0 {
                " (no longer fires)"
            } else {
                ""
            };
            writeln!(f, "rule {rule}: fired {before}× → {after}×{note}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "# API\n\n## Operations\n\na_list: GET /a  [T]\n    -> AList\nb_get: GET /b/{id}  [T]\n    params: path id: string\n    -> B\nc_del: DELETE /c  [T]\n    -> ()\n\n## Types\n\nstruct B\n";
    const NEW: &str = "# API\n\n## Operations\n\na_list: GET /a  [T]\n    -> AList\nb_get: GET /b/{id}  [T]\n    params: path id: string, query full?: string\n    -> B\nd_new: POST /d  [T]\n    -> D\n\n## Types\n\nstruct B\nstruct D\n";

    #[test]
    fn added_removed_changed_and_rules() {
        let d = Drift::between(OLD, NEW, "## x (2×): a\n", "## x (3×): a\n## y (1×): b\n");
        assert_eq!(d.added, ["d_new: POST /d  [T]"]);
        assert_eq!(d.removed, ["c_del: DELETE /c  [T]"]);
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].0, "b_get");
        assert_eq!(d.rules, [("x".to_string(), 2, 3), ("y".to_string(), 0, 1)]);
        assert!(d.types_changed);
        let text = d.to_string();
        assert!(text.contains("1 added, 1 removed, 1 changed"), "{text}");
        assert!(
            text.contains("now: params: path id: string, query full?: string"),
            "{text}"
        );
        assert!(
            text.contains("rule y: fired 0× → 1× (newly fired)"),
            "{text}"
        );
        assert!(Drift::between(OLD, OLD, "", "").is_empty());
    }
}
