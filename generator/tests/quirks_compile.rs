//! Compiles the code generated for every quirk fixture (kept in tests/quirks/generated/ and
//! checked against a fresh generation by tests/quirks.rs), and shows on the repaired types
//! that the spec's own samples now parse.

#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/unresolvable_references.rs"]
mod unresolvable_references;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/malformed_path_keys.rs"]
mod malformed_path_keys;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/deep_inline_nesting.rs"]
mod deep_inline_nesting;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/forward_compatible_types.rs"]
mod forward_compatible_types;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/values_off_their_type.rs"]
mod values_off_their_type;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/kitchen_sink.rs"]
mod kitchen_sink;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/usable_media_types.rs"]
mod usable_media_types;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/misplaced_operation_keys.rs"]
mod misplaced_operation_keys;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/derive_operation_ids.rs"]
mod derive_operation_ids;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/openapi_3_1_to_3_0.rs"]
mod openapi_3_1_to_3_0;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/schema_keyword_types.rs"]
mod schema_keyword_types;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/ref_cycles.rs"]
mod ref_cycles;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/colliding_parameter_names.rs"]
mod colliding_parameter_names;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/untyped_mixed_enums.rs"]
mod untyped_mixed_enums;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/inline_deep_references.rs"]
mod inline_deep_references;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/merge_object_allof.rs"]
mod merge_object_allof;
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
#[path = "quirks/generated/errors_decoded_by_runtime.rs"]
mod errors_decoded_by_runtime;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/one_response_type.rs"]
mod one_response_type;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/optional_response_fields.rs"]
mod optional_response_fields;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/trust_response_samples.rs"]
mod trust_response_samples;

#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/unknown_type_names.rs"]
mod unknown_type_names;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/implied_types.rs"]
mod implied_types;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/boolean_schemas.rs"]
mod boolean_schemas;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/colliding_property_names.rs"]
mod colliding_property_names;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/required_lists.rs"]
mod required_lists;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/unsendable_parameters.rs"]
mod unsendable_parameters;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/parameter_schemas.rs"]
mod parameter_schemas;
#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::unwrap_used)]
#[path = "quirks/generated/undeclared_path_parameters.rs"]
mod undeclared_path_parameters;

use serde_json::json;

#[test]
fn samples_that_contradicted_their_types_parse() {
    let sample = json!({"name": {"value": "x"}, "zone": null});
    let parsed: trust_response_samples::types::CreateOrderResponse =
        serde_json::from_value(sample).unwrap();
    assert_eq!(parsed.name, Some(json!({"value": "x"})));
    assert_eq!(parsed.zone, None);
}

#[test]
fn closed_types_accept_new_fields_and_values() {
    let answer = json!({"status": "migrating", "added_later": 1});
    let parsed: forward_compatible_types::types::Server = serde_json::from_value(answer).unwrap();
    assert_eq!(parsed.status.map(|s| s.0), Some("migrating".to_string()));
    // Request enums stay closed: callers still get checking where they choose values.
    assert!(
        serde_json::from_value::<forward_compatible_types::types::NewServerSize>(json!("medium"))
            .is_err()
    );
}

#[test]
fn restored_and_derived_parts_are_usable() {
    // The body that was nested in `responses` is a method argument again.
    let client = misplaced_operation_keys::Client::new("http://127.0.0.1:9");
    let body = misplaced_operation_keys::types::CreateThingBody {
        name: Some("n".into()),
    };
    let _future = client.create_thing(&body);
    // Derived names and declared path parameters.
    let client = derive_operation_ids::Client::new("http://127.0.0.1:9");
    drop(client.instances_retrieve("i-1"));
    drop(client.instances_rescue_retrieve("i-1"));
    drop(client.instances_rescue("i-1"));
    drop(client.billing_summary_list());
    drop(client.openstack_summary_list());
    drop(client.dns_records_update("z", "r"));
    // `integers` became an integer, the mismatched default and enum value are gone, `hostId`
    // is kept and `host_id` dropped, `admin` (required: true on the property) is required.
    let body = values_off_their_type::types::ChangeBalancerBody {
        admin: true,
        connection_limit: Some(5i64),
        host_id: Some("h".into()),
        mode: Some(values_off_their_type::types::ChangeBalancerBodyMode::Slow),
        name: "n".into(),
        tags: vec![json!(1)],
    };
    assert_eq!(serde_json::to_value(&body).unwrap()["hostId"], "h");
}

#[test]
fn response_fields_the_server_leaves_out_are_optional() {
    let empty: optional_response_fields::types::Detail =
        serde_json::from_str("{}").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(empty.detail, None);
    // The request body keeps its required field.
    let request = serde_json::from_str::<optional_response_fields::types::RebootRequest>("{}");
    assert!(request.is_err());
}
