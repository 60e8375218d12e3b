//! What the client adds to an API call and to walking a long list, measured against the same
//! requests made by plain reqwest + the **same generated types** read with `serde_json` (what
//! a hand-written client on these types pays), and + `serde_json::Value`, in the same run,
//! against a server on 127.0.0.1 started here. The `_drifted` groups answer with one field of
//! the wrong type in every item: fotbo-api decodes them tolerantly, plain serde fails.
//!
//! `cargo bench -p fotbo-api` (or `cargo xtask bench`, which also prints the ratios).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use fotbo_api::{types, Client, PagedRequest, RetryPolicy};
use futures::TryStreamExt;
use http_body_util::Full;
use hyper::{Request, Response};
use serde_json::{json, Value};

const TOKEN: &str = "bench-token";
const WALK_TOTAL: usize = 10_000;
const WALK_PAGE: usize = 100;

/// An instance as the server sends it (flavor properties as JSON text, integer tag ids),
/// fully populated.
fn instance(i: usize) -> Value {
    let image = json!({
        "id": "ede0eb63-5c8f-4c9b-95ab-c1a167cb8143", "tags": ["linux"], "client": null, "properties": {"os": "debian"},
        "is_iso": false, "display_name": "Debian 12", "cleanup_date": null, "assigned_to_flavor": false,
        "related_instance": null, "name": "debian-12", "type": "image", "status": "active", "size": 2147483648u64,
        "created_at": "2023-11-30T12:41:48Z", "updated_at": "2023-11-30T12:41:48Z", "deleted_at": null,
        "os_distro": "debian", "hypervisor_type": null, "os_version": "12", "architecture": "x86_64",
        "min_disk": 10, "min_ram": 512, "protected": false, "visibility": "public", "container_format": "bare",
        "disk_format": "qcow2", "hw_qemu_guest_agent": true, "instance_uuid": null, "volume_snapshot_uuid": null,
        "region": "NL", "reseller_resources": null, "used_by_resellers": [],
    });
    json!({
        "id": format!("0b6fbc5e-36bd-4a0e-9b1c-{i:012}"), "name": format!("web-{i}"),
        "allowed_actions": ["reboot", "stop", "rename", "resize"], "access_ip": "2a13:4ac0:4:0:f816:3eff:fe72:1524",
        "uuid": format!("0b6fbc5e-36bd-4a0e-9b1c-{i:012}"), "created": "2023-11-30T12:41:48+02:00",
        "display_status": "Running", "display_task": null, "description": null, "image": image, "region": "NL",
        "region_obj": {"id": "NL", "description": "Netherlands", "enabled": true, "enable_volumes": true, "enable_snapshots": true, "is_default": true},
        "flavor": {"id": "NL-2", "memory_gb": 2.0, "flavor_group": null, "name": "s2", "description": null, "memory_mb": 2048,
                   "vcpus": 2, "swap": 0, "root_gb": 40, "ephemeral_gb": 0, "out_of_stock": false, "properties": "{\"price\": \"5.9\"}",
                   "region": "NL", "reseller_resources": null, "assigned_cluster_templates": [], "used_by_resellers": []},
        "status": "active", "booted_from_iso": false, "locked": false, "current_cycle_traffic": 1024,
        "current_month_traffic": 4096, "hostId": "d4e0893dc4b0aac68503e0df8e6ea38ab0caac213fb331184801d7d8",
        "host_name": "worker-node01-nl", "access_subnet_id": null, "availability_zone": "nova",
        "tags": [{"id": 24, "name": "prod"}], "floating_ips": [{"id": "f-1", "floating_ip_address": "185.0.0.1"}],
    })
}

/// The same instance as a later server might send it: one field of another type.
fn drifted(i: usize) -> Value {
    let mut item = instance(i);
    item["current_month_traffic"] = json!("4 GB");
    item
}

fn page(base: &str, number: usize, size: usize, total: usize) -> Bytes {
    page_of(base, number, size, total, instance)
}

fn page_of(
    base: &str,
    number: usize,
    size: usize,
    total: usize,
    item: fn(usize) -> Value,
) -> Bytes {
    let start = (number - 1) * size;
    let objects: Vec<Value> = (start..(start + size).min(total)).map(item).collect();
    let next = (start + size < total).then(|| {
        format!(
            "{base}/backend/api/openstack/instances?page={}&page_size={size}",
            number + 1
        )
    });
    Bytes::from(serde_json::to_vec(&json!({
        "count": total, "next": next, "previous": null, "objects": objects, "totalCount": total, "pageNo": number,
    })).unwrap())
}

/// Answers the three benchmark routes from bodies prepared up front.
struct Bodies {
    details: Bytes,
    details_drifted: Bytes,
    big_page: Bytes,
    big_page_drifted: Bytes,
    walk: Vec<Bytes>,
}

async fn start_server() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let mut details = instance(1);
    details["client"] = json!({"id": 1, "name": "Acme", "display": "Acme"});
    details["net_details"] = json!({"grouped_ips": [{"network_name": "public", "ipv4s": [{"ip_address": "185.0.0.1", "subnet_id": "s-1"}], "ipv6s": []}], "ports": []});
    details["project"] = json!("73aa943377f14b5bbef095786cd9635b");
    details["storage_details"] =
        json!({"hide_local_storage": false, "local_storage": 40, "volume_attachments": []});
    details["traffic_type"] = json!("all");
    let mut details_drifted = details.clone();
    details_drifted["current_month_traffic"] = json!("4 GB");
    let bodies = Arc::new(Bodies {
        details: Bytes::from(serde_json::to_vec(&details).unwrap()),
        details_drifted: Bytes::from(serde_json::to_vec(&details_drifted).unwrap()),
        big_page: page(&base, 1, 1000, 1000),
        big_page_drifted: page_of(&base, 1, 1000, 1000, drifted),
        walk: (1..=WALK_TOTAL / WALK_PAGE)
            .map(|n| page(&base, n, WALK_PAGE, WALK_TOTAL))
            .collect(),
    });
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let bodies = bodies.clone();
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                        let bodies = bodies.clone();
                        async move {
                            let query = req.uri().query().unwrap_or("");
                            let param = |name: &str| {
                                query
                                    .split('&')
                                    .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
                                    .and_then(|v| v.parse::<usize>().ok())
                            };
                            let body = if req.uri().path().ends_with("/i-1") {
                                bodies.details.clone()
                            } else if req.uri().path().ends_with("/i-2") {
                                bodies.details_drifted.clone()
                            } else if param("page_size") == Some(1000)
                                && query.contains("ordering=drift")
                            {
                                bodies.big_page_drifted.clone()
                            } else if param("page_size") == Some(1000) {
                                bodies.big_page.clone()
                            } else {
                                let n = param("page").unwrap_or(1).clamp(1, bodies.walk.len());
                                bodies.walk[n - 1].clone()
                            };
                            Ok::<_, Infallible>(
                                Response::builder()
                                    .header("content-type", "application/json")
                                    .body(Full::new(body))
                                    .unwrap(),
                            )
                        }
                    });
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    });
    addr
}

fn client_benches(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let addr = rt.block_on(start_server());
    let base = format!("http://{addr}");
    let client = Client::builder()
        .token(TOKEN)
        .base_url(&base)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let raw = reqwest::Client::new();
    let auth = format!("Token {TOKEN}");
    let raw_bytes = |url: String| {
        let raw = raw.clone();
        let auth = auth.clone();
        async move {
            raw.get(url)
                .header("authorization", auth)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
        }
    };
    let raw_get = |url: String| {
        let bytes = raw_bytes(url);
        async move { serde_json::from_slice::<Value>(&bytes.await).unwrap() }
    };
    // Plain reqwest + the generated types: Err where a field does not fit.
    let raw_typed = |url: String| {
        let bytes = raw_bytes(url);
        async move { serde_json::from_slice::<fotbo_api::results::InstancesRetrieve>(&bytes.await) }
    };
    let raw_typed_page = |url: String| {
        let bytes = raw_bytes(url);
        async move { serde_json::from_slice::<types::InstancesListResponse>(&bytes.await) }
    };

    for (group, id) in [("get_instance", "i-1"), ("get_instance_drifted", "i-2")] {
        let mut g = c.benchmark_group(group);
        g.bench_function("fotbo_api", |b| {
            b.to_async(&rt).iter(|| async {
                client
                    .instances_retrieve()
                    .instance_id(id)
                    .send()
                    .await
                    .unwrap()
                    .into_parts()
            })
        });
        g.bench_function("raw_reqwest_typed", |b| {
            b.to_async(&rt)
                .iter(|| raw_typed(format!("{base}/backend/api/openstack/instances/{id}")))
        });
        g.bench_function("raw_reqwest_value", |b| {
            b.to_async(&rt)
                .iter(|| raw_get(format!("{base}/backend/api/openstack/instances/{id}")))
        });
        g.finish();
    }

    for (group, ordering) in [
        ("list_page_1000", "name"),
        ("list_page_1000_drifted", "drift"),
    ] {
        let mut g = c.benchmark_group(group);
        g.throughput(Throughput::Elements(1000));
        g.bench_function("fotbo_api", |b| {
            b.to_async(&rt).iter(|| async {
                client
                    .instances_list()
                    .ordering(ordering)
                    .page("1")
                    .page_size("1000")
                    .send()
                    .await
                    .unwrap()
                    .into_parts()
            })
        });
        let url = format!(
            "{base}/backend/api/openstack/instances?ordering={ordering}&page=1&page_size=1000"
        );
        g.bench_function("raw_reqwest_typed", |b| {
            b.to_async(&rt).iter(|| raw_typed_page(url.clone()))
        });
        g.bench_function("raw_reqwest_value", |b| {
            b.to_async(&rt).iter(|| raw_get(url.clone()))
        });
        g.finish();
    }

    // Parsing alone, without HTTP: what the typed client pays for its types.
    let body = rt.block_on(async {
        raw.get(format!(
            "{base}/backend/api/openstack/instances?page=1&page_size=1000"
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
    });
    let drifted_body = rt.block_on(raw_bytes(format!(
        "{base}/backend/api/openstack/instances?ordering=drift&page=1&page_size=1000"
    )));
    let mut group = c.benchmark_group("parse_page_1000");
    group.throughput(Throughput::Elements(1000));
    group.bench_function("typed", |b| {
        b.iter(|| serde_json::from_slice::<types::InstancesListResponse>(&body).unwrap())
    });
    group.bench_function("fotbo_decode", |b| {
        b.iter(|| {
            fotbo_api::decode::decode_body::<types::InstancesListResponse>(
                &body,
                "instances_list",
                false,
            )
            .unwrap()
        })
    });
    group.bench_function("fotbo_decode_drifted", |b| {
        b.iter(|| {
            let (page, mismatches) =
                fotbo_api::decode::decode_body::<types::InstancesListResponse>(
                    &drifted_body,
                    "instances_list",
                    false,
                )
                .unwrap();
            assert_eq!(mismatches.len(), 1000);
            page
        })
    });
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(&body).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("walk_10000");
    group.sample_size(10);
    group.throughput(Throughput::Elements(WALK_TOTAL as u64));
    group.bench_function(BenchmarkId::new("fotbo_api", "stream"), |b| {
        b.to_async(&rt).iter(|| async {
            let items: Vec<_> = client
                .instances_list()
                .stream(WALK_PAGE as u64)
                .try_collect()
                .await
                .unwrap();
            assert_eq!(items.len(), WALK_TOTAL);
        })
    });
    group.bench_function(BenchmarkId::new("raw_reqwest_value", "loop"), |b| {
        b.to_async(&rt).iter(|| async {
            let mut items = Vec::new();
            let mut url = Some(format!(
                "{base}/backend/api/openstack/instances?page=1&page_size={WALK_PAGE}"
            ));
            while let Some(next) = url.take() {
                let mut page = raw_get(next).await;
                if let Some(Value::Array(objects)) = page.get_mut("objects").map(Value::take) {
                    items.extend(objects);
                }
                url = page.get("next").and_then(Value::as_str).map(str::to_string);
            }
            assert_eq!(items.len(), WALK_TOTAL);
        })
    });
    group.finish();
}

criterion_group!(benches, client_benches);
criterion_main!(benches);
