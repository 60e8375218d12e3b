//! Documented error responses, when the runtime decodes errors itself.
//!
//! With [`ErrorResponses::DecodedByRuntime`] (fotbo-api's setting), every error status reaches
//! the caller through one runtime decoder, whatever the spec documents: Fotbo's errors share
//! one shape (`{"detail": …}` or field lists) and its spec documents them in only a few
//! operations. Typed per-operation error types would be a second, partial error path, so the
//! documented 4xx/5xx responses (and `default`, once the success codes are settled) are
//! removed before progenitor sees them. An operation left with no response gets a bodiless
//! `200`. With `ErrorResponses::Typed` this rule does not run.

use serde_json::{json, Value};

use super::{Log, Rule};
use crate::document::{for_each_operation, token};
use crate::settings::{ErrorResponses, Settings};

pub(crate) const RULE: Rule = Rule {
    name: "errors-decoded-by-runtime",
    repairs: "documented error responses removed: the runtime decodes every error status (setting)",
    apply,
    when,
};

fn when(settings: &Settings) -> bool {
    settings.error_responses == ErrorResponses::DecodedByRuntime
}

fn apply(doc: &mut Value, log: &mut Log) {
    for_each_operation(doc, |_, _, op, pointer| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        let errors: Vec<String> = responses
            .keys()
            .filter(|code| {
                !(code.starts_with('1') || code.starts_with('2') || code.starts_with('3'))
            })
            .cloned()
            .collect();
        for code in errors {
            responses.shift_remove(&code);
            log.fired(
                &format!("{pointer}/responses/{}", token(&code)),
                "removed: decoded by the runtime",
            );
        }
        if responses.is_empty() {
            responses.insert("200".into(), json!({"description": "OK"}));
            log.fired(
                &format!("{pointer}/responses"),
                "no response left: bodiless 200",
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run;

    #[test]
    fn error_responses_go_and_successes_stay() {
        let (out, fired) = run(
            &RULE,
            json!({"paths": {"/a": {
                "get": {"responses": {"200": {"description": "OK"}, "404": {"description": "gone"},
                                      "4XX": {"description": "client"}, "default": {"description": "other"}}},
                "delete": {"responses": {"500": {"description": "boom"}}},
            }}}),
        );
        let get = &out["paths"]["/a"]["get"]["responses"];
        assert_eq!(get, &json!({"200": {"description": "OK"}}));
        let delete = &out["paths"]["/a"]["delete"]["responses"];
        assert_eq!(delete, &json!({"200": {"description": "OK"}}));
        assert_eq!(fired.len(), 5);
    }

    #[test]
    fn only_under_the_runtime_setting() {
        assert!((RULE.when)(&Settings::fotbo()));
        assert!(!(RULE.when)(&Settings::default()));
    }
}
