//! The hand-written runtime against a mock Fotbo on 127.0.0.1: authentication, retries,
//! error decoding, pagination, waiting, forward compatibility.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

mod common;

use std::time::{Duration, Instant};

use common::*;
use fotbo_api::{
    ApiMessage, Client, Error, InstanceStatus, PagedRequest, PollOptions, RetryPolicy,
};
use futures::TryStreamExt;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const INSTANCE: &str = "/backend/api/openstack/instances/i-1";
const INSTANCES: &str = "/backend/api/openstack/instances";

fn instance(status: &str) -> Value {
    json!({"id": "i-1", "name": "web-1", "status": status, "display_status": "Running"})
}

// ---- authentication ----------------------------------------------------------------------

#[tokio::test]
async fn every_request_carries_the_token_and_nothing_prints_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .and(header("authorization", format!("Token {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(instance("active")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"detail": "Invalid token."})))
        .mount(&server)
        .await;
    let client = client_for(&server);
    client
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .unwrap();
    let err: Error = client
        .instances_reboot()
        .instance_id("i-1")
        .send()
        .await
        .unwrap_err();

    let builder = Client::builder().token(TOKEN);
    for text in [
        format!("{client:?}"),
        format!("{builder:?}"),
        format!("{err}"),
        format!("{err:?}"),
        format!("{:?}", std::error::Error::source(&err)),
    ] {
        assert!(!text.contains(TOKEN), "token leaked: {text}");
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let requests = server.received_requests().await.unwrap();
    assert!(requests
        .iter()
        .all(|r| r.headers.get("api-version").is_none()));
    assert!(requests.iter().all(|r| r
        .headers
        .get("user-agent")
        .is_some_and(|v| v.to_str().unwrap().starts_with("fotbo-api-rust/"))));
}

#[tokio::test]
async fn from_env_reads_token_and_url() {
    // The only test that touches the environment, so no other test races it.
    std::env::remove_var("FOTBO_TOKEN");
    let e = Client::from_env().unwrap_err();
    assert!(e.to_string().contains("FOTBO_TOKEN is not set"), "{e}");
    std::env::set_var("FOTBO_TOKEN", "env-token");
    std::env::set_var("FOTBO_API_URL", "http://127.0.0.1:1234/");
    let c = Client::from_env().unwrap();
    assert_eq!(c.base_url(), "http://127.0.0.1:1234");
    std::env::remove_var("FOTBO_API_URL");
    assert_eq!(
        Client::from_env().unwrap().base_url(),
        fotbo_api::DEFAULT_BASE_URL
    );
    std::env::remove_var("FOTBO_TOKEN");
}

// ---- retries -------------------------------------------------------------------------------

#[tokio::test]
async fn get_is_retried_after_503_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(200).set_body_json(instance("active")))
        .mount(&server)
        .await;
    let details = client_for(&server)
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(details.status.as_deref(), Some("active"));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn retry_after_is_honored() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(200).set_body_json(instance("active")))
        .mount(&server)
        .await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry_policy(RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            // Below the server's 1 s: its word, within the budget, beats the client's cap.
            max_backoff: Duration::from_millis(10),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let started = Instant::now();
    client
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .unwrap();
    // The backoff alone would have waited about a millisecond, max_backoff 10 ms.
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited only {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_beyond_the_budget_gives_up_at_once_and_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "60"))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = client_for(&server)
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(60)));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
}

#[tokio::test]
async fn the_budget_bounds_every_attempt_and_no_retry_starts_without_time_left() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(20)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry_policy(RetryPolicy {
            max_elapsed: Duration::from_secs(1),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .unwrap_err();
    // The attempt's own timeout (30 s) is cut to the 1 s budget, and no retry follows.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "{err}");
}

#[tokio::test]
async fn post_is_sent_once_even_after_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(INSTANCES))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let err: Error = client
        .instances_create()
        .body(body::<fotbo_api::types::InstancesCreateBody>(
            "instances_create",
        ))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(err.is_retryable());
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "a create must never be repeated by the client"
    );
}

#[tokio::test]
async fn gives_up_after_the_bound_and_says_how_many_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
        .mount(&server)
        .await;
    let err: Error = client_for(&server)
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
    let text = err.to_string();
    assert!(text.contains("after 4 attempts"), "{text}");
    assert!(matches!(&err, Error::Api(e) if e.attempts == 4));
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let _ = client
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported() {
    // A port nothing listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .token(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy {
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(10),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let started = Instant::now();
    let err: Error = client.regions_list().send().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
    // Three waits of at least 2.5 ms happened between the four attempts.
    assert!(started.elapsed() >= Duration::from_millis(7));
}

// ---- errors --------------------------------------------------------------------------------

/// The error a rename gets when Fotbo answers with `answer`.
async fn error_for(answer: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(answer)
        .mount(&server)
        .await;
    client_for(&server)
        .instances_rename()
        .instance_id("i-1")
        .body(body::<fotbo_api::types::InstancesRenameBody>(
            "instances_rename",
        ))
        .send()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn field_errors_are_decoded() {
    let err = error_for(
        ResponseTemplate::new(400).set_body_json(json!({"name": ["This field is required."]})),
    )
    .await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(!err.is_retryable());
    let Some(ApiMessage::Fields(fields)) = err.api_message() else {
        panic!("{err:?}")
    };
    assert_eq!(fields["name"], ["This field is required."]);
    assert_eq!(
        err.to_string(),
        "POST /backend/api/openstack/instances/{instance_id}/rename (instances_rename): HTTP 400 Bad Request: name: This field is required."
    );
}

#[tokio::test]
async fn not_found_detail_is_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"detail": "Not found."})))
        .mount(&server)
        .await;
    let err: Error = client_for(&server)
        .instances_retrieve()
        .instance_id("nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.api_message(),
        Some(&ApiMessage::Detail("Not found.".into()))
    );
    assert!(
        err.to_string().ends_with("HTTP 404 Not Found: Not found."),
        "{err}"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "404 is not retried"
    );
}

#[tokio::test]
async fn an_html_error_page_is_kept_as_text() {
    let page = "<html><head><title>500</title></head><body>Internal Server Error</body></html>";
    let err = error_for(ResponseTemplate::new(500).set_body_raw(page, "text/html")).await;
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.body.as_ref(), page.as_bytes());
    assert!(matches!(&api.message, ApiMessage::Text(t) if t.contains("Internal Server Error")));
    assert!(
        err.to_string()
            .contains("HTTP 500 Internal Server Error: non-JSON body: <html>"),
        "{err}"
    );
}

#[tokio::test]
async fn invalid_json_on_a_200_is_a_decode_error_with_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("{\"id\": \"i-1\", oops", "application/json"),
        )
        .mount(&server)
        .await;
    let err: Error = client_for(&server)
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    let (body, operation) = (&decode.body, &decode.operation);
    assert_eq!(body.as_ref(), b"{\"id\": \"i-1\", oops");
    assert_eq!(
        operation.as_ref().map(|o| o.id.as_str()),
        Some("instances_retrieve")
    );
    assert!(err.to_string().contains("the body is not JSON"), "{err}");
    assert!(err.to_string().contains("instances_retrieve"), "{err}");
    assert!(err.to_string().contains("oops"), "{err}");
}

// ---- bounds --------------------------------------------------------------------------------

#[tokio::test]
async fn a_success_body_over_the_limit_is_an_error_not_a_buffer() {
    let server = MockServer::start().await;
    let big = json!({"id": "i-1", "description": "x".repeat(64 * 1024)});
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(200).set_body_json(big))
        .mount(&server)
        .await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .max_response_body(4 * 1024)
        .build()
        .unwrap();
    let err = client
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 4096, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("larger than the 4096-byte limit"),
        "{err}"
    );
}

#[tokio::test]
async fn a_huge_error_body_is_kept_to_its_first_kibs() {
    let server = MockServer::start().await;
    let huge = json!({"detail": "y".repeat(1024 * 1024)});
    let size = serde_json::to_vec(&huge).unwrap().len();
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(500).set_body_json(huge))
        .mount(&server)
        .await;
    let err = client_for(&server)
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.body.len(), 16 * 1024);
    let shown = err.to_string();
    assert!(shown.len() < 2_000, "{} bytes of message", shown.len());
    assert!(
        shown.contains(&format!("body of {size} bytes; the first 16384 kept")),
        "{shown}"
    );
}

#[tokio::test]
async fn transport_errors_say_what_happened() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    // A redirect to itself, forever.
    Mock::given(method("GET"))
        .and(path("/backend/api/openstack/instances/loop"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", "/backend/api/openstack/instances/loop"),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("timed out before the response arrived"),
        "{err}"
    );
    let err = client
        .instances_retrieve()
        .instance_id("loop")
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("too many redirects"), "{err}");
    let err = Client::builder()
        .token(TOKEN)
        .base_url("ftp://api.fotbo.com")
        .build()
        .unwrap_err();
    assert!(
        err.to_string().contains("unsupported scheme `ftp`"),
        "{err}"
    );
}

// ---- pagination ----------------------------------------------------------------------------

fn page(ids: std::ops::Range<u32>, next: Option<u32>, total: u32) -> ResponseTemplate {
    let objects: Vec<Value> = ids
        .map(|i| json!({"id": format!("i-{i}"), "name": format!("vm-{i}"), "status": "active"}))
        .collect();
    let next =
        next.map(|n| format!("https://api.fotbo.com/backend/api/openstack/instances?page={n}"));
    ResponseTemplate::new(200).set_body_json(json!({
        "count": total, "next": next, "previous": null, "objects": objects, "totalCount": total, "pageNo": 1,
    }))
}

#[tokio::test]
async fn pagination_walks_three_pages() {
    let server = MockServer::start().await;
    for (n, ids, next) in [(1, 0..2, Some(2)), (2, 2..4, Some(3)), (3, 4..5, None)] {
        Mock::given(method("GET"))
            .and(path(INSTANCES))
            .and(query_param("page", n.to_string()))
            .and(query_param("page_size", "2"))
            // The request's own filters stay on every page.
            .and(query_param("ordering", "name"))
            .respond_with(page(ids, next, 5))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client_for(&server);
    let items: Vec<_> = client
        .instances_list()
        .ordering("name")
        .stream(2)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = items
        .iter()
        .map(|i| i.id.clone().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["i-0", "i-1", "i-2", "i-3", "i-4"]);
}

#[tokio::test]
async fn a_server_that_serves_one_page_forever_is_caught() {
    // It ignores `page`, says there are more, and gives no count: without the check,
    // collect_all would run until memory is gone.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INSTANCES))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "next": "https://api.fotbo.com/backend/api/openstack/instances?page=2",
            "objects": [{"id": "i-0"}, {"id": "i-1"}]
        })))
        .mount(&server)
        .await;
    let err = client_for(&server)
        .instances_list()
        .collect_all(2)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Pagination(_)), "{err:?}");
    assert!(err.to_string().contains("page 2 repeats page 1"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn collecting_stops_at_the_limit_with_an_error() {
    let server = MockServer::start().await;
    for (n, ids, next) in [(1, 0..2, Some(2)), (2, 2..4, Some(3)), (3, 4..5, None)] {
        Mock::given(method("GET"))
            .and(path(INSTANCES))
            .and(query_param("page", n.to_string()))
            .respond_with(page(ids, next, 5))
            .mount(&server)
            .await;
    }
    let client = client_for(&server);
    let err = client
        .instances_list()
        .collect_at_most(2, 3)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("more than 3 items"), "{err}");
    let all = client.instances_list().collect_at_most(2, 5).await.unwrap();
    assert_eq!(all.len(), 5);
}

#[tokio::test]
async fn pagination_of_an_empty_list_and_of_another_resource() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INSTANCES))
        .respond_with(page(0..0, None, 0))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/backend/api/openstack/networks"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"count": 1, "next": null, "objects": [{"name": "net"}]})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);
    let none = client.instances_list().collect_all(50).await.unwrap();
    assert!(none.is_empty());
    let nets = client.networks_list().collect_all(50).await.unwrap();
    assert_eq!(nets[0].name.as_deref(), Some("net"));
}

#[tokio::test]
async fn pagination_stops_at_the_first_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("page", "1"))
        .respond_with(page(0..2, Some(2), 4))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"detail": "Forbidden."})))
        .mount(&server)
        .await;
    let client = client_for(&server);
    // The mechanism underneath, with a page request built by hand.
    let results: Vec<Result<_, Error>> = futures::StreamExt::collect(fotbo_api::paginate(2, |p| {
        client
            .instances_list()
            .page(p.page())
            .page_size(p.page_size())
            .send()
    }))
    .await;
    assert_eq!(results.len(), 3);
    assert!(results[..2].iter().all(Result::is_ok));
    assert_eq!(
        results[2]
            .as_ref()
            .unwrap_err()
            .status()
            .map(|s| s.as_u16()),
        Some(403)
    );
}

// ---- waiting -------------------------------------------------------------------------------

fn fast(timeout: Duration) -> PollOptions {
    PollOptions {
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(20),
        factor: 2.0,
        timeout,
    }
}

#[tokio::test]
async fn waiting_reaches_active() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(200).set_body_json(instance("build")))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(200).set_body_json(instance("active")))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let details = client
        .wait_for_instance_status_with("i-1", InstanceStatus::Active, &fast(Duration::from_secs(5)))
        .await
        .unwrap();
    assert_eq!(details.status.as_deref(), Some("active"));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn waiting_times_out_with_the_last_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(instance("resize")))
        .mount(&server)
        .await;
    let err = client_for(&server)
        .wait_for_instance_status_with(
            "i-1",
            InstanceStatus::Active,
            &fast(Duration::from_millis(60)),
        )
        .await
        .unwrap_err();
    let Error::WaitTimeout { last_status, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(last_status.as_deref(), Some("resize"));
    assert!(
        err.to_string().contains("last status seen: resize"),
        "{err}"
    );
}

#[tokio::test]
async fn waiting_stops_at_once_on_error_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(instance("error")))
        .mount(&server)
        .await;
    let err = client_for(&server)
        .wait_for_instance_status_with(
            "i-1",
            InstanceStatus::Active,
            &fast(Duration::from_secs(30)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ResourceFailed { ref status, .. } if status == "error"),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

// ---- forward compatibility -----------------------------------------------------------------

#[tokio::test]
async fn unknown_fields_and_new_values_parse() {
    let server = MockServer::start().await;
    let mut body = response_sample("instances_retrieve").1.unwrap();
    body["brand_new_field"] = json!({"nested": [1, 2, 3]});
    body["status"] = json!("migrating-to-mars");
    body["traffic_type"] = json!("a value no one documented");
    body["flavor"]["new_flavor_field"] = json!(true);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let details = client_for(&server)
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(details.status.as_deref(), Some("migrating-to-mars"));
    assert_eq!(
        details.traffic_type.as_deref(),
        Some("a value no one documented")
    );
}

// ---- tracing -------------------------------------------------------------------------------

#[tokio::test]
async fn each_request_has_a_span_with_operation_status_and_attempts() {
    use tracing_subscriber::fmt::format::FmtSpan;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    // The test runtime is single-threaded, so the default subscriber sees every poll.
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(200).set_body_json(instance("active")))
        .mount(&server)
        .await;
    client_for(&server)
        .instances_retrieve()
        .instance_id("i-1")
        .send()
        .await
        .unwrap();

    let log = captured.text();
    let closed = log
        .lines()
        .find(|l| l.contains("fotbo.request") && l.contains("close"))
        .unwrap_or_else(|| panic!("{log}"));
    for field in [
        "operation=\"instances_retrieve\"",
        "method=GET",
        "path=/backend/api/openstack/instances/{instance_id}",
        "status=200",
        "attempt=2",
        "duration_ms=",
    ] {
        assert!(closed.contains(field), "{field} missing from {closed}");
    }
    assert!(!log.contains(TOKEN), "the token reached a log line");
}

// ---- uploads -------------------------------------------------------------------------------

#[tokio::test]
async fn ticket_attachments_are_uploaded_as_multipart_through_the_runtime() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/backend/api/plugins/tickets/ticket_attachments"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": 42, "file_name": "log.txt", "disk_file": "attachments/log.txt", "content_type": "text/plain",
        })))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let attachment = client
        .upload_ticket_attachment("log.txt", &b"line one\nline two\n"[..])
        .await
        .unwrap();
    assert_eq!(attachment.id, Some(42));
    let requests = server.received_requests().await.unwrap();
    let request = &requests[0];
    assert_eq!(
        request.headers.get("authorization").unwrap(),
        &format!("Token {TOKEN}")
    );
    let content_type = request
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = String::from_utf8_lossy(&request.body);
    assert!(
        body.contains("name=\"data\"; filename=\"log.txt\""),
        "{body}"
    );
    assert!(body.contains("line one\nline two\n"), "{body}");
    assert!(body.contains("name=\"file_name\""), "{body}");

    // Errors decode as for every generated method; a POST is not retried.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(503).set_body_json(json!({"detail": "Storage is busy."})),
        )
        .mount(&server)
        .await;
    let err = client_for(&server)
        .upload_ticket_attachment("a.txt", &b"x"[..])
        .await
        .unwrap_err();
    assert_eq!(
        err.api_message(),
        Some(&ApiMessage::Detail("Storage is busy.".into()))
    );
    assert!(
        err.to_string().contains("(ticket_attachments_create)"),
        "{err}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
