//! Compiles the code generated for every quirk fixture (kept in tests/quirks/generated/ and
//! checked against a fresh generation by tests/quirks.rs), and shows on the repaired types
//! that the spec's own samples now parse.

#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/closed_types.rs"]
mod closed_types;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/contradictory_schemas.rs"]
mod contradictory_schemas;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/kitchen_sink.rs"]
mod kitchen_sink;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/media_types.rs"]
mod media_types;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/misplaced_keys.rs"]
mod misplaced_keys;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/no_operation_ids.rs"]
mod no_operation_ids;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/openapi_3_1.rs"]
mod openapi_3_1;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/properties_beside_type.rs"]
mod properties_beside_type;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/ref_cycles.rs"]
mod ref_cycles;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/colliding_identifiers.rs"]
mod colliding_identifiers;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/untyped_mixed_enums.rs"]
mod untyped_mixed_enums;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/deep_references.rs"]
mod deep_references;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/object_allof.rs"]
mod object_allof;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/nonconforming_defaults.rs"]
mod nonconforming_defaults;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/colliding_enum_variants.rs"]
mod colliding_enum_variants;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/unreadable_values.rs"]
mod unreadable_values;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/error_responses.rs"]
mod error_responses;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/responses.rs"]
mod responses;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/required_response_fields.rs"]
mod required_response_fields;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/samples_contradict_types.rs"]
mod samples_contradict_types;

use serde_json::json;

#[test]
fn samples_that_contradicted_their_types_parse() {
    let sample = json!({"name": {"value": "x"}, "zone": null});
    let parsed: samples_contradict_types::types::CreateOrderResponse =
        serde_json::from_value(sample).unwrap();
    assert_eq!(parsed.name, Some(json!({"value": "x"})));
    assert_eq!(parsed.zone, None);
}

#[test]
fn closed_types_accept_new_fields_and_values() {
    let answer = json!({"status": "migrating", "added_later": 1});
    let parsed: closed_types::types::Server = serde_json::from_value(answer).unwrap();
    assert_eq!(parsed.status.map(|s| s.0), Some("migrating".to_string()));
    // Request enums stay closed: callers still get checking where they choose values.
    assert!(serde_json::from_value::<closed_types::types::NewServerSize>(json!("medium")).is_err());
}

#[test]
fn restored_and_derived_parts_are_usable() {
    // The body that was nested in `responses` is a method argument again.
    let client = misplaced_keys::Client::new("http://127.0.0.1:9");
    let body = misplaced_keys::types::CreateThingBody {
        name: Some("n".into()),
    };
    let _future = client.create_thing(&body);
    // Derived names and declared path parameters.
    let client = no_operation_ids::Client::new("http://127.0.0.1:9");
    drop(client.instances_retrieve("i-1"));
    drop(client.instances_rescue_retrieve("i-1"));
    drop(client.instances_rescue("i-1"));
    drop(client.billing_summary_list());
    drop(client.openstack_summary_list());
    drop(client.dns_records_update("z", "r"));
    // `integers` became an integer, the mismatched default and enum value are gone, `hostId`
    // is kept and `host_id` dropped, `admin` (required: true on the property) is required.
    let body = contradictory_schemas::types::ChangeBalancerBody {
        admin: true,
        connection_limit: Some(5i64),
        host_id: Some("h".into()),
        mode: Some(contradictory_schemas::types::ChangeBalancerBodyMode::Slow),
        name: "n".into(),
        tags: vec![json!(1)],
    };
    assert_eq!(serde_json::to_value(&body).unwrap()["hostId"], "h");
}

#[test]
fn response_fields_the_server_leaves_out_are_optional() {
    let empty: required_response_fields::types::Detail =
        serde_json::from_str("{}").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(empty.detail, None);
    // The request body keeps its required field.
    let request = serde_json::from_str::<required_response_fields::types::RebootRequest>("{}");
    assert!(request.is_err());
}
