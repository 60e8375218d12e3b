//! Servers that misbehave on purpose, over raw TCP where a well-behaved HTTP library could not
//! misbehave enough. Each test names the one way a server or a network goes wrong and what the
//! client must do. No test names an operation of the spec: requests go through
//! `Client::request`, and bodies through `decode::decode_body` with types of the test's own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fotbo_api::{Client, Error, Method, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server read it: its head (request line and headers) and body.
#[derive(Debug, Clone)]
struct Seen {
    head: String,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// Reads one request from the connection; None when the client closed it.
async fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut seen = Seen {
        head,
        body: buffer[head_end..].to_vec(),
    };
    let length: usize = seen
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while seen.body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        seen.body.extend_from_slice(&chunk[..n]);
    }
    Some(seen)
}

/// A response with a body and `Content-Length`, keeping the connection open.
fn answer(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\n", body.len());
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// What the server does with one request: the bytes to answer, or None to close the
/// connection without a word. Called with the connection's number and the request's number
/// on that connection (both from 0).
type Behaviour = dyn Fn(usize, usize, &Seen) -> Option<Vec<u8>> + Send + Sync;

/// A server on 127.0.0.1 that behaves as told; its base URL and every request it read.
async fn server(behaviour: Arc<Behaviour>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        let connections = AtomicUsize::new(0);
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let connection = connections.fetch_add(1, Ordering::SeqCst);
            let (behaviour, log) = (behaviour.clone(), log.clone());
            tokio::spawn(async move {
                let mut number = 0;
                while let Some(request) = read_request(&mut stream).await {
                    log.lock().unwrap().push(request.clone());
                    match behaviour(connection, number, &request) {
                        Some(bytes) => {
                            if stream.write_all(&bytes).await.is_err() {
                                return;
                            }
                        }
                        // Read the request, then close without answering.
                        None => return,
                    }
                    number += 1;
                }
            });
        }
    });
    (url, seen)
}

fn client(url: &str) -> Client {
    Client::builder()
        .token("t")
        .base_url(url)
        .retry_policy(RetryPolicy {
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

const OK: &[u8] = br#"{"ok": true}"#;

#[tokio::test]
async fn a_get_on_a_kept_alive_connection_the_server_closed_is_retried_a_post_is_not() {
    // The first connection answers one request and closes on the next, having read it: the
    // race of a pooled connection closed by the server just as the client reuses it.
    let behaviour: Arc<Behaviour> = Arc::new(|connection, number, _| {
        (connection > 0 || number == 0).then(|| answer("200 OK", &[], OK))
    });
    let (url, seen) = server(behaviour.clone()).await;
    let c = client(&url);
    c.request(Method::GET, "/warm").send().await.unwrap();
    let got = c.request(Method::GET, "/items").send().await.unwrap();
    assert_eq!(got.body.as_ref(), OK);
    let paths: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|s| s.head.lines().next().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "GET /warm HTTP/1.1",
            "GET /items HTTP/1.1",
            "GET /items HTTP/1.1"
        ],
        "the GET was sent again on a new connection"
    );

    // A POST met the same way was sent once: repeating it could create twice.
    let (url, seen) = server(behaviour).await;
    let c = client(&url);
    c.request(Method::GET, "/warm").send().await.unwrap();
    let e = c
        .request(Method::POST, "/items")
        .json(&serde_json::json!({"name": "x"}))
        .send()
        .await
        .unwrap_err();
    assert_eq!(seen.lock().unwrap().len(), 2, "POST sent once");
    assert!(matches!(e, Error::Transport { .. }), "{e:?}");
    assert!(e.is_retryable(), "the failure itself is transient: {e}");
    let shown = e.to_string();
    assert!(shown.starts_with("POST /items (request): "), "{shown}");
    assert!(
        shown.contains("closed before the answer arrived"),
        "{shown}"
    );
}

/// Every control character class a terminal or a log would act on.
const HOSTILE: &str = "\u{1b}[2J\u{1b}[32mOK\u{7}\u{0}\u{9b}31m\u{7f}\u{2028}\u{202e}";

fn has_controls(text: &str) -> bool {
    text.chars().any(|c| {
        c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

#[tokio::test]
async fn control_characters_from_the_server_are_escaped_wherever_they_are_shown() {
    let detail = serde_json::json!({ "detail": format!("denied {HOSTILE}") }).to_string();
    let fields =
        serde_json::json!({ format!("na{HOSTILE}me"): [format!("bad {HOSTILE}")] }).to_string();
    let html = format!("<html><h1>502 {HOSTILE}</h1></html>");
    let bodies: Vec<(&str, &str, String)> = vec![
        ("403 Forbidden", "application/json", detail),
        ("400 Bad Request", "application/json", fields),
        ("502 Bad Gateway", "text/html", html.clone()),
        ("200 OK", "text/html", html),
    ];
    for (status, kind, body) in bodies {
        let raw = body.clone().into_bytes();
        let behaviour: Arc<Behaviour> = Arc::new(move |_, _, _| {
            Some(answer(status, &[("content-type", kind)], raw.as_slice()))
        });
        let (url, _) = server(behaviour).await;
        let c = client(&url);
        let e = match c.request(Method::POST, "/x").send().await {
            Err(e) => e,
            // A success that is not JSON: decoding it is where the text shows.
            Ok(got) => got.json().unwrap_err(),
        };
        let (shown, debug) = (e.to_string(), format!("{e:?}"));
        assert!(!has_controls(&shown), "{status}: {shown:?}");
        assert!(!has_controls(&debug), "{status}: {debug:?}");
        assert!(
            shown.contains("\\u{1b}[2J"),
            "{status}: visibly escaped: {shown}"
        );
        // The raw body stays as it came, for whoever asks.
        let kept = match &e {
            Error::Api(api) => api.body.clone(),
            Error::Decode(d) => d.body.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(kept.as_ref(), body.as_bytes());
    }
}

#[tokio::test]
async fn a_number_no_type_holds_is_a_mismatch_at_its_pointer_not_an_unreadable_body() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        size: Option<f64>,
        count: Option<i64>,
    }
    #[derive(Debug, serde::Deserialize)]
    struct Page {
        objects: Vec<Item>,
    }
    let huge = "7".repeat(5_000);
    let body = format!(
        r#"{{"objects": [{{"id": "a", "size": 1e400, "count": {huge}}}, {{"id": "b", "size": 2.5, "count": 123456789012345678901234567890}}]}}"#
    );
    let (page, mismatches) =
        fotbo_api::decode::decode_body::<Page>(body.as_bytes(), "items_list", false).unwrap();
    assert_eq!(page.objects.len(), 2, "the body decoded");
    assert_eq!(page.objects[1].size, Some(2.5));
    let mut pointers: Vec<&str> = mismatches.iter().map(|m| m.pointer.as_str()).collect();
    pointers.sort();
    assert_eq!(
        pointers,
        ["/objects/0/count", "/objects/0/size", "/objects/1/count"],
        "{mismatches:?}"
    );
    let size = mismatches
        .iter()
        .find(|m| m.pointer == "/objects/0/size")
        .unwrap();
    assert!(size.expected.contains("out of range"), "{}", size.expected);
    assert_eq!(size.found, serde_json::json!("1e400"), "its text kept");

    // Strict: an error that says where, never "not JSON".
    let e =
        fotbo_api::decode::decode_body::<Page>(body.as_bytes(), "items_list", true).unwrap_err();
    let shown = e.to_string();
    assert!(
        shown.contains("at /objects/0/size: number out of range: 1e400"),
        "{shown}"
    );
    assert!(!shown.contains("not JSON"), "{shown}");

    // Over the wire too, untyped: the number arrives as its text.
    let raw = body.into_bytes();
    let behaviour: Arc<Behaviour> = Arc::new(move |_, _, _| Some(answer("200 OK", &[], &raw)));
    let (url, _) = server(behaviour).await;
    let value = client(&url)
        .request(Method::GET, "/items")
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(value["objects"][0]["size"], "1e400");
}

#[tokio::test]
async fn transport_errors_name_the_operation() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = Client::builder()
        .token("t")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let e = c
        .request(Method::GET, "/backend/api/things")
        .send()
        .await
        .unwrap_err();
    let shown = e.to_string();
    assert!(
        shown.starts_with("GET /backend/api/things (request): http://127.0.0.1:"),
        "{shown}"
    );
    assert!(shown.contains("cannot connect"), "{shown}");
    assert!(matches!(
        e,
        Error::Transport {
            operation: Some(_),
            ..
        }
    ));
}

#[tokio::test]
async fn an_errors_debug_shows_the_bodys_length_and_an_excerpt_not_the_body() {
    let page = format!("<html>{}</html>", "x".repeat(1 << 20));
    let raw = page.into_bytes();
    let behaviour: Arc<Behaviour> = Arc::new(move |_, _, _| {
        Some(answer(
            "500 Internal Server Error",
            &[("content-type", "text/html")],
            &raw,
        ))
    });
    let (url, _) = server(behaviour).await;
    let e = client(&url)
        .request(Method::GET, "/x")
        .send()
        .await
        .unwrap_err();
    let debug = format!("{e:?}");
    assert!(debug.len() < 2_000, "{} bytes of Debug", debug.len());
    assert!(debug.contains("<16384 bytes: \"<html>xxx"), "{debug}");
    let Error::Api(api) = &e else { panic!("{e:?}") };
    assert_eq!(
        api.body.len(),
        16 * 1024,
        "the first 16 KiB are kept, whole"
    );
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test]
async fn answers_are_asked_for_compressed_and_the_limit_holds_on_the_inflated_size() {
    let items: Vec<serde_json::Value> = (0..1_000)
        .map(|i| serde_json::json!({"id": format!("i-{i}"), "name": format!("web-{i}"), "status": "active"}))
        .collect();
    let page = serde_json::json!({"objects": items})
        .to_string()
        .into_bytes();
    let packed = gzip(&page);
    let behaviour: Arc<Behaviour> = Arc::new(move |_, _, request| {
        let accepts = request
            .header("accept-encoding")
            .is_some_and(|v| v.contains("gzip"));
        Some(if accepts {
            answer("200 OK", &[("content-encoding", "gzip")], &packed)
        } else {
            answer("200 OK", &[], &page)
        })
    });
    let (url, seen) = server(behaviour).await;
    let got = client(&url)
        .request(Method::GET, "/items")
        .send()
        .await
        .unwrap();
    assert_eq!(got.json().unwrap()["objects"][999]["id"], "i-999");
    assert!(seen.lock().unwrap()[0]
        .header("accept-encoding")
        .is_some_and(|v| v.contains("gzip")));

    // 64 MiB of JSON spaces, 64 KiB compressed: the limit counts what it inflates to.
    let bomb = gzip(&vec![b' '; 64 << 20]);
    assert!(bomb.len() < 256 << 10, "{}", bomb.len());
    let behaviour: Arc<Behaviour> =
        Arc::new(move |_, _, _| Some(answer("200 OK", &[("content-encoding", "gzip")], &bomb)));
    let (url, _) = server(behaviour).await;
    let c = Client::builder()
        .token("t")
        .base_url(&url)
        .max_response_body(1 << 20)
        .build()
        .unwrap();
    let e = c.request(Method::GET, "/bomb").send().await.unwrap_err();
    assert!(
        matches!(e, Error::BodyTooLarge { limit, .. } if limit == 1 << 20),
        "{e:?}"
    );
    assert!(
        e.to_string().contains("larger than the 1048576-byte limit"),
        "{e}"
    );
}
