//! The Fotbo client generator: published spec in, formatted Rust client out.
//!
//! ```text
//! bytes ─load─▶ JSON ─overlay─▶ JSON ─normalize─▶ OpenAPI 3.0 ─progenitor─▶ tokens ─syn─▶ file
//!                   (wire          (named rules,           (+ operation table)
//!                    corrections)   each reported)
//!
//! file ─passes─▶ file ─prettyplease─▶ code
//!      (named passes for settings progenitor lacks: builders, api-version header,
//!       list-envelope and paging glue, responses decoded by the runtime; each reported)
//! ```
//!
//! [`generate`] runs the whole pipeline and never panics: every failure, progenitor's own
//! panics included, comes back as an [`Error`] naming the stage, the rule or operation, and the
//! JSON pointer. The same input always gives byte-identical output.

mod codegen;
mod document;
mod error;
pub mod inputs;
pub mod load;
pub mod normalize;
pub mod overlay;
mod parse;
pub mod passes;
mod prune;
mod runtime_responses;
mod settings;
pub mod surface;
mod syntax;

use std::time::{Duration, Instant};

pub use codegen::quietly;
pub use error::{Error, Stage};
pub use inputs::SpecInputs;
pub use normalize::{Fired, Report, RULES};
pub use overlay::{Applied, Overlay};
pub use passes::{Pass, PassRun, PASSES};
pub use settings::{ErrorResponses, Interface, RuntimeHelper, Settings, StructBuilders, Tags};
pub use surface::{ApiSurface, OperationSurface, ParamSurface, TypeSurface};

/// What [`generate`] produces.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The client code, formatted, ready to be `include!`d.
    pub code: String,
    /// Typed mocks for `httpmock`, formatted, when [`Settings::mock_crate_path`] asks for them.
    pub mock: Option<String>,
    /// The generated API as data: operations (parameters, bodies, results) and types.
    pub api: ApiSurface,
    /// Its readable rendering: one block per operation, then the types (the snapshot).
    pub surface: String,
    /// Where each normalization rule fired.
    pub report: Report,
    /// The spec as handed to progenitor (OpenAPI 3.0.3), pretty JSON.
    pub normalized: String,
    /// Time spent in each stage.
    pub timings: Timings,
}

/// Time spent in each stage of one [`generate`] call.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading the bytes.
    pub load: Duration,
    /// Applying the wire-corrections overlay.
    pub overlay: Duration,
    /// Running the rules.
    pub normalize: Duration,
    /// progenitor (including reading the normalized document as OpenAPI).
    pub progenitor: Duration,
    /// Parsing the tokens with syn.
    pub syn: Duration,
    /// The named passes over the parsed code (builders, header, list glue, responses).
    pub prune: Duration,
    /// Pretty-printing with prettyplease.
    pub prettyplease: Duration,
}

impl Timings {
    /// The whole pipeline.
    pub fn total(&self) -> Duration {
        self.load
            + self.overlay
            + self.normalize
            + self.progenitor
            + self.syn
            + self.prune
            + self.prettyplease
    }
}

/// Runs the pipeline on a spec (JSON or YAML, OpenAPI 3.0 or 3.1).
pub fn generate(spec: &[u8], settings: &Settings) -> Result<Generated, Error> {
    let mut timings = Timings::default();

    let start = Instant::now();
    let mut doc = load::load(spec)?;
    timings.load = start.elapsed();

    let start = Instant::now();
    let corrections = settings
        .overlay
        .as_ref()
        .map(|o| o.apply(&mut doc))
        .unwrap_or_default();
    timings.overlay = start.elapsed();

    let start = Instant::now();
    let mut report = normalize::normalize(&mut doc, settings)?;
    report.overlay = corrections;
    timings.normalize = start.elapsed();

    let start = Instant::now();
    let tokens = codegen::generate_tokens(&doc, settings)?;
    timings.progenitor = start.elapsed();

    let start = Instant::now();
    let (tokens, builders) = match settings.struct_builders {
        StructBuilders::RequestBodies => prune::set_aside_builders(tokens),
        StructBuilders::All => (tokens, None),
    };
    let mut file: syn::File = parse::parse_file(tokens).map_err(|e| {
        Error::new(
            Stage::Format,
            format!("progenitor produced code syn cannot parse: {e}"),
        )
    })?;
    timings.syn = start.elapsed();

    let start = Instant::now();
    let mut operations = 0;
    document::for_each_operation(&mut doc, |_, _, _, _| operations += 1);
    report.passes = passes::run(&mut file, builders, &mut doc, operations, settings)?;
    timings.prune = start.elapsed();

    let start = Instant::now();
    let body = prettyplease::unparse(&file);
    timings.prettyplease = start.elapsed();

    // Typed mocks are not part of the timed pipeline: only a build with fotbo-api's `mock`
    // feature asks for them.
    let mock = match &settings.mock_crate_path {
        Some(path) => {
            let tokens = codegen::generate_mock(&doc, settings, path)?;
            let file: syn::File = syn::parse2(tokens).map_err(|e| {
                Error::new(
                    Stage::Format,
                    format!("progenitor produced mock code syn cannot parse: {e}"),
                )
            })?;
            Some(format!(
                "{}{}",
                settings.header(),
                prettyplease::unparse(&file)
            ))
        }
        None => None,
    };

    let api = surface::describe(&doc, &file);
    let surface = api.to_string();
    let normalized = serde_json::to_string_pretty(&doc).map_err(|e| {
        Error::new(
            Stage::Format,
            format!("cannot write the normalized spec: {e}"),
        )
    })?;
    let code = format!("{}{body}", settings.header());
    Ok(Generated {
        code,
        mock,
        api,
        surface,
        report,
        normalized: normalized + "\n",
        timings,
    })
}

/// Runs only the first stages (load, the overlay when given, the rules under `settings`): the
/// spec as it would be handed to progenitor.
pub fn normalize_spec(
    spec: &[u8],
    overlay: Option<&Overlay>,
    settings: &Settings,
) -> Result<(serde_json::Value, Report), Error> {
    let mut doc = load::load(spec)?;
    let corrections = overlay.map(|o| o.apply(&mut doc)).unwrap_or_default();
    let mut report = normalize::normalize(&mut doc, settings)?;
    report.overlay = corrections;
    Ok((doc, report))
}
