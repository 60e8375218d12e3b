//! Pins the reconstruction, spec/fotbo-1.0.5.json by name: what the published Fotbo 1.0.5
//! file is known to hold. The expected operations are written here from the operation
//! reference (every row of confidence high or medium), so a change to the reconstruction that
//! loses one fails this test. It tests that file, not whatever spec/ACTIVE names: the
//! generator's and fotbo-api's tests hold for any spec.

use serde_json::Value;

const SPEC: &str = include_str!("../../fotbo-1.0.5.json");

const TAGS: [&str; 14] = [
    "Instances (VPS)",
    "Load balancers",
    "Networks (VPC)",
    "Routers",
    "Zones (DNS)",
    "Security groups",
    "Floating IPs",
    "SSH Keys",
    "My images",
    "Billing",
    "User",
    "Clients",
    "Tickets",
    "Notifications",
];

/// (section, method, path, title) of every high- and medium-confidence operation; the
/// Instances rows in the published order. Titles lose the reference's annotations in
/// parentheses; three that would repeat a sibling's title got their own (see spec/README.md).
const EXPECTED: &[(&str, &str, &str, &str)] = &[
    // Instances (VPS)
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances",
        "Get Instance list",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances",
        "Create Instances",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/create_options",
        "Get create Instance options",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/reboot",
        "Reboot Instance",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/rescue",
        "List Rescue Instance",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/rescue",
        "Rescue Instance",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/shelve",
        "Shelve Instance",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/start",
        "Start Instance",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/stop",
        "Stop Instance",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/unrescue",
        "Unrescue Instance",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/rebuild",
        "Select Instance for Rebuild",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/rebuild",
        "Rebuild instance",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/rename",
        "Rename Instance",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/resize",
        "Resize Instance",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/resize_options",
        "Get Resize Options",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/traffic-data",
        "Traffic Data",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/unshelve",
        "Unshelve Instance",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/boot_from_iso",
        "List booting from ISO",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/boot_from_iso",
        "Boot from iso",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/change_password",
        "Change Instance Password",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/dissociate_ip_create_options",
        "Dissociate IP Create Options",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/get_console_url",
        "Get Console URL",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/add_ip_options",
        "Get Add IP Options",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/associate_ip_create_options",
        "Get Associate IP Create Options",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/confirm_resize",
        "Confirm Resize",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/get_console_output",
        "Get Console Output",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/measures",
        "Instance Measures",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/add_floating_ip",
        "Add Floating IP",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/add_port_options",
        "Add Port Options",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/create_backup",
        "Create Backup",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/get_backup_price",
        "Get Backup Price",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/get_instance_backups_and_backup_schedules",
        "Get Instance Backups and Backup Schedules",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/create_snapshot",
        "Create Snapshot",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/get_snapshot_price_per_cycle",
        "Get Snapshot Price per Cycle",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/remove_floating_ip",
        "Remove Floating IP",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/actions",
        "Instance Actions",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/associate_security_group",
        "Create Associate Security Group",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/associate_security_group_create_options",
        "Get Associate Security Group Options",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/dissociate_security_group",
        "Dissociate Security Group",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}/list_security_groups",
        "List Security Groups",
    ),
    (
        "Instances (VPS)",
        "DELETE",
        "/backend/api/openstack/instances/{instance_id}",
        "Delete instance",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/{instance_id}",
        "Get Instance Details",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/get_price",
        "Get Instance Price",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/instances/permissions",
        "Instance Permissions",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/ports",
        "Add Ports",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/ports/{port_id}/add_ip",
        "Add IP to Port",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/ports/{port_id}/automatic_add_ips",
        "Automatic IP Addition to Port",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/ports/{port_id}/remove_ip",
        "Remove IP from Port",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/openstack/regions",
        "List Regions",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/osbackup",
        "Create Backup schedules",
    ),
    (
        "Instances (VPS)",
        "POST",
        "/backend/api/openstack/instances/{instance_id}/tag",
        "Add Tag",
    ),
    (
        "Instances (VPS)",
        "DELETE",
        "/backend/api/openstack/instances/{instance_id}/tag/{tag_id}",
        "Delete Instance Tag",
    ),
    (
        "Instances (VPS)",
        "GET",
        "/backend/api/osbackup",
        "List Backup schedules",
    ),
    (
        "Instances (VPS)",
        "DELETE",
        "/backend/api/openstack/ports/{port_id}",
        "Delete port",
    ),
    // Load balancers
    (
        "Load balancers",
        "GET",
        "/backend/api/openstack/lbaas-load-balancers/create_options",
        "Get Load Balancer Options",
    ),
    (
        "Load balancers",
        "GET",
        "/backend/api/openstack/lbaas-load-balancers",
        "List Load Balancer",
    ),
    (
        "Load balancers",
        "POST",
        "/backend/api/openstack/lbaas-load-balancers",
        "Create Load Balancer",
    ),
    (
        "Load balancers",
        "GET",
        "/backend/api/openstack/lbaas-load-balancers/{loadbalancer_id}",
        "Get Load Balancer Details",
    ),
    (
        "Load balancers",
        "PUT",
        "/backend/api/openstack/lbaas-load-balancers/{loadbalancer_id}",
        "Change Load Balancer",
    ),
    (
        "Load balancers",
        "DELETE",
        "/backend/api/openstack/lbaas-load-balancers/{loadbalancer_id}",
        "Delete Load Balancer",
    ),
    (
        "Load balancers",
        "GET",
        "/backend/api/openstack/lbaas-listeners/create_options",
        "Get Load Balancer Options (listeners)",
    ),
    (
        "Load balancers",
        "GET",
        "/backend/api/openstack/lbaas-listeners",
        "Get LBAAS Listeners",
    ),
    (
        "Load balancers",
        "POST",
        "/backend/api/openstack/lbaas-listeners",
        "Create Listeners for Load Balancer",
    ),
    (
        "Load balancers",
        "GET",
        "/backend/api/openstack/lbaas-listeners/{listener_id}",
        "Get LBAAS Listener Details",
    ),
    (
        "Load balancers",
        "PUT",
        "/backend/api/openstack/lbaas-listeners/{listener_id}",
        "Change LBAAS Listener Details",
    ),
    (
        "Load balancers",
        "DELETE",
        "/backend/api/openstack/lbaas-listeners/{listener_id}",
        "Delete LBAAS listener",
    ),
    (
        "Load balancers",
        "GET",
        "/backend/api/openstack/lbaas-pools",
        "List Load Balancer Pools",
    ),
    (
        "Load balancers",
        "POST",
        "/backend/api/openstack/lbaas-pools",
        "Change Load Balancer Pools",
    ),
    (
        "Load balancers",
        "GET",
        "/backend/api/openstack/lbaas-pools/{pool_id}",
        "Get Load Balancer Pool Details",
    ),
    (
        "Load balancers",
        "PUT",
        "/backend/api/openstack/lbaas-pools/{pool_id}",
        "Change Load Balancer Pool",
    ),
    (
        "Load balancers",
        "DELETE",
        "/backend/api/openstack/lbaas-pools/{pool_id}",
        "Delete Load Balancer Pool",
    ),
    (
        "Load balancers",
        "GET",
        "/backend/api/openstack/lbaas-pools/get_load_balancer_price/",
        "Load Balancer price",
    ),
    // Networks (VPC)
    (
        "Networks (VPC)",
        "GET",
        "/backend/api/openstack/networks",
        "Get Network VPC",
    ),
    (
        "Networks (VPC)",
        "POST",
        "/backend/api/openstack/networks",
        "Create Network VPC",
    ),
    (
        "Networks (VPC)",
        "GET",
        "/backend/api/openstack/networks/create_options",
        "Get Network VPC create options",
    ),
    (
        "Networks (VPC)",
        "GET",
        "/backend/api/openstack/networks/{network_id}",
        "Get Network Details",
    ),
    (
        "Networks (VPC)",
        "PUT",
        "/backend/api/openstack/networks/{network_id}",
        "Change Network",
    ),
    (
        "Networks (VPC)",
        "DELETE",
        "/backend/api/openstack/networks/{network_id}",
        "Delete network",
    ),
    (
        "Networks (VPC)",
        "GET",
        "/backend/api/openstack/networks/permissions",
        "Network Permissions",
    ),
    (
        "Networks (VPC)",
        "POST",
        "/backend/api/openstack/subnets",
        "Create Subnets",
    ),
    (
        "Networks (VPC)",
        "GET",
        "/backend/api/openstack/subnets/create_options",
        "Get Subnet Creation Options",
    ),
    (
        "Networks (VPC)",
        "PUT",
        "/backend/api/openstack/subnets/{subnet_id}",
        "Change Subnet",
    ),
    // Routers
    (
        "Routers",
        "GET",
        "/backend/api/openstack/routers",
        "List Routers",
    ),
    (
        "Routers",
        "POST",
        "/backend/api/openstack/routers",
        "Create Routers",
    ),
    (
        "Routers",
        "GET",
        "/backend/api/openstack/routers/{router_id}",
        "Get Router Details",
    ),
    (
        "Routers",
        "PUT",
        "/backend/api/openstack/routers/{router_id}",
        "Change Router",
    ),
    (
        "Routers",
        "DELETE",
        "/backend/api/openstack/routers/{router_id}",
        "Delete Router",
    ),
    (
        "Routers",
        "POST",
        "/backend/api/openstack/routers/{router_id}/add_interface",
        "Add Interface to Router",
    ),
    (
        "Routers",
        "GET",
        "/backend/api/openstack/routers/{router_id}/create_add_interface_options",
        "Get Add Interface Options to Router",
    ),
    (
        "Routers",
        "GET",
        "/backend/api/openstack/routers/create_options",
        "Get Router Creation Options",
    ),
    (
        "Routers",
        "GET",
        "/backend/api/openstack/routers/permissions",
        "Router Permissions",
    ),
    // Zones (DNS)
    (
        "Zones (DNS)",
        "POST",
        "/backend/api/openstack/dns/get_floating_ip_ptr",
        "POST Floating IP PTR",
    ),
    (
        "Zones (DNS)",
        "POST",
        "/backend/api/openstack/dns/set_floating_ip_ptr",
        "Set Floating IP PTR",
    ),
    // Security groups
    (
        "Security groups",
        "GET",
        "/backend/api/openstack/securitygroups",
        "List Security Groups",
    ),
    (
        "Security groups",
        "POST",
        "/backend/api/openstack/securitygroups",
        "Create Security Groups",
    ),
    (
        "Security groups",
        "GET",
        "/backend/api/openstack/securitygroups/{securitygroup_id}",
        "Get Security Group Details",
    ),
    (
        "Security groups",
        "PUT",
        "/backend/api/openstack/securitygroups/{securitygroup_id}",
        "Change Security Group",
    ),
    (
        "Security groups",
        "POST",
        "/backend/api/openstack/securitygroups/{securitygroup_id}/add_rule",
        "Add Rule to Security Group",
    ),
    (
        "Security groups",
        "POST",
        "/backend/api/openstack/securitygroups/{securitygroup_id}/delete_rule",
        "Delete Rule from Security Group",
    ),
    (
        "Security groups",
        "GET",
        "/backend/api/openstack/securitygroups/permissions",
        "Security Group Permissions",
    ),
    // Floating IPs
    (
        "Floating IPs",
        "GET",
        "/backend/api/openstack/floatingips",
        "Floating IPs",
    ),
    (
        "Floating IPs",
        "POST",
        "/backend/api/openstack/floatingips",
        "Create Floating IPs",
    ),
    (
        "Floating IPs",
        "DELETE",
        "/backend/api/openstack/floatingips/{floatingip_id}",
        "Delete floating IP",
    ),
    (
        "Floating IPs",
        "GET",
        "/backend/api/openstack/floatingips/create_options",
        "Get Floating IP Options",
    ),
    (
        "Floating IPs",
        "GET",
        "/backend/api/openstack/floatingips/get_price",
        "Get Floating IP Price",
    ),
    // SSH Keys
    (
        "SSH Keys",
        "GET",
        "/backend/api/pkm/get_generated_key_pair",
        "Get Generated Key Pair",
    ),
    ("SSH Keys", "GET", "/backend/api/pkm", "List PKM Items"),
    ("SSH Keys", "POST", "/backend/api/pkm", "Add PKM Items"),
    (
        "SSH Keys",
        "PUT",
        "/backend/api/pkm/{pkm_id}",
        "Change PKM Item Details",
    ),
    (
        "SSH Keys",
        "DELETE",
        "/backend/api/pkm/{pkm_id}",
        "Delete SSH Keys",
    ),
    // My images
    (
        "My images",
        "GET",
        "/backend/api/openstack/images/create_options",
        "Get Create Image Options",
    ),
    (
        "My images",
        "GET",
        "/backend/api/openstack/images/{image_id}",
        "Get Image-ISO Details",
    ),
    (
        "My images",
        "PUT",
        "/backend/api/openstack/images/{image_id}",
        "Change Image-ISO Details",
    ),
    (
        "My images",
        "DELETE",
        "/backend/api/openstack/images/{image_id}",
        "Delete Images-ISO",
    ),
    (
        "My images",
        "POST",
        "/backend/api/openstack/images/{image_id}/copy-image",
        "Copy Image",
    ),
    (
        "My images",
        "GET",
        "/backend/api/openstack/images/get_snapshots_for_instance",
        "Get Snapshots for Instance",
    ),
    (
        "My images",
        "GET",
        "/backend/api/openstack/images/permissions",
        "Image Permissions",
    ),
    (
        "My images",
        "GET",
        "/backend/api/openstack/images/get_price",
        "Get Image Price",
    ),
    (
        "My images",
        "GET",
        "/backend/api/openstack/images",
        "Get Images",
    ),
    (
        "My images",
        "POST",
        "/backend/api/openstack/images",
        "Create Images",
    ),
    // Billing
    (
        "Billing",
        "GET",
        "/backend/api/billing/summary",
        "Billing Summary",
    ),
    // Clients
    (
        "Clients",
        "GET",
        "/backend/api/clients/{client_id}",
        "Get Client Details",
    ),
    (
        "Clients",
        "PUT",
        "/backend/api/clients/{client_id}",
        "Change Client",
    ),
    (
        "Clients",
        "GET",
        "/backend/api/current-user",
        "Get Current User",
    ),
    (
        "Clients",
        "GET",
        "/backend/api/operations",
        "List operations",
    ),
    (
        "Clients",
        "GET",
        "/backend/api/operations/{operation_id}",
        "List opearation status",
    ),
    (
        "Clients",
        "POST",
        "/backend/api/operations/{operation_id}/retry",
        "Operation retry",
    ),
    (
        "Clients",
        "GET",
        "/backend/api/operations/has_operations_in_progress",
        "Operations in progress",
    ),
    (
        "Clients",
        "POST",
        "/backend/api/operations/mark_all_as_read",
        "Mark all as read",
    ),
    (
        "Clients",
        "POST",
        "/backend/api/operations/{operation_id}/abort_operation",
        "Abort operation",
    ),
    (
        "Clients",
        "GET",
        "/backend/api/openstack/summary",
        "OpenStack Summary",
    ),
];

fn spec() -> Value {
    serde_json::from_str(SPEC).expect("spec/fotbo-1.0.5.json is JSON")
}

/// (tag, METHOD, path, summary, x-fotbo-source) in file order.
fn operations(spec: &Value) -> Vec<(String, String, String, String, String)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let s = |k: &str| op[k].as_str().unwrap_or_default().to_string();
            out.push((
                op["tags"][0].as_str().unwrap_or_default().to_string(),
                method.to_uppercase(),
                path.clone(),
                s("summary"),
                s("x-fotbo-source"),
            ));
        }
    }
    out
}

#[test]
fn header_tags_and_security_are_as_published() {
    let spec = spec();
    assert_eq!(spec["openapi"], "3.1.0");
    assert_eq!(spec["info"]["title"], "OpenAPI Fotbo.com");
    assert_eq!(spec["info"]["version"], "Specification 1.0.5");
    assert_eq!(spec["servers"][0]["url"], "https://api.fotbo.com");
    let tags: Vec<&str> = spec["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .map(|t| t["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(tags, TAGS);
    let scheme = &spec["components"]["securitySchemes"]["apikey header authorization"];
    assert_eq!(scheme["type"], "apiKey");
    assert_eq!(scheme["in"], "header");
    assert_eq!(scheme["name"], "AUTHORIZATION");
}

#[test]
fn every_known_operation_is_present_with_its_title() {
    let ops = operations(&spec());
    for (section, method, path, title) in EXPECTED {
        let found = ops.iter().find(|o| o.1 == *method && o.2 == *path);
        let Some(op) = found else {
            panic!("missing: {method} {path} ({title})")
        };
        assert_eq!(op.0, *section, "{method} {path}: section");
        assert_eq!(op.3, *title, "{method} {path}: title");
    }
    assert_eq!(EXPECTED.len(), 131);
}

#[test]
fn instances_operations_appear_in_the_published_order() {
    let ops = operations(&spec());
    let published: Vec<(&str, &str)> = EXPECTED
        .iter()
        .filter(|e| e.0 == "Instances (VPS)")
        .map(|e| (e.1, e.2))
        .take(50)
        .collect();
    let in_file: Vec<(&str, &str)> = ops
        .iter()
        .filter(|o| o.0 == "Instances (VPS)")
        .map(|o| (o.1.as_str(), o.2.as_str()))
        .take(50)
        .collect();
    assert_eq!(in_file, published);
}

#[test]
fn every_operation_is_documented_as_published() {
    let ops = operations(&spec());
    let spec = spec();
    for (tag, method, path, title, source) in &ops {
        assert!(
            TAGS.contains(&tag.as_str()),
            "{method} {path}: unknown tag {tag}"
        );
        assert!(
            ["published-docs", "fleio-provider-docs", "fleio-routing"].contains(&source.as_str()),
            "{method} {path}: source {source:?}"
        );
        assert!(!title.is_empty(), "{method} {path}: no title");
        let op = &spec["paths"][path][method.to_lowercase()];
        assert_eq!(
            op["security"],
            serde_json::json!([{"apikey header authorization": []}]),
            "{method} {path}: security"
        );
        // As published: no operationIds, no declared path parameters.
        assert!(op.get("operationId").is_none(), "{method} {path}");
        let declared_path_params = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "path")
            .count();
        assert_eq!(declared_path_params, 0, "{method} {path}");
        // Every description opens with the Host line, except Boot from iso (published without).
        if title != "Boot from iso" {
            let d = op["description"].as_str().unwrap_or_default();
            assert!(
                d.starts_with("**Host**: https://api.fotbo.com"),
                "{method} {path}: {d:?}"
            );
        }
    }
    let mut counts: Vec<(&str, usize, usize)> = TAGS
        .iter()
        .map(|t| {
            (
                *t,
                ops.iter().filter(|o| o.0 == *t).count(),
                ops.iter()
                    .filter(|o| o.0 == *t && o.4 != "fleio-routing")
                    .count(),
            )
        })
        .collect();
    counts.push((
        "total",
        ops.len(),
        ops.iter().filter(|o| o.4 != "fleio-routing").count(),
    ));
    for (tag, n, sure) in &counts {
        println!("{tag:<18} {n:>3} operations ({sure} high or medium)");
    }
}

#[test]
fn published_oddities_are_kept() {
    let spec = spec();
    let ops = &spec["paths"];
    let create = &ops["/backend/api/openstack/instances"]["post"]["requestBody"]["content"]
        ["application/json"];
    assert_eq!(create["schema"]["properties"]["client"]["type"], "integer");
    assert_eq!(create["example"]["client"], "{client_id}");
    let schedule = &ops["/backend/api/osbackup"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"];
    assert_eq!(schedule["properties"]["run_at"]["type"], "null");
    assert!(schedule["required"]
        .as_array()
        .expect("required")
        .contains(&"run_at".into()));
    let delete = &ops["/backend/api/openstack/instances/{instance_id}"]["delete"]["responses"]
        ["200"]["content"]["application/json"];
    assert!(delete.get("example").is_some_and(Value::is_null));
    assert!(
        ops["/backend/api/openstack/instances/{instance_id}/associate_ip_create_options"]["get"]
            .get("responses")
            .is_none()
    );
}
