//! Finding what progenitor cannot generate, unit by unit, so that only that unit is lost.
//!
//! progenitor stops at the first schema or operation it cannot handle (its `Generator` collects
//! the operations with `collect::<Result<Vec<_>>>()?`, and typify's type space is left in an
//! unknown state after an error): one bad operation fails the whole run. Neither tool can
//! isolate a unit, so it is done from outside, with progenitor itself as the judge, and only
//! once a run has failed — a spec that generates pays nothing for it:
//!
//! 1. **Component schemas.** With no operations, progenitor converts the components alone. If
//!    that fails, the components it cannot convert are found by group testing: a group typed,
//!    every other component untyped, a failing group halved — a few small runs per culprit
//!    (log₂ of the number of components), not one per component. Each becomes an untyped
//!    schema (any JSON value). Components that fail only together are found by halving the
//!    converted prefix (progenitor converts them in order).
//! 2. **Operations.** With the components converting, the operations of each part are tried
//!    together with those already kept, and a group that fails is halved until the operations
//!    that fail are found one by one: every other operation is kept, and an operation that fails
//!    only beside another is found too.
//! 3. **An operation's own schemas.** Before an operation is left out, each schema it holds (its
//!    body, responses and parameters) is tried untyped, alone and then all together: where that
//!    is enough, the operation stays and only those schemas are lost.
//!
//! The document is changed to what can be generated (schemas untyped, operations removed); the
//! losses say what was done and why. A search makes at most [`MAX_RUNS`] progenitor runs:
//! past them, a group still in doubt is lost whole, each member named, so that time stays
//! bounded whatever the file.

use std::collections::VecDeque;

use progenitor_impl::GenerationSettings;
use serde_json::{Map, Value};

use super::progenitor::{self, progenitor_settings};
use crate::document::{self, token};
use crate::error::{Error, Stage};
use crate::operations::{self, operations, with_operations, Operation};
use crate::record::{Culprit, Loss, Unit};
use crate::settings::Settings;

/// More units lost than this, and the spec counts as one progenitor cannot generate at all.
pub(crate) const MAX_LOSSES: usize = 1_000;

/// progenitor runs one search may make: past them, what is still in doubt is lost as a group
/// (each member named), so that time stays bounded on a spec with many bad units.
pub(crate) const MAX_RUNS: usize = 256;

/// How much of progenitor's message a loss keeps (typify's messages can dump whole schemas).
const MESSAGE_LIMIT: usize = 300;

/// Finds the schemas and operations of `doc` that progenitor cannot generate — after a run on
/// it ended in `failure` — and changes `doc` to do without them: schemas untyped, operations
/// removed. With `first_only`, stops at the first loss found (leaving the document as it is
/// beyond it): when losses are refused, the first is all the caller needs. When no unit can be
/// blamed (the document fails as a whole), the failure itself is the error.
pub(crate) fn isolate(
    doc: &mut Value,
    settings: &Settings,
    failure: Error,
    operations_per_part: usize,
    first_only: bool,
) -> Result<Vec<Loss>, Error> {
    let mut search = Search {
        progenitor: progenitor_settings(settings)?,
        first_only,
        losses: Vec::new(),
        runs: 0,
    };
    // Without a single operation and with every component untyped, nothing is left to blame
    // but the document itself (a version progenitor refuses, say).
    let names = component_names(doc);
    if search.fails(&components_only(doc, &names, 0)).is_some() {
        return Err(failure);
    }
    search.components(doc)?;
    if !search.done() {
        search.operations(doc, operations_per_part)?;
    }
    if search.losses.is_empty() {
        return Err(failure);
    }
    Ok(search.losses)
}

struct Search {
    progenitor: GenerationSettings,
    first_only: bool,
    losses: Vec<Loss>,
    /// progenitor runs made so far.
    runs: usize,
}

impl Search {
    fn done(&self) -> bool {
        self.first_only && !self.losses.is_empty()
    }

    /// progenitor's error on a document, if it fails on it.
    fn fails(&mut self, doc: &Value) -> Option<Error> {
        self.runs += 1;
        progenitor::run(doc, &self.progenitor).err()
    }

    /// Whether the search has used its runs: what is still in doubt is then lost as a group.
    fn out_of_runs(&self) -> bool {
        self.runs >= MAX_RUNS
    }

    /// progenitor's error on a group of `members`, saying when the search stopped at the
    /// group for want of runs.
    fn within_budget(&self, why: Error, members: usize) -> Error {
        if members > 1 {
            let message = format!(
                "one of a group of {members} that the search, out of its {MAX_RUNS} progenitor runs, did not split further: {}",
                why.message
            );
            Error::new(why.stage, message)
        } else {
            why
        }
    }

    fn lose(&mut self, unit: Unit, why: &Error) -> Result<(), Error> {
        if self.losses.len() >= MAX_LOSSES {
            return Err(Error::new(
                Stage::Progenitor,
                format!(
                    "progenitor cannot generate more than {MAX_LOSSES} of the spec's schemas and operations; the first: {}",
                    self.losses.first().map(ToString::to_string).unwrap_or_default()
                ),
            ));
        }
        self.losses.push(Loss {
            unit,
            stage: Stage::Progenitor,
            by: Culprit::Progenitor,
            message: bounded(&why.message),
        });
        Ok(())
    }

    /// Step 1: the component schemas progenitor cannot convert, untyped one by one. Found by
    /// group testing — a group of components typed, every other one untyped; a group that fails
    /// is halved — so that a spec with many bad schemas costs a few runs each, on small
    /// documents. A failure that needs two components together (none fails alone) is then
    /// found by halving the converted prefix instead (components convert in order).
    fn components(&mut self, doc: &mut Value) -> Result<(), Error> {
        let names = component_names(doc);
        let everything: Vec<usize> = (0..names.len()).collect();
        if names.is_empty() || self.fails(&typed_only(doc, &names, &everything)).is_none() {
            return Ok(());
        }
        let (first, second) = everything.split_at(everything.len() / 2);
        let mut queue: VecDeque<Vec<usize>> = VecDeque::from([first.to_vec(), second.to_vec()]);
        while let Some(group) = queue.pop_front() {
            let Some(why) = self.fails(&typed_only(doc, &names, &group)) else {
                continue;
            };
            if group.len() > 1 && !self.out_of_runs() {
                let (first, second) = group.split_at(group.len() / 2);
                queue.push_front(second.to_vec());
                queue.push_front(first.to_vec());
                continue;
            }
            let why = self.within_budget(why, group.len());
            for i in group {
                let pointer = format!("/components/schemas/{}", token(&names[i]));
                untype(doc, &pointer);
                self.lose(Unit::Schema { pointer }, &why)?;
                if self.done() {
                    return Ok(());
                }
            }
        }
        self.interacting_components(doc, &names)
    }

    /// Components that fail only together: the shortest failing prefix (the rest untyped)
    /// ends at one of them; it is untyped, and the search goes on after it.
    fn interacting_components(&mut self, doc: &mut Value, names: &[String]) -> Result<(), Error> {
        let mut settled = 0;
        while let Some(error) = self.fails(&components_only(doc, names, names.len())) {
            let (mut converts, mut fails, mut why) = (settled, names.len(), error);
            while fails - converts > 1 && !self.out_of_runs() {
                let mid = converts + (fails - converts) / 2;
                match self.fails(&components_only(doc, names, mid)) {
                    Some(e) => (fails, why) = (mid, e),
                    None => converts = mid,
                }
            }
            // Out of runs: every component still in doubt is untyped.
            let suspects = converts + 1..fails + 1;
            let why = self.within_budget(why, suspects.len());
            for i in suspects {
                let Some(name) = names.get(i - 1) else {
                    continue;
                };
                let pointer = format!("/components/schemas/{}", token(name));
                untype(doc, &pointer);
                self.lose(Unit::Schema { pointer }, &why)?;
                if self.done() {
                    return Ok(());
                }
            }
            settled = fails;
            if settled >= names.len() {
                break;
            }
        }
        Ok(())
    }

    /// Step 2: the operations progenitor cannot generate, part by part.
    fn operations(&mut self, doc: &mut Value, operations_per_part: usize) -> Result<(), Error> {
        let all = operations(doc);
        for part in all.chunks(operations_per_part.max(1)) {
            let mut kept: Vec<Operation> = Vec::new();
            let mut queue: VecDeque<Vec<Operation>> = VecDeque::from([part.to_vec()]);
            while let Some(group) = queue.pop_front() {
                let trial: Vec<Operation> = kept.iter().chain(&group).cloned().collect();
                let Some(why) = self.fails(&with_operations(doc, &trial)) else {
                    kept.extend(group);
                    continue;
                };
                match group.as_slice() {
                    [op] => {
                        if self.operation(doc, &kept, op, &why)? {
                            kept.push(op.clone());
                        }
                        if self.done() {
                            return Ok(());
                        }
                    }
                    // Out of runs: the group that still fails is left out whole.
                    _ if self.out_of_runs() => {
                        let why = self.within_budget(why, group.len());
                        for op in &group {
                            self.leave_out(doc, op, &why)?;
                            if self.done() {
                                return Ok(());
                            }
                        }
                    }
                    _ => {
                        let (first, second) = group.split_at(group.len() / 2);
                        queue.push_front(second.to_vec());
                        queue.push_front(first.to_vec());
                    }
                }
            }
        }
        Ok(())
    }

    /// Step 3: one operation that fails beside `kept`. Kept with some of its schemas untyped
    /// (true), or left out (false).
    fn operation(
        &mut self,
        doc: &mut Value,
        kept: &[Operation],
        op: &Operation,
        why: &Error,
    ) -> Result<bool, Error> {
        let trial: Vec<Operation> = kept.iter().chain([op]).cloned().collect();
        if !self.first_only {
            let places = schema_places(doc, op);
            for place in &places {
                let Some(saved) = untype(doc, place) else {
                    continue;
                };
                if self.fails(&with_operations(doc, &trial)).is_none() {
                    self.lose(
                        Unit::Schema {
                            pointer: place.clone(),
                        },
                        why,
                    )?;
                    return Ok(true);
                }
                restore(doc, place, saved);
            }
            if places.len() > 1 {
                let saved: Vec<(String, Value)> = places
                    .iter()
                    .filter_map(|p| untype(doc, p).map(|v| (p.clone(), v)))
                    .collect();
                if self.fails(&with_operations(doc, &trial)).is_none() {
                    for (place, _) in saved {
                        self.lose(Unit::Schema { pointer: place }, why)?;
                    }
                    return Ok(true);
                }
                for (place, value) in saved.into_iter().rev() {
                    restore(doc, &place, value);
                }
            }
        }
        self.leave_out(doc, op, why)?;
        Ok(false)
    }

    /// Removes an operation from the document (unless only the first loss is wanted), lost.
    fn leave_out(&mut self, doc: &mut Value, op: &Operation, why: &Error) -> Result<(), Error> {
        if !self.first_only {
            operations::remove(doc, &op.path, &op.method);
        }
        self.lose(
            Unit::Operation {
                id: op.id.clone().unwrap_or_else(|| "?".to_string()),
                method: op.method.to_uppercase(),
                path: op.path.clone(),
                pointer: op.pointer.clone(),
            },
            why,
        )
    }
}

/// The names of the component schemas, in order.
fn component_names(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default()
}

/// The document without operations, the component schemas at `typed` (indices into `names`)
/// as they are and every other one untyped.
fn typed_only(doc: &Value, names: &[String], typed: &[usize]) -> Value {
    let mut copy = with_operations(doc, &[]);
    if let Some(schemas) = copy
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        let keep: std::collections::BTreeSet<&str> = typed
            .iter()
            .filter_map(|&i| names.get(i))
            .map(String::as_str)
            .collect();
        for (name, schema) in schemas.iter_mut() {
            if !keep.contains(name.as_str()) {
                *schema = Value::Object(Map::new());
            }
        }
    }
    copy
}

/// The document without operations, its first `typed` component schemas as they are and the
/// rest untyped.
fn components_only(doc: &Value, names: &[String], typed: usize) -> Value {
    let mut copy = with_operations(doc, &[]);
    if let Some(schemas) = copy
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for name in names.iter().skip(typed) {
            if let Some(schema) = schemas.get_mut(name) {
                *schema = Value::Object(Map::new());
            }
        }
    }
    copy
}

/// Said in the description of a schema the generator untyped.
const UNTYPED_NOTE: &str = "Untyped: the generator could not make a type of this schema (see the normalization report), so it holds any JSON value.";

/// Makes the schema at `pointer` untyped (any JSON value), keeping its description; returns
/// what was there.
fn untype(doc: &mut Value, pointer: &str) -> Option<Value> {
    let slot = doc.pointer_mut(pointer)?;
    if !slot.is_object() {
        return None;
    }
    let description = match slot.get("description").and_then(Value::as_str) {
        Some(d) if !d.trim().is_empty() => format!("{}\n\n{UNTYPED_NOTE}", d.trim_end()),
        _ => UNTYPED_NOTE.to_string(),
    };
    let mut any = Map::new();
    any.insert("description".into(), Value::String(description));
    Some(std::mem::replace(slot, Value::Object(any)))
}

fn restore(doc: &mut Value, pointer: &str, value: Value) {
    if let Some(slot) = doc.pointer_mut(pointer) {
        *slot = value;
    }
}

/// The schemas an operation holds, where they are written: its parameters' (and its path's),
/// its request body's and its responses', following a reference to a component parameter,
/// request body or response.
fn schema_places(doc: &Value, op: &Operation) -> Vec<String> {
    let mut places = Vec::new();
    let path_item = format!("/paths/{}", token(&op.path));
    let mut holders: Vec<String> = Vec::new();
    for parameters in [
        format!("{path_item}/parameters"),
        format!("{}/parameters", op.pointer),
    ] {
        let count = doc
            .pointer(&parameters)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        holders.extend((0..count).map(|i| format!("{parameters}/{i}")));
    }
    holders.push(format!("{}/requestBody", op.pointer));
    if let Some(responses) = doc
        .pointer(&format!("{}/responses", op.pointer))
        .and_then(Value::as_object)
    {
        holders.extend(
            responses
                .keys()
                .map(|code| format!("{}/responses/{}", op.pointer, token(code))),
        );
    }
    for holder in holders {
        if doc.pointer(&holder).is_none() {
            continue;
        }
        let mut at = holder;
        // A reference to a component parameter, body or response: its schemas are there.
        for _ in 0..document::MAX_ALIASES {
            let Some(target) = doc
                .pointer(&at)
                .and_then(document::reference_of)
                .and_then(document::local_pointer)
            else {
                break;
            };
            at = target;
        }
        let Some(holder) = doc.pointer(&at) else {
            continue;
        };
        if holder.get("schema").is_some_and(Value::is_object) {
            places.push(format!("{at}/schema"));
        }
        for (media, content) in holder
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if content.get("schema").is_some_and(Value::is_object) {
                places.push(format!("{at}/content/{}/schema", token(media)));
            }
        }
    }
    places.dedup();
    places
}

/// The message on one line (a build script prints each loss as one `cargo:warning`), cut to
/// [`MESSAGE_LIMIT`] characters.
fn bounded(message: &str) -> String {
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    match message.char_indices().nth(MESSAGE_LIMIT) {
        Some((i, _)) => format!("{}…", &message[..i]),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A query parameter holding an object inside an object: progenitor panics on it.
    fn unsendable_query() -> Value {
        json!([{"name": "filter", "in": "query", "schema": {"type": "object", "properties": {
            "a": {"type": "object", "properties": {"b": {"type": "string"}}}}}}])
    }

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"get": {"operationId": "a", "responses": {"200": {"description": "OK"}}}},
                "/b": {"get": {"operationId": "b", "parameters": unsendable_query(), "responses": {"200": {"description": "OK"}}}},
                "/c": {"get": {"operationId": "c", "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}},
            },
            "components": {"schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}}},
        })
    }

    fn failure() -> Error {
        Error::new(Stage::Progenitor, "the whole run failed")
    }

    #[test]
    fn an_operation_progenitor_cannot_generate_loses_only_the_schema_it_stumbles_on() {
        let mut doc = spec();
        let losses = isolate(&mut doc, &Settings::fotbo(), failure(), 4_000, false).unwrap();
        // The parameter's schema untyped is enough: the operation stays.
        assert_eq!(losses.len(), 1, "{losses:?}");
        assert_eq!(
            losses[0].unit,
            Unit::Schema {
                pointer: "/paths/~1b/get/parameters/0/schema".into()
            }
        );
        assert!(
            losses[0].message.contains("panicked"),
            "{}",
            losses[0].message
        );
        assert!(doc.pointer("/paths/~1b/get").is_some());
        assert!(progenitor::run(&doc, &progenitor_settings(&Settings::fotbo()).unwrap()).is_ok());
    }

    #[test]
    fn components_progenitor_cannot_convert_are_untyped_one_by_one() {
        let mut doc = spec();
        let schemas = doc["components"]["schemas"].as_object_mut().unwrap();
        // typify has no type for `not` of an object: it panics.
        let weird = json!({"not": {"type": "object", "properties": {"x": {"type": "string"}}}});
        schemas.insert("Weird".into(), weird.clone());
        schemas.insert("Fine".into(), json!({"type": "string"}));
        schemas.insert("AlsoWeird".into(), weird);
        doc["paths"]["/b"]["get"]["parameters"] = json!([]);
        let losses = isolate(&mut doc, &Settings::fotbo(), failure(), 4_000, false).unwrap();
        let pointers: Vec<&str> = losses.iter().map(|l| l.unit.pointer()).collect();
        assert_eq!(
            pointers,
            ["/components/schemas/Weird", "/components/schemas/AlsoWeird"]
        );
        assert!(losses[0].message.contains("not"), "{}", losses[0].message);
        assert!(!losses[0].message.contains('\n'), "one line");
        assert_eq!(
            doc["components"]["schemas"]["Fine"],
            json!({"type": "string"})
        );
        assert_eq!(doc["components"]["schemas"]["Thing"]["type"], "object");
        assert!(doc["components"]["schemas"]["Weird"]["description"]
            .as_str()
            .unwrap()
            .contains("Untyped"));
        assert_eq!(operations(&doc).len(), 3, "every operation kept");
    }

    #[test]
    fn many_bad_components_are_found_in_few_runs_and_a_spent_budget_loses_groups_whole() {
        let weird = json!({"not": {"type": "object", "properties": {"x": {"type": "string"}}}});
        let spec_with = |count: usize, bad_every: usize| {
            let mut doc = spec();
            let schemas = doc["components"]["schemas"].as_object_mut().unwrap();
            for i in 0..count {
                let schema = if i % bad_every == 0 {
                    weird.clone()
                } else {
                    json!({"type": "string"})
                };
                schemas.insert(format!("S{i}"), schema);
            }
            doc["paths"]["/b"]["get"]["parameters"] = json!([]);
            doc
        };
        // 20 bad among 200: each found alone.
        let mut doc = spec_with(200, 10);
        let losses = isolate(&mut doc, &Settings::fotbo(), failure(), 4_000, false).unwrap();
        let mut lost: Vec<&str> = losses.iter().map(|l| l.unit.pointer()).collect();
        lost.sort();
        let mut bad: Vec<String> = (0..200)
            .step_by(10)
            .map(|i| format!("/components/schemas/S{i}"))
            .collect();
        bad.sort();
        assert_eq!(lost, bad);
        // Every one bad: more culprits than the runs allow to find one by one. The search
        // stops splitting, and what is left is lost in groups — each member named — instead of
        // taking time without bound.
        let mut doc = spec_with(400, 1);
        let losses = isolate(&mut doc, &Settings::fotbo(), failure(), 4_000, false).unwrap();
        assert_eq!(losses.len(), 400);
        assert!(
            losses
                .iter()
                .any(|l| l.message.contains("did not split further")),
            "some were lost as a group"
        );
        assert!(progenitor::run(&doc, &progenitor_settings(&Settings::fotbo()).unwrap()).is_ok());
    }

    #[test]
    fn an_operation_that_fails_whatever_its_schemas_is_left_out() {
        let mut doc = spec();
        // A path parameter the operation never declares: progenitor refuses the operation.
        let b = doc["paths"]
            .as_object_mut()
            .unwrap()
            .shift_remove("/b")
            .unwrap();
        doc["paths"]["/b/{id}"] = b;
        let losses = isolate(&mut doc, &Settings::fotbo(), failure(), 4_000, false).unwrap();
        assert!(
            matches!(losses.last().map(|l| &l.unit), Some(Unit::Operation { id, .. }) if id == "b"),
            "{losses:?}"
        );
        assert!(doc.pointer("/paths/~1b~1{id}").is_none(), "removed");
        let ids: Vec<_> = operations(&doc).into_iter().filter_map(|o| o.id).collect();
        assert_eq!(ids, ["a", "c"]);
    }

    #[test]
    fn first_only_names_the_operation_and_changes_nothing() {
        let mut doc = spec();
        let before = doc.clone();
        let losses = isolate(&mut doc, &Settings::fotbo(), failure(), 4_000, true).unwrap();
        assert_eq!(losses.len(), 1);
        assert!(
            matches!(&losses[0].unit, Unit::Operation { id, method, path, .. } if id == "b" && method == "GET" && path == "/b"),
            "{losses:?}"
        );
        assert_eq!(doc, before);
        let e = losses[0].to_error();
        assert_eq!(e.context.as_deref(), Some("operation b"));
        assert_eq!(e.pointer.as_deref(), Some("/paths/~1b/get"));
    }

    #[test]
    fn a_document_that_fails_as_a_whole_is_the_failure_itself() {
        let mut doc = spec();
        doc["openapi"] = json!("3.1.0"); // progenitor refuses the version, whatever is kept
        let e = isolate(&mut doc, &Settings::fotbo(), failure(), 4_000, false).unwrap_err();
        assert_eq!(e.message, "the whole run failed");
    }

    #[test]
    fn schema_places_follow_references_to_components() {
        let doc = json!({
            "paths": {"/x/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "post": {
                    "requestBody": {"$ref": "#/components/requestBodies/Body"},
                    "responses": {"200": {"$ref": "#/components/responses/Ok"}, "204": {"description": "none"}},
                },
            }},
            "components": {
                "requestBodies": {"Body": {"content": {"application/json": {"schema": {"type": "object"}}}}},
                "responses": {"Ok": {"description": "OK", "content": {"application/json": {"schema": {"type": "string"}}}}},
            },
        });
        let op = operations(&doc).remove(0);
        assert_eq!(
            schema_places(&doc, &op),
            [
                "/paths/~1x~1{id}/parameters/0/schema",
                "/components/requestBodies/Body/content/application~1json/schema",
                "/components/responses/Ok/content/application~1json/schema",
            ]
        );
    }
}
