"""Shapes that repeat across the published file, kept in `components/schemas`."""
from schemas import arr, bool_map, names, obj, ref

IMAGE_FIELDS = (
    "id, client, properties, is_iso, display_name, cleanup_date, assigned_to_flavor, "
    "related_instance, name, type, status, size, created_at, updated_at, deleted_at, os_distro, "
    "hypervisor_type, os_version, architecture, min_disk, min_ram, protected, visibility, "
    "container_format, disk_format, hw_qemu_guest_agent, instance_uuid, volume_snapshot_uuid, "
    "region, reseller_resources, tags, used_by_resellers"
)


def _image():
    return obj({
        "id": "uuid",
        "tags": "[s]",
        "client": "o?",
        "properties": "o",
        "is_iso": "b",
        "display_name": "s",
        "cleanup_date": "s?",
        "assigned_to_flavor": "b",
        "related_instance": "s?",
        "name": "s",
        "type": "s",
        "status": "s",
        "size": "i",
        "created_at": "dt",
        "updated_at": "dt?",
        "deleted_at": "s?",
        "os_distro": "s",
        "hypervisor_type": "s?",
        "os_version": "s",
        "architecture": "s",
        "min_disk": "i",
        "min_ram": "i",
        "protected": "b",
        "visibility": "s",
        "container_format": "s",
        "disk_format": "s",
        "hw_qemu_guest_agent": "b",
        "instance_uuid": "s?",
        "volume_snapshot_uuid": "s?",
        "region": "s",
        "reseller_resources": "o?",
        "used_by_resellers": "[s]",
    })


def _flavor():
    return obj({
        "id": "s",
        "memory_gb": "n",
        "flavor_group": "o?",
        "name": "s",
        "description": "s?",
        "memory_mb": "i",
        "vcpus": "i",
        "swap": "i",
        "root_gb": "i",
        "ephemeral_gb": "i",
        "out_of_stock": "b",
        "properties": "o",
        "region": "s",
        "reseller_resources": "o?",
        "assigned_cluster_templates": "[s]",
        "used_by_resellers": "[s]",
    })


def _instance_fields():
    return {
        "id": "s",
        "name": "s",
        "allowed_actions": "[s]",
        "access_ip": "s?",
        "uuid": "s",
        "created": "dt",
        "display_status": "s",
        "display_task": "s?",
        "description": "s?",
        "image": {"anyOf": [ref("Image"), {"type": "null"}]},
        "region": "s",
        "region_obj": ref("RegionObject"),
        "flavor": ref("Flavor"),
        "status": "s",
        "booted_from_iso": "b",
        "locked": "b",
        "current_cycle_traffic": "i",
        "current_month_traffic": "i",
        "hostId": "s",
        "host_name": "s",
        "access_subnet_id": "s?",
        "availability_zone": "s",
    }


def _subnet_brief():
    return obj({
        "id": "uuid", "name": "s", "cidr": "s", "ip_version": "i", "gateway_ip": "s?",
        "project_id": "s", "enable_dhcp": "b", "extra": "o", "allocation_pools": "[o]",
        "has_edit_permission": "b", "has_delete_permission": "b",
    })


def _network():
    return obj({
        "id": "uuid",
        "extra": obj({
            "provider:physical_network": "s?",
            "provider:network_type": "s",
            "provider:segmentation_id": "i?",
            "availability_zones": "[s]",
        }),
        "subnets": arr(ref("SubnetBrief")),
        "allowed_actions": "[s]",
        "name": "s",
        "description": "s",
        "shared": "b",
        "router_external": "b",
        "is_default": "b",
        "status": "s",
        "admin_state_up": "b",
        "created_at": "dt",
        "updated_at": "dt",
        "region": "s",
        "project": "s",
    })


def _port():
    return obj({
        "id": "uuid",
        "fixed_ips": arr({"subnet_id": "uuid", "ip_address": "s"}),
        "created_at": "dt",
        "name": "s",
        "description": "s",
        "admin_state_up": "b",
        "device_id": "s",
        "device_owner": "s",
        "mac_address": "s",
        "security_groups": "[s]",
        "port_security_enabled": "b",
        "extra": "o",
        "status": "s",
        "network": "s",
        "project": "s",
    })


def _floating_ip():
    return obj({
        "id": "uuid",
        "floating_network": {"id": "uuid", "name": "s", "description": "s", "region": "s"},
        "port": obj({"id": "uuid", "name": "s"}) | {"type": ["object", "null"]},
        "router": obj({"id": "uuid", "name": "s"}) | {"type": ["object", "null"]},
        "associated_object": obj({"device_type": "s", "id": "s", "name": "s"})
        | {"type": ["object", "null"]},
        "floating_ip_address": "s",
        "status": "s",
        "description": "s",
        "fixed_ip_address": "s?",
        "created_at": "dt",
        "updated_at": "dt",
        "project": "s",
    })


INSTANCE_ACTIONS = (
    "abort-migrate, add_floating_ip, associate_security_group, attach-volume, attach_port, "
    "boot_from_iso, change-password, confirm-resize, create, create_backup, create_snapshot, "
    "destroy, detach_port, detach_volume, dissociate_security_group, list, lock, migrate, move, "
    "reboot, rebuild, remove_floating_ip, rename, rescue, reset-state, resize, resume, retrieve, "
    "revert-resize, shelve, start, stop, suspend, unlock, unrescue, unshelve"
)


def components():
    instance = obj(_instance_fields() | {
        "tags": arr({"id": "s", "name": "s"}),
        "floating_ips": arr({"id": "s", "floating_ip_address": "s"}),
    })
    details = obj(_instance_fields() | {
        "client": ref("ClientRef"),
        "net_details": obj({
            "grouped_ips": arr({"network_name": "s", "ipv4s": "[s]", "ipv6s": "[s]"}),
            "ports": arr({
                "id": "s", "name": "s", "network": "s", "ipv4s": "[s]", "ipv6s": "[s]",
                "floating_ips": "[s]", "end_user_has_access": "b",
            }),
        }),
        "project": "s",
        "storage_details": obj({
            "hide_local_storage": "b", "local_storage": "i", "volume_attachments": "[o]",
        }),
        "traffic_type": "s",
    })
    return {
        "ListEnvelope": obj({
            "count": "i",
            "next": "s?",
            "previous": "s?",
            "totalCount": "i",
            "pageNo": "i",
        }) | {"description": "The envelope Fotbo wraps every paginated list in."},
        "Detail": obj({"detail*": "s"})
        | {"description": "The message an action answers with."},
        "ClientRef": obj({"id": "i", "name": "s", "display": "s"}),
        "UserRef": obj({"id": "i", "email": "s", "full_name": "s", "display": "s"}),
        "Image": _image(),
        "Flavor": _flavor(),
        "RegionObject": obj({
            "id": "s", "description": "s", "enabled": "b", "enable_volumes": "b",
            "enable_snapshots": "b", "is_default": "b",
        }),
        "Region": obj({
            "id": "s", "description": "s", "enabled": "b", "enable_volumes": "b",
            "enable_snapshots": "b", "is_default": "b", "is_lbaas_default": "b",
        }),
        "Instance": instance,
        "InstanceDetails": details,
        "InstancePermissions": bool_map("instances", INSTANCE_ACTIONS),
        "ImageChoices": obj({"pub": arr(ref("Image")), "own": arr(ref("Image")),
                             "shr": arr(ref("Image"))}),
        "SshKey": obj({
            "id": "i", "name": "s", "public_key": "s", "created_at": "dt", "fingerprint": "s",
            "user": ref("UserRef"),
        }),
        "SubnetBrief": _subnet_brief(),
        "Network": _network(),
        "Port": _port(),
        "FloatingIp": _floating_ip(),
        "SecurityGroupRule": obj(names(
            "id, remote_group, remote_group_name, description, direction, protocol, ethertype, "
            "remote_ip_prefix") | {"port_range_min": "i?", "port_range_max": "i?"}),
        "EstimatedCost": obj({"estimated_cost_display*": "s"}),
        "FilterChoice": obj({"display": "s", "value": "s"}),
        "LoadBalancer": obj(names(
            "id, description, project_id, provisioning_status, flavor_id, vip_subnet_id, "
            "vip_address, vip_network_id, vip_port_id, provider, created_at, updated_at, "
            "operating_status, name, vip_qos_policy_id, availability_zone")
            | {"admin_state_up": "b", "listeners": arr({"id": "s"}), "pools": arr({"id": "s"}),
               "tags": "[s]", "floating_ip": "s?"}),
        "Listener": obj(names(
            "id, name, description, operating_status, provisioning_status, protocol, "
            "default_pool_id, created_at, updated_at, tls_ciphers")
            | {"admin_state_up": "b", "protocol_port": "i", "connection_limit": "i",
               "l7policies": "[o]", "insert_headers": "o", "timeout_client_data": "i",
               "timeout_member_connect": "i", "timeout_member_data": "i",
               "timeout_tcp_inspect": "i", "tags": "[s]"}),
        "Pool": obj(names(
            "id, name, protocol, lb_algorithm, operating_status, provisioning_status, "
            "description, created_at, updated_at, healthmonitor_id")
            | {"admin_state_up": "b", "session_persistence": "o?"}),
        "Subnet": obj(names(
            "id, cidr, gateway_ip, name, description, subnetpool_id, created_at, updated_at, "
            "project, ipv6_ra_mode, ipv6_address_mode")
            | {"allocation_pools": arr({"start": "s", "end": "s"}), "dns_nameservers": "[s]",
               "host_routes": "[o]", "ip_version": "i", "enable_dhcp": "b"}),
        "Router": obj(names(
            "id, network_name, name, status, description, external_network_id, region, project")
            | {"routes": "[o]", "availability_zones": "[s]", "availability_hints": "[s]",
               "external_fixed_ips": "[o]", "admin_state_up": "b", "enable_snat": "b",
               "distributed": "b", "ha": "b"}),
        "SecurityGroup": obj(names("id, name, description, created_at, updated_at, project, region")
                             | {"associated_instances": arr({"id": "s", "name": "s"}),
                                "security_group_rules": arr(ref("SecurityGroupRule"))}),
        "Operation": obj(names("id, operation_type, primary_object_id, status, created_at")
                         | {"completed": "b", "seen": "b", "can_retry": "b",
                            "progress": {"total_steps": "i", "completed_steps": "i",
                                         "steps_details": "[o]"},
                            "initiating_user": ref("UserRef")}),
        "DnsZone": obj(names("id, name, email, description, status, type") | {"ttl": "i"}),
        "RecordSet": obj(names("id, name, type, description, status, zone_id")
                         | {"records": "[s]", "ttl": "i?"}),
        "Ticket": obj(names(
            "id, created_at, created_by_display, client_display, title, description, "
            "department_display, status, status_display")
            | {"created_by": "i", "client": "i?", "department": "i", "is_staff_generated": "b",
               "updates": "[o]"}),
        "Attachment": obj(names("file_name, disk_file, content_type")
                          | {"id": "i", "ticket_note": "i?", "ticket_update": "i?",
                             "email_message": "i?"}),
        "Notification": obj(names("title, generated, status") | {"id": "i"}),
        "Invoice": obj(names(
            "status, issue_date, due_date, total, currency, display_number, fiscal_date, "
            "fiscal_due_date, name") | {"id": "i", "client": "i", "is_fiscal": "b",
                                        "number": "i?"}),
        "Service": obj(names(
            "display_name, status, created_at, next_due_date, next_expiration_date")
            | {"id": "i", "product": "o", "cycle": "o"}),
    }
