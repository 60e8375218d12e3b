//! Responses progenitor cannot turn into one result type.
//!
//! progenitor gives each operation one success type and one error type, and panics when the
//! documented responses disagree, or when a JSON response has no schema. The Fotbo file has
//! operations with no responses at all (allowed in 3.1), a JSON response whose only content is
//! the sample `null` (Delete instance), and success codes with different bodies. This rule:
//! - resolves `$ref` responses in place, so the checks below see their content;
//! - gives an operation without `responses` a bodiless `200`;
//! - makes JSON responses with no schema, or an empty schema and a `null` sample, bodiless;
//! - splits `default` into `4XX` and `5XX` where the operation documents a success, so it no
//!   longer counts as a second success type;
//! - drops a `101` (connection upgrade) beside a 2xx;
//! - within the success codes and within the error codes: one schema is kept; bodiless codes
//!   beside a typed one are dropped; codes with different schemas fall back to raw bytes.

use serde_json::{json, Map, Value};

use super::{Log, Rule};
use crate::document::BODY_MAY_BE_ABSENT;
use crate::document::{component_name, for_each_operation, token};

pub(crate) const RULE: Rule = Rule {
    name: "one-response-type",
    repairs: "missing, schemaless, null-sample, `default` and disagreeing responses",
    apply,
    when: super::always,
};

/// What progenitor counts as a success: 2xx, `default` and 101 (Switching Protocols).
fn is_success(code: &str) -> bool {
    code.starts_with('2') || code == "default" || code == "101"
}

/// The JSON schema of a response, `None` for bodiless, `Some(Null)` for a non-JSON body.
fn body_kind(response: &Value) -> Option<Value> {
    let content = response
        .get("content")
        .and_then(Value::as_object)
        .filter(|c| !c.is_empty())?;
    match content.get("application/json") {
        Some(media) => Some(media.get("schema").cloned().unwrap_or(json!({}))),
        None => Some(Value::Null),
    }
}

fn resolve_refs(
    responses: &mut Map<String, Value>,
    components: &Map<String, Value>,
    pointer: &str,
    log: &mut Log,
) {
    for (code, response) in responses.iter_mut() {
        let Some(r) = response
            .get("$ref")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            continue;
        };
        let target = component_name(&r, "responses")
            .and_then(|n| components.get(&n))
            .cloned();
        let p = format!("{pointer}/{}", token(code));
        match target {
            Some(t) => {
                *response = t;
                log.fired(&p, format!("{r} resolved in place"));
            }
            None => {
                *response = json!({"description": "unresolvable reference"});
                log.fired(&p, format!("{r} does not resolve: bodiless"));
            }
        }
    }
}

fn make_bodiless_where_schemaless(
    responses: &mut Map<String, Value>,
    pointer: &str,
    log: &mut Log,
) {
    for (code, response) in responses.iter_mut() {
        let Some(response) = response.as_object_mut() else {
            *response = json!({"description": ""});
            continue;
        };
        if !response.contains_key("description") {
            response.insert("description".into(), json!(""));
        }
        let Some(media) = response
            .get("content")
            .and_then(|c| c.get("application/json"))
        else {
            continue;
        };
        let schema = media.get("schema");
        let null_sample = media.get("example") == Some(&Value::Null)
            && media.as_object().is_some_and(|m| m.contains_key("example"));
        let empty_schema = schema.is_none_or(|s| s.as_object().is_some_and(Map::is_empty));
        if schema.is_none() || (null_sample && empty_schema) {
            response.remove("content");
            let why = if null_sample {
                "a null sample"
            } else {
                "no schema"
            };
            log.fired(
                &format!("{pointer}/{}", token(code)),
                format!("JSON response with {why}: bodiless"),
            );
        }
    }
}

/// Makes the codes of one group (success or error) agree on one body kind. True when a
/// bodiless code was dropped beside a typed one.
fn reconcile(
    responses: &mut Map<String, Value>,
    success: bool,
    pointer: &str,
    log: &mut Log,
) -> bool {
    let mut dropped_bodiless = false;
    // progenitor counts `default` in both groups: a `default` still here (no 2xx beside it)
    // is reconciled with the successes first, then with the errors, so both agree with it.
    let codes: Vec<String> = responses
        .keys()
        .filter(|c| is_success(c) == success || (!success && *c == "default"))
        .cloned()
        .collect();
    let kinds: Vec<(String, Option<Value>)> = codes
        .iter()
        .map(|c| (c.clone(), body_kind(&responses[c])))
        .collect();
    let mut typed: Vec<&Value> = kinds.iter().filter_map(|(_, k)| k.as_ref()).collect();
    typed.dedup();
    let distinct: Vec<&Value> = typed
        .iter()
        .enumerate()
        .filter(|(i, v)| !typed[..*i].contains(v))
        .map(|(_, v)| *v)
        .collect();
    match distinct.len() {
        0 => {}
        1 => {
            for (code, kind) in &kinds {
                if kind.is_none() {
                    responses.remove(code);
                    dropped_bodiless = true;
                    log.fired(
                        &format!("{pointer}/{}", token(code)),
                        "bodiless code beside a typed one dropped",
                    );
                }
            }
        }
        _ => {
            for (code, _) in &kinds {
                if let Some(r) = responses.get_mut(code).and_then(Value::as_object_mut) {
                    r.insert("content".into(), json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}));
                    log.fired(
                        &format!("{pointer}/{}", token(code)),
                        "codes disagree on the body: read as raw bytes",
                    );
                }
            }
        }
    }
    dropped_bodiless
}

fn apply(doc: &mut Value, log: &mut Log) {
    let components = doc
        .pointer("/components/responses")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for_each_operation(doc, |_, _, op, pointer| {
        let r_ptr = format!("{pointer}/responses");
        let documented = op
            .get("responses")
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty());
        if !documented {
            op.insert("responses".into(), json!({"200": {"description": "OK"}}));
            log.fired(&r_ptr, "operation without responses: bodiless 200");
            return;
        }
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        resolve_refs(responses, &components, &r_ptr, log);
        make_bodiless_where_schemaless(responses, &r_ptr, log);
        // progenitor types 101 as a connection upgrade: beside a 2xx it is a second success
        // type. A client of this SDK cannot take the upgrade anyway; the 2xx stays.
        if responses.contains_key("101") && responses.keys().any(|c| c.starts_with('2')) {
            responses.shift_remove("101");
            log.fired(
                &format!("{r_ptr}/101"),
                "dropped: a connection upgrade beside a 2xx success",
            );
        }
        let has_success = responses.keys().any(|c| c.starts_with('2'));
        if has_success {
            if let Some(default) = responses.remove("default") {
                for range in ["4XX", "5XX"] {
                    responses.entry(range).or_insert_with(|| default.clone());
                }
                log.fired(
                    &format!("{r_ptr}/default"),
                    "default split into 4XX and 5XX",
                );
            }
        }
        let body_may_be_absent = reconcile(responses, true, &r_ptr, log);
        reconcile(responses, false, &r_ptr, log);
        if body_may_be_absent {
            op.insert(BODY_MAY_BE_ABSENT.into(), Value::Bool(true));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run;

    fn responses(op: Value) -> (Value, Vec<String>) {
        let (out, fired) = run(&RULE, json!({"paths": {"/a": {"get": op}}}));
        (out["paths"]["/a"]["get"]["responses"].clone(), fired)
    }

    #[test]
    fn missing_and_null_sample_responses_become_bodiless() {
        let (r, _) = responses(json!({}));
        assert_eq!(r, json!({"200": {"description": "OK"}}));
        let (r, fired) = responses(json!({"responses": {"200": {"description": "OK",
            "content": {"application/json": {"example": null}}}}}));
        assert_eq!(r, json!({"200": {"description": "OK"}}));
        assert_eq!(fired, ["/paths/~1a/get/responses/200"]);
    }

    #[test]
    fn default_is_split_and_disagreeing_codes_fall_back() {
        let a = json!({"application/json": {"schema": {"type": "string"}}});
        let b = json!({"application/json": {"schema": {"type": "integer"}}});
        let (r, _) = responses(json!({"responses": {
            "200": {"description": "", "content": a}, "201": {"description": "", "content": b},
            "204": {"description": ""}, "default": {"description": "error", "content": a},
        }}));
        assert_eq!(
            r["200"]["content"]["application/octet-stream"]["schema"]["format"],
            "binary"
        );
        assert_eq!(r["201"]["content"], r["200"]["content"]);
        assert!(r.get("default").is_none());
        assert_eq!(r["4XX"]["content"], a);
        assert_eq!(r["5XX"]["content"], a);
    }

    #[test]
    fn a_default_without_a_success_agrees_with_the_errors_too() {
        let json_of = |s: Value| json!({"application/json": {"schema": s}});
        let err = json_of(json!({"$ref": "#/components/schemas/E"}));
        let (r, _) = responses(json!({"responses": {
            "302": {"description": "found", "content": json_of(json!({"type": "object"}))},
            "400": {"description": "bad", "content": err},
            "default": {"description": "error", "content": err},
        }}));
        // One kind across 302, 400 and default: progenitor sees one error type.
        let kinds: std::collections::BTreeSet<String> = ["302", "400", "default"]
            .iter()
            .map(|c| r[*c]["content"].to_string())
            .collect();
        assert_eq!(kinds.len(), 1, "{r}");
    }

    #[test]
    fn bodiless_code_beside_a_typed_one_is_dropped() {
        let a = json!({"application/json": {"schema": {"type": "object"}}});
        let (r, _) = responses(
            json!({"responses": {"200": {"description": "", "content": a}, "204": {"description": ""}}}),
        );
        assert!(r.get("204").is_none());
        assert!(r.get("200").is_some());
        let (out, _) = run(
            &RULE,
            json!({"paths": {"/a": {"get": {"responses": {"200": {"description": "", "content": a}, "204": {"description": ""}}}}}}),
        );
        assert_eq!(out["paths"]["/a"]["get"][BODY_MAY_BE_ABSENT], true);
    }
}
