//! progenitor's output for a large spec, generated in parts and merged into one file.
//!
//! progenitor holds everything it generates at once (the OpenAPI document, typify's type
//! space, every operation's tokens, then a copy of all of them in the final `quote!`): at
//! 20,000 operations that alone is 2.9 GB. Run on a few thousand operations at a time (each
//! part with all the components, so every `$ref` resolves), its peak is one part's. Each part
//! repeats what does not depend on the operations — the component types, the `Client` struct,
//! the imports — so an item already merged from an earlier part is recognised by a fingerprint
//! of its tokens and skipped *before* it is parsed. What is left is new: the operations'
//! methods, builders and inline types.
//!
//! The items of the modules a [`Sink`] takes (the operation builders) go to it as they are
//! parsed and never into the tree.
//!
//! Two parts can disagree on an item of the same name (typify naming an inline type of one
//! part like a different type of another): that is a [`PartsError::Conflict`], and the caller
//! generates the spec whole instead. Traits and trait impls that grow with the operations
//! (`ClientTagExt` with separate tags) are merged member by member.

use std::collections::HashMap;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

use crate::error::Error;
use crate::parse::{fingerprint, inner_attributes, split_items, split_module};

/// Why parts could not be merged.
#[derive(Debug)]
pub(crate) enum PartsError {
    /// A part's tokens are not Rust.
    Syntax(syn::Error),
    /// Two parts define one name differently (the name, and the module it is in).
    Conflict(String),
    /// The sink refused an item.
    Sink(Error),
}

/// Takes the items of some modules as they are parsed, instead of the tree keeping them.
pub(crate) trait Sink {
    /// Whether the items of this module (a path from `crate`) go to the sink.
    fn takes(&self, module: &str) -> bool;
    /// One item, in order.
    fn take(&mut self, item: syn::Item) -> Result<(), Error>;
}

/// Keeps everything in the tree.
#[cfg(test)]
pub(crate) struct NoSink;

#[cfg(test)]
impl Sink for NoSink {
    fn takes(&self, _: &str) -> bool {
        false
    }
    fn take(&mut self, _: syn::Item) -> Result<(), Error> {
        Ok(())
    }
}

/// Where a named item is: in the module's items, or given to the sink.
const IN_SINK: usize = usize::MAX;

impl From<syn::Error> for PartsError {
    fn from(e: syn::Error) -> Self {
        PartsError::Syntax(e)
    }
}

/// What one module already holds, from earlier parts.
#[derive(Default)]
struct Seen {
    /// Whether more parts may come, repeating items (else fingerprints are not taken).
    repeats: bool,
    /// Fingerprints of the items, with the part each came from.
    items: HashMap<u128, usize>,
    /// Named items (see [`name_of`]): index in the module's items, and the part it came from.
    names: HashMap<String, (usize, usize)>,
    /// The submodules, by name.
    modules: HashMap<String, Seen>,
}

/// The name an item claims in its module, when two of them could clash: types, traits,
/// functions, named constants and statics, modules; a trait impl is named by its generics,
/// trait and type (two impls of one trait for one type clash too). `use` items and inherent
/// impls claim no name: several may stand side by side.
fn name_of(item: &syn::Item) -> Option<String> {
    use syn::Item;
    let text = |t: &dyn ToTokens| t.to_token_stream().to_string();
    Some(match item {
        Item::Struct(i) => i.ident.to_string(),
        Item::Enum(i) => i.ident.to_string(),
        Item::Union(i) => i.ident.to_string(),
        Item::Type(i) => i.ident.to_string(),
        Item::Trait(i) => i.ident.to_string(),
        Item::TraitAlias(i) => i.ident.to_string(),
        Item::Fn(i) => i.sig.ident.to_string(),
        Item::Const(i) if i.ident != "_" => i.ident.to_string(),
        Item::Static(i) => i.ident.to_string(),
        Item::Mod(i) => i.ident.to_string(),
        Item::Impl(i) => {
            let (_, path, _) = i.trait_.as_ref()?;
            format!(
                "impl {} {} for {}",
                text(&i.generics),
                text(path),
                text(&i.self_ty)
            )
        }
        _ => return None,
    })
}

/// Members of a trait or trait impl, by name, with their text.
fn member_names<T: ToTokens>(
    members: &[T],
    name: impl Fn(&T) -> Option<String>,
) -> Vec<(Option<String>, String)> {
    members
        .iter()
        .map(|m| (name(m), m.to_token_stream().to_string()))
        .collect()
}

fn trait_member_name(m: &syn::TraitItem) -> Option<String> {
    match m {
        syn::TraitItem::Fn(f) => Some(f.sig.ident.to_string()),
        syn::TraitItem::Type(t) => Some(t.ident.to_string()),
        syn::TraitItem::Const(c) => Some(c.ident.to_string()),
        _ => None,
    }
}

fn impl_member_name(m: &syn::ImplItem) -> Option<String> {
    match m {
        syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
        syn::ImplItem::Type(t) => Some(t.ident.to_string()),
        syn::ImplItem::Const(c) => Some(c.ident.to_string()),
        _ => None,
    }
}

/// Adds the members of `new` that `old` lacks; the same name with other text is a conflict.
fn merge_members<T: ToTokens>(
    old: &mut Vec<T>,
    new: Vec<T>,
    name: impl Fn(&T) -> Option<String>,
    owner: &str,
) -> Result<(), PartsError> {
    let known = member_names(old, &name);
    for member in new {
        let text = member.to_token_stream().to_string();
        match name(&member) {
            Some(n) => match known.iter().find(|(k, _)| k.as_deref() == Some(n.as_str())) {
                Some((_, same)) if *same == text => {}
                Some(_) => return Err(PartsError::Conflict(format!("{owner}::{n}"))),
                None => old.push(member),
            },
            None if known.iter().any(|(_, t)| *t == text) => {}
            None => old.push(member),
        }
    }
    Ok(())
}

/// Merges an item into one of the same name from an earlier part; false when it cannot be.
fn merge_named(old: &mut syn::Item, new: syn::Item, name: &str) -> Result<bool, PartsError> {
    match (old, new) {
        (syn::Item::Trait(old), syn::Item::Trait(new)) => {
            merge_members(&mut old.items, new.items, trait_member_name, name)?;
            Ok(true)
        }
        (syn::Item::Impl(old), syn::Item::Impl(new)) => {
            merge_members(&mut old.items, new.items, impl_member_name, name)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Parses a module body's items into `items`, skipping what earlier parts already gave.
fn merge_body(
    trees: Vec<TokenTree>,
    part: usize,
    seen: &mut Seen,
    items: &mut Vec<syn::Item>,
    module: &str,
    sink: &mut dyn Sink,
) -> Result<(), PartsError> {
    for mut item in split_items(trees.into_iter().collect()) {
        if let Some(body) = split_module(&mut item) {
            let header: syn::ItemMod = syn::parse2(item.into_iter().collect())?;
            let name = header.ident.to_string();
            let path = format!("{module}::{name}");
            let repeats = seen.repeats;
            let child = seen.modules.entry(name.clone()).or_insert_with(|| Seen {
                repeats,
                ..Seen::default()
            });
            let (inner, body) = inner_attributes(body.into_iter().collect())?;
            let at = match seen.names.get(&name) {
                Some(&(at, _)) => at,
                None => {
                    let mut header = header;
                    header.attrs.extend(inner);
                    items.push(syn::Item::Mod(header));
                    seen.names.insert(name.clone(), (items.len() - 1, part));
                    items.len() - 1
                }
            };
            let Some(syn::Item::Mod(m)) = items.get_mut(at) else {
                return Err(PartsError::Conflict(path));
            };
            let content = &mut m.content.get_or_insert_with(Default::default).1;
            merge_body(body, part, child, content, &path, sink)?;
            continue;
        }
        let tokens: TokenStream = item.into_iter().collect();
        if seen.repeats {
            let print = fingerprint(&tokens.to_string());
            match seen.items.get(&print) {
                Some(&from) if from < part => continue,
                _ => {
                    seen.items.insert(print, part);
                }
            }
        }
        let parsed: syn::Item = syn::parse2(tokens)?;
        let name = name_of(&parsed);
        if sink.takes(module) {
            if let Some(name) = name {
                // A streamed item cannot be merged with a later part's: any repeat clashes.
                if matches!(seen.names.get(&name), Some(&(_, from)) if from < part) {
                    return Err(PartsError::Conflict(format!("{module}::{name}")));
                }
                seen.names.insert(name, (IN_SINK, part));
            }
            sink.take(parsed).map_err(PartsError::Sink)?;
            continue;
        }
        let Some(name) = name else {
            items.push(parsed);
            continue;
        };
        match seen.names.get(&name) {
            Some(&(at, from)) if from < part => {
                let Some(old) = items.get_mut(at) else {
                    return Err(PartsError::Conflict(format!("{module}::{name}")));
                };
                if !merge_named(old, parsed, &name)? {
                    return Err(PartsError::Conflict(format!("{module}::{name}")));
                }
            }
            _ => {
                items.push(parsed);
                seen.names.insert(name, (items.len() - 1, part));
            }
        }
    }
    Ok(())
}

/// A file built from progenitor's output for several parts of one spec.
pub(crate) struct Parts {
    file: syn::File,
    seen: Seen,
    parts: usize,
}

impl Parts {
    /// `repeats`: whether several parts will be added (one part repeats nothing, and its
    /// items are not fingerprinted).
    pub(crate) fn new(repeats: bool) -> Self {
        Parts {
            file: crate::syntax::file_of(Vec::new()),
            seen: Seen {
                repeats,
                ..Seen::default()
            },
            parts: 0,
        }
    }

    /// Adds one part's output: what earlier parts already gave is skipped unparsed, and the
    /// items of the modules the sink takes go to it.
    pub(crate) fn add(
        &mut self,
        tokens: TokenStream,
        sink: &mut dyn Sink,
    ) -> Result<(), PartsError> {
        let (attrs, body) = inner_attributes(tokens.into_iter().collect())?;
        if self.parts == 0 {
            self.file.attrs = attrs;
        }
        merge_body(
            body,
            self.parts,
            &mut self.seen,
            &mut self.file.items,
            "crate",
            sink,
        )?;
        self.parts += 1;
        Ok(())
    }

    /// How many parts were added.
    pub(crate) fn count(&self) -> usize {
        self.parts
    }

    pub(crate) fn into_file(self) -> syn::File {
        self.file
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn merged(parts: Vec<TokenStream>) -> Result<String, PartsError> {
        let mut all = Parts::new(true);
        for p in parts {
            all.add(p, &mut NoSink)?;
        }
        Ok(prettyplease::unparse(&all.into_file()))
    }

    #[test]
    fn what_parts_share_appears_once_and_what_they_add_is_kept() {
        let shared = quote! {
            pub mod types {
                pub struct Item { pub id: String }
                impl From<&Item> for Item { fn from(v: &Item) -> Self { v.clone() } }
            }
            pub struct Client;
            impl Client { pub fn new() -> Self { Client } }
        };
        let first = quote! {
            #shared
            pub mod types { pub struct ListResponse { pub objects: Vec<Item> } }
            impl Client { pub fn list(&self) {} }
        };
        let second = quote! {
            #shared
            pub mod types { pub struct GetResponse { pub item: Item } }
            impl Client { pub fn get(&self) {} }
        };
        let out = merged(vec![first, second]).unwrap();
        assert_eq!(out.matches("pub struct Item ").count(), 1, "{out}");
        assert_eq!(out.matches("impl From<&Item> for Item").count(), 1, "{out}");
        assert_eq!(out.matches("pub struct Client;").count(), 1, "{out}");
        assert_eq!(out.matches("pub fn new()").count(), 1, "{out}");
        for kept in ["ListResponse", "GetResponse", "fn list", "fn get"] {
            assert!(out.contains(kept), "{kept}: {out}");
        }
        assert_eq!(out.matches("pub mod types").count(), 1, "{out}");
    }

    #[test]
    fn traits_and_their_impls_grow_member_by_member() {
        let part = |op: proc_macro2::Ident| {
            quote! {
                pub trait ClientTagExt { fn #op(&self); }
                impl ClientTagExt for Client { fn #op(&self) {} }
            }
        };
        let out = merged(vec![
            part(quote::format_ident!("list")),
            part(quote::format_ident!("get")),
        ])
        .unwrap();
        let file: syn::File = syn::parse_str(&out).unwrap();
        assert_eq!(file.items.len(), 2, "one trait, one impl: {out}");
        assert_eq!(out.matches("fn get(&self)").count(), 2, "{out}");
        assert_eq!(out.matches("fn list(&self)").count(), 2, "{out}");
    }

    #[test]
    fn one_name_defined_two_ways_is_a_conflict() {
        let err = merged(vec![
            quote! { pub mod types { pub struct Body { pub a: i64 } } },
            quote! { pub mod types { pub struct Body { pub b: String } } },
        ])
        .unwrap_err();
        assert!(
            matches!(&err, PartsError::Conflict(name) if name == "crate::types::Body"),
            "{err:?}"
        );
    }

    #[test]
    fn within_one_part_nothing_is_merged_or_dropped() {
        // What one progenitor run wrote is kept as written, even an odd repetition.
        let out = merged(vec![
            quote! { pub use a::b; pub use a::b; impl X {} impl X {} },
        ])
        .unwrap();
        assert_eq!(out.matches("pub use a::b;").count(), 2, "{out}");
        assert_eq!(out.matches("impl X {}").count(), 2, "{out}");
    }

    #[test]
    fn the_sink_takes_its_modules_items_in_order_and_repeats_once() {
        struct Collect(Vec<String>);
        impl Sink for Collect {
            fn takes(&self, module: &str) -> bool {
                module == "crate::builder"
            }
            fn take(&mut self, item: syn::Item) -> Result<(), Error> {
                self.0.push(item.to_token_stream().to_string());
                Ok(())
            }
        }
        let part = |op: proc_macro2::Ident| {
            quote! {
                pub mod builder { use super::types; pub struct #op; impl #op { fn send() {} } }
                pub mod types { pub struct T; }
            }
        };
        let mut all = Parts::new(true);
        let mut sink = Collect(Vec::new());
        all.add(part(quote::format_ident!("List")), &mut sink)
            .unwrap();
        all.add(part(quote::format_ident!("Get")), &mut sink)
            .unwrap();
        assert_eq!(
            sink.0,
            [
                "use super :: types ;",
                "pub struct List ;",
                "impl List { fn send () { } }",
                "pub struct Get ;",
                "impl Get { fn send () { } }"
            ]
        );
        let out = prettyplease::unparse(&all.into_file());
        assert!(out.contains("pub mod builder {}"), "{out}");
        assert_eq!(out.matches("pub struct T;").count(), 1, "{out}");
    }

    #[test]
    fn one_part_is_the_file_parsed_whole() {
        let tokens = quote! {
            #![allow(unused)]
            pub mod types { pub struct S; pub mod builder { pub struct S; } }
            pub struct Client;
        };
        let whole: syn::File = syn::parse2(tokens.clone()).unwrap();
        assert_eq!(prettyplease::unparse(&whole), merged(vec![tokens]).unwrap());
    }
}
