//! Small helpers for reading progenitor's output once it is parsed.

use crate::error::{Error, Stage};

/// A file of these items, with no attributes.
pub(crate) fn file_of(items: Vec<syn::Item>) -> syn::File {
    syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    }
}

/// The items of the inline module `name` among `items` (`types`, `builder` …).
pub(crate) fn module_items<'a>(items: &'a [syn::Item], name: &str) -> Option<&'a Vec<syn::Item>> {
    items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

/// The same, to change them.
pub(crate) fn module_items_mut<'a>(
    items: &'a mut [syn::Item],
    name: &str,
) -> Option<&'a mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// A path given in the settings (a trait to implement), parsed.
pub(crate) fn setting_path(path: &str, what: &str) -> Result<syn::Path, Error> {
    syn::parse_str(path).map_err(|e| {
        Error::new(
            Stage::Progenitor,
            format!("{what} `{path}` is not a Rust path: {e}"),
        )
    })
}

/// The type arguments of `Name<A, B, …>` when the type's last path segment is `name`.
pub(crate) fn generic_args<'a>(ty: &'a syn::Type, name: &str) -> Option<Vec<&'a syn::Type>> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
    )
}
