//! Everyday scenarios against a server that answers the way Fleio's code and a 2024 Fleio
//! provider's captured responses answer — not the way the published spec says: JSON text in
//! `Flavor.properties`, IP objects in `net_details`, Python-repr strings in subnets and ports,
//! `pageNo` an integer without `?page=` and a string with it, 204 deletes with no body, nulls
//! where strings are declared, `{"reply_id": n}` or nothing from a ticket reply.
//!
//! The bodies are written here from `fotbo-wire-facts.md`, row by row; the client is used
//! only through its public API. Each scenario also checks that nothing had to be left out
//! (`mismatches()` empty): the wire corrections made the types right. The last tests show what
//! happens with a mismatch nobody has seen yet.

mod common;

use std::time::Duration;

use common::*;
use fotbo_api::{types, Error, InstanceStatus, PagedRequest};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const INSTANCE_ID: &str = "9d2c6f1e-7b4a-4c3e-8f0a-1b2c3d4e5f60";
const IMAGE_ID: &str = "0b6fbc5e-36bd-4a0e-9b1c-2f8d1b8f4c11";
const SUBNET_ID: &str = "5e1b6a0c-9f4e-4d2b-8c7a-3e2f1d0c9b8a";

// ---- bodies as the server sends them ------------------------------------------------------

/// A flavor: `properties` is JSON text (REL list and rebuild samples; Fleio flavor.py:71).
fn flavor() -> Value {
    json!({
        "id": "NL-s1", "name": "s1.small", "memory_mb": 2048, "memory_gb": 2.0, "vcpus": 1,
        "swap": 0, "root_gb": 20, "ephemeral_gb": 0, "out_of_stock": false, "region": "NL",
        "description": null, "flavor_group": null, "reseller_resources": null,
        "properties": "{\"discount\": \"0\", \"price\": \"5.9\"}",
        "assigned_cluster_templates": [], "used_by_resellers": []
    })
}

/// An image: architecture and os_version null, related_instance an object (REL samples).
fn image(related: Value) -> Value {
    json!({
        "id": IMAGE_ID, "name": "Ubuntu 22.04", "display_name": "Ubuntu 22.04", "type": "public",
        "status": "active", "architecture": null, "os_distro": "ubuntu", "os_version": null,
        "container_format": "bare", "disk_format": "qcow2", "size": null, "min_disk": 0,
        "min_ram": 0, "protected": false, "visibility": "public", "region": "NL",
        "created_at": "2024-03-01T10:00:00Z", "updated_at": null, "deleted_at": null,
        "related_instance": related, "hypervisor_type": null, "is_iso": false, "tags": [],
        "properties": {}, "client": null, "instance_uuid": null, "volume_snapshot_uuid": null
    })
}

/// An instance as listed: integer tag ids, nulls, an image object.
fn instance(id: &str, name: &str, status: &str) -> Value {
    json!({
        "id": id, "uuid": id, "name": name, "status": status, "display_status": status,
        "display_task": null, "description": null, "access_ip": "185.12.1.7",
        "access_subnet_id": null, "created": "2024-03-01T10:00:00Z", "region": "NL",
        "region_obj": {"id": "NL", "description": "Netherlands", "enabled": true},
        "flavor": flavor(), "image": image(json!({"id": id, "name": name})),
        "booted_from_iso": false, "locked": false, "current_cycle_traffic": 0,
        "current_month_traffic": 12, "hostId": "a1b2", "host_name": null,
        "availability_zone": "nova", "allowed_actions": ["reboot", "stop"],
        "tags": [{"id": 24, "name": "prod"}],
        "floating_ips": [{"id": "fip-1", "floating_ip_address": "2.59.220.10"}]
    })
}

/// The instance detail: `net_details` IPs are objects (REL detail sample).
fn instance_details(status: &str) -> Value {
    let mut details = instance(INSTANCE_ID, "web-1", status);
    details["client"] = json!({"id": 7, "name": "ACME", "display": "ACME"});
    details["net_details"] = json!({
        "grouped_ips": [{"network_name": "public",
            "ipv4s": [{"ip_address": "185.12.1.7", "subnet_id": SUBNET_ID}], "ipv6s": []}],
        "ports": [{"id": "port-1", "name": "", "network": "public",
            "ipv4s": [{"ip_address": "185.12.1.7", "subnet_id": SUBNET_ID}],
            "ipv6s": [{"ip_address": "2a01::7", "subnet_id": SUBNET_ID}],
            "floating_ips": [{"id": "fip-1", "floating_ip_address": "2.59.220.10"}],
            "end_user_has_access": true}]
    });
    details
}

/// The list envelope. `page` is the `?page=` value the server echoes: None → the integer 1.
fn envelope(objects: Vec<Value>, page: Option<&str>, next: Option<String>, count: usize) -> Value {
    json!({
        "count": count, "totalCount": count, "next": next, "previous": null,
        "pageNo": page.map_or(json!(1), |p| json!(p)), "objects": objects,
        "permissions": {}
    })
}

/// A subnet as networks list it: extra and allocation_pools are Python reprs.
fn subnet_brief() -> Value {
    json!({
        "id": SUBNET_ID, "name": "public-v4", "cidr": "10.0.1.0/24", "ip_version": 4,
        "gateway_ip": "10.0.1.1", "project_id": "p-1", "enable_dhcp": true,
        "extra": "{'ipv6_address_mode': None, 'ipv6_ra_mode': None, 'host_routes': [], 'dns_nameservers': []}",
        "allocation_pools": "[{'start': '10.0.1.2', 'end': '10.0.1.254'}]"
    })
}

async fn server() -> MockServer {
    MockServer::start().await
}

async fn answer(server: &MockServer, verb: &str, route: &str, status: u16, body: Option<Value>) {
    let mut response = ResponseTemplate::new(status);
    if let Some(body) = body {
        response = response.set_body_json(body);
    }
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .mount(server)
        .await;
}

// ---- instances ----------------------------------------------------------------------------

#[tokio::test]
async fn list_instances_first_page_has_an_integer_page_number() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/backend/api/openstack/instances"))
        .and(query_param_is_missing("page"))
        .and(query_param("search", "web"))
        .and(query_param("status", "active"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(
            vec![instance(INSTANCE_ID, "web-1", "active")],
            None,
            None,
            1,
        )))
        .mount(&server)
        .await;
    let page = client_for(&server)
        .instances_list()
        .search("web")
        .status("active")
        .send()
        .await
        .unwrap();
    assert!(page.mismatches().is_empty(), "{:?}", page.mismatches());
    assert_eq!(page.page_no, Some(json!(1)));
    let first = &page.objects[0];
    assert_eq!(first.tags[0].id, Some(24));
    let flavor = first.flavor.as_ref().unwrap();
    assert_eq!(
        flavor.properties.as_deref(),
        Some("{\"discount\": \"0\", \"price\": \"5.9\"}")
    );
    let image = first.image.as_ref().unwrap();
    assert_eq!(image.architecture, None);
    assert_eq!(
        image
            .related_instance
            .as_ref()
            .and_then(|r| r.name.as_deref()),
        Some("web-1")
    );
}

#[tokio::test]
async fn page_through_instances_with_string_page_numbers() {
    let server = server().await;
    let base = server.uri();
    for (page, ids) in [("1", 0..2), ("2", 2..4), ("3", 4..5)] {
        let objects: Vec<Value> = ids
            .map(|i| instance(&format!("i-{i}"), &format!("vm-{i}"), "active"))
            .collect();
        let next = (page != "3").then(|| {
            format!(
                "{base}/backend/api/openstack/instances?page={}&page_size=2",
                page.parse::<u8>().unwrap_or(0) + 1
            )
        });
        Mock::given(method("GET"))
            .and(path("/backend/api/openstack/instances"))
            .and(query_param("page", page))
            .and(query_param("page_size", "2"))
            .and(query_param("ordering", "-created"))
            .respond_with(ResponseTemplate::new(200).set_body_json(envelope(
                objects,
                Some(page),
                next,
                5,
            )))
            .mount(&server)
            .await;
    }
    let all = client_for(&server)
        .instances_list()
        .ordering("-created")
        .collect_all(2)
        .await
        .unwrap();
    let names: Vec<_> = all.iter().filter_map(|i| i.name.clone()).collect();
    assert_eq!(names, ["vm-0", "vm-1", "vm-2", "vm-3", "vm-4"]);
}

#[tokio::test]
async fn create_with_ssh_keys_only_then_wait_until_active() {
    let server = server().await;
    answer(
        &server,
        "GET",
        "/backend/api/openstack/instances/create_options",
        200,
        Some(json!({
            "bootSources": {"image": [image(Value::Null)], "owned_image": [], "shared_image": [],
                "community_image": [], "volume": [], "volume_snapshot": [], "volume_types": [],
                "requested_boot_source": false},
            "flavor": [flavor()],
            "ssh_key": [{"id": 3, "name": "laptop", "fingerprint": "ab:cd", "public_key": "ssh-ed25519 AAAA", "created_at": "2024-01-01T00:00:00Z"}],
            "nics": [{"id": "net-1", "name": "public", "tags": [{"tag_name": "default"}]}],
            "availability_zones": ["nova"], "cinder_az": [], "enable_volumes": false,
            "enable_snapshots": true, "hide_volume_az": true,
            "region": [{"id": "NL", "description": "Netherlands"}], "selected_region": "NL",
            "client": {"id": 7, "name": "ACME", "display": "ACME"}
        })),
    )
    .await;
    // The server requires name, boot_source, flavor, region and client — nothing else.
    Mock::given(method("POST"))
        .and(path("/backend/api/openstack/instances"))
        .and(body_json(json!({
            "name": "web-2", "client": 7, "flavor": "NL-s1", "region": "NL",
            "boot_source": {"source_type": "image", "source_id": IMAGE_ID},
            "ssh_keys": "[3]"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "name": "web-2", "flavor": "NL-s1", "region": "NL", "availability_zone": null,
            "operation_id": "6f1c2a52-3f7e-4a8e-9d0c-2b8f1c7e9a11"
        })))
        .mount(&server)
        .await;
    let details = format!("/backend/api/openstack/instances/{INSTANCE_ID}");
    Mock::given(method("GET"))
        .and(path(details.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(instance_details("building")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(
        &server,
        "GET",
        &details,
        200,
        Some(instance_details("active")),
    )
    .await;

    let client = client_for(&server);
    let options = client.instances_create_options().send().await.unwrap();
    assert!(
        options.mismatches().is_empty(),
        "{:?}",
        options.mismatches()
    );
    assert_eq!(
        options
            .boot_sources
            .as_ref()
            .and_then(|b| b.requested_boot_source),
        Some(false)
    );
    assert_eq!(options.nics[0].tags[0].tag_name.as_deref(), Some("default"));
    let options = options.into_inner();
    let body = types::InstancesCreateBody {
        boot_source: types::InstancesCreateBodyBootSource {
            source_type: "image".into(),
            source_id: IMAGE_ID.into(),
            cinder_az: None,
            create_new_volume: None,
            delete_on_termination: None,
            volume_size: None,
            volume_type: None,
        },
        client: options.client.and_then(|c| c.id).unwrap(),
        flavor: options.flavor[0].id.clone().unwrap(),
        name: "web-2".into(),
        nics: Vec::new(),
        number_of_instances: None,
        region: options.selected_region.unwrap(),
        root_password: None,
        ssh_keys: Some(format!("[{}]", options.ssh_key[0].id.unwrap())),
        user_data: None,
    };
    let created = client.instances_create().body(body).send().await.unwrap();
    assert_eq!(created.status().as_u16(), 201);
    assert!(
        created.mismatches().is_empty(),
        "{:?}",
        created.mismatches()
    );
    assert_eq!(created.flavor.as_deref(), Some("NL-s1"));

    let active = client
        .wait_for_instance_status_with(
            INSTANCE_ID,
            InstanceStatus::Active,
            &fotbo_api::PollOptions {
                initial_interval: Duration::from_millis(10),
                max_interval: Duration::from_millis(20),
                factor: 1.5,
                timeout: Duration::from_secs(5),
            },
        )
        .await
        .unwrap();
    let net = active.net_details.unwrap();
    assert_eq!(
        net.grouped_ips[0].ipv4s[0].ip_address.as_deref(),
        Some("185.12.1.7")
    );
    assert_eq!(
        net.ports[0].floating_ips[0].floating_ip_address.as_deref(),
        Some("2.59.220.10")
    );
}

#[tokio::test]
async fn rename_reboot_and_delete_with_a_bodiless_204() {
    let server = server().await;
    let base = format!("/backend/api/openstack/instances/{INSTANCE_ID}");
    Mock::given(method("POST"))
        .and(path(format!("{base}/rename")))
        .and(body_json(json!({"name": "web-renamed"})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"detail": "Instance rename in progress"})),
        )
        .mount(&server)
        .await;
    answer(
        &server,
        "POST",
        &format!("{base}/reboot"),
        200,
        Some(json!({"detail": "Instance reboot in progress"})),
    )
    .await;
    answer(&server, "DELETE", &base, 204, None).await;
    let client = client_for(&server);
    let renamed = client
        .instances_rename()
        .instance_id(INSTANCE_ID)
        .body(types::InstancesRenameBody {
            name: "web-renamed".into(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(
        renamed.detail.as_deref(),
        Some("Instance rename in progress")
    );
    client
        .instances_reboot()
        .instance_id(INSTANCE_ID)
        .send()
        .await
        .unwrap();
    let deleted = client
        .instances_destroy()
        .instance_id(INSTANCE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
}

#[tokio::test]
async fn a_locked_instance_cannot_be_deleted_and_the_error_says_why() {
    let server = server().await;
    let base = format!("/backend/api/openstack/instances/{INSTANCE_ID}");
    answer(
        &server,
        "DELETE",
        &base,
        400,
        Some(json!({"detail": "Cannot delete a locked instance"})),
    )
    .await;
    let err = client_for(&server)
        .instances_destroy()
        .instance_id(INSTANCE_ID)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(
        err.to_string().contains("Cannot delete a locked instance"),
        "{err}"
    );
}

#[tokio::test]
async fn ports_are_listed_with_their_repr_strings() {
    let server = server().await;
    answer(
        &server,
        "GET",
        "/backend/api/openstack/ports",
        200,
        Some(envelope(
            vec![json!({
                "id": "5e1b6a0c-9f4e-4d2b-8c7a-3e2f1d0c9b8b", "name": "", "description": "",
                "admin_state_up": true, "device_id": INSTANCE_ID, "device_owner": "compute:nova",
                "mac_address": "fa:16:3e:00:00:01", "port_security_enabled": true,
                "security_groups": "['5e1b6a0c-9f4e-4d2b-8c7a-3e2f1d0c9b8c']",
                "extra": "{'binding:vnic_type': 'normal'}", "status": "ACTIVE",
                "network": "net-1", "project": "p-1", "created_at": "2024-03-01T10:00:00Z",
                "fixed_ips": [{"subnet_id": SUBNET_ID, "ip_address": "10.0.1.5"}]
            })],
            None,
            None,
            1,
        )),
    )
    .await;
    let ports = client_for(&server).ports_list().send().await.unwrap();
    assert!(ports.mismatches().is_empty(), "{:?}", ports.mismatches());
    assert_eq!(
        ports.objects[0].security_groups.as_deref(),
        Some("['5e1b6a0c-9f4e-4d2b-8c7a-3e2f1d0c9b8c']")
    );
}

// ---- networks, floating IPs, security groups, SSH keys, images -----------------------------

#[tokio::test]
async fn networks_with_repr_subnets_and_an_external_network_without_subnets() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/backend/api/openstack/networks"))
        .and(query_param("search", "pub"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(
            vec![
                json!({"id": "3f1c2a52-3f7e-4a8e-9d0c-2b8f1c7e9a11", "name": "public", "description": null,
                    "subnets": [subnet_brief()], "shared": false, "router_external": false,
                    "is_default": true, "status": "ACTIVE", "admin_state_up": true,
                    "created_at": "2024-03-01T10:00:00Z", "updated_at": "2024-03-01T10:00:00Z",
                    "region": "NL", "project": "p-1",
                    "extra": {"provider:network_type": "vxlan", "provider:physical_network": null,
                        "provider:segmentation_id": 12, "availability_zones": []}}),
                json!({"id": "4f1c2a52-3f7e-4a8e-9d0c-2b8f1c7e9a11", "name": "ext-net", "description": null,
                    "subnets": null, "shared": true, "router_external": true, "status": "ACTIVE",
                    "admin_state_up": true, "region": "NL"}),
            ],
            None,
            None,
            2,
        )))
        .mount(&server)
        .await;
    let networks = client_for(&server)
        .networks_list()
        .search("pub")
        .send()
        .await
        .unwrap();
    assert!(
        networks.mismatches().is_empty(),
        "{:?}",
        networks.mismatches()
    );
    let subnet = &networks.objects[0].subnets.as_ref().unwrap()[0];
    assert_eq!(
        subnet.allocation_pools.as_deref(),
        Some("[{'start': '10.0.1.2', 'end': '10.0.1.254'}]")
    );
    assert!(networks.objects[1].subnets.is_none());
}

#[tokio::test]
async fn floating_ips_filtered_with_null_associations() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/backend/api/openstack/floatingips"))
        .and(query_param("region", "NL"))
        .and(query_param("search", "2.59"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(
            vec![json!({
                "id": "7f1c2a52-3f7e-4a8e-9d0c-2b8f1c7e9a11", "floating_ip_address": "2.59.220.10",
                "floating_network": {"id": "4f1c2a52-3f7e-4a8e-9d0c-2b8f1c7e9a11", "name": "ext-net", "description": "", "region": "NL"},
                "port": null, "router": null,
                "associated_object": {"device_type": null, "id": "dev-1", "name": null},
                "status": "DOWN", "description": "", "fixed_ip_address": null,
                "created_at": "2024-03-01T10:00:00Z", "updated_at": "2024-03-01T10:00:00Z",
                "project": "p-1"
            })],
            None,
            None,
            1,
        )))
        .mount(&server)
        .await;
    let ips = client_for(&server)
        .floatingips_list()
        .region("NL")
        .search("2.59")
        .send()
        .await
        .unwrap();
    assert!(ips.mismatches().is_empty(), "{:?}", ips.mismatches());
    let assoc = ips.objects[0].associated_object.as_ref().unwrap();
    assert_eq!(
        (assoc.device_type.as_deref(), assoc.id.as_deref()),
        (None, Some("dev-1"))
    );
}

#[tokio::test]
async fn security_groups_list_created_at_and_null_rule_fields() {
    let server = server().await;
    answer(
        &server,
        "GET",
        "/backend/api/openstack/securitygroups",
        200,
        Some(envelope(
            vec![
                json!({"id": "sg-1", "name": "default", "description": "Default security group",
                "created_at": "2024-03-01T10:00:00Z", "updated_at": "2024-03-01T10:00:00Z",
                "project": "p-1", "region": "NL", "associated_instances": []}),
            ],
            None,
            None,
            1,
        )),
    )
    .await;
    answer(
        &server,
        "GET",
        "/backend/api/openstack/securitygroups/sg-1",
        200,
        Some(json!({"id": "sg-1", "name": "default", "description": null,
            "created_at": "2024-03-01T10:00:00Z", "security_group_rules": [
                {"id": "r-1", "direction": "egress", "ethertype": "IPv4", "protocol": null,
                 "remote_ip_prefix": null, "remote_group": null, "remote_group_name": null,
                 "description": null, "port_range_min": null, "port_range_max": null}]})),
    )
    .await;
    let client = client_for(&server);
    let groups = client.securitygroups_list().send().await.unwrap();
    assert!(groups.mismatches().is_empty(), "{:?}", groups.mismatches());
    assert_eq!(
        groups.objects[0].created_at.as_deref(),
        Some("2024-03-01T10:00:00Z"),
        "created_at, not the spec's create_at"
    );
    let group = client
        .securitygroups_retrieve()
        .securitygroup_id("sg-1")
        .send()
        .await
        .unwrap();
    assert!(group.mismatches().is_empty(), "{:?}", group.mismatches());
    assert_eq!(group.security_group_rules[0].protocol, None);
}

#[tokio::test]
async fn ssh_keys_list_and_create() {
    let server = server().await;
    let key = json!({"id": 3, "name": "laptop", "fingerprint": "ab:cd", "public_key": "ssh-ed25519 AAAA",
        "created_at": "2024-01-01T00:00:00Z", "user": {"id": 1, "username": "me"}});
    Mock::given(method("GET"))
        .and(path("/backend/api/pkm"))
        .and(query_param("search", "lap"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(
            vec![key.clone()],
            None,
            None,
            1,
        )))
        .mount(&server)
        .await;
    answer(&server, "POST", "/backend/api/pkm", 201, Some(key)).await;
    let client = client_for(&server);
    let keys = client.pkm_list().search("lap").send().await.unwrap();
    assert_eq!(keys.objects[0].fingerprint.as_deref(), Some("ab:cd"));
    let created = client
        .pkm_create()
        .body(types::PkmCreateBody {
            name: "laptop".into(),
            public_key: "ssh-ed25519 AAAA".into(),
            private_key: None,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
}

#[tokio::test]
async fn images_with_related_instances_and_the_member_status_key() {
    let server = server().await;
    answer(
        &server,
        "GET",
        "/backend/api/openstack/images",
        200,
        Some(envelope(
            vec![
                image(Value::Null),
                image(json!({"id": INSTANCE_ID, "name": "web-1"})),
            ],
            None,
            None,
            2,
        )),
    )
    .await;
    answer(
        &server,
        "GET",
        &format!("/backend/api/openstack/images/{IMAGE_ID}/get_member_status"),
        200,
        Some(json!({"status": "accepted"})),
    )
    .await;
    let client = client_for(&server);
    let images = client.images_list().send().await.unwrap();
    assert!(images.mismatches().is_empty(), "{:?}", images.mismatches());
    assert!(images.objects[0].related_instance.is_none());
    assert_eq!(
        images.objects[1]
            .related_instance
            .as_ref()
            .and_then(|r| r.id.as_deref()),
        Some(INSTANCE_ID)
    );
    let status = client
        .images_get_member_status()
        .image_id(IMAGE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(status.status.as_deref(), Some("accepted"));
}

// ---- DNS, load balancers ------------------------------------------------------------------

#[tokio::test]
async fn dns_zones_ptr_lookup_and_designate_message_lists() {
    let server = server().await;
    answer(
        &server,
        "GET",
        "/backend/api/openstack/dns",
        200,
        Some(
            json!({"objects": [{"id": "z-1", "name": "example.com.", "email": "ops@example.com",
            "description": null, "status": "ACTIVE", "type": "PRIMARY", "ttl": 3600}],
            "permissions": {}, "hasMore": false}),
        ),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/backend/api/openstack/dns/get_ptr_from_ip"))
        .and(query_param("ip", "2.59.220.10"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"record": "web.example.com", "zone_id": "z-1"})),
        )
        .mount(&server)
        .await;
    answer(
        &server,
        "GET",
        "/backend/api/openstack/dns/z-9/list_records",
        400,
        Some(json!(["Unable to list records. Designate is unavailable."])),
    )
    .await;
    let client = client_for(&server);
    let zones = client.dns_list().send().await.unwrap();
    assert!(zones.mismatches().is_empty(), "{:?}", zones.mismatches());
    assert_eq!(zones.objects[0].description, None);
    let ptr = client
        .dns_get_ptr_from_ip()
        .ip("2.59.220.10")
        .region_name("NL")
        .send()
        .await
        .unwrap();
    assert_eq!(ptr.record.as_deref(), Some("web.example.com"));
    let err = client
        .dns_list_records()
        .zone_id("z-9")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err.api_message(), Some(fotbo_api::ApiMessage::Detail(d)) if d.contains("Designate is unavailable")),
        "{err}"
    );
}

#[tokio::test]
async fn load_balancers_with_nulls_and_create_options_with_repr_subnets() {
    let server = server().await;
    answer(
        &server,
        "GET",
        "/backend/api/openstack/lbaas-load-balancers",
        200,
        Some(envelope(
            vec![json!({"id": "lb-1", "name": "web-lb", "description": "", "flavor_id": null,
                "vip_qos_policy_id": null, "availability_zone": null, "vip_address": "10.0.1.9",
                "provisioning_status": "ACTIVE", "operating_status": "ONLINE", "admin_state_up": true,
                "listeners": [{"id": "l-1"}], "pools": [], "tags": [], "floating_ip": null})],
            None,
            None,
            1,
        )),
    )
    .await;
    let mut subnet = subnet_brief();
    subnet["subnetpool_id"] = Value::Null;
    subnet["network"] = json!("net-1");
    answer(
        &server,
        "GET",
        "/backend/api/openstack/lbaas-load-balancers/create_options",
        200,
        Some(
            json!({"availability_zones": [], "certificates": [], "flavors": [],
            "listener_protocols": ["HTTP", "TCP"], "pool_protocols": ["HTTP"],
            "pool_supported_algorithms": ["ROUND_ROBIN"], "subnets": [subnet]}),
        ),
    )
    .await;
    let client = client_for(&server);
    let lbs = client.lbaas_load_balancers_list().send().await.unwrap();
    assert!(lbs.mismatches().is_empty(), "{:?}", lbs.mismatches());
    assert_eq!(lbs.objects[0].flavor_id, None);
    let options = client
        .lbaas_load_balancers_create_options()
        .send()
        .await
        .unwrap();
    assert!(
        options.mismatches().is_empty(),
        "{:?}",
        options.mismatches()
    );
    assert!(options.subnets[0]
        .extra
        .as_deref()
        .is_some_and(|e| e.contains("None")));
}

// ---- tickets, the dashboard ---------------------------------------------------------------

#[tokio::test]
async fn tickets_list_detail_and_replies_with_and_without_a_body() {
    let server = server().await;
    answer(
        &server,
        "GET",
        "/backend/api/plugins/tickets/tickets",
        200,
        Some(envelope(
            vec![
                json!({"id": "483921", "title": "Disk full", "status": "open", "created_by": 12,
                "client": null, "department": 1, "created_at": "2024-03-01T10:00:00Z"}),
            ],
            None,
            None,
            1,
        )),
    )
    .await;
    answer(
        &server,
        "GET",
        "/backend/api/plugins/tickets/tickets/483921",
        200,
        Some(
            json!({"id": "483921", "title": "Disk full", "status": "open",
            "created_by": {"id": 12, "username": "me", "full_name": "Me Myself"},
            "client": 7, "department": 1, "updates": []}),
        ),
    )
    .await;
    Mock::given(method("POST"))
        .and(path(
            "/backend/api/plugins/tickets/tickets/483921/add_reply",
        ))
        .and(body_json(
            json!({"reply_text": "Any news?", "associated_attachments": "12,13"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"reply_id": 42})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(
            "/backend/api/plugins/tickets/tickets/483921/add_reply",
        ))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let tickets = client.tickets_list().send().await.unwrap();
    assert!(
        tickets.mismatches().is_empty(),
        "{:?}",
        tickets.mismatches()
    );
    assert_eq!(
        tickets.objects[0].created_by,
        Some(types::TicketCreatedBy::Integer(12))
    );
    let ticket = client
        .tickets_retrieve()
        .ticket_id("483921")
        .send()
        .await
        .unwrap();
    assert!(matches!(
        &ticket.created_by,
        Some(types::TicketCreatedBy::TicketUser(u)) if u.username.as_deref() == Some("me")
    ));
    let reply = client
        .tickets_add_reply()
        .ticket_id("483921")
        .body(types::TicketsAddReplyBody {
            reply_text: Some("Any news?".into()),
            associated_attachments: Some("12,13".into()),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(reply.as_ref().and_then(|r| r.reply_id), Some(42));
    let empty = client
        .tickets_add_reply()
        .ticket_id("483921")
        .body(types::TicketsAddReplyBody {
            reply_text: None,
            associated_attachments: None,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(empty.into_inner(), None, "an empty reply answers no body");
}

#[tokio::test]
async fn the_dashboard_calls() {
    let server = server().await;
    answer(
        &server,
        "GET",
        "/backend/api/current-user",
        200,
        Some(json!({"version": {"backend_version": "2023.09.1", "latest_frontend_version": "2023.09.1"},
            "edition": "cloud", "requires_tos_agreement": null, "features": {"billing": true},
            "is_white_label": false, "saml2_identity_providers": []})),
    )
    .await;
    answer(
        &server,
        "GET",
        "/backend/api/billing/summary",
        200,
        Some(
            json!({"validate_credit_card": false, "credits": [], "uptodate_credit": 63.39,
            "billing_currency": "EUR", "services_count": 2, "latest_data_from": null,
            "invoices_details": {"invoices_count": 3, "unpaid_invoices_count": 0,
                "paid_invoices_count": 3, "unpaid_amount": 0, "unpaid_amount_currency": null,
                "unpaid_invoice_id": null}}),
        ),
    )
    .await;
    answer(
        &server,
        "GET",
        "/backend/api/openstack/summary",
        200,
        Some(
            json!({"uptodate_credit": 64.84, "billing_currency": "EUR", "credits": [],
            "instances": 2, "stopped_instances": 0, "images": 1, "volumes": 0, "pkm": 1}),
        ),
    )
    .await;
    answer(
        &server,
        "GET",
        "/backend/api/billing/invoices",
        200,
        Some(envelope(
            vec![json!({"id": 5, "client": {"id": 7, "name": "ACME"}, "number": "2024-0005",
                "display_number": "2024-0005", "status": "paid", "total": "5.90",
                "currency": "EUR", "fiscal_date": null, "fiscal_due_date": null, "is_fiscal": false})],
            None,
            None,
            1,
        )),
    )
    .await;
    let client = client_for(&server);
    let user = client.current_user_list().send().await.unwrap();
    assert!(user.mismatches().is_empty(), "{:?}", user.mismatches());
    assert_eq!(
        user.version
            .as_ref()
            .and_then(|v| v.backend_version.as_deref()),
        Some("2023.09.1")
    );
    let billing = client.billing_summary_list().send().await.unwrap();
    assert!(
        billing.mismatches().is_empty(),
        "{:?}",
        billing.mismatches()
    );
    assert_eq!(billing.uptodate_credit, Some(63.39));
    let summary = client.openstack_summary_list().send().await.unwrap();
    assert_eq!(summary.uptodate_credit, Some(64.84));
    let invoices = client.invoices_list().send().await.unwrap();
    assert!(
        invoices.mismatches().is_empty(),
        "{:?}",
        invoices.mismatches()
    );
    let invoice = &invoices.objects[0];
    assert_eq!(invoice.number.as_deref(), Some("2024-0005"));
    assert_eq!(
        invoice.client.as_ref().and_then(|c| c.name.as_deref()),
        Some("ACME")
    );
}

/// current-user asked with a token: the signed-in shape (Fleio core/views.py:118-150,
/// wire facts 2.13), not the visitor's. Every field decodes; nothing is left over.
#[tokio::test]
async fn the_signed_in_user_comes_back_whole() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/backend/api/current-user",
        200,
        Some(json!({
            "user": {"id": 7, "username": "ops", "email": "ops@example.com",
                     "first_name": "Ada", "last_name": "Ops",
                     "clients": [{"id": 3, "name": "ACME"}]},
            "impersonated": false,
            "requires_email_verification": false,
            "notifications": 2,
            "features": {"openstack": true},
            "version": {"backend_version": "2023.09.1", "latest_frontend_version": "2023.09.1"},
            "is_white_label": false
        })),
    )
    .await;
    let user = client_for(&server)
        .current_user_list()
        .send()
        .await
        .unwrap();
    println!("extra: {:#?}", user.extra());
    assert!(user.mismatches().is_empty(), "{:?}", user.mismatches());
    assert!(user.extra().is_empty(), "{:?}", user.extra());
    let signed_in = user.user.as_ref().expect("the user");
    assert_eq!(signed_in.username.as_deref(), Some("ops"));
    assert_eq!(signed_in.clients.first().and_then(|c| c.id), Some(3));
    assert_eq!(user.notifications, Some(2));
    assert_eq!(user.impersonated, Some(false));
}

// ---- what nobody has seen yet ---------------------------------------------------------------

/// A list in which every instance has a field of a type the spec does not know, as the next
/// server release might send.
async fn drifted_list(server: &MockServer) {
    let objects: Vec<Value> = (0..3)
        .map(|i| {
            let mut item = instance(&format!("i-{i}"), &format!("vm-{i}"), "active");
            item["current_month_traffic"] = json!({"in": 5, "out": 7});
            item
        })
        .collect();
    answer(
        server,
        "GET",
        "/backend/api/openstack/instances",
        200,
        Some(envelope(objects, None, None, 3)),
    )
    .await;
}

#[tokio::test]
async fn an_unforeseen_mismatch_keeps_the_call_and_the_value_and_warns() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = server().await;
    drifted_list(&server).await;
    let page = client_for(&server).instances_list().send().await.unwrap();
    assert_eq!(page.objects.len(), 3, "every instance is kept");
    assert!(page
        .objects
        .iter()
        .all(|i| i.current_month_traffic.is_none()));
    assert_eq!(page.objects[2].name.as_deref(), Some("vm-2"));
    let pointers: Vec<&str> = page
        .mismatches()
        .iter()
        .map(|m| m.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        [
            "/objects/0/current_month_traffic",
            "/objects/1/current_month_traffic",
            "/objects/2/current_month_traffic"
        ]
    );
    assert_eq!(page.mismatches()[0].found, json!({"in": 5, "out": 7}));

    let log = captured.text();
    let warning = log
        .lines()
        .find(|l| l.contains("WARN") && l.contains("does not fit"))
        .unwrap_or_else(|| panic!("no warning in {log}"));
    for part in [
        "operation=\"instances_list\"",
        "pointer=/objects/0/current_month_traffic",
        "expected=i64",
        "found=object {\"in\":5,\"out\":7}",
        "alike=2",
    ] {
        assert!(warning.contains(part), "{part} missing from {warning}");
    }
}

#[tokio::test]
async fn strict_decoding_turns_the_mismatch_into_an_error_naming_the_pointer() {
    let server = server().await;
    drifted_list(&server).await;
    let client = fotbo_api::Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .strict_decoding(true)
        .build()
        .unwrap();
    let err = client.instances_list().send().await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.pointer, "/objects/0/current_month_traffic");
    assert!(
        err.to_string().starts_with(
            "GET /backend/api/openstack/instances (instances_list): response body does not fit its documented type at /objects/0/current_month_traffic"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn any_success_status_is_a_success() {
    let server = server().await;
    let base = format!("/backend/api/openstack/instances/{INSTANCE_ID}");
    // A 202 with the documented body, and a 204 where a body was documented.
    answer(
        &server,
        "POST",
        &format!("{base}/reboot"),
        202,
        Some(json!({"detail": "queued"})),
    )
    .await;
    answer(&server, "POST", &format!("{base}/stop"), 204, None).await;
    let client = client_for(&server);
    let reboot = client
        .instances_reboot()
        .instance_id(INSTANCE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (reboot.status().as_u16(), reboot.detail.as_deref()),
        (202, Some("queued"))
    );
    // An empty 204 where {"detail": …} was documented: an empty result.
    let stopped = client
        .instances_stop()
        .instance_id(INSTANCE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (stopped.status().as_u16(), stopped.detail.as_deref()),
        (204, None)
    );
}
