//! String enums whose values typify cannot name as distinct Rust variants.
//!
//! typify names each value of a string enum: first by its sanitized Pascal case, then, if two
//! collide, with every dropped character turned into `X`; if they still collide it panics
//! ("Failed to make unique variant names"), costing the whole client. Values like `+1`/`-1`
//! beside `reactions-+1`/`reactions--1`, or comparison operators made only of symbols (`==`,
//! `>=`, `>`, `<`, `<=`: `XX`, `XX`, `X`, `X`, `XX`), do that. This rule runs typify's two
//! naming passes itself and, where both collide, opens the enum to a plain string, listing the
//! known values in the description. Typed or untyped, in any schema.

use std::collections::BTreeSet;

use heck::ToPascalCase;
use serde_json::{Map, Value};

use super::{append_description, Log, Rule};
use crate::document::for_each_schema;

pub(crate) const RULE: Rule = Rule {
    name: "colliding-enum-variants",
    repairs: "string enums whose values make the same Rust variant name (`==`/`>=`, `+1`/`-1`)",
    apply,
    when: super::always,
};

fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// typify's `sanitize(_, Pascal)`.
fn variant_name(value: &str) -> String {
    let out = match value {
        "+1" => "plus1".to_pascal_case(),
        "-1" => "minus1".to_pascal_case(),
        _ => value
            .replace('\'', "")
            .replace(|c: char| !is_ident_continue(c), "-")
            .to_pascal_case(),
    };
    match out.chars().next() {
        None => "X".to_string(),
        Some(c) if c.is_alphabetic() || c == '_' => out,
        Some(_) => format!("X{out}"),
    }
}

fn unique(names: impl Iterator<Item = String>) -> bool {
    let mut seen = BTreeSet::new();
    names.into_iter().all(|n| seen.insert(n))
}

/// Whether typify's two passes both leave two values with one name.
fn collide(values: &[&str]) -> bool {
    if unique(values.iter().map(|v| variant_name(v))) {
        return false;
    }
    !unique(
        values
            .iter()
            .map(|v| variant_name(&v.replace(|c: char| c == '_' || !is_ident_continue(c), "X"))),
    )
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut Log) {
    let Some(values) = schema.get("enum").and_then(Value::as_array) else {
        return;
    };
    let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    if strings.len() < 2 || !collide(&strings) {
        return;
    }
    let known: Vec<String> = strings.iter().map(|v| format!("`{v}`")).collect();
    append_description(schema, &format!("Known values: {}.", known.join(", ")));
    schema.remove("enum");
    log.fired(
        pointer,
        "enum values collide as Rust variant names: opened to a plain string",
    );
}

fn apply(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, &mut |schema, pointer| repair(schema, pointer, log));
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::testing::run_on_schema;

    fn one(schema: Value) -> (Value, Vec<String>) {
        run_on_schema(&RULE, schema)
    }

    #[test]
    fn values_that_collide_as_variants_open_the_enum() {
        let (s, fired) =
            one(json!({"type": "string", "enum": ["reactions-+1", "reactions--1", "created"]}));
        assert!(s.get("enum").is_none());
        assert_eq!(
            s["description"],
            "Known values: `reactions-+1`, `reactions--1`, `created`."
        );
        assert_eq!(fired.len(), 1);
        // Untyped, symbols only: typify's second pass names them XX, XX, X, X, XX.
        let (s, _) = one(json!({"enum": ["==", ">=", ">", "<", "<="]}));
        assert!(s.get("enum").is_none());
    }

    #[test]
    fn values_typify_can_name_stay() {
        for values in [
            json!(["asc", "desc"]),
            json!(["a_b", "ab"]),
            json!(["+1", "-1"]),
        ] {
            let (s, fired) = one(json!({"type": "string", "enum": values.clone()}));
            assert_eq!(s["enum"], values);
            assert!(fired.is_empty());
        }
    }
}
