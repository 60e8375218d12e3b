//! The quirk fixtures in tests/quirks/: one small spec per defect class of the published Fotbo
//! file, and a kitchen sink with all of them. For each: progenitor alone fails on it (or
//! generates a client that breaks on the spec's own samples), while the generator repairs it
//! with the named rules and produces code that compiles (tests/quirks_compile.rs includes the
//! generated files kept in tests/quirks/generated/).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

use std::path::{Path, PathBuf};

use generator::{generate, Settings};

/// (fixture, rules that must fire on it).
const FIXTURES: &[(&str, &[&str])] = &[
    ("openapi_3_1_to_3_0.yaml", &["openapi-3.1-to-3.0"]),
    ("schema_keyword_types.json", &["schema-keyword-types"]),
    ("ref_cycles.json", &["ref-cycles"]),
    (
        "colliding_parameter_names.json",
        &["derive-operation-ids", "colliding-parameter-names"],
    ),
    ("untyped_mixed_enums.json", &["untyped-mixed-enums"]),
    ("inline_deep_references.json", &["inline-deep-references"]),
    ("merge_object_allof.json", &["merge-object-allof"]),
    ("nonconforming_defaults.json", &["nonconforming-defaults"]),
    ("colliding_enum_variants.json", &["colliding-enum-variants"]),
    ("unreadable_values.json", &["unreadable-values"]),
    (
        "errors_decoded_by_runtime.json",
        &["errors-decoded-by-runtime"],
    ),
    (
        "misplaced_operation_keys.json",
        &["misplaced-operation-keys"],
    ),
    (
        "derive_operation_ids.json",
        &["derive-operation-ids", "undeclared-path-parameters"],
    ),
    (
        "values_off_their_type.json",
        &[
            "values-off-their-type",
            "unknown-type-names",
            "colliding-property-names",
            "required-lists",
            "parameter-schemas",
        ],
    ),
    ("unknown_type_names.json", &["unknown-type-names"]),
    ("unresolvable_references.json", &["unresolvable-references"]),
    ("malformed_path_keys.json", &["malformed-path-keys"]),
    ("deep_inline_nesting.json", &["deep-inline-nesting"]),
    ("implied_types.json", &["implied-types"]),
    ("boolean_schemas.json", &["boolean-schemas"]),
    (
        "colliding_property_names.json",
        &["colliding-property-names"],
    ),
    ("required_lists.json", &["required-lists"]),
    ("unsendable_parameters.json", &["unsendable-parameters"]),
    ("parameter_schemas.json", &["parameter-schemas"]),
    (
        "undeclared_path_parameters.json",
        &["undeclared-path-parameters"],
    ),
    ("usable_media_types.json", &["usable-media-types"]),
    (
        "forward_compatible_types.json",
        &["forward-compatible-types"],
    ),
    ("one_response_type.json", &["one-response-type"]),
    ("trust_response_samples.json", &["trust-response-samples"]),
    (
        "optional_response_fields.json",
        &["optional-response-fields"],
    ),
    (
        "kitchen_sink.json",
        &[
            "openapi-3.1-to-3.0",
            "misplaced-operation-keys",
            "derive-operation-ids",
            "undeclared-path-parameters",
            "merge-object-allof",
            "unknown-type-names",
            "values-off-their-type",
            "usable-media-types",
            "forward-compatible-types",
            "one-response-type",
            "trust-response-samples",
        ],
    ),
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/quirks")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The settings the fixtures are generated with (one definition, shared with regen).
pub fn fixture_settings(name: &str) -> Settings {
    Settings::for_fixture(name)
}

/// What progenitor alone makes of a fixture: its code, or why it failed. Run on a thread with
/// a large stack: on deep nesting progenitor recurses past a test thread's 2 MiB (which is
/// itself one way it fails where the generator does not).
fn progenitor_alone(bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.to_vec();
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || progenitor_alone_here(&bytes))
        .unwrap()
        .join()
        .unwrap()
}

fn progenitor_alone_here(bytes: &[u8]) -> Result<String, String> {
    let value = generator::load::load(bytes).map_err(|e| e.to_string())?;
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(value).map_err(|e| format!("openapiv3: {e}"))?;
    let outcome =
        generator::quietly(|| progenitor_impl::Generator::default().generate_tokens(&spec));
    match outcome {
        Ok(Ok(tokens)) => Ok(tokens.to_string()),
        Ok(Err(e)) => Err(format!("progenitor: {e}")),
        Err(_) => Err("progenitor panicked".into()),
    }
}

#[test]
fn progenitor_alone_cannot_use_the_fixtures() {
    for (name, _) in FIXTURES {
        // Would overflow the stack and abort this process: not run in-process (the rule's
        // unit tests show the cycles; `cargo xtask generate --plain` on this file before the
        // rule existed printed "fatal runtime error: stack overflow, aborting").
        if *name == "ref_cycles.json" {
            continue;
        }
        let alone = progenitor_alone(&read(name));
        match *name {
            // These generate, but into types that break on the server's answers.
            "forward_compatible_types.json" => {
                let code = alone.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(
                    code.contains("deny_unknown_fields"),
                    "{name}: expected closed types"
                );
            }
            "trust_response_samples.json" => {
                let code = alone.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(
                    code.contains(
                        "pub name : :: std :: option :: Option < :: std :: string :: String >"
                    ),
                    "{name}"
                );
            }
            // Generates, into a type that an empty 204 or `{}` cannot fill.
            "optional_response_fields.json" => {
                let code = alone.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(
                    code.contains("pub detail : :: std :: string :: String"),
                    "{name}: expected a required field"
                );
            }
            // Generates, into code that does not compile: four methods named `get_user`.
            "colliding_parameter_names.json" => {
                let code = alone.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(
                    code.matches("pub async fn get_user").count() > 1,
                    "{name}: expected colliding methods"
                );
            }
            // typify 0.8 merges object allOfs itself (a contradicting property becomes a
            // looser type); the rule keeps the merge ours — one flat object, the later part's
            // declaration winning — so the list glue finds `objects` and `next` whatever the
            // typify version does.
            "merge_object_allof.json" => {
                alone.unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            // Generates, with a typed error enum for two of the errors: under the runtime
            // setting that would be a second, partial error path.
            "errors_decoded_by_runtime.json" => {
                let code = alone.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(
                    code.contains("GetItemResponse"),
                    "{name}: expected typed errors"
                );
            }
            // Generates, silently without the request body.
            "misplaced_operation_keys.json" => {
                let code = alone.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(
                    !code.contains("CreateThingBody"),
                    "{name}: expected the body to be lost"
                );
            }
            // Generates, into a struct with the field `host_id` three times: no compile.
            "colliding_property_names.json" => {
                let code = alone.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(
                    code.matches("pub host_id :").count() > 1,
                    "{name}: expected colliding fields"
                );
            }
            // Generates, into a type nested a hundred deep that rustc does not compile.
            "deep_inline_nesting.json" => {
                let code = alone.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(
                    code.matches(":: std :: vec :: Vec <").count() >= 100,
                    "{name}: expected the nesting kept"
                );
            }
            // Generates, sending the query string as part of the path.
            "malformed_path_keys.json" => {
                let code = alone.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(code.contains("instances?page_size=10&page=1"), "{name}");
            }
            _ => assert!(alone.is_err(), "{name}: progenitor alone handled it"),
        }
    }
}

/// Every rule shows its quirk and its repair on a fixture named after it
/// (`tests/quirks/<rule_name>.json` for rule `rule-name`, the rule among those it must fire):
/// a new rule comes with one.
#[test]
fn every_rule_has_a_fixture_named_after_it() {
    let missing: Vec<&str> = generator::RULES
        .iter()
        .map(|r| r.name)
        .filter(|rule| {
            let stem = rule.replace(['-', '.'], "_");
            !FIXTURES.iter().any(|(name, rules)| {
                name.split('.').next() == Some(stem.as_str()) && rules.contains(rule)
            })
        })
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture named after them: {missing:?}"
    );
}

/// Whatever the generator accepts compiles: quirks_compile.rs includes the code generated for
/// every fixture (and this test fails when a new fixture is not included there).
#[test]
fn every_fixture_is_compiled() {
    let compile = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/quirks_compile.rs"),
    )
    .unwrap();
    let missing: Vec<&str> = FIXTURES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| {
            let stem = name.split('.').next().unwrap_or(name);
            !compile.contains(&format!("\"quirks/generated/{stem}.rs\""))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "not compiled by quirks_compile.rs: {missing:?}"
    );
}

#[test]
fn the_generator_repairs_every_fixture_with_the_named_rules() {
    let update = std::env::var_os("QUIRKS_UPDATE").is_some();
    let mut stale = Vec::new();
    for (name, rules) in FIXTURES {
        let generated = generate(&read(name), &fixture_settings(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let fired: Vec<&str> = generated
            .report
            .counts()
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        for rule in *rules {
            assert!(
                fired.contains(rule),
                "{name}: rule {rule} did not fire (fired: {fired:?})"
            );
        }
        assert!(
            !generated.code.contains("deny_unknown_fields"),
            "{name}: closed types left"
        );
        if *name == "misplaced_operation_keys.json" {
            assert!(
                generated.code.contains("CreateThingBody"),
                "{name}: body restored"
            );
        }
        let stem = name.split('.').next().unwrap_or(name);
        let path = dir().join("generated").join(format!("{stem}.rs"));
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != generated.code {
            if update {
                std::fs::create_dir_all(path.parent().unwrap_or(&dir()))
                    .unwrap_or_else(|e| panic!("{e}"));
                std::fs::write(&path, &generated.code).unwrap_or_else(|e| panic!("{e}"));
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(stale.is_empty(), "generated code differs from {stale:?}; rerun with QUIRKS_UPDATE=1 (or `cargo xtask regen`) and review the diff");
}

#[test]
fn builder_interface_and_fotbo_settings_handle_the_kitchen_sink() {
    let mut settings = Settings::fotbo();
    settings.inner_type = None;
    settings.hooks_expected = false;
    settings.list_page_trait = Some("crate::ListPage".into());
    settings.paged_request_trait = Some("crate::PagedRequest".into());
    let generated =
        generate(&read("kitchen_sink.json"), &settings).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        generated
            .code
            .contains("impl crate::ListPage for types::ServersListResponse"),
        "list envelope glue"
    );
    assert!(
        generated
            .code
            .contains("impl<'a> crate::PagedRequest for builder::ServersList<'a>"),
        "paged request glue"
    );
    // The api-version header is gone, and so are builders of response-only types.
    assert!(!generated.code.contains("api-version"));
    assert_eq!(
        generated.code.matches("pub struct Server {").count(),
        1,
        "response type keeps no builder"
    );
    assert_eq!(
        generated
            .code
            .matches("pub struct ServersCreateBody {")
            .count(),
        2,
        "request body keeps its builder"
    );
    assert!(generated
        .surface
        .contains("servers_list: GET /backend/api/openstack/servers"));
    assert!(generated
        .surface
        .contains("servers_reboot: POST /backend/api/openstack/servers/{server_id}/reboot"));
}
