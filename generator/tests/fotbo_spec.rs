//! The active spec in spec/ (with its wire corrections) through the whole pipeline: snapshots of
//! what reviewers read (the API surface, the normalization report) and of the full generated
//! code. A changed spec or overlay fails these until the snapshots are accepted (`cargo xtask
//! regen` accepts them).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

use generator::{generate, Generated, SpecInputs};

fn generate_active() -> Generated {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let inputs = SpecInputs::active(&dir).unwrap_or_else(|e| panic!("{e}"));
    generate(&inputs.spec, &inputs.fotbo_settings()).unwrap_or_else(|e| panic!("{e}"))
}

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

#[test]
fn fotbo_spec_generates_and_matches_the_snapshots() {
    let generated = generate_active();
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("api-surface", generated.surface);
        insta::assert_snapshot!("normalization-report", generated.report.to_string());
        insta::assert_snapshot!("client-code", generated.code);
    });
}

#[test]
fn generation_is_deterministic() {
    let a = generate_active();
    let b = generate_active();
    assert_eq!(a.code, b.code);
    assert_eq!(a.surface, b.surface);
    assert_eq!(a.normalized, b.normalized);
}
