//! Operation keys nested inside `responses` by hand-editing.
//!
//! Relatives of the Fotbo file (specs derived from it by other Fleio providers) have
//! `requestBody`, `security` or `description` written inside an operation's `responses` map,
//! where they are read as response status codes and the request body is lost. This rule moves
//! them back to the operation (unless the operation already has its own).

use serde_json::Value;

use super::{Log, Rule};
use crate::document::for_each_operation;

pub(crate) const RULE: Rule = Rule {
    name: "misplaced-operation-keys",
    repairs: "requestBody/security/description/parameters written inside `responses`",
    apply,
    when: super::always,
};

const OPERATION_KEYS: &[&str] = &[
    "requestBody",
    "security",
    "description",
    "parameters",
    "summary",
];

fn apply(doc: &mut Value, log: &mut Log) {
    for_each_operation(doc, |_, _, op, pointer| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        let mut moved = Vec::new();
        for key in OPERATION_KEYS {
            if let Some(value) = responses.remove(*key) {
                moved.push((key.to_string(), value));
            }
        }
        for (key, value) in moved {
            let p = format!("{pointer}/responses/{key}");
            if op.contains_key(&key) {
                log.fired(
                    &p,
                    format!("dropped: the operation already has its own {key}"),
                );
            } else {
                log.fired(&p, format!("moved to the operation's {key}"));
                op.insert(key, value);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::testing::run;

    #[test]
    fn request_body_inside_responses_moves_back() {
        let body = json!({"content": {"application/json": {"schema": {"type": "object"}}}});
        let (out, fired) = run(
            &RULE,
            json!({"paths": {"/a": {"post": {
                "description": "kept",
                "responses": {"200": {"description": "OK"}, "requestBody": body, "description": "stray"},
            }}}}),
        );
        let op = &out["paths"]["/a"]["post"];
        assert_eq!(op["requestBody"], body);
        assert_eq!(op["description"], "kept");
        assert_eq!(op["responses"], json!({"200": {"description": "OK"}}));
        assert_eq!(
            fired,
            [
                "/paths/~1a/post/responses/requestBody",
                "/paths/~1a/post/responses/description"
            ]
        );
    }
}
