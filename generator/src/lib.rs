//! The Fotbo client generator: published spec in, formatted Rust client out.
//!
//! ```text
//! bytes ─load─▶ JSON ─overlay─▶ JSON ─normalize─▶ OpenAPI 3.0 ─progenitor─▶ tokens ─syn─▶ file
//!                   (wire          (named rules,      (4,000 operations a run,  (item by item,
//!                    corrections)   each reported)     merged; + operation      repeats skipped)
//!                                                       table)
//!
//! file ─passes─▶ file ─prettyplease─▶ code
//!      (named passes for settings progenitor lacks: builders, api-version header,
//!       list-envelope and paging glue, responses decoded by the runtime; each reported.
//!       The operation builders go through them one by one as they are parsed, and are
//!       printed at once: the tree never holds them all)
//! ```
//!
//! Every stage reads the document through `document` (walkers, the one `$ref` resolver).
//!
//! [`generate`] runs the whole pipeline and never panics: every failure, progenitor's own
//! panics included, comes back as an [`Error`] naming the stage, the rule or operation, and the
//! JSON pointer. The same input always gives byte-identical output.

mod cli;
mod codegen;
mod document;
mod error;
mod guard;
pub mod inputs;
pub mod load;
mod merge;
pub mod normalize;
mod openapi;
mod operations;
pub mod overlay;
mod parse;
pub mod passes;
mod print;
mod prune;
mod record;
mod report;
mod settings;
pub mod surface;
mod syntax;

use std::time::{Duration, Instant};

pub use error::{Error, Stage};
pub use guard::quietly;
pub use inputs::SpecInputs;
pub use normalize::RULES;
pub use overlay::Overlay;
pub use passes::{Pass, PASSES};
pub use record::{Applied, Culprit, Fired, Loss, PassRun, Report, Unit};
pub use settings::{
    ErrorResponses, Interface, Losses, RuntimeHelper, Settings, StructBuilders, Tags,
};
pub use surface::{ApiSurface, LeftOut, OperationSurface, ParamSurface, TypeSurface};

/// What [`generate`] produces.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The client code, formatted, ready to be `include!`d.
    pub code: String,
    /// Typed mocks for `httpmock`, formatted, when [`Settings::mock_crate_path`] asks for them.
    pub mock: Option<String>,
    /// The `fotbo` command line's table (fotbo-api's `cli` feature), formatted, when
    /// [`Settings::cli`] asks for it: one command per operation of [`Generated::api`].
    pub cli: Option<String>,
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
    /// Each stage by name, in the order they run.
    pub fn stages(&self) -> [(&'static str, Duration); 7] {
        [
            ("load", self.load),
            ("overlay", self.overlay),
            ("normalize", self.normalize),
            ("progenitor", self.progenitor),
            ("syn", self.syn),
            ("prune", self.prune),
            ("prettyplease", self.prettyplease),
        ]
    }

    /// The whole pipeline.
    pub fn total(&self) -> Duration {
        self.stages().iter().map(|(_, d)| *d).sum()
    }
}

/// Runs the pipeline on a spec (JSON or YAML, OpenAPI 3.0 or 3.1).
pub fn generate(spec: &[u8], settings: &Settings) -> Result<Generated, Error> {
    generate_in_parts(spec, settings, codegen::OPERATIONS_PER_PART)
}

/// [`generate`], with progenitor run on at most `operations_per_part` operations at a time.
fn generate_in_parts(
    spec: &[u8],
    settings: &Settings,
    operations_per_part: usize,
) -> Result<Generated, Error> {
    let mut timings = Timings::default();

    let start = Instant::now();
    let mut doc = load::load(spec)?;
    timings.load = start.elapsed();

    // An overlay that cannot be applied (resolved for another spec, in a build without the
    // JSONPath engine) loses the corrections, not the client — unless losses are refused.
    let refused = settings.losses == Losses::Refused;
    let start = Instant::now();
    let (corrections, unapplied) = match &settings.overlay {
        Some(overlay) => match overlay.apply_for(&mut doc, spec) {
            Ok(applied) => (applied, None),
            Err(e) if refused => return Err(e),
            Err(e) => (Vec::new(), Some(e.to_string())),
        },
        None => (Vec::new(), None),
    };
    timings.overlay = start.elapsed();

    let start = Instant::now();
    let mut report = normalize::normalize(&mut doc, settings)?;
    report.overlay = corrections;
    report.overlay_unapplied = unapplied;
    timings.normalize = start.elapsed();

    // Codegen and the passes, round after round until what they make is whole: a schema or
    // an operation that progenitor or a pass cannot make is lost — an error when the settings
    // refuse losses, otherwise reported — and the next round runs without it.
    let mut operations_per_part = operations_per_part;
    let mut round = 0;
    let (mut file, items) = loop {
        round += 1;
        if round > MAX_ROUNDS {
            return Err(Error::new(
                Stage::Progenitor,
                format!(
                    "generation did not settle in {MAX_ROUNDS} rounds: each lost something new"
                ),
            ));
        }
        let mut items = passes::OperationItems::new(settings, &doc, true)?;
        // A round that makes nothing counts as progenitor's time, with the search for why.
        let start = Instant::now();
        let parsed =
            match codegen::generate_parsed(&doc, settings, &mut items, operations_per_part)? {
                codegen::Generation::Parsed(parsed) => parsed,
                // Parts of a large spec define one name differently: run it whole.
                codegen::Generation::Disagreed(name) => {
                    report.parts_disagreed_on = Some(name);
                    operations_per_part = usize::MAX;
                    timings.progenitor += start.elapsed();
                    continue;
                }
                codegen::Generation::Failed(failure) => {
                    let lost =
                        codegen::isolate(&mut doc, settings, failure, operations_per_part, refused);
                    timings.progenitor += start.elapsed();
                    lose(&mut report, lost?, refused)?;
                    continue;
                }
            };
        let codegen::Parsed {
            mut file,
            builders,
            operations,
            parts,
            progenitor,
            syn,
        } = parsed;
        timings.progenitor += progenitor;
        timings.syn += syn;
        report.progenitor_runs = parts;

        let start = Instant::now();
        let (runs, lost) = passes::run_with(&mut file, builders, operations, settings, &mut items)?;
        timings.prune += start.elapsed();
        report.passes = runs;
        if lost.is_empty() {
            break (file, items);
        }
        for loss in &lost {
            if let Unit::Operation { path, method, .. } = &loss.unit {
                operations::remove(&mut doc, path, method);
            }
        }
        lose(&mut report, lost, refused)?;
    };

    let start = Instant::now();
    let body = print::file_with_builders(&mut file, items.printed())?;
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

    let api = surface::describe(&doc, &file, &items.results, &report.losses);
    let surface = api.to_string();
    // The command table, like the mocks, only for a build that asks (fotbo-api's `cli`).
    let cli = if settings.cli {
        Some(cli::generate(&doc, &api, &settings.header())?)
    } else {
        None
    };
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
        cli,
        api,
        surface,
        report,
        normalized: normalized + "\n",
        timings,
    })
}

/// Rounds of codegen and the passes one spec may take: each round after the first runs
/// without what the one before could not make.
const MAX_ROUNDS: usize = 16;

/// What a round could not make: the first of it is the error when losses are refused;
/// otherwise it goes into the report.
fn lose(report: &mut Report, lost: Vec<Loss>, refused: bool) -> Result<(), Error> {
    if refused {
        if let Some(first) = lost.first() {
            return Err(first.to_error());
        }
    }
    report.losses.extend(lost);
    Ok(())
}

/// Runs only the first stages (load, the overlay when given, the rules under `settings`): the
/// spec as it would be handed to progenitor.
pub fn normalize_spec(
    spec: &[u8],
    overlay: Option<&Overlay>,
    settings: &Settings,
) -> Result<(serde_json::Value, Report), Error> {
    let mut doc = load::load(spec)?;
    let corrections = match overlay {
        Some(o) => o.apply_for(&mut doc, spec)?,
        None => Vec::new(),
    };
    let mut report = normalize::normalize(&mut doc, settings)?;
    report.overlay = corrections;
    Ok((doc, report))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // tests fail by panicking

    use serde_json::json;

    use super::*;

    /// A spec in the Fotbo shape: a list and a get per resource, components referring to
    /// each other in a ring (so every part needs all of them).
    fn spec(resources: usize) -> Vec<u8> {
        let mut paths = serde_json::Map::new();
        let mut schemas = serde_json::Map::new();
        for r in 0..resources {
            let item = format!("#/components/schemas/Item{r}");
            schemas.insert(
                format!("Item{r}"),
                json!({"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string"},
                    "status": {"type": "string", "enum": ["active", "stopped"]},
                    "related": {"$ref": format!("#/components/schemas/Item{}", (r + 1) % resources)},
                }}),
            );
            paths.insert(
                format!("/backend/api/res{r}/items"),
                json!({"get": {
                    "parameters": [
                        {"name": "page", "in": "query", "schema": {"type": "string"}},
                        {"name": "page_size", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {
                            "count": {"type": "integer"},
                            "next": {"type": "string", "nullable": true},
                            "objects": {"type": "array", "items": {"$ref": item}},
                        }}}}}},
                }}),
            );
            paths.insert(
                format!("/backend/api/res{r}/items/{{item_id}}"),
                json!({"get": {"responses": {"200": {"description": "OK", "content": {
                    "application/json": {"schema": {"$ref": item}}}}}}}),
            );
        }
        serde_json::to_vec(&json!({
            "openapi": "3.0.3",
            "info": {"title": "Parts", "version": "1"},
            "paths": paths,
            "components": {"schemas": schemas},
        }))
        .unwrap()
    }

    #[test]
    fn the_spec_cannot_confuse_where_the_operation_builders_are_printed() {
        let mut doc: serde_json::Value = serde_json::from_slice(&spec(1)).unwrap();
        let text = "pub mod builder {\n    __fotbo_operation_builders!();\n}\n";
        doc["info"]["description"] = json!(text);
        doc["paths"]["/backend/api/res0/items"]["get"]["description"] = json!(text);
        let generated = generate(&serde_json::to_vec(&doc).unwrap(), &Settings::fotbo()).unwrap();
        let file: syn::File = syn::parse_str(&generated.code).unwrap();
        let builders = crate::syntax::module_items(&file.items, "builder").unwrap();
        assert!(builders.len() > 2, "the builders are inside `mod builder`");
        assert!(
            generated.code.contains("__fotbo_operation_builders!();"),
            "the descriptions are kept"
        );
    }

    /// The lines of the code, sorted, without the lines that open and close `impl Client`
    /// blocks: parts add one block per part, and put items in another order.
    fn lines(code: &str) -> Vec<&str> {
        let mut lines: Vec<&str> = code
            .lines()
            .filter(|l| !matches!(*l, "impl Client {" | "}"))
            .collect();
        lines.sort_unstable();
        lines
    }

    #[test]
    fn a_spec_generated_in_parts_has_the_code_of_one_generated_whole() {
        let spec = spec(6);
        let settings = Settings::fotbo();
        let whole = generate_in_parts(&spec, &settings, 1_000).unwrap();
        let parts = generate_in_parts(&spec, &settings, 4).unwrap();
        assert_eq!(whole.report.progenitor_runs, 1);
        assert_eq!(
            parts.report.progenitor_runs, 3,
            "12 operations, 4 at a time"
        );
        assert_eq!(parts.report.parts_disagreed_on, None);
        assert_eq!(lines(&whole.code), lines(&parts.code));
        assert_eq!(whole.surface, parts.surface);
        assert_eq!(
            parts.code.matches("pub struct Item0 {").count(),
            1,
            "the components every part repeats appear once"
        );
        // The passes saw every operation of every part.
        assert_eq!(whole.report.passes, parts.report.passes);
    }

    #[test]
    fn parts_that_disagree_on_a_name_make_the_spec_run_whole() {
        // Two inline response schemas with one title in different parts: each part names its
        // type `Thing`, differently. Only a whole run names them consistently.
        let response = |properties: serde_json::Value| {
            json!({"get": {"responses": {"200": {"description": "OK", "content": {
                "application/json": {"schema": {"title": "Thing", "type": "object", "properties": properties}}}}}}})
        };
        let spec = serde_json::to_vec(&json!({
            "openapi": "3.0.3",
            "info": {"title": "Disagree", "version": "1"},
            "paths": {
                "/a": response(json!({"x": {"type": "string"}})),
                "/b": response(json!({"y": {"type": "integer"}})),
                "/c": response(json!({"z": {"type": "boolean"}})),
            },
        }))
        .unwrap();
        let settings = Settings::fotbo();
        let whole = generate_in_parts(&spec, &settings, 1_000).unwrap();
        let parts = generate_in_parts(&spec, &settings, 1).unwrap();
        assert_eq!(
            parts.report.parts_disagreed_on.as_deref(),
            Some("crate::types::Thing")
        );
        assert_eq!(parts.report.progenitor_runs, 1, "run again, whole");
        // The restart forgot what the parts had streamed: nothing twice, nothing missing.
        assert_eq!(parts.code, whole.code);
        assert_eq!(parts.surface, whole.surface);
        assert_eq!(parts.report.passes, whole.report.passes);
        assert_eq!(parts.api.operations.len(), 3);
        for op in &parts.api.operations {
            use heck::ToUpperCamelCase;
            let builder = format!("pub struct {}<'a>", op.id.to_upper_camel_case());
            assert_eq!(parts.code.matches(&builder).count(), 1, "{builder}");
        }
    }
}
