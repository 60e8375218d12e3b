//! The quirk fixtures in tests/quirks/: one small spec per defect class of the published Fotbo
//! file, and a kitchen sink with all of them. For each: progenitor alone fails on it (or
//! generates a client that breaks on the spec's own samples), while the generator repairs it
//! with the named rules and produces code that compiles (tests/quirks_compile.rs includes the
//! generated files kept in tests/quirks/generated/).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use generator::{generate, Settings};

/// (fixture, rules that must fire on it).
const FIXTURES: &[(&str, &[&str])] = &[
    ("openapi_3_1.yaml", &["openapi-3.1-to-3.0"]),
    ("properties_beside_type.json", &["schema-keyword-types"]),
    ("misplaced_keys.json", &["misplaced-operation-keys"]),
    (
        "no_operation_ids.json",
        &["derive-operation-ids", "undeclared-path-parameters"],
    ),
    ("contradictory_schemas.json", &["repair-schemas"]),
    ("media_types.json", &["usable-media-types"]),
    ("closed_types.json", &["forward-compatible-types"]),
    ("responses.json", &["one-response-type"]),
    ("samples_contradict_types.json", &["trust-response-samples"]),
    (
        "required_response_fields.json",
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
            "repair-schemas",
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

/// The settings the fixtures are generated with: progenitor's plain defaults.
pub fn fixture_settings(name: &str) -> Settings {
    Settings {
        source_name: format!("generator/tests/quirks/{name}"),
        ..Settings::default()
    }
}

/// What progenitor alone makes of a fixture: its code, or why it failed.
fn progenitor_alone(bytes: &[u8]) -> Result<String, String> {
    let value = generator::load::load(bytes).map_err(|e| e.to_string())?;
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(value).map_err(|e| format!("openapiv3: {e}"))?;
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        progenitor_impl::Generator::default().generate_tokens(&spec)
    }));
    match outcome {
        Ok(Ok(tokens)) => Ok(tokens.to_string()),
        Ok(Err(e)) => Err(format!("progenitor: {e}")),
        Err(_) => Err("progenitor panicked".into()),
    }
}

#[test]
fn progenitor_alone_cannot_use_the_fixtures() {
    for (name, _) in FIXTURES {
        let alone = progenitor_alone(&read(name));
        match *name {
            // These generate, but into types that break on the server's answers.
            "closed_types.json" => {
                let code = alone.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(
                    code.contains("deny_unknown_fields"),
                    "{name}: expected closed types"
                );
            }
            "samples_contradict_types.json" => {
                let code = alone.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(
                    code.contains(
                        "pub name : :: std :: option :: Option < :: std :: string :: String >"
                    ),
                    "{name}"
                );
            }
            // Generates, into a type that an empty 204 or `{}` cannot fill.
            "required_response_fields.json" => {
                let code = alone.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(
                    code.contains("pub detail : :: std :: string :: String"),
                    "{name}: expected a required field"
                );
            }
            // Generates, silently without the request body.
            "misplaced_keys.json" => {
                let code = alone.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(
                    !code.contains("CreateThingBody"),
                    "{name}: expected the body to be lost"
                );
            }
            _ => assert!(alone.is_err(), "{name}: progenitor alone handled it"),
        }
    }
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
        if *name == "misplaced_keys.json" {
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
