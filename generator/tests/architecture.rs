//! The generator flows one way: each top-level module of generator/src uses only modules of
//! a lower layer, and lib.rs alone orders the stages. The layers are declared once, in the
//! code map of ARCHITECTURE.md (the fenced block after `<!-- layers -->`); this test reads
//! generator/src with syn, finds every reference from one top-level module to another
//! (`use crate::x`, a path `crate::x::…`, `super::…` that leaves a folder module), test code
//! left out, and fails on any that does not go down, naming the file and the edge.
//!
//! `ARCHITECTURE_GRAPH=1 cargo test -p fotbo-api-generator --test architecture -- --nocapture`
//! prints every edge.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The layers, bottom first, as ARCHITECTURE.md declares them: `N: a b c` lines.
fn layers() -> Vec<BTreeSet<String>> {
    let path = root().join("../ARCHITECTURE.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let block = text
        .split_once("<!-- layers -->")
        .and_then(|(_, rest)| rest.split_once("```text\n"))
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("ARCHITECTURE.md has a ```text block after <!-- layers -->");
    block
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(_, modules)| {
            modules
                .split_whitespace()
                .map(|m| m.trim_end_matches('/').to_string())
                .collect()
        })
        .collect()
}

/// A top-level module of generator/src and the files it is made of.
struct Module {
    name: String,
    files: Vec<PathBuf>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every top-level module but lib.rs (the orchestrator may use them all).
fn modules() -> Vec<Module> {
    let src = root().join("src");
    let mut modules = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            let mut files = Vec::new();
            rust_files(&path, &mut files);
            modules.push(Module { name: stem, files });
        } else if path.extension().is_some_and(|e| e == "rs") && stem != "lib" {
            modules.push(Module {
                name: stem,
                files: vec![path],
            });
        }
    }
    modules
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && {
            let text = quote::ToTokens::to_token_stream(&a.meta).to_string();
            text.contains("test") && !text.contains("not (test")
        }
    })
}

/// Collects the top-level modules a file names, outside test code.
struct References<'a> {
    /// How many `super` steps lead from this file to the crate root.
    depth: usize,
    /// Names of the top-level modules, to tell them from other first segments.
    known: &'a BTreeSet<String>,
    /// What lib.rs re-exports, by name: `crate::Error` is a use of `error`.
    exported: &'a BTreeMap<String, String>,
    found: BTreeSet<String>,
}

impl References<'_> {
    fn segments(&mut self, segments: &[String]) {
        let mut rest = segments;
        let mut ups = 0;
        while rest.first().is_some_and(|s| s == "super") {
            ups += 1;
            rest = &rest[1..];
        }
        let target = match rest.first().map(String::as_str) {
            Some("crate") => rest.get(1),
            // `super` from a file inside a folder module stays inside it unless it climbs to
            // the crate root.
            Some(_) if ups > 0 && ups >= self.depth => rest.first(),
            _ => None,
        };
        let Some(target) = target else { return };
        if self.known.contains(target) {
            self.found.insert(target.clone());
        } else if let Some(module) = self.exported.get(target) {
            self.found.insert(module.clone());
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                self.segments(&prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                self.segments(&prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.segments(&prefix.clone()),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }

    /// `crate :: x` inside the tokens of a macro call (`format!`, `matches!` …); quoted code
    /// (`quote!`, `parse_quote!`) is code the generator writes, not code it uses.
    fn macro_tokens(&mut self, tokens: proc_macro2::TokenStream) {
        let trees: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
        for (i, tree) in trees.iter().enumerate() {
            match tree {
                proc_macro2::TokenTree::Group(g) => self.macro_tokens(g.stream()),
                proc_macro2::TokenTree::Ident(id) if id == "crate" => {
                    if let (
                        Some(proc_macro2::TokenTree::Punct(a)),
                        Some(proc_macro2::TokenTree::Punct(b)),
                        Some(proc_macro2::TokenTree::Ident(next)),
                    ) = (trees.get(i + 1), trees.get(i + 2), trees.get(i + 3))
                    {
                        if a.as_char() == ':' && b.as_char() == ':' {
                            self.segments(&["crate".into(), next.to_string()]);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

impl<'ast> Visit<'ast> for References<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs: &[syn::Attribute] = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            syn::Item::Trait(t) => &t.attrs,
            syn::Item::Type(t) => &t.attrs,
            _ => &[],
        };
        if is_test_only(attrs) {
            return;
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.segments(&segments);
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if !matches!(name.as_str(), "quote" | "quote_spanned" | "parse_quote") {
            self.macro_tokens(mac.tokens.clone());
        }
        syn::visit::visit_macro(self, mac);
    }
}

/// The names lib.rs re-exports (`pub use m::{A, B}`), with the module each comes from.
fn reexports(known: &BTreeSet<String>) -> BTreeMap<String, String> {
    fn walk(tree: &syn::UseTree, module: Option<&str>, out: &mut BTreeMap<String, String>) {
        match tree {
            syn::UseTree::Path(p) => {
                let first = module.map_or_else(|| p.ident.to_string(), str::to_string);
                walk(&p.tree, Some(&first), out);
            }
            syn::UseTree::Name(n) => {
                if let Some(m) = module {
                    out.insert(n.ident.to_string(), m.to_string());
                }
            }
            syn::UseTree::Rename(r) => {
                if let Some(m) = module {
                    out.insert(r.rename.to_string(), m.to_string());
                }
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, module, out)),
            syn::UseTree::Glob(_) => {}
        }
    }
    let text = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let file = syn::parse_file(&text).unwrap();
    let mut out = BTreeMap::new();
    for item in &file.items {
        if let syn::Item::Use(u) = item {
            walk(&u.tree, None, &mut out);
        }
    }
    out.retain(|_, m| known.contains(m));
    out
}

/// (from, to) → the files where `from` uses `to`.
fn edges() -> BTreeMap<(String, String), BTreeSet<String>> {
    let modules = modules();
    let known: BTreeSet<String> = modules.iter().map(|m| m.name.clone()).collect();
    let exported = reexports(&known);
    let src = root().join("src");
    let mut edges: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for module in &modules {
        for file in &module.files {
            let text = std::fs::read_to_string(file).unwrap();
            let parsed =
                syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let relative = file.strip_prefix(&src).unwrap();
            // src/x.rs and src/x/mod.rs are one `super` from the root; src/x/y.rs two.
            let depth = match relative.components().count() {
                1 => 1,
                _ if relative.ends_with("mod.rs") => relative.components().count() - 1,
                n => n,
            };
            let mut refs = References {
                depth,
                known: &known,
                exported: &exported,
                found: BTreeSet::new(),
            };
            refs.visit_file(&parsed);
            for target in refs.found {
                if target != module.name {
                    edges
                        .entry((module.name.clone(), target))
                        .or_default()
                        .insert(format!("generator/src/{}", relative.display()));
                }
            }
        }
    }
    edges
}

#[test]
fn every_module_uses_only_modules_below_it() {
    let layers = layers();
    let layer_of: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, layer)| layer.iter().map(move |m| (m.as_str(), i)))
        .collect();
    let edges = edges();
    if std::env::var_os("ARCHITECTURE_GRAPH").is_some() {
        for ((from, to), files) in &edges {
            println!(
                "{from} -> {to}   ({})",
                files.iter().cloned().collect::<Vec<_>>().join(", ")
            );
        }
    }
    let mut problems = Vec::new();
    for module in modules() {
        if !layer_of.contains_key(module.name.as_str()) {
            problems.push(format!(
                "generator/src/{}: a module ARCHITECTURE.md's layers do not place",
                module.name
            ));
        }
    }
    for ((from, to), files) in &edges {
        let (Some(&a), Some(&b)) = (layer_of.get(from.as_str()), layer_of.get(to.as_str())) else {
            continue;
        };
        if b >= a {
            for file in files {
                problems.push(format!(
                    "{file}: `{from}` (layer {a}) uses `{to}` (layer {b}): a module may use only modules of a lower layer"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn every_module_has_one_place_in_the_layers() {
    let mut seen = BTreeMap::new();
    for (i, layer) in layers().iter().enumerate() {
        for module in layer {
            if let Some(before) = seen.insert(module.clone(), i) {
                panic!("`{module}` is in layers {before} and {i} of ARCHITECTURE.md");
            }
        }
    }
    let existing: BTreeSet<String> = modules().into_iter().map(|m| m.name).collect();
    for module in seen.keys() {
        assert!(
            existing.contains(module),
            "ARCHITECTURE.md places `{module}`, which generator/src does not have"
        );
    }
}
