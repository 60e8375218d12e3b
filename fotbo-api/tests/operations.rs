//! Every Instances operation, and at least three of every other section, against a mock
//! Fotbo: the right method and path, the published sample request body sent as JSON, the
//! published (or schema-derived) sample response parsed into the generated type, and on every
//! request exactly the documented headers: `Authorization: Token …`, no `api-version`.
//!
//! Expected methods and paths are written here from the operation reference, not read from the
//! generated code.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

mod common;

use common::*;
use fotbo_api::types;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn check<T: serde::Serialize>(
    id: &str,
    http_method: &str,
    template: &str,
    server: &MockServer,
    result: Result<fotbo_api::Response<T>, fotbo_api::Error>,
) {
    let (status, sample) = response_sample(id);
    let response = result.unwrap_or_else(|e| panic!("{id}: {e}"));
    assert_eq!(response.status().as_u16(), status, "{id}: status");
    // A published sample that contradicts a wire correction decodes, with the value kept
    // aside; everything else fits.
    for m in response.mismatches() {
        assert!(
            wire_corrected(id, &m.pointer),
            "{id}: sample value at {} does not fit: {m}",
            m.pointer
        );
    }
    let parsed =
        serde_json::to_value(response.into_inner()).unwrap_or_else(|e| panic!("{id}: {e}"));
    if let (Some(Value::Object(sample)), Value::Object(parsed)) = (&sample, &parsed) {
        let keys = |m: &serde_json::Map<String, Value>| {
            m.iter()
                .filter(|(_, v)| !is_empty(v))
                .map(|(k, _)| k.clone())
                .collect::<Vec<_>>()
        };
        let mut a = keys(sample);
        let mut b = keys(parsed);
        a.sort();
        b.sort();
        assert_eq!(b, a, "{id}: parsed response keeps every sample field");
    }
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "{id}: exactly one request");
    let request = &requests[0];
    assert_eq!(request.method.as_str(), http_method, "{id}: method");
    assert_eq!(request.url.path(), concrete_path(template), "{id}: path");
    let auth = request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    assert_eq!(
        auth,
        Some(format!("Token {TOKEN}").as_str()),
        "{id}: authorization header"
    );
    assert!(
        request.headers.get("api-version").is_none(),
        "{id}: undocumented api-version header sent"
    );
    let expected_body = operation(id)
        .pointer("/requestBody/content/application~1json")
        .map(|_| request_sample(id));
    match expected_body {
        Some(expected) => {
            let sent: Value = serde_json::from_slice(&request.body)
                .unwrap_or_else(|e| panic!("{id}: body is not JSON: {e}"));
            // Optional empty maps and lists are left out by the generated types.
            assert_eq!(
                strip_empty(&sent),
                strip_empty(&expected),
                "{id}: request body"
            );
            let ct = request
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            assert!(
                ct.starts_with("application/json"),
                "{id}: content type {ct}"
            );
        }
        None => assert!(request.body.is_empty(), "{id}: unexpected body"),
    }
}

/// Values the generated types leave out when serializing: nothing, empty lists and maps.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn strip_empty(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(_, v)| !is_empty(v) || v.is_null())
                .map(|(k, v)| (k.clone(), strip_empty(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_empty).collect()),
        other => other.clone(),
    }
}

async fn serve(id: &str, http_method: &str, template: &str) -> MockServer {
    let server = MockServer::start().await;
    let (status, sample) = response_sample(id);
    let mut response = ResponseTemplate::new(status);
    if let Some(body) = sample {
        response = response.set_body_json(body);
    }
    Mock::given(method(http_method))
        .and(path(concrete_path(template)))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

macro_rules! operations {
    ($($id:ident: $m:ident $template:literal => |$c:ident| $call:expr;)*) => {
        $(
            #[tokio::test]
            async fn $id() {
                let server = serve(stringify!($id), stringify!($m), $template).await;
                let client = client_for(&server);
                let $c = &client;
                let result = $call.send().await;
                check(stringify!($id), stringify!($m), $template, &server, result).await;
            }
        )*
    };
}

operations! {
    // Instances (VPS)
    instances_list: GET "/backend/api/openstack/instances" => |c| c.instances_list();
    instances_create: POST "/backend/api/openstack/instances" => |c| c.instances_create().body(body::<types::InstancesCreateBody>("instances_create"));
    instances_create_options: GET "/backend/api/openstack/instances/create_options" => |c| c.instances_create_options();
    instances_reboot: POST "/backend/api/openstack/instances/{instance_id}/reboot" => |c| c.instances_reboot().instance_id("p-instance_id");
    instances_rescue_retrieve: GET "/backend/api/openstack/instances/{instance_id}/rescue" => |c| c.instances_rescue_retrieve().instance_id("p-instance_id");
    instances_rescue: POST "/backend/api/openstack/instances/{instance_id}/rescue" => |c| c.instances_rescue().instance_id("p-instance_id").body(body::<types::InstancesRescueBody>("instances_rescue"));
    instances_shelve: POST "/backend/api/openstack/instances/{instance_id}/shelve" => |c| c.instances_shelve().instance_id("p-instance_id");
    instances_start: POST "/backend/api/openstack/instances/{instance_id}/start" => |c| c.instances_start().instance_id("p-instance_id");
    instances_stop: POST "/backend/api/openstack/instances/{instance_id}/stop" => |c| c.instances_stop().instance_id("p-instance_id");
    instances_unrescue: POST "/backend/api/openstack/instances/{instance_id}/unrescue" => |c| c.instances_unrescue().instance_id("p-instance_id");
    instances_rebuild_retrieve: GET "/backend/api/openstack/instances/{instance_id}/rebuild" => |c| c.instances_rebuild_retrieve().instance_id("p-instance_id");
    instances_rebuild: POST "/backend/api/openstack/instances/{instance_id}/rebuild" => |c| c.instances_rebuild().instance_id("p-instance_id").body(body::<types::InstancesRebuildBody>("instances_rebuild"));
    instances_rename: POST "/backend/api/openstack/instances/{instance_id}/rename" => |c| c.instances_rename().instance_id("p-instance_id").body(body::<types::InstancesRenameBody>("instances_rename"));
    instances_resize: POST "/backend/api/openstack/instances/{instance_id}/resize" => |c| c.instances_resize().instance_id("p-instance_id").body(body::<types::InstancesResizeBody>("instances_resize"));
    instances_resize_options: GET "/backend/api/openstack/instances/{instance_id}/resize_options" => |c| c.instances_resize_options().instance_id("p-instance_id");
    instances_traffic_data: GET "/backend/api/openstack/instances/{instance_id}/traffic-data" => |c| c.instances_traffic_data().instance_id("p-instance_id");
    instances_unshelve: POST "/backend/api/openstack/instances/{instance_id}/unshelve" => |c| c.instances_unshelve().instance_id("p-instance_id");
    instances_boot_from_iso_retrieve: GET "/backend/api/openstack/instances/{instance_id}/boot_from_iso" => |c| c.instances_boot_from_iso_retrieve().instance_id("p-instance_id");
    instances_boot_from_iso: POST "/backend/api/openstack/instances/{instance_id}/boot_from_iso" => |c| c.instances_boot_from_iso().instance_id("p-instance_id").body(body::<types::InstancesBootFromIsoBody>("instances_boot_from_iso"));
    instances_change_password: POST "/backend/api/openstack/instances/{instance_id}/change_password" => |c| c.instances_change_password().instance_id("p-instance_id").body(body::<types::InstancesChangePasswordBody>("instances_change_password"));
    instances_dissociate_ip_create_options: GET "/backend/api/openstack/instances/{instance_id}/dissociate_ip_create_options" => |c| c.instances_dissociate_ip_create_options().instance_id("p-instance_id");
    instances_get_console_url: GET "/backend/api/openstack/instances/{instance_id}/get_console_url" => |c| c.instances_get_console_url().instance_id("p-instance_id");
    instances_add_ip_options: GET "/backend/api/openstack/instances/{instance_id}/add_ip_options" => |c| c.instances_add_ip_options().instance_id("p-instance_id");
    instances_associate_ip_create_options: GET "/backend/api/openstack/instances/{instance_id}/associate_ip_create_options" => |c| c.instances_associate_ip_create_options().instance_id("p-instance_id");
    instances_confirm_resize: POST "/backend/api/openstack/instances/{instance_id}/confirm_resize" => |c| c.instances_confirm_resize().instance_id("p-instance_id");
    instances_get_console_output: GET "/backend/api/openstack/instances/{instance_id}/get_console_output" => |c| c.instances_get_console_output().instance_id("p-instance_id");
    instances_measures: GET "/backend/api/openstack/instances/{instance_id}/measures" => |c| c.instances_measures().instance_id("p-instance_id").hours("24").metric("cpu_util");
    instances_add_floating_ip: POST "/backend/api/openstack/instances/{instance_id}/add_floating_ip" => |c| c.instances_add_floating_ip().instance_id("p-instance_id").body(body::<types::InstancesAddFloatingIpBody>("instances_add_floating_ip"));
    instances_add_port_options: GET "/backend/api/openstack/instances/{instance_id}/add_port_options" => |c| c.instances_add_port_options().instance_id("p-instance_id");
    instances_create_backup: POST "/backend/api/openstack/instances/{instance_id}/create_backup" => |c| c.instances_create_backup().instance_id("p-instance_id").body(body::<types::InstancesCreateBackupBody>("instances_create_backup"));
    instances_get_backup_price: GET "/backend/api/openstack/instances/{instance_id}/get_backup_price" => |c| c.instances_get_backup_price().instance_id("p-instance_id");
    instances_get_instance_backups_and_backup_schedules: GET "/backend/api/openstack/instances/{instance_id}/get_instance_backups_and_backup_schedules" => |c| c.instances_get_instance_backups_and_backup_schedules().instance_id("p-instance_id");
    instances_create_snapshot: POST "/backend/api/openstack/instances/{instance_id}/create_snapshot" => |c| c.instances_create_snapshot().instance_id("p-instance_id").body(body::<types::InstancesCreateSnapshotBody>("instances_create_snapshot"));
    instances_get_snapshot_price_per_cycle: GET "/backend/api/openstack/instances/{instance_id}/get_snapshot_price_per_cycle" => |c| c.instances_get_snapshot_price_per_cycle().instance_id("p-instance_id");
    instances_remove_floating_ip: POST "/backend/api/openstack/instances/{instance_id}/remove_floating_ip" => |c| c.instances_remove_floating_ip().instance_id("p-instance_id").body(body::<types::InstancesRemoveFloatingIpBody>("instances_remove_floating_ip"));
    instances_actions: GET "/backend/api/openstack/instances/{instance_id}/actions" => |c| c.instances_actions().instance_id("p-instance_id");
    instances_associate_security_group: POST "/backend/api/openstack/instances/{instance_id}/associate_security_group" => |c| c.instances_associate_security_group().instance_id("p-instance_id").body(body::<types::InstancesAssociateSecurityGroupBody>("instances_associate_security_group"));
    instances_associate_security_group_create_options: GET "/backend/api/openstack/instances/{instance_id}/associate_security_group_create_options" => |c| c.instances_associate_security_group_create_options().instance_id("p-instance_id");
    instances_dissociate_security_group: POST "/backend/api/openstack/instances/{instance_id}/dissociate_security_group" => |c| c.instances_dissociate_security_group().instance_id("p-instance_id").body(body::<types::InstancesDissociateSecurityGroupBody>("instances_dissociate_security_group"));
    instances_list_security_groups: GET "/backend/api/openstack/instances/{instance_id}/list_security_groups" => |c| c.instances_list_security_groups().instance_id("p-instance_id");
    instances_destroy: DELETE "/backend/api/openstack/instances/{instance_id}" => |c| c.instances_destroy().instance_id("p-instance_id");
    instances_retrieve: GET "/backend/api/openstack/instances/{instance_id}" => |c| c.instances_retrieve().instance_id("p-instance_id");
    instances_get_price: GET "/backend/api/openstack/instances/get_price" => |c| c.instances_get_price();
    instances_permissions: GET "/backend/api/openstack/instances/permissions" => |c| c.instances_permissions();
    ports_create: POST "/backend/api/openstack/ports" => |c| c.ports_create().body(body::<types::PortsCreateBody>("ports_create"));
    ports_add_ip: POST "/backend/api/openstack/ports/{port_id}/add_ip" => |c| c.ports_add_ip().port_id("p-port_id").body(body::<types::PortsAddIpBody>("ports_add_ip"));
    ports_automatic_add_ips: POST "/backend/api/openstack/ports/{port_id}/automatic_add_ips" => |c| c.ports_automatic_add_ips().port_id("p-port_id").body(body::<types::PortsAutomaticAddIpsBody>("ports_automatic_add_ips"));
    ports_remove_ip: POST "/backend/api/openstack/ports/{port_id}/remove_ip" => |c| c.ports_remove_ip().port_id("p-port_id").body(body::<types::PortsRemoveIpBody>("ports_remove_ip"));
    regions_list: GET "/backend/api/openstack/regions" => |c| c.regions_list();
    osbackup_create: POST "/backend/api/osbackup" => |c| c.osbackup_create().body(body::<types::OsbackupCreateBody>("osbackup_create"));
    osbackup_list: GET "/backend/api/osbackup" => |c| c.osbackup_list();
    instances_tag: POST "/backend/api/openstack/instances/{instance_id}/tag" => |c| c.instances_tag().instance_id("p-instance_id").body(body::<types::InstancesTagBody>("instances_tag"));
    instances_tag_destroy: DELETE "/backend/api/openstack/instances/{instance_id}/tag/{tag_id}" => |c| c.instances_tag_destroy().instance_id("p-instance_id").tag_id("p-tag_id");
    ports_destroy: DELETE "/backend/api/openstack/ports/{port_id}" => |c| c.ports_destroy().port_id("p-port_id");
    // Load balancers
    lbaas_load_balancers_list: GET "/backend/api/openstack/lbaas-load-balancers" => |c| c.lbaas_load_balancers_list();
    lbaas_load_balancers_create: POST "/backend/api/openstack/lbaas-load-balancers" => |c| c.lbaas_load_balancers_create().body(body::<types::LbaasLoadBalancersCreateBody>("lbaas_load_balancers_create"));
    lbaas_load_balancers_retrieve: GET "/backend/api/openstack/lbaas-load-balancers/{loadbalancer_id}" => |c| c.lbaas_load_balancers_retrieve().loadbalancer_id("p-loadbalancer_id");
    lbaas_listeners_destroy: DELETE "/backend/api/openstack/lbaas-listeners/{listener_id}" => |c| c.lbaas_listeners_destroy().listener_id("p-listener_id").loadbalancer_id("p-loadbalancer_id");
    // Networks (VPC)
    networks_list: GET "/backend/api/openstack/networks" => |c| c.networks_list();
    networks_create: POST "/backend/api/openstack/networks" => |c| c.networks_create().body(body::<types::NetworksCreateBody>("networks_create"));
    networks_retrieve: GET "/backend/api/openstack/networks/{network_id}" => |c| c.networks_retrieve().network_id("p-network_id");
    subnets_update: PUT "/backend/api/openstack/subnets/{subnet_id}" => |c| c.subnets_update().subnet_id("p-subnet_id").body(body::<types::SubnetsUpdateBody>("subnets_update"));
    // Routers
    routers_list: GET "/backend/api/openstack/routers" => |c| c.routers_list();
    routers_destroy: DELETE "/backend/api/openstack/routers/{router_id}" => |c| c.routers_destroy().router_id("p-router_id");
    routers_add_interface: POST "/backend/api/openstack/routers/{router_id}/add_interface" => |c| c.routers_add_interface().router_id("p-router_id").body(body::<types::RoutersAddInterfaceBody>("routers_add_interface"));
    // Zones (DNS)
    dns_get_floating_ip_ptr: POST "/backend/api/openstack/dns/get_floating_ip_ptr" => |c| c.dns_get_floating_ip_ptr();
    dns_list: GET "/backend/api/openstack/dns" => |c| c.dns_list();
    dns_create_records: POST "/backend/api/openstack/dns/{zone_id}/create_records" => |c| c.dns_create_records().zone_id("p-zone_id").body(body::<types::DnsCreateRecordsBody>("dns_create_records"));
    // Security groups
    securitygroups_list: GET "/backend/api/openstack/securitygroups" => |c| c.securitygroups_list();
    securitygroups_add_rule: POST "/backend/api/openstack/securitygroups/{securitygroup_id}/add_rule" => |c| c.securitygroups_add_rule().securitygroup_id("p-securitygroup_id").body(body::<types::SecuritygroupsAddRuleBody>("securitygroups_add_rule"));
    securitygroups_delete_rule: POST "/backend/api/openstack/securitygroups/{securitygroup_id}/delete_rule" => |c| c.securitygroups_delete_rule().securitygroup_id("p-securitygroup_id").body(body::<types::SecuritygroupsDeleteRuleBody>("securitygroups_delete_rule"));
    // Floating IPs
    floatingips_list: GET "/backend/api/openstack/floatingips" => |c| c.floatingips_list();
    floatingips_create: POST "/backend/api/openstack/floatingips" => |c| c.floatingips_create().body(body::<types::FloatingipsCreateBody>("floatingips_create"));
    floatingips_destroy: DELETE "/backend/api/openstack/floatingips/{floatingip_id}" => |c| c.floatingips_destroy().floatingip_id("p-floatingip_id");
    // SSH Keys
    pkm_list: GET "/backend/api/pkm" => |c| c.pkm_list();
    pkm_create: POST "/backend/api/pkm" => |c| c.pkm_create().body(body::<types::PkmCreateBody>("pkm_create"));
    pkm_update: PUT "/backend/api/pkm/{pkm_id}" => |c| c.pkm_update().pkm_id("p-pkm_id").body(body::<types::PkmUpdateBody>("pkm_update"));
    // My images
    images_destroy: DELETE "/backend/api/openstack/images/{image_id}" => |c| c.images_destroy().image_id("p-image_id");
    images_copy_image: POST "/backend/api/openstack/images/{image_id}/copy-image" => |c| c.images_copy_image().image_id("p-image_id").body(body::<types::ImagesCopyImageBody>("images_copy_image"));
    images_get_price: GET "/backend/api/openstack/images/get_price" => |c| c.images_get_price().disk_format("p-disk_format").region("p-region").visibility("p-visibility");
    images_list: GET "/backend/api/openstack/images" => |c| c.images_list();
    // Billing
    billing_summary_list: GET "/backend/api/billing/summary" => |c| c.billing_summary_list();
    invoices_list: GET "/backend/api/billing/invoices" => |c| c.invoices_list();
    invoices_add_credit_invoice: POST "/backend/api/billing/invoices/add_credit_invoice" => |c| c.invoices_add_credit_invoice().body(body::<types::InvoicesAddCreditInvoiceBody>("invoices_add_credit_invoice"));
    // User
    userprofile_list: GET "/backend/api/userprofile" => |c| c.userprofile_list();
    userprofile_update: PUT "/backend/api/userprofile/{user_id}" => |c| c.userprofile_update().user_id("p-user_id").body(body::<types::UserprofileUpdateBody>("userprofile_update"));
    reset_password_confirm: POST "/backend/api/reset-password/confirm/" => |c| c.reset_password_confirm().body(body::<types::ResetPasswordConfirmBody>("reset_password_confirm"));
    // Clients
    clients_retrieve: GET "/backend/api/clients/{client_id}" => |c| c.clients_retrieve().client_id("p-client_id");
    operations_list: GET "/backend/api/operations" => |c| c.operations_list();
    operations_retry: POST "/backend/api/operations/{operation_id}/retry" => |c| c.operations_retry().operation_id("p-operation_id");
    // Tickets
    tickets_list: GET "/backend/api/plugins/tickets/tickets" => |c| c.tickets_list();
    tickets_create: POST "/backend/api/plugins/tickets/tickets" => |c| c.tickets_create().body(body::<types::TicketsCreateBody>("tickets_create"));
    tickets_partial_update: PATCH "/backend/api/plugins/tickets/tickets/{ticket_id}" => |c| c.tickets_partial_update().ticket_id("p-ticket_id").body(body::<types::TicketsPartialUpdateBody>("tickets_partial_update"));
    // Notifications
    notifications_list: GET "/backend/api/notifications" => |c| c.notifications_list();
    notifications_view: POST "/backend/api/notifications/{notification_id}/view" => |c| c.notifications_view().notification_id("p-notification_id");
    notifications_set_user_notifications_settings: POST "/backend/api/notifications/set_user_notifications_settings" => |c| c.notifications_set_user_notifications_settings().body(body::<types::NotificationsSetUserNotificationsSettingsBody>("notifications_set_user_notifications_settings"));
}
