//! progenitor itself: our settings in its terms, and its runs guarded (an error or a panic
//! becomes an [`Error`] of the progenitor stage).

use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use serde_json::Value;

use crate::error::{Error, Stage};
use crate::guard::{panic_message, quietly};
use crate::openapi::read_openapi;
use crate::settings::{Interface, Settings, Tags};

/// Our settings as progenitor's.
pub(crate) fn progenitor_settings(settings: &Settings) -> Result<GenerationSettings, Error> {
    let mut s = GenerationSettings::new();
    s.with_interface(match settings.interface {
        Interface::Builder => InterfaceStyle::Builder,
        Interface::Positional => InterfaceStyle::Positional,
    });
    s.with_tag(match (settings.tags, settings.interface) {
        (Tags::Separate, Interface::Builder) => TagStyle::Separate,
        // progenitor cannot combine positional methods with separate tags.
        _ => TagStyle::Merged,
    });
    for d in &settings.derives {
        s.with_derive(d);
    }
    if let Some(inner) = &settings.inner_type {
        let ty: TokenStream = inner.parse().map_err(|e| {
            Error::new(
                Stage::Progenitor,
                format!("inner type `{inner}` is not a Rust path: {e}"),
            )
        })?;
        s.with_inner_type(ty);
    }
    if settings.hooks_expected {
        s.with_hooks(HooksMode::Expected);
    }
    Ok(s)
}

/// Runs progenitor on a document, turning its errors and panics into our errors.
pub(crate) fn run(doc: &Value, settings: &GenerationSettings) -> Result<TokenStream, Error> {
    let spec = read_openapi(doc)?;
    guarded(|| Generator::new(settings).generate_tokens(&spec))
}

/// Calls progenitor, turning its errors and panics into our errors.
pub(crate) fn guarded(
    call: impl FnOnce() -> Result<TokenStream, progenitor_impl::Error>,
) -> Result<TokenStream, Error> {
    match quietly(call) {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(Error::new(Stage::Progenitor, e.to_string())),
        Err(payload) => Err(Error::new(
            Stage::Progenitor,
            format!("progenitor panicked: {}", panic_message(payload)),
        )),
    }
}
