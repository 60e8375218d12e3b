//! Generator settings applied to progenitor's output (the parsed file), for what progenitor
//! offers no option:
//!
//! - `api-version`: progenitor sends `api-version: <info.version>` on every request. Fotbo
//!   documents no such header (and its info.version is the prose "Specification 1.0.5"), so
//!   the statement that adds it is removed from every operation.
//! - Struct builders: with the builder interface, typify writes a `types::builder::X` for every
//!   type — more than half the client's code — but the operation builders use only those of
//!   request bodies (`body_map`). Builders are kept for the types a request body can reach and
//!   dropped for the rest (response types are built by serde, never by callers).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use crate::error::{Error, Stage};
use crate::parse::fingerprint;
use crate::syntax::{module_items, module_items_mut};

/// Removes `header_map.append(HeaderName::from_static("api-version"), …)` statements;
/// returns how many.
pub(crate) fn drop_api_version_header(file: &mut syn::File) -> usize {
    file.items.iter_mut().map(drop_api_version_header_in).sum()
}

/// [`drop_api_version_header`] in one item.
pub(crate) fn drop_api_version_header_in(item: &mut syn::Item) -> usize {
    struct Dropper(usize);
    impl VisitMut for Dropper {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            let before = block.stmts.len();
            block.stmts.retain(|stmt| !is_api_version_append(stmt));
            if block.stmts.len() != before {
                self.0 += before - block.stmts.len();
                // With nothing else added to it, the header map need not be mutable.
                let mut finder = AppendFinder(false);
                finder.visit_block(block);
                if !finder.0 {
                    for stmt in &mut block.stmts {
                        if let syn::Stmt::Local(local) = stmt {
                            if let syn::Pat::Ident(p) = &mut local.pat {
                                if p.ident == "header_map" {
                                    p.mutability = None;
                                }
                            }
                        }
                    }
                }
            }
            syn::visit_mut::visit_block_mut(self, block);
        }
    }
    let mut dropper = Dropper(0);
    dropper.visit_item_mut(item);
    dropper.0
}

/// `header_map.append(…)`.
fn is_header_append(call: &syn::ExprMethodCall) -> bool {
    call.method == "append"
        && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("header_map"))
}

fn is_api_version_append(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    is_header_append(call)
        && call
            .args
            .first()
            .is_some_and(|a| a.to_token_stream().to_string().contains("\"api-version\""))
}

/// Whether a block still appends to the header map anywhere.
struct AppendFinder(bool);

impl<'ast> Visit<'ast> for AppendFinder {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.0 |= is_header_append(call);
        syn::visit::visit_expr_method_call(self, call);
    }
}

/// The last identifier of a type's path (`super::X` → `X`).
fn subject(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Identifiers of `types::builder::X` paths, or of every path ident, in a syntax tree.
struct Names {
    only_builder_paths: bool,
    found: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for Names {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments = &path.segments;
        let n = segments.len();
        if self.only_builder_paths {
            // Compared in place: this visits every path of the operation builders.
            if n >= 3 && segments[n - 3].ident == "types" && segments[n - 2].ident == "builder" {
                self.found.insert(segments[n - 1].ident.to_string());
            }
        } else {
            self.found
                .extend(segments.iter().map(|s| s.ident.to_string()));
        }
        syn::visit::visit_path(self, path);
    }
}

/// One item of `types::builder`, kept as text (a tenth of its tokens' memory): the type it is
/// for, whether it is the builder struct itself, and its tokens printed.
struct Chunk {
    subject: Option<String>,
    is_struct: bool,
    text: String,
}

/// The struct builders, set aside before parsing: `types::builder`'s items as text chunks,
/// each with the type it is for.
pub(crate) struct Builders {
    chunks: Vec<Chunk>,
    span: proc_macro2::Span,
    /// Fingerprints of the chunks, once a second part's builders are added.
    fingerprints: HashSet<u128>,
}

impl Builders {
    /// Adds the builders of another part of the same spec (see `merge`): those an earlier
    /// part already set aside — every component type's — are skipped.
    pub(crate) fn absorb(&mut self, other: Builders) {
        if self.fingerprints.is_empty() {
            self.fingerprints = self
                .chunks
                .iter()
                .map(|chunk| fingerprint(&chunk.text))
                .collect();
        }
        for chunk in other.chunks {
            if self.fingerprints.insert(fingerprint(&chunk.text)) {
                self.chunks.push(chunk);
            }
        }
    }
}

fn is_ident(tt: Option<&TokenTree>, name: &str) -> bool {
    matches!(tt, Some(TokenTree::Ident(i)) if i == name)
}

/// Finds `pub mod <name> { … }` among token trees; returns the index of `pub`.
fn find_module(trees: &[TokenTree], name: &str) -> Option<usize> {
    trees.windows(4).position(|w| {
        is_ident(w.first(), "pub")
            && is_ident(w.get(1), "mod")
            && is_ident(w.get(2), name)
            && matches!(w.get(3), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace)
    })
}

/// Splits a module body into items at top-level `{…}` groups and `;` — the shape of every
/// item typify writes in `types::builder` — and names the type each is for: the identifier
/// after `struct`, or the last identifier before an impl's body.
fn chunks(stream: TokenStream) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let finish = |current: &mut Vec<TokenTree>, subject: Option<String>| {
        let is_struct = current
            .iter()
            .any(|t| matches!(t, TokenTree::Ident(i) if i == "struct"));
        let text = current.drain(..).collect::<TokenStream>().to_string();
        Chunk {
            subject,
            is_struct,
            text,
        }
    };
    for tt in stream {
        let ends = match &tt {
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
            TokenTree::Punct(p) => p.as_char() == ';',
            _ => false,
        };
        current.push(tt);
        if ends {
            let subject = match current
                .iter()
                .position(|t| matches!(t, TokenTree::Ident(i) if i == "struct"))
            {
                Some(at) => match current.get(at + 1) {
                    Some(TokenTree::Ident(i)) => Some(i.to_string()),
                    _ => None,
                },
                None => current.iter().rev().find_map(|t| match t {
                    TokenTree::Ident(i) => Some(i.to_string()),
                    _ => None,
                }),
            };
            out.push(finish(&mut current, subject));
        }
    }
    if !current.is_empty() {
        out.push(finish(&mut current, None));
    }
    out
}

/// Takes `types::builder` out of progenitor's tokens before they are parsed: most of it is
/// dropped afterwards, and parsing it would be most of the pipeline's time. Returns the tokens
/// unchanged (and no builders) when the module is not where typify puts it.
pub(crate) fn set_aside_builders(tokens: TokenStream) -> (TokenStream, Option<Builders>) {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    let Some(types_at) = find_module(&trees, "types") else {
        return (trees.into_iter().collect(), None);
    };
    let TokenTree::Group(types) = &trees[types_at + 3] else {
        return (trees.into_iter().collect(), None);
    };
    let mut inner: Vec<TokenTree> = types.stream().into_iter().collect();
    let Some(builder_at) = find_module(&inner, "builder") else {
        return (trees.into_iter().collect(), None);
    };
    let TokenTree::Group(body) = &inner[builder_at + 3] else {
        return (trees.into_iter().collect(), None);
    };
    let builders = Builders {
        chunks: chunks(body.stream()),
        span: body.span(),
        fingerprints: HashSet::new(),
    };
    inner.drain(builder_at..builder_at + 4);
    let mut group = Group::new(Delimiter::Brace, inner.into_iter().collect());
    group.set_span(types.span());
    trees[types_at + 3] = TokenTree::Group(group);
    (trees.into_iter().collect(), Some(builders))
}

/// Adds to `roots` the struct builders (`types::builder::X`) an item of the operation
/// builders uses: the request bodies.
pub(crate) fn request_builder_roots(item: &syn::Item, roots: &mut BTreeSet<String>) {
    let mut names = Names {
        only_builder_paths: true,
        found: std::mem::take(roots),
    };
    names.visit_item(item);
    *roots = names.found;
}

/// Puts back the struct builders of the types a request body can reach — from `roots` (see
/// [`request_builder_roots`]) and the operation builders still in the file — and removes the
/// `builder()` constructors of the others; returns how many builder structs were dropped.
pub(crate) fn keep_request_builders(
    file: &mut syn::File,
    builders: Builders,
    roots: &BTreeSet<String>,
) -> Result<usize, Error> {
    let mut roots = Names {
        only_builder_paths: true,
        found: roots.clone(),
    };
    if let Some(items) = module_items(&file.items, "builder") {
        for item in items {
            roots.visit_item(item);
        }
    }
    let Some(types) = module_items_mut(&mut file.items, "types") else {
        return Ok(0);
    };

    // Field types of every struct and enum in `types`, to follow from a body to what it holds.
    let mut refers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in types.iter() {
        let mut names = Names {
            only_builder_paths: false,
            found: BTreeSet::new(),
        };
        let name = match item {
            syn::Item::Struct(s) => {
                names.visit_fields(&s.fields);
                s.ident.to_string()
            }
            syn::Item::Enum(e) => {
                e.variants
                    .iter()
                    .for_each(|v| names.visit_fields(&v.fields));
                e.ident.to_string()
            }
            _ => continue,
        };
        refers.insert(name, names.found);
    }
    let mut keep: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<String> = roots.found.into_iter().collect();
    while let Some(name) = todo.pop() {
        if !keep.insert(name.clone()) {
            continue;
        }
        for next in refers.get(&name).into_iter().flatten() {
            if refers.contains_key(next) && !keep.contains(next) {
                todo.push(next.clone());
            }
        }
    }

    // A chunk whose type cannot be told is kept: better too much code than a missing impl.
    let mut dropped = 0;
    let mut kept = TokenStream::new();
    for chunk in builders.chunks {
        match chunk.subject {
            Some(name) if !keep.contains(&name) => dropped += usize::from(chunk.is_struct),
            _ => {
                let tokens: TokenStream = chunk.text.parse().map_err(|e| {
                    Error::new(
                        Stage::Format,
                        format!("a struct builder set aside does not read back: {e}"),
                    )
                })?;
                kept.extend(tokens);
            }
        }
    }
    if !kept.is_empty() {
        let module: syn::ItemMod =
            syn::parse2(quote::quote_spanned! {builders.span=> pub mod builder { #kept } })
                .map_err(|e| {
                    Error::new(
                        Stage::Format,
                        format!("kept struct builders do not parse: {e}"),
                    )
                })?;
        types.push(syn::Item::Mod(module));
    }

    // `impl X { pub fn builder() -> builder::X }` for the dropped ones.
    for item in types.iter_mut() {
        if let syn::Item::Impl(imp) = item {
            if imp.trait_.is_none() && subject(&imp.self_ty).is_some_and(|n| !keep.contains(&n)) {
                imp.items
                    .retain(|i| !matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "builder"));
            }
        }
    }
    types.retain(|item| !matches!(item, syn::Item::Impl(imp) if imp.trait_.is_none() && imp.items.is_empty()));
    Ok(dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = r#"
        pub mod types {
            pub struct Body { pub inner: Inner }
            pub struct Inner { pub n: i64 }
            pub struct Answer { pub x: i64 }
            impl Body { pub fn builder() -> builder::Body { Default::default() } }
            impl Answer { pub fn builder() -> builder::Answer { Default::default() } }
            pub mod builder {
                pub struct Body { inner: Result<super::Inner, String> }
                impl Default for Body { fn default() -> Self { todo!() } }
                pub struct Inner { n: Result<i64, String> }
                pub struct Answer { x: Result<i64, String> }
                impl Default for Answer { fn default() -> Self { todo!() } }
                impl From<super::Answer> for Answer { fn from(_: super::Answer) -> Self { todo!() } }
            }
        }
        pub mod builder {
            pub struct Create<'a> { body: Result<types::builder::Body, String>, c: &'a () }
            impl<'a> Create<'a> {
                pub async fn send(self) {
                    let mut header_map = HeaderMap::with_capacity(1usize);
                    header_map.append(HeaderName::from_static("api-version"), HeaderValue::from_static("1"));
                    header_map.append(HeaderName::from_static("x-other"), HeaderValue::from_static("1"));
                }
            }
        }
    "#;

    #[test]
    fn only_request_body_builders_stay() {
        let tokens: TokenStream = CODE.parse().unwrap();
        let (rest, builders) = set_aside_builders(tokens);
        let mut file: syn::File = syn::parse2(rest).unwrap();
        assert!(!file
            .to_token_stream()
            .to_string()
            .contains("impl Default for Answer"));
        assert_eq!(
            keep_request_builders(&mut file, builders.unwrap(), &BTreeSet::new()).unwrap(),
            1
        );
        let out = file.to_token_stream().to_string();
        assert!(out.contains("pub struct Body { inner"), "{out}");
        assert!(
            out.contains("pub struct Inner { n"),
            "nested body types keep theirs: {out}"
        );
        assert!(!out.contains("pub struct Answer { x : Result"), "{out}");
        assert!(!out.contains("builder :: Answer"), "{out}");
        assert!(out.contains("fn builder () -> builder :: Body"), "{out}");
    }

    #[test]
    fn the_api_version_header_goes_and_others_stay() {
        let mut file: syn::File = syn::parse_str(CODE).unwrap();
        assert_eq!(drop_api_version_header(&mut file), 1);
        let out = file.to_token_stream().to_string();
        assert!(!out.contains("api-version"), "{out}");
        assert!(out.contains("x-other"), "{out}");
        assert!(
            out.contains("let mut header_map"),
            "still appended to: {out}"
        );
        let mut alone: syn::File = syn::parse_str(
            r#"fn send() { let mut header_map = HeaderMap::new(); header_map.append(HeaderName::from_static("api-version"), v); }"#,
        )
        .unwrap();
        drop_api_version_header(&mut alone);
        assert!(
            alone
                .to_token_stream()
                .to_string()
                .contains("let header_map"),
            "no longer mutable"
        );
    }
}
