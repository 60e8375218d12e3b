//! `cargo xtask fetch` against pages served on 127.0.0.1: every page form Redoc's tools produce
//! recovers the source spec; every failure leaves spec/ byte-for-byte as it was.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use serde_json::Value;
use tiny_http::{Header, Response, Server, StatusCode};
use xtask::extract::Form;
use xtask::fetch::{fetch, FetchOptions};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

fn source() -> Value {
    serde_json::from_slice(&fixture("fotbo-mini.json")).unwrap()
}

#[derive(Clone)]
enum Route {
    Ok(&'static str, Vec<u8>),
    Status(u16),
    Redirect(&'static str),
    /// Declares more bytes than it sends.
    Truncated(Vec<u8>),
    /// Answers after this long.
    Slow(Duration),
}

/// A server on 127.0.0.1 answering each path per the routes; its base URL.
fn serve(routes: Vec<(&'static str, Route)>) -> String {
    let server = Arc::new(Server::http("127.0.0.1:0").unwrap());
    let addr = server.server_addr().to_ip().unwrap();
    let routes: BTreeMap<&str, Route> = routes.into_iter().collect();
    thread::spawn(move || {
        for request in server.incoming_requests() {
            let path = request.url().split('?').next().unwrap_or("").to_string();
            let route = routes.get(path.as_str()).cloned();
            thread::spawn(move || {
                let header =
                    |k: &str, v: &str| Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap();
                let _ = match route {
                    Some(Route::Ok(ct, body)) => request
                        .respond(Response::from_data(body).with_header(header("Content-Type", ct))),
                    Some(Route::Status(code)) => request
                        .respond(Response::from_string("nope").with_status_code(StatusCode(code))),
                    Some(Route::Redirect(to)) => request.respond(
                        Response::empty(StatusCode(302)).with_header(header("Location", to)),
                    ),
                    Some(Route::Truncated(body)) => {
                        let declared = body.len() * 2;
                        request.respond(Response::new(
                            StatusCode(200),
                            vec![header("Content-Type", "application/json")],
                            Cursor::new(body),
                            Some(declared),
                            None,
                        ))
                    }
                    Some(Route::Slow(d)) => {
                        thread::sleep(d);
                        request.respond(Response::from_string("{}"))
                    }
                    None => request.respond(
                        Response::from_string("not found").with_status_code(StatusCode(404)),
                    ),
                };
            });
        }
    });
    format!("http://{addr}")
}

/// A spec/ folder holding an active 1.0.5 spec.
fn spec_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ACTIVE"), "fotbo-1.0.5.json\n").unwrap();
    std::fs::write(dir.path().join("fotbo-1.0.5.json"), "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"old\", \"version\": \"Specification 1.0.5\"}, \"paths\": {}}\n").unwrap();
    dir
}

fn options(url: String, dir: &Path) -> FetchOptions {
    FetchOptions {
        url,
        expect_version: None,
        accept_version: false,
        timeout: Duration::from_secs(10),
        quiet: true,
        spec_dir: dir.to_path_buf(),
        max_bytes: xtask::fetch::MAX_BYTES,
    }
}

/// Every file of the folder, with its bytes.
fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn every_page_form_recovers_the_spec() {
    let base = serve(vec![
        (
            "/spec.json",
            Route::Ok("application/json", fixture("fotbo-mini.json")),
        ),
        (
            "/spec.yaml",
            Route::Ok("application/yaml", fixture("fotbo-mini.yaml")),
        ),
        (
            "/legacy/",
            Route::Ok("text/html", fixture("redoc-cli-bundle.html")),
        ),
        (
            "/redocly/",
            Route::Ok("text/html", fixture("redocly-build-docs.html")),
        ),
        (
            "/docs/spec-url.html",
            Route::Ok("text/html", fixture("redoc-spec-url.html")),
        ),
        (
            "/docs/openapi/fotbo-mini.json",
            Route::Ok("application/json", fixture("fotbo-mini.json")),
        ),
        ("/init/", Route::Ok("text/html", fixture("redoc-init.html"))),
        (
            "/specs/fotbo-mini.yaml",
            Route::Ok("text/yaml", fixture("fotbo-mini.yaml")),
        ),
        ("/moved", Route::Redirect("/legacy/")),
    ]);
    let cases = [
        ("/spec.json", Form::Json),
        ("/spec.yaml", Form::Yaml),
        ("/legacy/", Form::RedocCliBundle),
        ("/redocly/", Form::RedoclyBundle),
        ("/docs/spec-url.html", Form::Json),
        ("/init/", Form::Yaml),
        ("/moved", Form::RedocCliBundle),
    ];
    for (path, form) in cases {
        let dir = spec_dir();
        let fetched = fetch(&options(format!("{base}{path}"), dir.path()))
            .unwrap_or_else(|e| panic!("{path}: {e:#}"));
        assert_eq!(fetched.form, form, "{path}");
        assert_eq!(fetched.version, "1.0.5");
        let written = std::fs::read_to_string(dir.path().join("fotbo-1.0.5.json")).unwrap();
        let value: Value = serde_json::from_str(&written).unwrap();
        assert_eq!(
            value,
            source(),
            "{path}: recovered spec differs from the source"
        );
        assert!(written.ends_with("}\n"));
        // Key order as served.
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["openapi", "info", "servers", "tags", "paths", "components"],
            "{path}"
        );
        let provenance: Value = serde_json::from_slice(
            &std::fs::read(dir.path().join("fotbo-1.0.5.provenance.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(provenance["source_url"], format!("{base}{path}"));
        assert_eq!(
            provenance["sha256_of_served_bytes"].as_str().map(str::len),
            Some(64)
        );
        if path == "/moved" {
            assert_eq!(provenance["final_url"], format!("{base}/legacy/"));
        }
        if path == "/docs/spec-url.html" {
            assert_eq!(
                provenance["final_url"],
                format!("{base}/docs/openapi/fotbo-mini.json")
            );
        }
    }
}

#[test]
fn fetching_the_same_spec_again_changes_nothing() {
    let base = serve(vec![(
        "/spec.json",
        Route::Ok("application/json", fixture("fotbo-mini.json")),
    )]);
    let dir = spec_dir();
    fetch(&options(format!("{base}/spec.json"), dir.path())).unwrap();
    let before = contents(dir.path());
    let again = fetch(&options(format!("{base}/spec.json"), dir.path())).unwrap();
    assert!(!again.changed);
    assert_eq!(contents(dir.path()), before);
}

#[test]
fn another_version_is_refused_unless_accepted() {
    let mut newer = source();
    newer["info"]["version"] = "Specification 1.0.6".into();
    let base = serve(vec![(
        "/spec.json",
        Route::Ok("application/json", serde_json::to_vec(&newer).unwrap()),
    )]);
    let dir = spec_dir();
    let before = contents(dir.path());
    let e = fetch(&options(format!("{base}/spec.json"), dir.path())).unwrap_err();
    assert!(
        format!("{e:#}").contains("version 1.0.6, not the expected 1.0.5"),
        "{e:#}"
    );
    assert_eq!(contents(dir.path()), before);

    let mut accept = options(format!("{base}/spec.json"), dir.path());
    accept.accept_version = true;
    let fetched = fetch(&accept).unwrap();
    assert_eq!(fetched.spec_file, dir.path().join("fotbo-1.0.6.json"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ACTIVE")).unwrap(),
        "fotbo-1.0.6.json\n"
    );
    assert_eq!(
        std::fs::read(dir.path().join("fotbo-1.0.5.json")).unwrap(),
        before[&dir.path().join("fotbo-1.0.5.json")]
    );
}

#[test]
fn every_failure_leaves_spec_untouched() {
    let not_openapi = br#"{"swagger": "2.0", "info": {"version": "1.0.5"}}"#.to_vec();
    let mut huge = b"{\"openapi\": \"3.1.0\", \"x\": \"".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 300_000));
    huge.extend(b"\"}");
    let base = serve(vec![
        ("/404", Route::Status(404)),
        ("/500", Route::Status(500)),
        ("/slow", Route::Slow(Duration::from_secs(3))),
        (
            "/truncated",
            Route::Truncated(fixture("fotbo-mini.json")[..2000].to_vec()),
        ),
        (
            "/invalid",
            Route::Ok(
                "application/json",
                b"{\"openapi\": \"3.1.0\", \"paths\": {".to_vec(),
            ),
        ),
        (
            "/html",
            Route::Ok(
                "text/html",
                b"<!DOCTYPE html><html><body>Down for maintenance</body></html>".to_vec(),
            ),
        ),
        ("/swagger", Route::Ok("application/json", not_openapi)),
        ("/huge", Route::Ok("application/json", huge)),
        (
            "/loop.html",
            Route::Ok(
                "text/html",
                b"<html><body><redoc spec-url=\"loop.html\"></redoc></body></html>".to_vec(),
            ),
        ),
        ("/empty", Route::Ok("application/json", Vec::new())),
    ]);
    let cases: [(&str, &str); 11] = [
        ("/404", "HTTP 404"),
        ("/500", "HTTP 500"),
        ("/slow", "timed out"),
        ("/truncated", "truncated download (2000 of 4000 bytes)"),
        ("/invalid", "does not parse"),
        ("/html", "holds no OpenAPI spec"),
        ("/swagger", "not an OpenAPI document"),
        ("/huge", "byte limit"),
        ("/loop.html", "links are followed once"),
        ("/empty", "empty"),
        ("/unreachable", "cannot connect"),
    ];
    for (path, expected) in cases {
        let dir = spec_dir();
        let before = contents(dir.path());
        let mut opts = options(format!("{base}{path}"), dir.path());
        opts.timeout = Duration::from_secs(1);
        opts.max_bytes = 200_000;
        if path == "/unreachable" {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            opts.url = format!("http://127.0.0.1:{port}/");
        }
        let e = fetch(&opts).expect_err(path);
        let message = format!("{e:#}");
        assert!(message.contains(expected), "{path}: {message}");
        assert!(
            !message.contains('\n'),
            "{path}: the error is one line: {message}"
        );
        assert_eq!(contents(dir.path()), before, "{path}: spec/ changed");
    }
}

#[test]
fn the_spec_its_provenance_and_active_change_together_or_not_at_all() {
    let mut newer = source();
    newer["info"]["version"] = "Specification 1.0.6".into();
    let base = serve(vec![(
        "/spec.json",
        Route::Ok("application/json", serde_json::to_vec(&newer).unwrap()),
    )]);
    let dir = spec_dir();
    // A temporary file a killed fetch left behind.
    std::fs::write(
        dir.path().join(".fetch-999-0-fotbo-1.0.6.json.tmp"),
        "partial",
    )
    .unwrap();
    // The provenance cannot be put in place (a directory stands at its name): the spec was
    // already moved into place by then and must be taken back.
    let blocker = dir.path().join("fotbo-1.0.6.provenance.json");
    std::fs::create_dir(&blocker).unwrap();
    let before = contents_without_dirs(dir.path());
    let mut accept = options(format!("{base}/spec.json"), dir.path());
    accept.accept_version = true;
    let e = fetch(&accept).unwrap_err();
    assert!(format!("{e:#}").contains("nothing was changed"), "{e:#}");
    let mut expected = before.clone();
    expected.retain(|p, _| !p.to_string_lossy().contains(".fetch-"));
    assert_eq!(
        contents_without_dirs(dir.path()),
        expected,
        "same set, no temp files"
    );

    std::fs::remove_dir(&blocker).unwrap();
    fetch(&accept).unwrap();
    for name in ["fotbo-1.0.6.json", "fotbo-1.0.6.provenance.json"] {
        assert!(dir.path().join(name).is_file(), "{name}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ACTIVE")).unwrap(),
        "fotbo-1.0.6.json\n"
    );
}

#[test]
fn fetch_works_when_the_active_spec_is_missing() {
    let base = serve(vec![(
        "/spec.json",
        Route::Ok("application/json", serde_json::to_vec(&source()).unwrap()),
    )]);
    let dir = spec_dir();
    std::fs::remove_file(dir.path().join("fotbo-1.0.5.json")).unwrap();
    let fetched = fetch(&options(format!("{base}/spec.json"), dir.path())).unwrap();
    assert!(fetched.spec_file.is_file());
    std::fs::remove_file(dir.path().join("ACTIVE")).unwrap();
    std::fs::remove_file(&fetched.spec_file).unwrap();
    let fetched = fetch(&options(format!("{base}/spec.json"), dir.path())).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ACTIVE")).unwrap(),
        format!(
            "{}\n",
            fetched.spec_file.file_name().unwrap().to_string_lossy()
        )
    );
}

/// Every file of the folder (directories left out), with its bytes.
fn contents_without_dirs(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect()
}
