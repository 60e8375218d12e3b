//! The glue of pass `list-page-glue`: `ListPage` for every list envelope progenitor generated,
//! `PagedRequest` for every operation builder that pages through one. Read from the parsed
//! code, so the impls follow the types progenitor actually wrote.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::{Error, Stage};
use crate::syntax::{generic_args, module_items, setting_path};

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
