//! progenitor's tokens, split into items without parsing them (`merge` parses them one by
//! one), and fingerprinted (to know an item an earlier part already gave, unparsed).
//!
//! `syn::parse2` on the whole output holds three copies at once: progenitor's tokens, syn's
//! flattened buffer of them, and the tree being built — at 5,000 operations that was 1.2 GB.
//! Split at item boundaries, and the big inline modules (`types`, `builder`) split into their
//! items too, each item's tokens are freed as soon as it is parsed, so only the tokens not yet
//! read and the tree built so far are alive.

use std::hash::{DefaultHasher, Hash, Hasher};

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

/// Splits a stream of items into one stream per item: an item ends at a `;` or at a brace
/// group not followed by `;` (`struct S {…}`, `impl X {…}`, `mod m {…}`, but not
/// `const C: S = S {…};`).
pub(crate) fn split_items(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
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
pub(crate) fn split_module(item: &mut Vec<TokenTree>) -> Option<TokenStream> {
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

/// The inner attributes (`#![…]`, `//!`) at the start of a file or module body, and the rest.
pub(crate) fn inner_attributes(
    mut trees: Vec<TokenTree>,
) -> syn::Result<(Vec<syn::Attribute>, Vec<TokenTree>)> {
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
    Ok((attrs, rest))
}

/// A 128-bit fingerprint of some tokens' text: two SipHash-1-3 runs with different prefixes,
/// so that telling two different items apart does not rest on 64 bits.
pub(crate) fn fingerprint(text: &str) -> u128 {
    let mut a = DefaultHasher::new();
    text.hash(&mut a);
    let mut b = DefaultHasher::new();
    0x5a_u8.hash(&mut b);
    text.hash(&mut b);
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}
