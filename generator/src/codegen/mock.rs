//! Typed mocks: progenitor's httpmock generator, on the same document and settings as the
//! client.

use proc_macro2::TokenStream;
use progenitor_impl::Generator;
use serde_json::Value;

use super::progenitor::{guarded, progenitor_settings};
use crate::error::{Error, Stage};
use crate::openapi::read_openapi;
use crate::settings::Settings;

/// progenitor's typed mocks for `httpmock` (per operation: a `When` with one matcher per
/// parameter and body, a `Then` with one responder per documented response, in the client's
/// own types), for the same document and settings as the client, so the types they name are
/// the client's.
pub(crate) fn generate_mock(
    doc: &Value,
    settings: &Settings,
    crate_path: &str,
) -> Result<TokenStream, Error> {
    if syn::parse_str::<syn::Path>(crate_path).is_err() {
        return Err(Error::new(
            Stage::Progenitor,
            format!("mock crate path `{crate_path}` is not a Rust path"),
        ));
    }
    let spec = read_openapi(doc)?;
    let gen_settings = progenitor_settings(settings)?;
    guarded(|| Generator::new(&gen_settings).httpmock(&spec, crate_path))
        .map_err(|e| e.context("typed mocks".to_string()))
}
