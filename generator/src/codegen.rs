//! Stage 3: the normalized document → Rust tokens, by progenitor, plus the glue the runtime
//! needs: a table of operations and the list-envelope trait impls.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;
use serde_json::Value;

use crate::error::{Error, Stage};
use crate::merge::{Parts, PartsError, Sink};
use crate::openapi::read_openapi;
use crate::operations::{operations, with_operations, Operation};
use crate::prune::{self, Builders};
use crate::settings::{Interface, Settings, StructBuilders, Tags};

fn progenitor_settings(settings: &Settings) -> Result<GenerationSettings, Error> {
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

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic with a non-text payload".to_string())
}

/// Runs progenitor on a document, turning its errors and panics into our errors.
fn run_progenitor(doc: &Value, settings: &GenerationSettings) -> Result<TokenStream, Error> {
    let spec = read_openapi(doc)?;
    guarded(|| Generator::new(settings).generate_tokens(&spec))
}

thread_local! {
    /// Set while this thread runs a guarded call: its panics are caught and reported as
    /// errors, so the panic hook must not also print them.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `call`, catching a panic without the panic hook's `thread '…' panicked at` line (and
/// backtrace) on stderr: the caller turns it into one clear error. Only this thread's panics
/// inside the call are silenced; every other panic still reaches the previous hook.
pub fn quietly<T>(call: impl FnOnce() -> T) -> std::thread::Result<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let outcome = catch_unwind(AssertUnwindSafe(call));
    QUIET.with(|q| q.set(was));
    outcome
}

/// Calls progenitor, turning its errors and panics into our errors.
fn guarded(
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

/// Finds an operation progenitor fails on, to name it in the error: halves the operations
/// while one half still fails (a few progenitor runs, not one per operation). None when the
/// failure needs operations from both halves.
fn locate(doc: &Value, settings: &GenerationSettings) -> Option<(String, String)> {
    let ops = operations(doc);
    let fails = |ops: &[Operation]| run_progenitor(&with_operations(doc, ops), settings).is_err();
    let mut suspects: &[Operation] = &ops;
    while suspects.len() > 1 {
        let (first, second) = suspects.split_at(suspects.len() / 2);
        suspects = if fails(first) {
            first
        } else if fails(second) {
            second
        } else {
            return None;
        };
    }
    let op = suspects.first()?;
    fails(suspects).then(|| {
        (
            op.id.clone().unwrap_or_else(|| "?".to_string()),
            op.pointer.clone(),
        )
    })
}

/// Runs progenitor; when it fails, names the operation it fails on.
fn run_located(doc: &Value, settings: &GenerationSettings) -> Result<TokenStream, Error> {
    match run_progenitor(doc, settings) {
        Err(e) if e.stage == Stage::Progenitor => Err(match locate(doc, settings) {
            Some((id, pointer)) => e.context(format!("operation {id}")).at(pointer),
            None => e,
        }),
        other => other,
    }
}

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

/// What [`generate_parsed`] made: the parsed code, or the name two parts of a large spec
/// define differently (only a run on the whole spec names everything consistently: the caller
/// runs it again whole, with a sink that has forgotten what the parts gave it).
pub(crate) enum Generation {
    Parsed(Parsed),
    Disagreed(String),
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
        Ok(parsed) => parsed,
        Err(name) if parts.len() > 1 => return Ok(Generation::Disagreed(name)),
        Err(name) => return Err(defined_twice(&name)),
    };
    let table: syn::File = syn::parse2(operation_table(&ops)).map_err(unparsable)?;
    parsed.file.items.extend(table.items);
    parsed.operations = ops.len();
    Ok(Generation::Parsed(parsed))
}

/// [`generate_parsed`] on the whole document: one progenitor run.
pub(crate) fn generate_whole(
    doc: &Value,
    settings: &Settings,
    sink: &mut dyn Sink,
) -> Result<Parsed, Error> {
    match generate_parsed(doc, settings, sink, usize::MAX)? {
        Generation::Parsed(parsed) => Ok(parsed),
        Generation::Disagreed(name) => Err(defined_twice(&name)),
    }
}

fn defined_twice(name: &str) -> Error {
    Error::new(
        Stage::Format,
        format!("progenitor's output defines `{name}` twice"),
    )
}

/// One progenitor run per part of the operations (one part: the whole document), merged;
/// `Err(name)` when two parts define `name` differently.
fn parse_parts(
    doc: &Value,
    parts_ops: &[&[Operation]],
    settings: &Settings,
    gen_settings: &GenerationSettings,
    sink: &mut dyn Sink,
) -> Result<Result<Parsed, String>, Error> {
    let single = parts_ops.len() <= 1;
    let mut parts = Parts::new(!single);
    let mut builders: Option<Builders> = None;
    let (mut progenitor, mut syn) = (Duration::ZERO, Duration::ZERO);
    for &part_ops in parts_ops {
        let start = Instant::now();
        let tokens = if single {
            run_located(doc, gen_settings)?
        } else {
            let part = with_operations(doc, part_ops);
            run_located(&part, gen_settings)?
        };
        progenitor += start.elapsed();

        let start = Instant::now();
        let (tokens, part_builders) = set_aside(tokens, settings);
        match (builders.as_mut(), part_builders) {
            (Some(all), Some(more)) => all.absorb(more),
            (None, Some(first)) if parts.count() == 0 => builders = Some(first),
            (None, None) => {}
            // Set aside in some parts and not in others: the merged `types` would be wrong.
            _ => return Ok(Err("types::builder".to_string())),
        }
        match parts.add(tokens, sink) {
            Ok(()) => {}
            Err(PartsError::Conflict(name)) => return Ok(Err(name)),
            Err(PartsError::Syntax(e)) => return Err(unparsable(e)),
            Err(PartsError::Sink(e)) => return Err(e),
        }
        syn += start.elapsed();
    }
    Ok(Ok(Parsed {
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
    let mut rows: Vec<(&str, String, &str)> = ops
        .iter()
        .filter_map(|op| {
            let id = op.id.as_deref()?;
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
