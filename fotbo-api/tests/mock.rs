//! The typed mocks (feature `mock`) used the way a user's test uses them: the code under test is
//! the user's own — a function that takes a `fotbo_api::Client` — and the mock server answers
//! each operation in the client's own types.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

use fotbo_api::mock::{MockServer, MockServerExt};
use fotbo_api::{results, ApiMessage, Client, Error, ListPage, PagedRequest, RetryPolicy};

// Types named through the operations that return them (`results::X`), never by the spec's
// component names: a fetched spec may call them otherwise.
type InstancesList = results::InstancesList;
type Instance = <InstancesList as ListPage>::Item;
type Started = results::InstancesStart;
use serde_json::json;

/// The user's code: start every stopped instance, return the names started.
mod fleet {
    use fotbo_api::{Client, Error, PagedRequest};

    pub async fn start_stopped(client: &Client) -> Result<Vec<String>, Error> {
        let stopped = client
            .instances_list()
            .status("stopped")
            .collect_all(50)
            .await?;
        let mut started = Vec::new();
        for instance in stopped {
            let (Some(id), name) = (instance.id, instance.name) else {
                continue;
            };
            client.instances_start().instance_id(&id).send().await?;
            started.push(name.unwrap_or(id));
        }
        Ok(started)
    }
}

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .token("test-token")
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client")
}

fn instance(id: &str, name: &str) -> Instance {
    Instance {
        id: Some(id.into()),
        name: Some(name.into()),
        status: Some("stopped".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_users_function_runs_against_typed_mocks() {
    let server = MockServer::start_async().await;
    let list = server.instances_list(|when, then| {
        when.status("stopped").page_size("50");
        then.ok(&InstancesList {
            count: Some(2),
            objects: vec![instance("i-1", "web-1"), instance("i-2", "web-2")],
            ..Default::default()
        });
    });
    let starts: Vec<_> = ["i-1", "i-2"]
        .into_iter()
        .map(|id| {
            server.instances_start(|when, then| {
                when.instance_id(id);
                then.ok(&Started {
                    detail: Some("Instance start in progress".into()),
                });
            })
        })
        .collect();

    let started = fleet::start_stopped(&client_for(&server))
        .await
        .expect("starts");

    assert_eq!(started, ["web-1", "web-2"]);
    list.assert_calls(1);
    for start in &starts {
        start.assert_calls(1);
    }
}

#[tokio::test]
async fn the_mock_matches_what_the_client_sends_and_nothing_else() {
    let server = MockServer::start_async().await;
    // Only `?status=stopped` is answered: a request without it finds no mock (httpmock: 404).
    let list = server.instances_list(|when, then| {
        when.status("stopped");
        then.ok(&InstancesList::default());
    });

    let client = client_for(&server);
    let unmatched = client.instances_list().status("active").send().await;
    assert_eq!(
        unmatched.err().and_then(|e| e.status()).map(|s| s.as_u16()),
        Some(404)
    );
    let matched = client
        .instances_list()
        .status("stopped")
        .send()
        .await
        .expect("matched");
    assert!(matched.objects.is_empty());
    list.assert_calls(1);
}

#[tokio::test]
async fn an_error_the_spec_does_not_document_goes_through_into_inner() {
    let server = MockServer::start_async().await;
    server.instances_list(|when, then| {
        when.status("stopped");
        then.ok(&InstancesList {
            objects: vec![instance("i-9", "locked-1")],
            ..Default::default()
        });
    });
    server.instances_start(|when, then| {
        when.instance_id("i-9");
        then.into_inner()
            .status(409)
            .json_body(json!({"detail": "Instance is locked"}));
    });

    let error = fleet::start_stopped(&client_for(&server))
        .await
        .expect_err("the start fails");

    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.status.as_u16(), 409);
    assert_eq!(api.operation.id, "instances_start");
    assert_eq!(api.message, ApiMessage::Detail("Instance is locked".into()));
}

#[tokio::test]
async fn mocked_pages_walk_like_the_real_ones() {
    let server = MockServer::start_async().await;
    let next = format!(
        "{}/backend/api/openstack/instances?page=2&page_size=1",
        server.base_url()
    );
    server.instances_list(|when, then| {
        // The paginator asks for page 1 by number, as for every other page.
        when.page("1").page_size("1");
        then.ok(&InstancesList {
            count: Some(2),
            next: Some(next),
            objects: vec![instance("i-1", "a")],
            ..Default::default()
        });
    });
    server.instances_list(|when, then| {
        when.page("2").page_size("1");
        then.ok(&InstancesList {
            count: Some(2),
            objects: vec![instance("i-2", "b")],
            ..Default::default()
        });
    });

    let all = client_for(&server)
        .instances_list()
        .collect_all(1)
        .await
        .expect("two pages");
    let names: Vec<_> = all.iter().filter_map(|i| i.name.as_deref()).collect();
    assert_eq!(names, ["a", "b"]);
}
