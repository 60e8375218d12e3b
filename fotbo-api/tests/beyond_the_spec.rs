//! What the server sends beyond the spec is kept (`Response::extra`, `body`) and recorded
//! (`ClientBuilder::record_wire`): undeclared fields, nested undeclared objects, values of
//! another type. The fields used are named so that no spec declares them; the operation is
//! reached through the typed mocks.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

use std::collections::BTreeSet;

use fotbo_api::mock::{MockServer, MockServerExt};
use fotbo_api::{Client, RetryPolicy};
use serde_json::{json, Value};

const SECRET: &str = "s3cr3t-value-never-recorded";

fn client(server: &MockServer, record: Option<&std::path::Path>) -> Client {
    let mut builder = Client::builder()
        .token("test-token")
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::disabled());
    if let Some(path) = record {
        builder = builder.record_wire(path);
    }
    builder.build().expect("client")
}

/// An instance as a newer server might send it: a field of another type (`id` a number),
/// an undeclared field, and an undeclared object with a list inside.
fn answer() -> Value {
    json!({
        "id": 4242,
        "name": "web-1",
        "zz_undeclared_note": SECRET,
        "zz_undeclared_owner": {"email": "ops@example.com", "keys": [{"fingerprint": SECRET, "bits": 4096}]}
    })
}

fn mock_retrieve(server: &MockServer) {
    server.instances_retrieve(|when, then| {
        when.instance_id("i-1");
        then.into_inner().status(200).json_body(answer());
    });
}

#[tokio::test]
async fn undeclared_fields_are_kept_and_recorded_by_pattern_and_kind_never_by_value() {
    let server = MockServer::start_async().await;
    mock_retrieve(&server);
    let dir = tempfile::tempdir().expect("dir");
    let record = dir.path().join("wire.jsonl");
    let client = client(&server, Some(&record));

    let response = client
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .expect("the call succeeds");
    // The body as sent.
    let sent: Value = serde_json::from_slice(response.body()).expect("json");
    assert_eq!(sent, answer());
    // The misfit is a mismatch, the undeclared fields are extra: nothing is lost.
    assert!(
        response.mismatches().iter().any(|m| m.pointer == "/id"),
        "{:?}",
        response.mismatches()
    );
    let extra: Vec<(String, Value)> = response
        .extra()
        .into_iter()
        .map(|e| (e.pointer, e.value))
        .collect();
    assert!(
        extra.contains(&("/zz_undeclared_note".into(), json!(SECRET))),
        "{extra:?}"
    );
    assert!(
        extra.contains(&(
            "/zz_undeclared_owner".into(),
            answer()["zz_undeclared_owner"].clone()
        )),
        "{extra:?}"
    );
    assert!(
        !extra.iter().any(|(p, _)| p == "/id"),
        "a mismatch is not also extra"
    );

    let text = std::fs::read_to_string(&record).expect("the record is written");
    assert!(
        !text.contains(SECRET) && !text.contains("ops@example.com") && !text.contains("test-token")
    );
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let seen: BTreeSet<(String, String, String)> = lines
        .iter()
        .map(|l| {
            (
                l["pointer"].as_str().unwrap().to_string(),
                l["spec"].as_str().unwrap().to_string(),
                l["came"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (pointer, came) in [
        ("/zz_undeclared_note", "string"),
        ("/zz_undeclared_owner", "object"),
        ("/zz_undeclared_owner/email", "string"),
        ("/zz_undeclared_owner/keys", "array"),
        ("/zz_undeclared_owner/keys/*", "object"),
        ("/zz_undeclared_owner/keys/*/bits", "integer"),
    ] {
        assert!(
            seen.contains(&(pointer.into(), "absent".into(), came.into())),
            "{pointer}: {text}"
        );
    }
    assert!(
        seen.iter()
            .any(|(p, spec, came)| p == "/id" && spec != "absent" && came == "integer"),
        "{text}"
    );
    assert!(lines
        .iter()
        .all(|l| l["operation"] == "instances_retrieve" && l["day"].is_string()));

    // Seen again: not written again.
    client
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .expect("again");
    assert_eq!(std::fs::read_to_string(&record).expect("record"), text);
}

#[tokio::test]
async fn fifty_calls_at_once_leave_whole_lines_and_no_duplicates() {
    let server = MockServer::start_async().await;
    mock_retrieve(&server);
    let dir = tempfile::tempdir().expect("dir");
    let record = dir.path().join("wire.jsonl");
    // Several clients on one file, many calls each at once.
    let clients: Vec<Client> = (0..5).map(|_| client(&server, Some(&record))).collect();
    let calls = (0..50).map(|i| {
        let client = clients[i % clients.len()].clone();
        tokio::spawn(async move { client.instances_retrieve().instance_id("i-1").send().await })
    });
    for call in futures::future::join_all(calls).await {
        call.expect("joined").expect("every call succeeds");
    }
    let text = std::fs::read_to_string(&record).expect("record");
    let lines: Vec<&str> = text.lines().collect();
    let unique: BTreeSet<&str> = lines.iter().copied().collect();
    assert_eq!(unique.len(), lines.len(), "written once each:\n{text}");
    for line in &lines {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("a torn line {line:?}: {e}"));
    }
    assert!(text.ends_with('\n'));
}

#[tokio::test]
async fn a_record_that_cannot_be_written_never_fails_a_call() {
    let server = MockServer::start_async().await;
    mock_retrieve(&server);
    let dir = tempfile::tempdir().expect("dir");
    // A directory where the file should be, and a path under a file.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").expect("file");
    for path in [dir.path().to_path_buf(), blocker.join("wire.jsonl")] {
        let client = client(&server, Some(&path));
        for _ in 0..2 {
            let response = client
                .instances_retrieve()
                .instance_id("i-1")
                .send()
                .await
                .expect("the call succeeds all the same");
            assert!(!response.extra().is_empty());
        }
    }
}

#[tokio::test]
async fn without_a_record_or_a_listener_nothing_is_read_twice_but_extra_still_answers() {
    let server = MockServer::start_async().await;
    mock_retrieve(&server);
    let response = client(&server, None)
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .expect("call");
    assert_eq!(response.extra().len(), 2, "{:?}", response.extra());
}
