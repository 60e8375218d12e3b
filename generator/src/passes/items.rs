//! The passes' work on the operation builders, one item at a time, as progenitor's output is
//! parsed (a `merge::Sink`).

use std::collections::{BTreeMap, BTreeSet};

use super::runtime_responses::{self, Unrewritable};
use super::{paging, RESPONSES_THROUGH_RUNTIME};
use crate::error::{Error, Stage};
use crate::merge::Sink;
use crate::operations::{self, Operation};
use crate::print;
use crate::prune;
use crate::record::{Culprit, Loss, Unit};
use crate::settings::Settings;
use crate::surface;

/// The passes' work on the operation builders (`mod builder`, two thirds of a client), one
/// item at a time: each item goes through the passes that change it (`no-api-version-header`,
/// `responses-through-runtime`), leaves what the passes over the whole file need (the request
/// bodies it builds, whether it pages, its result type), and — when printing — is printed at
/// once, so the parsed tree never holds every operation (at 20,000 operations that tree alone
/// was 1.5 GB). [`run_with`] finishes the work on the rest of the file.
pub(crate) struct OperationItems {
    drop_api_version: bool,
    paging: bool,
    pub(super) rewriter: Option<runtime_responses::Rewriter>,
    print: bool,
    /// Struct builders the operation builders use (request bodies).
    pub(super) roots: BTreeSet<String>,
    pub(super) headers_dropped: usize,
    pub(super) paged: Vec<paging::PagedCandidate>,
    /// Result type by builder, for the API surface.
    pub(crate) results: BTreeMap<String, String>,
    /// The printed items, in order.
    text: String,
    /// The document's operations by operationId, to name what a pass cannot make.
    operations: BTreeMap<String, Operation>,
    /// The operations a pass could not make (their builders are left as progenitor wrote
    /// them; the caller generates again without them, or refuses).
    pub(super) losses: Vec<Loss>,
}

impl OperationItems {
    /// `print`: items are printed and dropped; otherwise handed back to stay in the tree.
    pub(crate) fn new(
        settings: &Settings,
        doc: &serde_json::Value,
        print: bool,
    ) -> Result<Self, Error> {
        let operations: BTreeMap<String, Operation> = operations::operations(doc)
            .into_iter()
            .filter_map(|op| Some((op.id.clone()?, op)))
            .collect();
        let rewriter = match &settings.response_runtime {
            Some(runtime) => {
                let optional = operations
                    .values()
                    .filter(|op| op.body_may_be_absent)
                    .filter_map(|op| op.id.clone())
                    .collect();
                Some(runtime_responses::Rewriter::new(runtime, optional)?)
            }
            None => None,
        };
        Ok(OperationItems {
            drop_api_version: !settings.api_version_header,
            paging: settings.list_page_trait.is_some() && settings.paged_request_trait.is_some(),
            rewriter,
            print,
            roots: BTreeSet::new(),
            headers_dropped: 0,
            paged: Vec::new(),
            results: BTreeMap::new(),
            text: String::new(),
            operations,
            losses: Vec::new(),
        })
    }

    /// One item of `mod builder`, in progenitor's order; handed back unless printed.
    pub(crate) fn process(&mut self, mut item: syn::Item) -> Result<Option<syn::Item>, Error> {
        prune::request_builder_roots(&item, &mut self.roots);
        if self.drop_api_version {
            self.headers_dropped += prune::drop_api_version_header_in(&mut item);
        }
        if self.paging {
            // Read before the runtime rewrites `send()`.
            self.paged.extend(paging::paged_candidate(&item));
        }
        if let Some(rewriter) = self.rewriter.as_mut() {
            if let Err(unrewritable) = rewriter.item(&mut item) {
                let loss = self.lost(unrewritable);
                self.losses.push(loss);
            }
        }
        surface::record_results(std::slice::from_ref(&item), true, &mut self.results);
        if !self.print {
            return Ok(Some(item));
        }
        self.text.push_str(&print::in_module(item));
        Ok(None)
    }

    /// The operation of a builder `responses-through-runtime` cannot rewrite, lost.
    fn lost(&self, unrewritable: Unrewritable) -> Loss {
        let message = unrewritable.message();
        let op = unrewritable
            .operation_id
            .as_ref()
            .and_then(|id| self.operations.get(id));
        let unit = match op {
            Some(op) => Unit::Operation {
                id: op.id.clone().unwrap_or_default(),
                method: op.method.to_uppercase(),
                path: op.path.clone(),
                pointer: op.pointer.clone(),
            },
            // A builder that names no operation of the document: named by itself.
            None => Unit::Operation {
                id: unrewritable
                    .operation_id
                    .unwrap_or_else(|| unrewritable.builder.clone()),
                method: "?".into(),
                path: "?".into(),
                pointer: String::new(),
            },
        };
        Loss {
            unit,
            stage: Stage::Format,
            by: Culprit::Pass(RESPONSES_THROUGH_RUNTIME.name),
            message,
        }
    }

    /// The operations of the document that progenitor generated no builder for, given the
    /// operationIds (progenitor's spelling) of those it did, lost.
    pub(super) fn never_generated(&self, generated: &BTreeSet<String>) -> Vec<Loss> {
        let lost: BTreeSet<&str> = self
            .losses
            .iter()
            .filter_map(|l| match &l.unit {
                Unit::Operation { id, .. } => Some(id.as_str()),
                Unit::Schema { .. } => None,
            })
            .collect();
        self.operations
            .values()
            .filter(|op| {
                let id = op.id.as_deref().unwrap_or_default();
                !generated.contains(&operations::rust_snake_name(id)) && !lost.contains(id)
            })
            .map(|op| Loss {
                unit: Unit::Operation {
                    id: op.id.clone().unwrap_or_default(),
                    method: op.method.to_uppercase(),
                    path: op.path.clone(),
                    pointer: op.pointer.clone(),
                },
                stage: Stage::Progenitor,
                by: Culprit::Progenitor,
                message: "progenitor generated no method for it, and said nothing".into(),
            })
            .collect()
    }

    /// The printed operation builders, in order (empty unless printing).
    pub(crate) fn printed(&self) -> &str {
        &self.text
    }
}

/// When printing, the items of `mod builder` come here as they are parsed.
impl Sink for OperationItems {
    fn takes(&self, module: &str) -> bool {
        self.print && module == "crate::builder"
    }

    fn take(&mut self, item: syn::Item) -> Result<(), Error> {
        // Printed (see `takes`): nothing comes back to keep.
        self.process(item).map(drop)
    }
}
