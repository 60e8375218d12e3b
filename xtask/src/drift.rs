//! What changed between two generations, computed on the API surface as data (the generator's
//! [`ApiSurface`]): operations and types added, removed and changed, each change marked
//! **breaking** or not by the rules a Rust user of fotbo-api feels, and rules of the
//! normalization that fire differently.
//!
//! Breaking: a removed operation, type, field, variant or parameter; a new required parameter
//! or field; a parameter that becomes required; a changed parameter, field, body or result
//! type. Not breaking: a new operation, type, optional parameter or optional field; a
//! parameter that becomes optional (the builder keeps its setter); a new path or method for
//! the same operation (the Rust code does not change).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use generator::{ApiSurface, LeftOut, OperationSurface, ParamSurface, TypeSurface};
use serde::{Deserialize, Serialize};

/// What regen keeps of a generation to compare the next one with (`generator/snapshots/api.json`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The spec it was generated from (`spec/<file>`).
    pub spec: String,
    /// The API as users see it.
    pub api: ApiSurface,
    /// How often each normalization rule fired.
    pub rules: BTreeMap<String, usize>,
}

/// Where a change sits in a Keep a Changelog entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Added,
    Changed,
    Removed,
}

/// One change a user of fotbo-api may feel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub section: Section,
    pub breaking: bool,
    /// What changed, in one line.
    pub text: String,
}

/// The difference between two generations.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Drift {
    /// Operations added (their header lines).
    pub added: Vec<String>,
    /// Operations removed (their header lines).
    pub removed: Vec<String>,
    /// (operation, what was, what is): signature lines that differ.
    pub changed: Vec<(String, Vec<String>, Vec<String>)>,
    /// Every change, classified.
    pub changes: Vec<Change>,
    /// (rule, fired before, fired now)
    pub rules: Vec<(String, usize, usize)>,
}

fn header(op: &OperationSurface) -> String {
    format!("{}: {} {}  [{}]", op.id, op.method, op.path, op.tag)
}

fn signature(op: &OperationSurface) -> Vec<String> {
    let mut lines = Vec::new();
    if !op.params.is_empty() {
        let params: Vec<String> = op.params.iter().map(ParamSurface::signature).collect();
        lines.push(format!("params: {}", params.join(", ")));
    }
    for (shown, media) in &op.bodies {
        lines.push(format!("body: {shown} ({media})"));
    }
    lines.push(format!("-> {}", op.result));
    lines
}

/// A field type users may leave out when building the value.
fn optional_type(ty: &str) -> bool {
    ty.starts_with("Option<") || ty.starts_with("Vec<") || ty.starts_with("HashMap<")
}

impl Drift {
    /// Compares a generation with the one before (`None`: there was none).
    pub fn between(old: Option<&Record>, new: &Record) -> Self {
        let empty = Record::default();
        let old = old.unwrap_or(&empty);
        let mut drift = Drift::default();
        let before: BTreeMap<&str, &OperationSurface> = old
            .api
            .operations
            .iter()
            .map(|o| (o.id.as_str(), o))
            .collect();
        let after: BTreeMap<&str, &OperationSurface> = new
            .api
            .operations
            .iter()
            .map(|o| (o.id.as_str(), o))
            .collect();
        for op in &new.api.operations {
            match before.get(op.id.as_str()) {
                None => {
                    drift.added.push(header(op));
                    drift.change(
                        Section::Added,
                        false,
                        format!("`{}`: {} {}", op.id, op.method, op.path),
                    );
                }
                Some(was) if *was != op => {
                    let (a, b) = (signature(was), signature(op));
                    if a != b || header(was) != header(op) {
                        let mut was_lines: Vec<String> =
                            a.iter().filter(|l| !b.contains(l)).cloned().collect();
                        let mut now_lines: Vec<String> =
                            b.iter().filter(|l| !a.contains(l)).cloned().collect();
                        if header(was) != header(op) {
                            was_lines.insert(0, header(was));
                            now_lines.insert(0, header(op));
                        }
                        drift.changed.push((op.id.clone(), was_lines, now_lines));
                    }
                    drift.compare_operation(was, op);
                }
                Some(_) => {}
            }
        }
        let left_out: BTreeMap<&str, &LeftOut> = new
            .api
            .left_out
            .iter()
            .map(|o| (o.id.as_str(), o))
            .collect();
        for op in &old.api.operations {
            if !after.contains_key(op.id.as_str()) {
                drift.removed.push(header(op));
                // Still in the spec, but the generator could not make it: say why.
                let text = match left_out.get(op.id.as_str()) {
                    Some(out) => format!(
                        "`{}`: {} {} — left out: {}",
                        op.id, op.method, op.path, out.reason
                    ),
                    None => format!("`{}`: {} {}", op.id, op.method, op.path),
                };
                drift.change(Section::Removed, true, text);
            }
        }
        let known: BTreeSet<&str> = old
            .api
            .operations
            .iter()
            .map(|o| o.id.as_str())
            .chain(old.api.left_out.iter().map(|o| o.id.as_str()))
            .collect();
        for out in &new.api.left_out {
            // New in the spec and left out at once: a user gains nothing, but should know.
            if !known.contains(out.id.as_str()) {
                drift.change(
                    Section::Added,
                    false,
                    format!(
                        "`{}`: {} {} is in the spec but left out: {}",
                        out.id, out.method, out.path, out.reason
                    ),
                );
            }
        }
        drift.compare_types(&old.api.types, &new.api.types);
        let names: BTreeSet<&String> = old.rules.keys().chain(new.rules.keys()).collect();
        for name in names {
            let (b, a) = (
                old.rules.get(name).copied().unwrap_or(0),
                new.rules.get(name).copied().unwrap_or(0),
            );
            if a != b {
                drift.rules.push((name.clone(), b, a));
            }
        }
        drift
    }

    fn change(&mut self, section: Section, breaking: bool, text: String) {
        self.changes.push(Change {
            section,
            breaking,
            text,
        });
    }

    fn compare_operation(&mut self, was: &OperationSurface, now: &OperationSurface) {
        let id = &now.id;
        if (was.method.as_str(), was.path.as_str()) != (now.method.as_str(), now.path.as_str()) {
            self.change(
                Section::Changed,
                false,
                format!(
                    "`{id}`: now {} {} (was {} {})",
                    now.method, now.path, was.method, was.path
                ),
            );
        }
        let key = |p: &ParamSurface| (p.place.clone(), p.name.clone());
        let before: BTreeMap<_, &ParamSurface> = was.params.iter().map(|p| (key(p), p)).collect();
        let after: BTreeMap<_, &ParamSurface> = now.params.iter().map(|p| (key(p), p)).collect();
        for p in &now.params {
            match before.get(&key(p)) {
                None if p.required => self.change(
                    Section::Changed,
                    true,
                    format!("`{id}`: new required {} parameter `{}`", p.place, p.name),
                ),
                None => self.change(
                    Section::Added,
                    false,
                    format!("`{id}`: optional {} parameter `{}`", p.place, p.name),
                ),
                Some(old) => {
                    if old.ty != p.ty {
                        self.change(
                            Section::Changed,
                            true,
                            format!(
                                "`{id}`: parameter `{}` is now {} (was {})",
                                p.name, p.ty, old.ty
                            ),
                        );
                    }
                    if !old.required && p.required {
                        self.change(
                            Section::Changed,
                            true,
                            format!("`{id}`: parameter `{}` is now required", p.name),
                        );
                    } else if old.required && !p.required {
                        self.change(
                            Section::Changed,
                            false,
                            format!("`{id}`: parameter `{}` is now optional", p.name),
                        );
                    }
                }
            }
        }
        for p in &was.params {
            if !after.contains_key(&key(p)) {
                self.change(
                    Section::Removed,
                    true,
                    format!("`{id}`: {} parameter `{}`", p.place, p.name),
                );
            }
        }
        if was.bodies != now.bodies {
            let show = |b: &[(String, String)]| {
                if b.is_empty() {
                    "none".to_string()
                } else {
                    b.iter()
                        .map(|(t, m)| format!("{t} ({m})"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            self.change(
                Section::Changed,
                true,
                format!(
                    "`{id}`: request body is now {} (was {})",
                    show(&now.bodies),
                    show(&was.bodies)
                ),
            );
        }
        if was.result != now.result {
            self.change(
                Section::Changed,
                true,
                format!(
                    "`{id}`: result is now `{}` (was `{}`)",
                    now.result, was.result
                ),
            );
        }
    }

    fn compare_types(&mut self, old: &[TypeSurface], new: &[TypeSurface]) {
        let before: BTreeMap<&str, &TypeSurface> = old.iter().map(|t| (t.name(), t)).collect();
        let after: BTreeMap<&str, &TypeSurface> = new.iter().map(|t| (t.name(), t)).collect();
        for ty in new {
            let name = ty.name();
            match (before.get(name), ty) {
                (None, _) => self.change(Section::Added, false, format!("type `{name}`")),
                (
                    Some(TypeSurface::Struct { fields: was, .. }),
                    TypeSurface::Struct { fields: now, .. },
                ) => {
                    let was_map: BTreeMap<&str, &str> =
                        was.iter().map(|(f, t)| (f.as_str(), t.as_str())).collect();
                    let now_map: BTreeMap<&str, &str> =
                        now.iter().map(|(f, t)| (f.as_str(), t.as_str())).collect();
                    for (field, ty) in now {
                        match was_map.get(field.as_str()) {
                            None if optional_type(ty) => self.change(
                                Section::Added,
                                false,
                                format!("`{name}.{field}`: {ty}"),
                            ),
                            None => self.change(
                                Section::Changed,
                                true,
                                format!("`{name}`: new required field `{field}: {ty}`"),
                            ),
                            Some(old_ty) if *old_ty != ty => self.change(
                                Section::Changed,
                                true,
                                format!("`{name}.{field}` is now `{ty}` (was `{old_ty}`)"),
                            ),
                            Some(_) => {}
                        }
                    }
                    for (field, ty) in was {
                        if !now_map.contains_key(field.as_str()) {
                            self.change(Section::Removed, true, format!("`{name}.{field}` ({ty})"));
                        }
                    }
                }
                (
                    Some(TypeSurface::Enum { variants: was, .. }),
                    TypeSurface::Enum { variants: now, .. },
                ) => {
                    for v in now.iter().filter(|v| !was.contains(v)) {
                        // A new variant breaks exhaustive `match`es.
                        self.change(
                            Section::Changed,
                            true,
                            format!("`{name}`: new variant `{v}`"),
                        );
                    }
                    for v in was.iter().filter(|v| !now.contains(v)) {
                        self.change(Section::Removed, true, format!("`{name}::{v}`"));
                    }
                }
                (Some(_), _) => self.change(
                    Section::Changed,
                    true,
                    format!("type `{name}` changed kind (struct ↔ enum)"),
                ),
            }
        }
        for ty in old {
            if !after.contains_key(ty.name()) {
                self.change(Section::Removed, true, format!("type `{}`", ty.name()));
            }
        }
    }

    /// Whether users of fotbo-api would notice anything.
    pub fn api_changed(&self) -> bool {
        !self.changes.is_empty()
    }

    /// Whether any change breaks code written against the previous API.
    pub fn breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.rules.is_empty()
    }
}

/// The version a release with these changes takes, by Semantic Versioning (before 1.0 a
/// breaking change bumps the minor version, anything else the patch).
pub fn next_version(current: &str, drift: &Drift) -> Option<String> {
    if !drift.api_changed() {
        return None;
    }
    let mut parts = current.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let (major, minor, patch) = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    let additions = drift.changes.iter().any(|c| c.section == Section::Added);
    Some(match (major, drift.breaking()) {
        (0, true) => format!("0.{}.0", minor + 1),
        (0, false) => format!("0.{minor}.{}", patch + 1),
        (_, true) => format!("{}.0.0", major + 1),
        (_, false) if additions => format!("{major}.{}.0", minor + 1),
        (_, false) => format!("{major}.{minor}.{}", patch + 1),
    })
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
        for (id, was, now) in &self.changed {
            writeln!(f, "  ~ {id}")?;
            for line in was {
                writeln!(f, "      was: {line}")?;
            }
            for line in now {
                writeln!(f, "      now: {line}")?;
            }
        }
        if self.api_changed() {
            let breaking = self.changes.iter().filter(|c| c.breaking).count();
            writeln!(
                f,
                "changes: {} ({breaking} breaking, {} not)",
                self.changes.len(),
                self.changes.len() - breaking
            )?;
            for c in &self.changes {
                let mark = if c.breaking { "BREAKING" } else { "additive" };
                writeln!(f, "  [{mark}] {:?}: {}", c.section, c.text)?;
            }
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

    fn op(id: &str, params: &[(&str, bool, &str)], result: &str) -> OperationSurface {
        OperationSurface {
            id: id.into(),
            method: "GET".into(),
            path: format!("/{id}"),
            tag: "T".into(),
            params: params
                .iter()
                .map(|(name, required, ty)| ParamSurface {
                    place: "query".into(),
                    name: (*name).into(),
                    required: *required,
                    ty: (*ty).into(),
                })
                .collect(),
            bodies: Vec::new(),
            result: result.into(),
        }
    }

    fn record(
        ops: Vec<OperationSurface>,
        types: Vec<TypeSurface>,
        rules: &[(&str, usize)],
    ) -> Record {
        Record {
            spec: "spec/x.json".into(),
            api: ApiSurface {
                title: "T".into(),
                version: "1".into(),
                operations: ops,
                types,
                left_out: Vec::new(),
            },
            rules: rules.iter().map(|(r, n)| (r.to_string(), *n)).collect(),
        }
    }

    fn strukt(name: &str, fields: &[(&str, &str)]) -> TypeSurface {
        TypeSurface::Struct {
            name: name.into(),
            fields: fields
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        }
    }

    #[test]
    fn changes_are_classified_by_what_a_rust_user_feels() {
        let old = record(
            vec![
                op("a_list", &[("page", false, "string")], "AList"),
                op("b_get", &[("full", false, "string")], "B"),
                op("c_del", &[], "()"),
            ],
            vec![strukt(
                "B",
                &[("id", "Option<String>"), ("size", "Option<i64>")],
            )],
            &[("x", 2)],
        );
        let new = record(
            vec![
                op(
                    "a_list",
                    &[("page", false, "string"), ("search", false, "string")],
                    "AList",
                ),
                op(
                    "b_get",
                    &[("full", true, "string"), ("region", true, "string")],
                    "B",
                ),
                op("d_new", &[], "D"),
            ],
            vec![
                strukt(
                    "B",
                    &[
                        ("id", "Option<String>"),
                        ("size", "Option<String>"),
                        ("tags", "Vec<String>"),
                    ],
                ),
                strukt("D", &[]),
            ],
            &[("x", 3), ("y", 1)],
        );
        let d = Drift::between(Some(&old), &new);
        let marks: Vec<(bool, &str)> = d
            .changes
            .iter()
            .map(|c| (c.breaking, c.text.as_str()))
            .collect();
        for expected in [
            (false, "`d_new`: GET /d_new"),
            (true, "`c_del`: GET /c_del"),
            (false, "`a_list`: optional query parameter `search`"),
            (true, "`b_get`: parameter `full` is now required"),
            (true, "`b_get`: new required query parameter `region`"),
            (true, "`B.size` is now `Option<String>` (was `Option<i64>`)"),
            (false, "`B.tags`: Vec<String>"),
            (false, "type `D`"),
        ] {
            assert!(marks.contains(&expected), "{expected:?} not in {marks:#?}");
        }
        assert!(d.breaking());
        assert_eq!(d.rules, [("x".to_string(), 2, 3), ("y".to_string(), 0, 1)]);
        assert_eq!(next_version("0.1.0", &d).as_deref(), Some("0.2.0"));
        assert_eq!(next_version("1.4.2", &d).as_deref(), Some("2.0.0"));
        let text = d.to_string();
        assert!(text.contains("1 added, 1 removed, 2 changed"), "{text}");
        assert!(
            text.contains("now: params: query full: string, query region: string"),
            "{text}"
        );
        assert!(
            text.contains("rule y: fired 0× → 1× (newly fired)"),
            "{text}"
        );
    }

    #[test]
    fn additions_alone_are_not_breaking() {
        let old = record(vec![op("a", &[], "A")], vec![], &[]);
        let new = record(
            vec![op("a", &[("q", false, "string")], "A"), op("b", &[], "B")],
            vec![],
            &[],
        );
        let d = Drift::between(Some(&old), &new);
        assert!(!d.breaking());
        assert_eq!(next_version("0.1.0", &d).as_deref(), Some("0.1.1"));
        assert_eq!(next_version("1.4.2", &d).as_deref(), Some("1.5.0"));
        assert!(Drift::between(Some(&new), &new).is_empty());
        assert_eq!(
            next_version("0.1.0", &Drift::between(Some(&new), &new)),
            None
        );
    }

    #[test]
    fn an_operation_left_out_says_why() {
        let old = record(
            vec![op("a_list", &[], "A"), op("b_get", &[], "B")],
            vec![],
            &[],
        );
        let mut new = record(vec![op("a_list", &[], "A")], vec![], &[]);
        let out = |id: &str| LeftOut {
            id: id.into(),
            method: "GET".into(),
            path: format!("/{id}"),
            reason: "progenitor: progenitor panicked: not yet implemented".into(),
        };
        new.api.left_out = vec![out("b_get"), out("c_new")];
        let drift = Drift::between(Some(&old), &new);
        let texts: Vec<(&str, bool)> = drift
            .changes
            .iter()
            .map(|c| (c.text.as_str(), c.breaking))
            .collect();
        assert!(
            texts.contains(&(
                "`b_get`: GET /b_get — left out: progenitor: progenitor panicked: not yet implemented",
                true
            )),
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|(t, breaking)| t
                .starts_with("`c_new`: GET /c_new is in the spec but left out")
                && !breaking),
            "{texts:?}"
        );
    }
}
