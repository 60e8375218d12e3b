//! progenitor's tokens → a syn file, item by item.
//!
//! `syn::parse2` on the whole output holds three copies at once: progenitor's tokens, syn's
//! flattened buffer of them, and the tree being built — at 5,000 operations that was 1.2 GB.
//! Parsing one item at a time, and the items inside the big inline modules (`types`,
//! `builder`) one at a time too, frees each item's tokens as soon as it is parsed, so only the
//! tokens not yet read and the tree built so far are alive. The result is the same file:
//! whatever this cannot split is parsed whole, as before.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

/// Splits a stream of items into one stream per item: an item ends at a `;` or at a brace
/// group not followed by `;` (`struct S {…}`, `impl X {…}`, `mod m {…}`, but not
/// `const C: S = S {…};`).
fn split_items(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut items = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        let ends = match &tree {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            _ => false,
        };
        current.push(tree);
        if ends {
            items.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        items.push(current);
    }
    items
}

/// `[attrs] [vis] mod name { … }`: the header without its body, and the body.
fn split_module(item: &mut Vec<TokenTree>) -> Option<TokenStream> {
    let is_mod = item
        .iter()
        .any(|t| matches!(t, TokenTree::Ident(i) if i == "mod"));
    match item.last() {
        Some(TokenTree::Group(g)) if is_mod && g.delimiter() == Delimiter::Brace => {
            let span = g.span();
            let Some(TokenTree::Group(body)) = item.pop() else {
                return None;
            };
            let stream = body.stream();
            drop(body);
            let mut empty = Group::new(Delimiter::Brace, TokenStream::new());
            empty.set_span(span);
            item.push(TokenTree::Group(empty));
            Some(stream)
        }
        _ => None,
    }
}

/// Inner attributes (`#![…]`, `//!`) and items of a file or module body.
fn parse_body(tokens: TokenStream) -> syn::Result<(Vec<syn::Attribute>, Vec<syn::Item>)> {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    // The leading `# ! [...]` triples belong to the enclosing module, not to an item.
    let mut inner = 0;
    while matches!(
        (trees.get(inner), trees.get(inner + 1), trees.get(inner + 2)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)), Some(TokenTree::Group(g)))
            if a.as_char() == '#' && b.as_char() == '!' && g.delimiter() == Delimiter::Bracket
    ) {
        inner += 3;
    }
    let rest = trees.split_off(inner);
    let attrs =
        syn::parse::Parser::parse2(syn::Attribute::parse_inner, trees.into_iter().collect())?;
    let mut parsed = Vec::new();
    for mut item in split_items(rest.into_iter().collect()) {
        match split_module(&mut item) {
            Some(body) => {
                let mut module: syn::ItemMod = syn::parse2(item.into_iter().collect())?;
                let (attrs, items) = parse_body(body)?;
                module.attrs.extend(attrs);
                if let Some((_, content)) = module.content.as_mut() {
                    *content = items;
                }
                parsed.push(syn::Item::Mod(module));
            }
            None => parsed.push(syn::parse2(item.into_iter().collect())?),
        }
    }
    Ok((attrs, parsed))
}

/// The file, item by item.
pub(crate) fn parse_file(tokens: TokenStream) -> syn::Result<syn::File> {
    let (attrs, items) = parse_body(tokens)?;
    Ok(syn::File {
        shebang: None,
        attrs,
        items,
    })
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn item_by_item_is_the_same_file_as_whole() {
        let tokens = quote! {
            #[allow(unused)]
            pub use a::b;
            pub mod types {
                //! Types.
                pub struct S { pub a: i64 }
                pub const C: S = S { a: 1 };
                pub mod builder { pub struct B; impl B { pub fn new() -> Self { B } } }
                impl S { fn f(&self) -> i64 { self.a } }
            }
            pub struct Client;
            impl Client { pub fn op(&self) {} }
            type A = u8;
        };
        let whole: syn::File = syn::parse2(tokens.clone()).unwrap();
        let parts = parse_file(tokens).unwrap();
        assert_eq!(prettyplease::unparse(&whole), prettyplease::unparse(&parts));
    }
}
