//! Printing the generated file with prettyplease, where the operation builders were printed
//! one by one as they were parsed (see `passes::OperationItems`): they are put back exactly
//! where prettyplease would have printed them.

use crate::error::{Error, Stage};
use crate::syntax::file_of;

/// Stands in `mod builder` for its printed items until the file is printed.
const PLACEHOLDER: &str = "__fotbo_operation_builders";

/// Prints the file, with the printed operation builders inside its `mod builder`. The
/// module is printed on its own, holding only a placeholder where they go: the text
/// around the placeholder is progenitor's, never the spec's, so it is found exactly once.
pub(crate) fn file_with_builders(file: &mut syn::File, builders: &str) -> Result<String, Error> {
    let at = file
        .items
        .iter()
        .position(|i| matches!(i, syn::Item::Mod(m) if m.ident == "builder"));
    let Some(at) = at.filter(|_| !builders.is_empty()) else {
        return Ok(prettyplease::unparse(file));
    };
    // The file is split around the module for printing (moved, not copied: at 20,000
    // operations the rest of the tree is large), and put back together after.
    let after = file_of(file.items.split_off(at + 1));
    let mut module = file_of(file.items.split_off(at));
    let ident = syn::Ident::new(PLACEHOLDER, proc_macro2::Span::call_site());
    if let Some(syn::Item::Mod(m)) = module.items.first_mut() {
        m.content
            .get_or_insert_with(Default::default)
            .1
            .push(syn::parse_quote!(#ident!();));
    }
    let (head, open_close, tail) = (
        prettyplease::unparse(file),
        prettyplease::unparse(&module),
        prettyplease::unparse(&after),
    );
    if let Some(syn::Item::Mod(m)) = module.items.first_mut() {
        if let Some((_, items)) = m.content.as_mut() {
            items.pop();
        }
    }
    file.items.extend(module.items);
    file.items.extend(after.items);
    let mark = format!("    {PLACEHOLDER}!();\n");
    match open_close.split_once(&mark) {
        Some((open, close)) => Ok(format!("{head}{open}{builders}{close}{tail}")),
        None => Err(Error::new(
            Stage::Format,
            "the placeholder of the operation builders is not where it was put",
        )),
    }
}

/// An item of a top-level module as prettyplease prints it there: printed inside a module of
/// its own, whose first and last lines are then dropped.
pub(crate) fn in_module(item: syn::Item) -> String {
    let module = syn::Item::Mod(syn::ItemMod {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        unsafety: None,
        mod_token: Default::default(),
        ident: syn::Ident::new("m", proc_macro2::Span::call_site()),
        content: Some((Default::default(), vec![item])),
        semi: None,
    });
    let printed = prettyplease::unparse(&file_of(vec![module]));
    let body = printed.split_once('\n').map_or("", |(_, rest)| rest);
    body.strip_suffix("}\n").unwrap_or(body).to_string()
}
