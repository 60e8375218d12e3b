//! Pass `responses-through-runtime`: every operation's response is decoded by the runtime, not
//! by progenitor's generated `match` on documented status codes.
//!
//! progenitor ends each builder's `send()` with a `match` over the status codes the spec lists:
//! any other status — a 204 where 200 is documented, say — becomes an error, and the body is
//! decoded by `serde_json::from_slice`, so one field of an unexpected type fails the whole call.
//! This pass splits `send()` in two:
//!
//! - `exchange(self) -> Result<reqwest::Response, Error<E>>`: progenitor's code, unchanged up to
//!   the response, which it returns whatever its status;
//! - `send(self) -> Result<M::Response<T>, M::Error>`: hands that to the runtime module `M`
//!   (`Settings::response_runtime`): `M::json::<T>` for a typed body, `M::empty` for none,
//!   `M::stream` for raw bytes, `M::upgrade` for a protocol upgrade (a websocket: 101), each
//!   given the client and the operationId.
//!
//! Where the spec documents a success without a body beside one with a body (the
//! `one-response-type` rule marks such operations `x-body-may-be-absent`), `T` becomes
//! `Option<T>`, so the type says that the body may be absent.

use std::collections::BTreeSet;

use quote::quote;

use crate::error::{Error, Stage};
use crate::syntax::{generic_args, setting_path};

/// The pass's name, as errors and reports give it.
pub(crate) const NAME: &str = "responses-through-runtime";

/// How progenitor decoded the success body of one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Json,
    Empty,
    Stream,
    Upgrade,
}

fn pass_error(message: impl Into<String>) -> Error {
    Error::new(Stage::Format, message).context(format!("pass {NAME}"))
}

/// A builder whose `send()` this pass cannot rewrite: the operation is lost, not the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unrewritable {
    /// The builder's type, as written (`ThingsGet < 'a >`).
    pub(crate) builder: String,
    /// The operationId its `send()` names, when it names one.
    pub(crate) operation_id: Option<String>,
    /// What is not as the pass expects.
    pub(crate) message: String,
}

impl Unrewritable {
    /// What the pass says of it: the builder and what is wrong.
    pub(crate) fn message(&self) -> String {
        format!("builder {}: {}", self.builder, self.message)
    }
}

/// Rewrites every builder's `send()`; returns how many were rewritten.
#[cfg(test)]
pub(crate) fn apply(
    file: &mut syn::File,
    runtime: &str,
    optional: &BTreeSet<String>,
) -> Result<usize, Error> {
    let mut rewriter = Rewriter::new(runtime, optional.clone())?;
    let Some(builders) = crate::syntax::module_items_mut(&mut file.items, "builder") else {
        return Err(no_builder_module());
    };
    for item in builders.iter_mut() {
        rewriter.item(item).map_err(|u| pass_error(u.message()))?;
    }
    let (results, rewritten) = rewriter.finish()?;
    file.items.push(results);
    Ok(rewritten.len())
}

pub(crate) fn no_builder_module() -> Error {
    pass_error("progenitor's output has no `mod builder` (the builder interface is required)")
}

/// The pass over the items of `mod builder`, one at a time, in progenitor's order (each
/// builder struct before its impl).
pub(crate) struct Rewriter {
    runtime: syn::Path,
    optional: BTreeSet<String>,
    /// The field holding `&super::Client`, by builder struct: `client`, or `_client` when a
    /// parameter is called `client`.
    client_fields: std::collections::BTreeMap<String, syn::Ident>,
    /// (operationId, result type) of each rewritten `send()`.
    results: Vec<(String, proc_macro2::TokenStream)>,
}

impl Rewriter {
    pub(crate) fn new(runtime: &str, optional: BTreeSet<String>) -> Result<Self, Error> {
        Ok(Rewriter {
            runtime: setting_path(runtime, "response runtime module")?,
            optional,
            client_fields: Default::default(),
            results: Vec::new(),
        })
    }

    /// Reads a builder struct's client field, or rewrites the `send()` of a builder impl
    /// (left as it is when it cannot be).
    pub(crate) fn item(&mut self, item: &mut syn::Item) -> Result<(), Unrewritable> {
        let imp = match item {
            syn::Item::Struct(s) => {
                if let Some(field) = client_field(s) {
                    self.client_fields.insert(s.ident.to_string(), field);
                }
                return Ok(());
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() => imp,
            _ => return Ok(()),
        };
        let self_ty = &imp.self_ty;
        let builder = quote!(#self_ty).to_string();
        let struct_name = match &**self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let Some(client) = struct_name
            .and_then(|n| self.client_fields.get(&n))
            .cloned()
        else {
            return Ok(());
        };
        let Some(index) = imp
            .items
            .iter()
            .position(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "send"))
        else {
            return Ok(());
        };
        let Some(syn::ImplItem::Fn(send)) = imp.items.get_mut(index) else {
            return Ok(());
        };
        let (new_send, operation_id, result) =
            split_send(send, &client, &self.runtime, &self.optional).map_err(|message| {
                Unrewritable {
                    builder,
                    operation_id: operation_id(&send.block),
                    message,
                }
            })?;
        imp.items.insert(index + 1, new_send);
        self.results.push((operation_id, result));
        Ok(())
    }

    /// The `results` module, and the operationIds (as progenitor names them) of the
    /// `send()`s rewritten.
    pub(crate) fn finish(self) -> Result<(syn::Item, BTreeSet<String>), Error> {
        let ids = self.results.iter().map(|(id, _)| id.clone()).collect();
        Ok((results_module(&self.results)?, ids))
    }
}

/// `pub mod results`: the result type of every operation, named after the operation
/// (`results::InstancesRetrieve`), so that hand-written code reaches a generated type through
/// the operation that returns it, whatever the spec calls the schema (or if it inlines it).
fn results_module(results: &[(String, proc_macro2::TokenStream)]) -> Result<syn::Item, Error> {
    use heck::ToUpperCamelCase;
    let mut seen = BTreeSet::new();
    let aliases = results.iter().filter_map(|(id, ty)| {
        let name = id.to_upper_camel_case();
        // Two operationIds that differ only in case would give one name: the first keeps it.
        if !seen.insert(name.clone()) || syn::parse_str::<syn::Ident>(&name).is_err() {
            return None;
        }
        let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
        let doc = format!("The result of `{id}`.");
        Some(quote! {
            #[doc = #doc]
            pub type #ident = #ty;
        })
    });
    syn::parse2(quote! {
        /// The result type of every operation's `send()`, named after the operation.
        pub mod results {
            #[allow(unused_imports)]
            use super::{types, ByteStream};
            #(#aliases)*
        }
    })
    .map_err(|e| pass_error(format!("the results module does not parse: {e}")))
}

/// Turns `send` into `exchange` in place and returns the new `send`.
fn split_send(
    send: &mut syn::ImplItemFn,
    client: &syn::Ident,
    runtime: &syn::Path,
    optional: &BTreeSet<String>,
) -> Result<(syn::ImplItem, String, proc_macro2::TokenStream), String> {
    let syn::ReturnType::Type(_, ret) = &send.sig.output else {
        return Err("send() returns nothing".into());
    };
    let (body_ty, error_ty) =
        result_types(ret).ok_or("send() does not return Result<ResponseValue<T>, Error<E>>")?;
    let (body_ty, error_ty) = (body_ty.clone(), error_ty.clone());
    let operation_id =
        operation_id(&send.block).ok_or("no `OperationInfo { operation_id: \"…\" }` in send()")?;
    let Some(syn::Stmt::Expr(syn::Expr::Match(tail), None)) = send.block.stmts.last() else {
        return Err("send() does not end in a match on the status".into());
    };
    let kind = body_kind(tail)?;
    *send
        .block
        .stmts
        .last_mut()
        .ok_or("send() has no statements")? =
        syn::Stmt::Expr(syn::parse_quote!(Ok(response)), None);
    send.sig.ident = syn::parse_quote!(exchange);
    send.sig.output = syn::parse_quote!(-> Result<::reqwest::Response, Error<#error_ty>>);
    send.vis = syn::Visibility::Inherited;
    let docs: Vec<&syn::Attribute> = send
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .collect();
    let result = match kind {
        BodyKind::Json if optional.contains(&operation_id) => {
            quote!(::std::option::Option<#body_ty>)
        }
        BodyKind::Json => quote!(#body_ty),
        BodyKind::Empty => quote!(()),
        BodyKind::Stream => quote!(ByteStream),
        BodyKind::Upgrade => quote!(::reqwest::Upgraded),
    };
    let decoder = match kind {
        BodyKind::Json => quote!(json),
        BodyKind::Empty => quote!(empty),
        BodyKind::Stream => quote!(stream),
        BodyKind::Upgrade => quote!(upgrade),
    };
    let new_send: syn::ImplItemFn = syn::parse_quote! {
        #(#docs)*
        pub async fn send(self) -> Result<#runtime::Response<#result>, #runtime::Error> {
            let client = self.#client;
            #runtime::#decoder(client, #operation_id, self.exchange().await).await
        }
    };
    send.attrs.retain(|a| !a.path().is_ident("doc"));
    Ok((syn::ImplItem::Fn(new_send), operation_id, result))
}

/// The field of a builder struct that holds the client (`&'a super::Client`).
fn client_field(s: &syn::ItemStruct) -> Option<syn::Ident> {
    s.fields.iter().find_map(|f| {
        let syn::Type::Reference(r) = &f.ty else {
            return None;
        };
        let syn::Type::Path(p) = &*r.elem else {
            return None;
        };
        let is_client = p.path.segments.last().is_some_and(|s| s.ident == "Client");
        if is_client {
            f.ident.clone()
        } else {
            None
        }
    })
}

/// `Result<ResponseValue<T>, Error<E>>` → (T, E).
fn result_types(ty: &syn::Type) -> Option<(&syn::Type, &syn::Type)> {
    let mut args = generic_args(ty, "Result")?.into_iter();
    let (ok, err) = (args.next()?, args.next()?);
    let body = generic_args(ok, "ResponseValue")?.into_iter().next()?;
    let error = generic_args(err, "Error")?.into_iter().next()?;
    Some((body, error))
}

/// The operationId in `OperationInfo { operation_id: "…" }`.
fn operation_id(block: &syn::Block) -> Option<String> {
    block.stmts.iter().find_map(|stmt| {
        let syn::Stmt::Local(local) = stmt else {
            return None;
        };
        let syn::Expr::Struct(s) = &*local.init.as_ref()?.expr else {
            return None;
        };
        if !s.path.is_ident("OperationInfo") {
            return None;
        }
        s.fields.iter().find_map(|f| match (&f.member, &f.expr) {
            (
                syn::Member::Named(name),
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(id),
                    ..
                }),
            ) if name == "operation_id" => Some(id.value()),
            _ => None,
        })
    })
}

/// What the success arms of progenitor's status `match` call: `ResponseValue::from_response`,
/// `::empty`, `::stream` or `::upgrade`.
fn body_kind(tail: &syn::ExprMatch) -> Result<BodyKind, String> {
    let mut kinds = BTreeSet::new();
    for arm in &tail.arms {
        if matches!(arm.pat, syn::Pat::Wild(_)) {
            continue;
        }
        let text = quote!(#arm).to_string().replace(' ', "");
        if text.contains("Err(") {
            continue;
        }
        if text.contains("ResponseValue::from_response") {
            kinds.insert(0);
        } else if text.contains("ResponseValue::empty") {
            kinds.insert(1);
        } else if text.contains("ResponseValue::stream") {
            kinds.insert(2);
        } else if text.contains("ResponseValue::upgrade") {
            kinds.insert(3);
        } else {
            return Err(format!("a success arm of an unknown shape: {text}"));
        }
    }
    match kinds.into_iter().collect::<Vec<_>>().as_slice() {
        [0] => Ok(BodyKind::Json),
        [1] => Ok(BodyKind::Empty),
        [2] => Ok(BodyKind::Stream),
        [3] => Ok(BodyKind::Upgrade),
        // Only error arms (every documented response an error): no body is expected.
        [] => Ok(BodyKind::Empty),
        _ => Err("success arms decode in different ways".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder_module(arm: &str) -> syn::File {
        let code = format!(
            r#"
            pub mod builder {{
                pub struct ThingsGet<'a> {{ client: &'a super::Client }}
                impl<'a> ThingsGet<'a> {{
                    ///Sends a `GET` request
                    pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<()>> {{
                        let Self {{ client }} = self;
                        let info = OperationInfo {{ operation_id: "things_get" }};
                        let response = result?;
                        match response.status().as_u16() {{
                            {arm}
                            _ => Err(Error::UnexpectedResponse(response)),
                        }}
                    }}
                }}
            }}"#
        );
        syn::parse_str(&code).unwrap()
    }

    fn render(file: &syn::File) -> String {
        prettyplease::unparse(file)
    }

    #[test]
    fn send_is_split_into_exchange_and_a_runtime_call() {
        let mut file = builder_module("200u16 => ResponseValue::from_response(response).await,");
        assert_eq!(apply(&mut file, "crate::rt", &BTreeSet::new()).unwrap(), 1);
        let code = render(&file);
        let flat: String = code.split_whitespace().collect();
        assert!(
            flat.contains("asyncfnexchange(self)->Result<::reqwest::Response,Error<()>>"),
            "{code}"
        );
        assert!(flat.contains("Ok(response)"), "{code}");
        assert!(!flat.contains("200u16"), "{code}");
        assert!(
            flat.contains(
                "pubasyncfnsend(self,)->Result<crate::rt::Response<types::Thing>,crate::rt::Error>"
            ),
            "{code}"
        );
        assert!(
            flat.contains("crate::rt::json(client,\"things_get\",self.exchange().await).await"),
            "{code}"
        );
        // The doc comment moves to the public method.
        assert_eq!(code.matches("Sends a `GET` request").count(), 1);
        assert!(
            code.find("Sends a").unwrap() > code.find("fn exchange").unwrap(),
            "{code}"
        );
    }

    #[test]
    fn optional_bodies_and_bodiless_operations() {
        let mut file = builder_module("200u16 => ResponseValue::from_response(response).await,");
        let optional = BTreeSet::from(["things_get".to_string()]);
        apply(&mut file, "crate::rt", &optional).unwrap();
        let flat: String = render(&file).split_whitespace().collect();
        assert!(
            flat.contains("crate::rt::Response<::std::option::Option<types::Thing>>"),
            "{flat}"
        );

        let mut file = builder_module("204u16 => Ok(ResponseValue::empty(response)),");
        apply(&mut file, "crate::rt", &BTreeSet::new()).unwrap();
        assert!(render(&file).contains("crate::rt::empty(client"));
    }

    #[test]
    fn a_protocol_upgrade_goes_to_the_runtime_as_progenitor_hands_it() {
        // A websocket endpoint: progenitor answers 101 with the upgraded connection.
        let mut file = builder_module("101u16 => ResponseValue::upgrade(response).await,");
        assert_eq!(apply(&mut file, "crate::rt", &BTreeSet::new()).unwrap(), 1);
        let flat: String = render(&file).split_whitespace().collect();
        assert!(
            flat.contains("Result<crate::rt::Response<::reqwest::Upgraded>,crate::rt::Error>"),
            "{flat}"
        );
        assert!(
            flat.contains("crate::rt::upgrade(client,\"things_get\""),
            "{flat}"
        );
    }

    #[test]
    fn unexpected_shapes_fail_with_the_pass_named() {
        let mut file = builder_module("200u16 => something_else(response),");
        let e = apply(&mut file, "crate::rt", &BTreeSet::new()).unwrap_err();
        assert!(e.to_string().contains(NAME), "{e}");
        assert!(e.to_string().contains("ThingsGet"), "{e}");
        let mut file: syn::File = syn::parse_str("mod types {}").unwrap();
        assert!(apply(&mut file, "crate::rt", &BTreeSet::new()).is_err());
    }
}
