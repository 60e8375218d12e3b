//! Operations without an `operationId`.
//!
//! The published Fotbo file has none, and progenitor names every method after it. This rule
//! derives stable snake_case names from method and path in the convention of Fleio's own
//! framework (Django REST framework routers), so the names read like the server's:
//!
//! | request | name |
//! |---|---|
//! | `GET …/instances` | `instances_list` |
//! | `POST …/instances` | `instances_create` |
//! | `GET/PUT/PATCH/DELETE …/instances/{id}` | `instances_retrieve` / `_update` / `_partial_update` / `_destroy` |
//! | `POST …/instances/{id}/reboot` | `instances_reboot` |
//! | `GET …/instances/create_options` | `instances_create_options` |
//! | `GET` and `POST` on one action path | `instances_rescue_retrieve` and `instances_rescue` |
//!
//! Names depend on method and path only — never on summaries — so rewording the docs upstream
//! never renames a method. Existing operationIds are kept, unless they make the same Rust
//! method or builder name as another (`getUser`, `get_user`, `GetUser` and `get-user` all
//! make `get_user`) or as one of the client's own methods (`new`, `client`, `inner` …): then
//! the later one gets a numeric suffix. Two derived names that collide are both lengthened with the path segments before
//! them, then with the method, then numbered, so the outcome does not depend on file order.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::{Log, Rule};
use crate::document::{token, METHODS};

pub(crate) const RULE: Rule = Rule {
    name: "derive-operation-ids",
    repairs: "operations without an operationId (progenitor names methods after it), or with a repeated one",
    apply,
    when: super::always,
};

/// Methods the generated client has of its own: an operation of that name would collide.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "new_with_client",
    "baseurl",
    "client",
    "api_version",
    "inner",
];

/// The names progenitor makes of an operationId: the method (snake case) and the builder
/// (Pascal case), the latter tagged so the two never match each other.
fn generated_names(id: &str) -> [String; 2] {
    use heck::ToPascalCase;
    let snake = super::rust_snake_name(id);
    let pascal = snake.to_pascal_case();
    [snake, format!("builder:{pascal}")]
}

fn is_taken(taken: &BTreeSet<String>, id: &str) -> bool {
    generated_names(id).iter().any(|n| taken.contains(n))
}

fn claim(taken: &mut BTreeSet<String>, id: &str) {
    taken.extend(generated_names(id));
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

fn ident(segment: &str) -> String {
    let mut out = String::new();
    for c in segment.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn verb(method: &str, detail: bool) -> &'static str {
    match (method, detail) {
        ("get", false) => "list",
        ("post", _) => "create",
        ("get", true) => "retrieve",
        ("put", _) => "update",
        ("patch", _) => "partial_update",
        ("delete", _) => "destroy",
        ("head", _) => "head",
        ("options", _) => "options",
        _ => "trace",
    }
}

/// A derived name as the resource part and the rest, so that collisions can lengthen the
/// resource part with the segments before it.
struct Derived {
    /// Literal path segments before the resource, nearest last.
    before: Vec<String>,
    resource: String,
    rest: String,
}

impl Derived {
    fn name(&self, extra: usize) -> String {
        let start = self.before.len().saturating_sub(extra);
        let mut parts: Vec<&str> = self.before[start..].iter().map(String::as_str).collect();
        parts.push(&self.resource);
        if !self.rest.is_empty() {
            parts.push(&self.rest);
        }
        parts.retain(|p| !p.is_empty());
        if parts.is_empty() {
            "root".to_string()
        } else {
            parts.join("_")
        }
    }
}

/// Derives the name of `method path`. `paths` is every path of the document (without trailing
/// slashes), `methods_here` the methods declared on this path.
fn derive(
    path: &str,
    method: &str,
    prefix_len: usize,
    paths: &BTreeSet<String>,
    methods_here: usize,
) -> Derived {
    let segs = segments(path);
    let segs = &segs[prefix_len.min(segs.len())..];
    let literal_before = |i: usize| {
        segs[..i]
            .iter()
            .filter(|s| !is_param(s))
            .map(|s| ident(s))
            .collect::<Vec<_>>()
    };
    if let Some(first_param) = segs.iter().position(|s| is_param(s)) {
        // resource/{id}[/action…[/{id2}]]
        let resource_at = first_param.saturating_sub(1);
        let resource = if first_param == 0 {
            String::new()
        } else {
            ident(segs[resource_at])
        };
        let after = &segs[first_param + 1..];
        let action: Vec<String> = after
            .iter()
            .filter(|s| !is_param(s))
            .map(|s| ident(s))
            .collect();
        let ends_with_param = after.last().is_some_and(|s| is_param(s));
        let rest = if action.is_empty() || ends_with_param {
            let mut r = action.join("_");
            if !r.is_empty() {
                r.push('_');
            }
            r.push_str(verb(method, true));
            r
        } else if methods_here > 1 && method != "post" {
            format!("{}_{}", action.join("_"), verb(method, true))
        } else {
            action.join("_")
        };
        return Derived {
            before: literal_before(resource_at),
            resource,
            rest,
        };
    }
    // No parameter: a collection, or an action on the collection above it.
    let trimmed: Vec<&str> = segs.to_vec();
    if trimmed.len() >= 2 {
        let full = segments(path);
        let parent = format!("/{}", full[..full.len() - 1].join("/"));
        let parent_is_collection = paths.contains(&parent)
            || paths.iter().any(|p| {
                p.strip_prefix(&parent)
                    .and_then(|r| r.strip_prefix('/'))
                    .is_some_and(|r| r.starts_with('{'))
            });
        if parent_is_collection {
            let n = trimmed.len();
            let action = ident(trimmed[n - 1]);
            let rest = if methods_here > 1 && method != "post" {
                format!("{action}_{}", verb(method, true))
            } else {
                action
            };
            return Derived {
                before: literal_before(n - 2),
                resource: ident(trimmed[n - 2]),
                rest,
            };
        }
    }
    let n = trimmed.len();
    Derived {
        before: if n > 0 {
            literal_before(n - 1)
        } else {
            Vec::new()
        },
        resource: trimmed.last().map(|s| ident(s)).unwrap_or_default(),
        rest: verb(method, false).to_string(),
    }
}

fn apply(doc: &mut Value, log: &mut Log) {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return;
    };
    let all: BTreeSet<String> = paths
        .keys()
        .map(|p| p.trim_end_matches('/').to_string())
        .collect();
    // The literal segments every path starts with (`backend/api` for Fotbo) say nothing.
    let literal: Vec<Vec<&str>> = paths.keys().map(|p| segments(p)).collect();
    let mut prefix_len = literal.first().map_or(0, Vec::len);
    for segs in &literal {
        let common = literal[0]
            .iter()
            .zip(segs)
            .take_while(|(a, b)| a == b && !is_param(a))
            .count();
        prefix_len = prefix_len.min(common);
    }
    // Never strip a path down to nothing.
    prefix_len = prefix_len.min(
        literal
            .iter()
            .map(|s| s.len().saturating_sub(1))
            .min()
            .unwrap_or(0),
    );

    // The generated names already in use (see `generated_names`).
    let mut existing: BTreeSet<String> = BTreeSet::new();
    for name in CLIENT_METHODS {
        claim(&mut existing, name);
    }
    let mut renamed: Vec<(String, String, String)> = Vec::new(); // (path, method, new id)
    let mut derived: Vec<(String, String, Derived)> = Vec::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        let methods_here = item
            .keys()
            .filter(|k| METHODS.contains(&k.as_str()))
            .count();
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) || !op.is_object() {
                continue;
            }
            match op
                .get("operationId")
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
            {
                Some(id) if !is_taken(&existing, id) => claim(&mut existing, id),
                Some(id) => {
                    let mut n = 2;
                    while is_taken(&existing, &format!("{id}_{n}")) {
                        n += 1;
                    }
                    let new = format!("{id}_{n}");
                    claim(&mut existing, &new);
                    renamed.push((path.clone(), method.clone(), new));
                }
                None => derived.push((
                    path.clone(),
                    method.clone(),
                    derive(path, method, prefix_len, &all, methods_here),
                )),
            }
        }
    }

    // Resolve collisions among derived names (and with existing ones) by lengthening.
    let mut extra = vec![0usize; derived.len()];
    loop {
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, (_, _, d)) in derived.iter().enumerate() {
            by_name.entry(d.name(extra[i])).or_default().push(i);
        }
        let mut changed = false;
        for (name, group) in &by_name {
            if group.len() > 1 || is_taken(&existing, name) {
                for &i in group {
                    if extra[i] < derived[i].2.before.len() {
                        extra[i] += 1;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut taken = existing;
    let mut names: Vec<String> = derived
        .iter()
        .enumerate()
        .map(|(i, (_, _, d))| d.name(extra[i]))
        .collect();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for n in &names {
        *counts.entry(n.clone()).or_default() += 1;
    }
    for (i, (_, method, _)) in derived.iter().enumerate() {
        if counts[&names[i]] > 1 || is_taken(&taken, &names[i]) {
            names[i] = format!("{}_{method}", names[i]);
        }
        let base = names[i].clone();
        let mut n = 2;
        while is_taken(&taken, &names[i]) {
            names[i] = format!("{base}_{n}");
            n += 1;
        }
        claim(&mut taken, &names[i]);
    }

    let assignments = renamed
        .into_iter()
        .map(|(p, m, id)| {
            (
                p,
                m,
                id,
                "renamed: the operationId makes the same Rust name as another, or as a client method",
            )
        })
        .chain(
            derived
                .into_iter()
                .zip(names)
                .map(|((p, m, _), id)| (p, m, id, "derived")),
        );
    for (path, method, id, why) in assignments {
        let pointer = format!("/paths/{}/{method}/operationId", token(&path));
        if let Some(op) = doc
            .pointer_mut(&format!("/paths/{}/{method}", token(&path)))
            .and_then(Value::as_object_mut)
        {
            log.fired(&pointer, format!("{why}: `{id}`"));
            op.insert("operationId".into(), json!(id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::testing::run;

    fn ids(paths: Value) -> BTreeMap<String, String> {
        let (out, _) = run(&RULE, json!({ "paths": paths }));
        let mut ids = BTreeMap::new();
        for (path, item) in out["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                ids.insert(
                    format!("{} {path}", method.to_uppercase()),
                    op["operationId"].as_str().unwrap().to_string(),
                );
            }
        }
        ids
    }

    #[test]
    fn names_follow_the_drf_convention() {
        let i = "/backend/api/openstack/instances";
        let ids = ids(json!({
            i: {"get": {}, "post": {}},
            format!("{i}/create_options"): {"get": {}},
            format!("{i}/{{instance_id}}/reboot"): {"post": {}},
            format!("{i}/{{instance_id}}/rescue"): {"get": {}, "post": {}},
            format!("{i}/{{instance_id}}"): {"delete": {}, "get": {}, "put": {}, "patch": {}},
            format!("{i}/{{instance_id}}/tag/{{tag_id}}"): {"delete": {}},
            "/backend/api/openstack/regions": {"get": {}},
            "/backend/api/pkm/{pkm_id}": {"put": {}},
        }));
        let expect = [
            ("GET /backend/api/openstack/instances", "instances_list"),
            ("POST /backend/api/openstack/instances", "instances_create"),
            (
                "GET /backend/api/openstack/instances/create_options",
                "instances_create_options",
            ),
            (
                "POST /backend/api/openstack/instances/{instance_id}/reboot",
                "instances_reboot",
            ),
            (
                "GET /backend/api/openstack/instances/{instance_id}/rescue",
                "instances_rescue_retrieve",
            ),
            (
                "POST /backend/api/openstack/instances/{instance_id}/rescue",
                "instances_rescue",
            ),
            (
                "GET /backend/api/openstack/instances/{instance_id}",
                "instances_retrieve",
            ),
            (
                "PUT /backend/api/openstack/instances/{instance_id}",
                "instances_update",
            ),
            (
                "PATCH /backend/api/openstack/instances/{instance_id}",
                "instances_partial_update",
            ),
            (
                "DELETE /backend/api/openstack/instances/{instance_id}",
                "instances_destroy",
            ),
            (
                "DELETE /backend/api/openstack/instances/{instance_id}/tag/{tag_id}",
                "instances_tag_destroy",
            ),
            ("GET /backend/api/openstack/regions", "regions_list"),
            ("PUT /backend/api/pkm/{pkm_id}", "pkm_update"),
        ];
        for (op, id) in expect {
            assert_eq!(ids[op], id, "{op}");
        }
    }

    #[test]
    fn collisions_are_lengthened_and_existing_ids_kept() {
        let ids = ids(json!({
            "/api/billing/summary": {"get": {}},
            "/api/openstack/summary": {"get": {}},
            "/api/things": {"get": {"operationId": "listThings"}, "post": {"operationId": "listThings"}},
        }));
        assert_eq!(ids["GET /api/billing/summary"], "billing_summary_list");
        assert_eq!(ids["GET /api/openstack/summary"], "openstack_summary_list");
        assert_eq!(ids["GET /api/things"], "listThings");
        assert_eq!(ids["POST /api/things"], "listThings_2");
    }

    #[test]
    fn names_ignore_prose_and_are_stable() {
        let a =
            ids(json!({"/x/items": {"get": {"summary": "List"}}, "/x/items/{id}": {"get": {}}}));
        let b = ids(
            json!({"/x/items": {"get": {"summary": "Renamed upstream"}}, "/x/items/{id}": {"get": {}}}),
        );
        assert_eq!(a, b);
        assert_eq!(a["GET /x/items"], "items_list");
    }

    #[test]
    fn ids_that_make_the_same_rust_name_or_a_client_method_are_suffixed() {
        let ids = ids(json!({
            "/a": {"get": {"operationId": "getUser"}, "post": {"operationId": "get_user"}},
            "/b": {"get": {"operationId": "GetUser"}, "put": {"operationId": "get-user"}},
            "/c": {"get": {"operationId": "new"}, "put": {"operationId": "client"}},
            "/d": {"get": {"operationId": "inner"}},
        }));
        assert_eq!(ids["GET /a"], "getUser");
        assert_eq!(ids["POST /a"], "get_user_2");
        assert_eq!(ids["GET /b"], "GetUser_3");
        assert_eq!(ids["PUT /b"], "get-user_4");
        assert_eq!(ids["GET /c"], "new_2");
        assert_eq!(ids["PUT /c"], "client_2");
        assert_eq!(ids["GET /d"], "inner_2");
    }
}
