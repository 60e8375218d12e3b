//! Stage 3: the normalized document → Rust tokens, by progenitor (in parts for a large spec,
//! merged), parsed item by item; plus the operation table the runtime names operations by.

mod isolate;
mod mock;
mod progenitor;

use std::time::{Duration, Instant};

use proc_macro2::TokenStream;
use progenitor_impl::GenerationSettings;
use quote::quote;
use serde_json::Value;

pub(crate) use isolate::isolate;
pub(crate) use mock::generate_mock;
use progenitor::progenitor_settings;

use crate::error::{Error, Stage};
use crate::merge::{Parts, PartsError, Sink};
use crate::operations::{operations, with_operations, Operation};
use crate::prune::{self, Builders};
use crate::settings::{Settings, StructBuilders};

/// Operations per progenitor run: a spec with more is generated in parts (see `merge`), so
/// progenitor's peak memory is one part's, not the whole spec's.
pub(crate) const OPERATIONS_PER_PART: usize = 4_000;

/// progenitor's output for a document, parsed.
pub(crate) struct Parsed {
    /// The file, with the operation table at its end.
    pub file: syn::File,
    /// typify's struct builders, set aside unparsed (see `prune`), when the settings drop some.
    pub builders: Option<Builders>,
    /// How many operations the document has.
    pub operations: usize,
    /// How many progenitor runs made it (1 unless the spec is generated in parts).
    pub parts: usize,
    /// Time in progenitor.
    pub progenitor: Duration,
    /// Time parsing its output.
    pub syn: Duration,
}

fn unparsable(e: syn::Error) -> Error {
    Error::new(
        Stage::Format,
        format!("progenitor produced code syn cannot parse: {e}"),
    )
}

fn set_aside(tokens: TokenStream, settings: &Settings) -> (TokenStream, Option<Builders>) {
    match settings.struct_builders {
        StructBuilders::RequestBodies => prune::set_aside_builders(tokens),
        StructBuilders::All => (tokens, None),
    }
}

/// What [`generate_parsed`] made.
pub(crate) enum Generation {
    /// The parsed code.
    Parsed(Parsed),
    /// The name two parts of a large spec define differently: only a run on the whole spec
    /// names everything consistently, so the caller runs it again whole, with a sink that has
    /// forgotten what the parts gave it.
    Disagreed(String),
    /// progenitor failed (an error, or a panic caught): some schema or operation of the
    /// document is one it cannot generate. [`isolate`] finds which.
    Failed(Error),
}

/// Runs progenitor on the document — in parts of `operations_per_part` operations (see
/// [`OPERATIONS_PER_PART`]), or whole — and parses what it writes; the items of the modules
/// `sink` takes go to it as they are parsed.
pub(crate) fn generate_parsed(
    doc: &Value,
    settings: &Settings,
    sink: &mut dyn Sink,
    operations_per_part: usize,
) -> Result<Generation, Error> {
    let gen_settings = progenitor_settings(settings)?;
    let ops = operations(doc);
    let whole = [ops.as_slice()];
    let parts: Vec<&[Operation]> = match ops.len() > operations_per_part {
        true => ops.chunks(operations_per_part.max(1)).collect(),
        false => whole.to_vec(),
    };
    let mut parsed = match parse_parts(doc, &parts, settings, &gen_settings, sink)? {
        Generation::Parsed(parsed) => parsed,
        Generation::Disagreed(name) if parts.len() == 1 => return Err(defined_twice(&name)),
        other => return Ok(other),
    };
    let table: syn::File = syn::parse2(operation_table(&ops)).map_err(unparsable)?;
    parsed.file.items.extend(table.items);
    parsed.operations = ops.len();
    Ok(Generation::Parsed(parsed))
}

fn defined_twice(name: &str) -> Error {
    Error::new(
        Stage::Format,
        format!("progenitor's output defines `{name}` twice"),
    )
}

/// One progenitor run per part of the operations (one part: the whole document), merged.
fn parse_parts(
    doc: &Value,
    parts_ops: &[&[Operation]],
    settings: &Settings,
    gen_settings: &GenerationSettings,
    sink: &mut dyn Sink,
) -> Result<Generation, Error> {
    let single = parts_ops.len() <= 1;
    let mut parts = Parts::new(!single);
    let mut builders: Option<Builders> = None;
    let (mut progenitor, mut syn) = (Duration::ZERO, Duration::ZERO);
    for &part_ops in parts_ops {
        let start = Instant::now();
        let run = if single {
            progenitor::run(doc, gen_settings)
        } else {
            progenitor::run(&with_operations(doc, part_ops), gen_settings)
        };
        let tokens = match run {
            Ok(tokens) => tokens,
            Err(e) if e.stage == Stage::Progenitor => return Ok(Generation::Failed(e)),
            Err(e) => return Err(e),
        };
        progenitor += start.elapsed();

        let start = Instant::now();
        let (tokens, part_builders) = set_aside(tokens, settings);
        match (builders.as_mut(), part_builders) {
            (Some(all), Some(more)) => all.absorb(more),
            (None, Some(first)) if parts.count() == 0 => builders = Some(first),
            (None, None) => {}
            // Set aside in some parts and not in others: the merged `types` would be wrong.
            _ => return Ok(Generation::Disagreed("types::builder".to_string())),
        }
        match parts.add(tokens, sink) {
            Ok(()) => {}
            Err(PartsError::Conflict(name)) => return Ok(Generation::Disagreed(name)),
            Err(PartsError::Syntax(e)) => return Err(unparsable(e)),
            Err(PartsError::Sink(e)) => return Err(e),
        }
        syn += start.elapsed();
    }
    Ok(Generation::Parsed(Parsed {
        operations: 0,
        parts: parts.count(),
        file: parts.into_file(),
        builders,
        progenitor,
        syn,
    }))
}

/// `OPERATIONS`: (operationId, METHOD, path template) for every operation, sorted by id, so
/// the runtime can name the operation in errors and traces.
fn operation_table(ops: &[Operation]) -> TokenStream {
    let mut rows: Vec<(String, String, &str)> = ops
        .iter()
        .filter_map(|op| {
            // Named as progenitor names the operation to the runtime (`OperationInfo`).
            let id = crate::operations::rust_snake_name(op.id.as_deref()?);
            Some((id, op.method.to_uppercase(), op.path.as_str()))
        })
        .collect();
    rows.sort();
    let entries = rows.iter().map(|(id, m, p)| quote! { (#id, #m, #p) });
    quote! {
        /// Every operation of the API: (operationId, HTTP method, path template), sorted by
        /// operationId.
        pub const OPERATIONS: &[(&str, &str, &str)] = &[#(#entries),*];
    }
}
