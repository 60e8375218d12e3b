//! Stage 3: the normalized document → Rust tokens, by progenitor, plus the glue the runtime
//! needs: a table of operations and the list-envelope trait impls.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;
use serde_json::Value;

use crate::error::{Error, Stage};
use crate::merge::{Parts, PartsError};
use crate::openapi::read_openapi;
use crate::operations::{operations, with_operations, Operation};
use crate::passes::OperationItems;
use crate::prune::{self, Builders};
use crate::settings::{Interface, Settings, StructBuilders, Tags};
use crate::syntax::{generic_args, module_items, setting_path};

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
    /// The name two parts defined differently, when that made a large spec run whole.
    pub disagreed_on: Option<String>,
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

/// Runs progenitor on the document — in parts of `operations_per_part` operations (see
/// [`OPERATIONS_PER_PART`]) — and parses what it writes; the operation builders go to `items`
/// (see `passes::OperationItems`) as they are parsed.
pub(crate) fn generate_parsed(
    doc: &Value,
    settings: &Settings,
    items: &mut OperationItems,
    operations_per_part: usize,
) -> Result<Parsed, Error> {
    let gen_settings = progenitor_settings(settings)?;
    let ops = operations(doc);
    let whole = [ops.as_slice()];
    let parts: Vec<&[Operation]> = match ops.len() > operations_per_part {
        true => ops.chunks(operations_per_part.max(1)).collect(),
        false => whole.to_vec(),
    };
    let mut parsed = match parse_parts(doc, &parts, settings, &gen_settings, items)? {
        Ok(parsed) => parsed,
        // Two parts disagree on a name: only a whole run names everything consistently.
        Err(name) => {
            items.restart(settings, doc)?;
            let parsed =
                parse_parts(doc, &whole, settings, &gen_settings, items)?.map_err(|name| {
                    Error::new(
                        Stage::Format,
                        format!("progenitor's output defines `{name}` twice"),
                    )
                })?;
            Parsed {
                disagreed_on: Some(name),
                ..parsed
            }
        }
    };
    let table: syn::File = syn::parse2(operation_table(&ops)).map_err(unparsable)?;
    parsed.file.items.extend(table.items);
    parsed.operations = ops.len();
    Ok(parsed)
}

/// One progenitor run per part of the operations (one part: the whole document), merged;
/// `Err(name)` when two parts define `name` differently.
fn parse_parts(
    doc: &Value,
    parts_ops: &[&[Operation]],
    settings: &Settings,
    gen_settings: &GenerationSettings,
    items: &mut OperationItems,
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
        match parts.add(tokens, items) {
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
        disagreed_on: None,
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

/// The type of a named field of a struct, if the struct has it.
fn field_type<'a>(item: &'a syn::ItemStruct, name: &str) -> Option<&'a syn::Type> {
    item.fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == name))
        .map(|f| &f.ty)
}

/// `T` of `Wrapper<T>` when the last path segment is `wrapper`.
fn generic_arg<'a>(ty: &'a syn::Type, wrapper: &str) -> Option<&'a syn::Type> {
    generic_args(ty, wrapper)?.into_iter().next()
}

fn is_named(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

/// `impl ListPage for types::X` for every generated struct with an `objects` list and a
/// `next` link: the Fleio list envelope, whatever the operation. Read from the parsed code,
/// so the impls follow the types progenitor actually generated.
pub(crate) fn list_page_impls(
    file: &syn::File,
    trait_path: &str,
) -> Result<(Vec<syn::Item>, BTreeSet<String>), Error> {
    let trait_path = setting_path(trait_path, "list page trait")?;
    let types = module_items(&file.items, "types");
    let mut impls = Vec::new();
    let mut envelopes = BTreeSet::new();
    for item in types.into_iter().flatten() {
        let syn::Item::Struct(s) = item else { continue };
        let (Some(objects), Some(next)) = (field_type(s, "objects"), field_type(s, "next")) else {
            continue;
        };
        let (item_ty, items) = if let Some(t) = generic_arg(objects, "Vec") {
            (t, quote! { self.objects })
        } else if let Some(t) = generic_arg(objects, "Option").and_then(|o| generic_arg(o, "Vec")) {
            (t, quote! { self.objects.unwrap_or_default() })
        } else {
            continue;
        };
        let has_next = if generic_arg(next, "Option").is_some() {
            quote! { self.next.as_ref().is_some_and(|n| !n.to_string().is_empty()) }
        } else if is_named(next, "String") {
            quote! { !self.next.is_empty() }
        } else {
            continue;
        };
        let total = match field_type(s, "count") {
            Some(t) if generic_arg(t, "Option").is_some_and(|i| is_named(i, "i64")) => {
                quote! { self.count.and_then(|c| u64::try_from(c).ok()) }
            }
            Some(t) if is_named(t, "i64") => quote! { u64::try_from(self.count).ok() },
            _ => quote! { None },
        };
        let name = &s.ident;
        envelopes.insert(name.to_string());
        let item_ty = qualify(item_ty);
        impls.push(quote! {
            impl #trait_path for types::#name {
                type Item = #item_ty;
                fn into_items(self) -> Vec<Self::Item> { #items }
                fn has_next(&self) -> bool { #has_next }
                fn total(&self) -> Option<u64> { #total }
            }
        });
    }
    let glue: syn::File = syn::parse2(quote! { #(#impls)* })
        .map_err(|e| Error::new(Stage::Format, format!("list page glue does not parse: {e}")))?;
    Ok((glue.items, envelopes))
}

/// `Result<ResponseValue<T>, Error<E>>` → (T, E).
fn send_types(ty: &syn::Type) -> Option<(&syn::Type, &syn::Type)> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    let (ok, err) = (types.next()?, types.next()?);
    Some((
        generic_arg(ok, "ResponseValue")?,
        generic_arg(err, "Error")?,
    ))
}

/// An operation builder that sets `page` and `page_size`: its type, generics, and what its
/// `send()` answers (before the runtime rewrites it).
pub(crate) struct PagedCandidate {
    self_ty: syn::Type,
    generics: syn::Generics,
    page: syn::Type,
    error: syn::Type,
}

/// The item, when it is the impl of an operation builder with `page`, `page_size` and `send`.
pub(crate) fn paged_candidate(item: &syn::Item) -> Option<PagedCandidate> {
    let syn::Item::Impl(imp) = item else {
        return None;
    };
    if imp.trait_.is_some() {
        return None;
    }
    let fns: Vec<&syn::ImplItemFn> = imp
        .items
        .iter()
        .filter_map(|i| match i {
            syn::ImplItem::Fn(f) => Some(f),
            _ => None,
        })
        .collect();
    let has = |name: &str| fns.iter().any(|f| f.sig.ident == name);
    if !(has("page") && has("page_size")) {
        return None;
    }
    let send = fns.iter().find(|f| f.sig.ident == "send")?;
    let syn::ReturnType::Type(_, ret) = &send.sig.output else {
        return None;
    };
    let (page, error) = send_types(ret)?;
    Some(PagedCandidate {
        self_ty: (*imp.self_ty).clone(),
        generics: imp.generics.clone(),
        page: page.clone(),
        error: error.clone(),
    })
}

/// `impl PagedRequest for builder::X` for every operation builder that sets `page` and
/// `page_size` and answers with a list envelope: such a request, filters and all, can then
/// be walked with `.stream(page_size)`.
pub(crate) fn paged_request_impls(
    candidates: &[PagedCandidate],
    trait_path: &str,
    envelopes: &BTreeSet<String>,
    response_runtime: Option<&str>,
) -> Result<Vec<syn::Item>, Error> {
    let trait_path = setting_path(trait_path, "paged request trait")?;
    let runtime = response_runtime
        .map(|r| setting_path(r, "response runtime module"))
        .transpose()?;
    let mut impls = Vec::new();
    for candidate in candidates {
        let PagedCandidate {
            self_ty,
            generics,
            page,
            error,
        } = candidate;
        let is_envelope = matches!(page, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| envelopes.contains(&s.ident.to_string())));
        if !is_envelope {
            continue;
        }
        if let Some(runtime) = &runtime {
            // send() will answer through the runtime (see runtime_responses).
            impls.push(quote! {
                impl #generics #trait_path for builder::#self_ty {
                    type Page = #page;
                    fn for_page(self, page: u64, page_size: u64) -> Self {
                        self.page(page.to_string()).page_size(page_size.to_string())
                    }
                    fn send_page(
                        self,
                    ) -> impl ::std::future::Future<Output = Result<#runtime::Response<Self::Page>, #runtime::Error>> + Send {
                        self.send()
                    }
                }
            });
            continue;
        }
        impls.push(quote! {
            impl #generics #trait_path for builder::#self_ty {
                type Page = #page;
                type SendError = #error;
                fn for_page(self, page: u64, page_size: u64) -> Self {
                    self.page(page.to_string()).page_size(page_size.to_string())
                }
                fn send_page(
                    self,
                ) -> impl ::std::future::Future<Output = Result<ResponseValue<Self::Page>, Error<Self::SendError>>> + Send {
                    self.send()
                }
            }
        });
    }
    let glue: syn::File = syn::parse2(quote! { #(#impls)* }).map_err(|e| {
        Error::new(
            Stage::Format,
            format!("paged request glue does not parse: {e}"),
        )
    })?;
    Ok(glue.items)
}

/// Types inside `mod types` refer to each other unqualified; outside it they need `types::`.
fn qualify(ty: &syn::Type) -> TokenStream {
    const PRELUDE: &[&str] = &[
        "String", "Vec", "Option", "bool", "i64", "u64", "f64", "i32", "u32",
    ];
    match ty {
        syn::Type::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            let seg = &p.path.segments[0];
            if PRELUDE.contains(&seg.ident.to_string().as_str()) {
                quote! { #ty }
            } else {
                quote! { types::#ty }
            }
        }
        _ => quote! { #ty },
    }
}
