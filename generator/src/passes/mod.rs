//! Stage 4: named passes over progenitor's parsed output, for what progenitor has no setting.
//!
//! Like the normalization rules, each pass has a stable name and says what it does, each run is
//! reported (how many places it changed, in [`crate::Report::passes`]), and each relies on a
//! shape of progenitor's output: when that shape is missing (a progenitor release that lays
//! out its code otherwise), the pass fails with an error naming itself and the shape, rather
//! than silently doing nothing.

mod items;
mod paging;
mod runtime_responses;

use crate::error::{Error, Stage};
use crate::prune;
use crate::record::Loss;
pub use crate::record::PassRun;
use crate::settings::{Settings, StructBuilders};
use crate::syntax::{module_items, module_items_mut};
pub(crate) use items::OperationItems;

/// One pass over the parsed code.
#[derive(Debug, Clone, Copy)]
pub struct Pass {
    /// Stable name, used in reports and errors.
    pub name: &'static str,
    /// What it does, in one line.
    pub does: &'static str,
}

/// Every pass, in the order it runs (each runs only when its setting asks for it).
pub const PASSES: &[Pass] = &[
    REQUEST_BODY_BUILDERS,
    NO_API_VERSION_HEADER,
    LIST_PAGE_GLUE,
    RESPONSES_THROUGH_RUNTIME,
];

const REQUEST_BODY_BUILDERS: Pass = Pass {
    name: "request-body-builders",
    does: "typify's struct builders kept only for the types a request body reaches",
};
const NO_API_VERSION_HEADER: Pass = Pass {
    name: "no-api-version-header",
    does: "progenitor's `api-version: <info.version>` request header removed",
};
const LIST_PAGE_GLUE: Pass = Pass {
    name: "list-page-glue",
    does: "ListPage for every list envelope, PagedRequest for every builder that pages one",
};
const RESPONSES_THROUGH_RUNTIME: Pass = Pass {
    name: "responses-through-runtime",
    does: "each builder's send() split into progenitor's request and the runtime's decoding",
};

fn shape_error(pass: &Pass, missing: &str) -> Error {
    Error::new(
        Stage::Format,
        format!("progenitor's output has no {missing}: its layout changed, and this pass cannot do its job"),
    )
    .context(format!("pass {}", pass.name))
}

/// Names the pass in an error from the code it calls.
fn in_pass(pass: &Pass) -> impl Fn(Error) -> Error + '_ {
    move |e| e.context(format!("pass {}", pass.name))
}

/// Runs the passes the settings ask for, in order, on a file that holds all its items.
#[cfg(test)]
pub(crate) fn run(
    file: &mut syn::File,
    builders: Option<prune::Builders>,
    doc: &serde_json::Value,
    operations: usize,
    settings: &Settings,
) -> Result<Vec<PassRun>, Error> {
    let mut items = OperationItems::new(settings, doc, false)?;
    let (runs, losses) = run_with(file, builders, operations, settings, &mut items)?;
    match losses.first() {
        Some(loss) => Err(loss.to_error()),
        None => Ok(runs),
    }
}

/// Runs the passes the settings ask for, in order: the operation builders still in the file
/// go through `items` first, then each pass finishes on the whole file with what `items`
/// gathered. Returns what each pass did, and the operations a pass could not make (their
/// builders left as progenitor wrote them: the caller generates again without them). A file
/// without the shape a pass needs is an error naming the pass.
pub(crate) fn run_with(
    file: &mut syn::File,
    builders: Option<prune::Builders>,
    operations: usize,
    settings: &Settings,
    items: &mut OperationItems,
) -> Result<(Vec<PassRun>, Vec<Loss>), Error> {
    let has_builder_module = module_items(&file.items, "builder").is_some();
    if let Some(module) = module_items_mut(&mut file.items, "builder") {
        for item in std::mem::take(module) {
            if let Some(item) = items.process(item)? {
                module.push(item);
            }
        }
    }
    let mut runs = Vec::new();
    let mut record = |pass: &Pass, changes: usize| {
        runs.push(PassRun {
            pass: pass.name,
            does: pass.does,
            changes,
        })
    };
    if settings.struct_builders == StructBuilders::RequestBodies {
        if module_items(&file.items, "types").is_none() {
            return Err(shape_error(&REQUEST_BODY_BUILDERS, "`mod types`"));
        }
        // No `types::builder` at all is a spec without object types: nothing to keep.
        let dropped = match builders {
            Some(builders) => prune::keep_request_builders(file, builders, &items.roots)
                .map_err(in_pass(&REQUEST_BODY_BUILDERS))?,
            None => 0,
        };
        record(&REQUEST_BODY_BUILDERS, dropped);
    }
    if !settings.api_version_header {
        let dropped = prune::drop_api_version_header(file) + items.headers_dropped;
        if dropped == 0 && operations > 0 {
            return Err(shape_error(
                &NO_API_VERSION_HEADER,
                "`api-version` header statement in any operation",
            ));
        }
        record(&NO_API_VERSION_HEADER, dropped);
    }
    if let Some(trait_path) = &settings.list_page_trait {
        let (glue, envelopes) =
            paging::list_page_impls(file, trait_path).map_err(in_pass(&LIST_PAGE_GLUE))?;
        let requests = match &settings.paged_request_trait {
            Some(path) => paging::paged_request_impls(
                &items.paged,
                path,
                &envelopes,
                settings.response_runtime.as_deref(),
            )
            .map_err(in_pass(&LIST_PAGE_GLUE))?,
            None => Vec::new(),
        };
        record(&LIST_PAGE_GLUE, glue.len() + requests.len());
        file.items.extend(glue);
        file.items.extend(requests);
    }
    if let Some(rewriter) = items.rewriter.take() {
        if !has_builder_module {
            return Err(runtime_responses::no_builder_module());
        }
        let (results, rewritten) = rewriter.finish()?;
        file.items.push(results);
        if rewritten.is_empty() && operations > 0 {
            return Err(shape_error(
                &RESPONSES_THROUGH_RUNTIME,
                &format!("`send()` it recognises in any of the {operations} operation builders"),
            ));
        }
        // An operation of the document with no builder at all: progenitor dropped it without
        // a word (openapiv3 skips a path key that does not start with `/`, say). Lost, named.
        let never_made = items.never_generated(&rewritten);
        items.losses.extend(never_made);
        record(&RESPONSES_THROUGH_RUNTIME, rewritten.len());
    }
    Ok((runs, std::mem::take(&mut items.losses)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(code: &str) -> syn::File {
        syn::parse_str(code).unwrap()
    }

    fn fotbo_settings() -> Settings {
        Settings {
            list_page_trait: None,
            response_runtime: None,
            ..Settings::fotbo()
        }
    }

    #[test]
    fn a_missing_shape_fails_naming_the_pass() {
        let doc = serde_json::json!({});
        // No `mod types`: the builders pass cannot work.
        let e = run(
            &mut file("pub struct Client;"),
            None,
            &doc,
            1,
            &fotbo_settings(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("request-body-builders"), "{e}");
        // Operations, but no api-version statement to drop.
        let e = run(
            &mut file("pub mod types {} impl Client { pub fn op(&self) {} }"),
            None,
            &doc,
            1,
            &fotbo_settings(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("no-api-version-header"), "{e}");
        // No builders for the runtime to rewrite.
        let settings = Settings {
            api_version_header: true,
            ..Settings::fotbo()
        };
        let e = run(&mut file("pub mod types {}"), None, &doc, 1, &settings).unwrap_err();
        assert!(e.to_string().contains("responses-through-runtime"), "{e}");
    }

    #[test]
    fn plain_settings_run_no_pass_and_an_empty_api_is_no_error() {
        let doc = serde_json::json!({});
        let runs = run(
            &mut file("pub struct Client;"),
            None,
            &doc,
            0,
            &Settings::default(),
        )
        .unwrap();
        assert!(runs.is_empty());
        let runs = run(
            &mut file("pub mod types {}"),
            None,
            &doc,
            0,
            &fotbo_settings(),
        )
        .unwrap();
        assert_eq!(runs.iter().map(|r| r.changes).sum::<usize>(), 0);
    }
}
