"""Every operation of the reconstruction, section by section, in the published order.

Each entry carries `source`, written to the operation as `x-fotbo-source`:
- `published-docs`: the operation is on the published Fotbo docs page (title, parameters, body
  fields and samples from there; path and method from the Fleio provider docs that share it);
- `fleio-provider-docs`: known from the API docs of another Fleio-based provider whose spec was
  derived from the Fotbo file, not seen on the published page (cut off early);
- `fleio-routing`: the route exists in Fleio's own code; its presence in Fotbo 1.0.5 is likely,
  not proven.

In examples, `...` stands for "what Redoc derives from the schema": the published page collapses
nested values, so only top-level sample values are facts.
"""
from components import INSTANCE_ACTIONS
from schemas import arr, bool_map, names, obj, ref

PUB, OCP, FLEIO = "published-docs", "fleio-provider-docs", "fleio-routing"

TAGS = [
    ("Instances (VPS)", "Virtual private servers: creating, running, resizing, backing up and "
     "networking them. Ask `create_options` first for the values a new server may take."),
    ("Load balancers", "Load balancers, their listeners and pools, spreading traffic over "
     "several servers. Ask `create_options` first for the values they accept."),
    ("Networks (VPC)", "Private networks and their subnets."),
    ("Routers", "Routers connecting private networks with each other and the outside."),
    ("Zones (DNS)", "DNS zones, record sets and reverse (PTR) records."),
    ("Security groups", "Firewall rules, grouped, for inbound and outbound traffic."),
    ("Floating IPs", "Public addresses that can be moved from one server to another."),
    ("SSH Keys", "Public keys to install on new servers."),
    ("My images", "Your own images, snapshots and ISO files."),
    ("Billing", "Invoices, payment methods, services and the billing history."),
    ("User", "The user profile and signing in."),
    ("Clients", "The client account, its usage summary and its long-running operations."),
    ("Tickets", "Support tickets, from opening to closing."),
    ("Notifications", "Messages from the platform and the choice of which to receive."),
]

OPERATIONS = []
_tag = None


def section(name):
    global _tag
    _tag = name


def op(method, path, title, source, description, **extra):
    OPERATIONS.append(dict(tag=_tag, method=method, path=path, title=title, source=source,
                           description=description, **extra))


def detail(text="string"):
    """The `{detail}` answer of an action, with its published sample text."""
    return {"response": ref("Detail"), "example": {"detail": text}}


def lst(item, **extra):
    """A paginated list: the shared envelope plus `objects` and the list's own keys."""
    return {"allOf": [ref("ListEnvelope"), obj({"objects": arr(item)} | extra)]}


def deleted():
    return {"status": "204", "status_text": "No Content"}


LIST_QUERY = ["filtering", "ordering", "page", "page_size"]
I = "/backend/api/openstack/instances"
INST = I + "/{instance_id}"
FILTERS = {
    "task_state": arr(ref("FilterChoice")), "status": arr(ref("FilterChoice")),
    "availability_zone": arr(ref("FilterChoice")),
    "project__service__client__status": arr(ref("FilterChoice")),
    "project__service__status": arr(ref("FilterChoice")),
}
ESTIMATE = "ESTIMATED COST<br>\n€0.0007 / hour<br>\nor €0.50 / month"

# --------------------------------------------------------------------------------------------
section("Instances (VPS)")
op("GET", I, "Get Instance list", PUB,
   "Lists the OpenStack instances of your account. The list is empty until you create one.",
   query=LIST_QUERY,
   response=obj({
       "count": "i", "next": "s?", "previous": "s?", "objects": arr(ref("Instance")),
       "totalCount": "i", "pageNo": "s", "permissions": ref("InstancePermissions"),
       "filter_options": obj(FILTERS), "operations": "[]",
   }),
   example={"count": 0, "next": None, "previous": None, "objects": ..., "totalCount": 0,
            "pageNo": "string", "permissions": ..., "filter_options": ..., "operations": []})
op("POST", I, "Create Instances", PUB,
   "Orders one or more instances. Give either SSH keys or a root password; a password should be "
   "long (16 characters or more) and mix cases, digits and symbols. `number_of_instances` "
   "creates several alike.",
   body=obj({
       "boot_source*": {"source_type*": "s", "source_id*": "s", "cinder_az": "s",
                        "create_new_volume": "b", "delete_on_termination": "b",
                        "volume_type": "s", "volume_size": "i"},
       "client*": "i", "flavor*": "s", "name*": "s", "nics*": "[s]", "region*": "s",
       "root_password*": "s", "ssh_keys*": "s", "number_of_instances*": "i", "user_data*": "s",
   }),
   body_example={
       "boot_source": {"source_type": "image", "source_id": "{image_id}"},
       "client": "{client_id}", "flavor": "{country_name}-{flavor_id}", "name": "{name}",
       "nics": ["{network_id}"], "region": "{country_name}", "root_password": "{root_password}",
       "ssh_keys": "[{id1}]", "number_of_instances": "{number_of_instances}", "user_data": "",
   },
   status="201", status_text="Created",
   response=obj({"name": "s", "flavor": "s", "region": "s", "availability_zone": "s?",
                 "operation_id": "uuid"}),
   example={"name": {"name": "{name}"}, "flavor": {"id": "{country_name}-{flavor_id}"},
            "region": {"id": "{country_name}"}, "availability_zone": None,
            "operation_id": {"id": "{operation_id}"}})
op("GET", I + "/create_options", "Get create Instance options", PUB,
   "Returns what a new instance may be made of: boot sources, flavors, SSH keys, networks, "
   "regions. Use these values in the create request.",
   query=["image", "region"],
   response=obj({
       "bootSources": {
           "image": arr(ref("Image")), "owned_image": arr(ref("Image")),
           "shared_image": arr(ref("Image")), "community_image": arr(ref("Image")),
           "volume": "[o]", "volume_snapshot": "[o]",
           "volume_types": arr({"name": "s", "description": "s", "sizeIncrement": "i",
                                "minimumSize": "i"}),
           "requested_boot_source": "o?",
       },
       "flavor": arr(ref("Flavor")), "ssh_key": arr(ref("SshKey")),
       "nics": arr({"id": "s", "name": "s", "tags": "[s]"}),
       "availability_zones": "[s]", "cinder_az": "[s]", "enable_volumes": "b",
       "enable_snapshots": "b", "hide_volume_az": "b",
       "region": arr({"id": "s", "description": "s"}), "selected_region": "s",
       "client": ref("ClientRef"),
   }),
   example={"bootSources": ..., "flavor": ..., "ssh_key": ..., "nics": ...,
            "availability_zones": [], "cinder_az": [], "enable_volumes": False,
            "enable_snapshots": True, "hide_volume_az": True, "region": ...,
            "selected_region": "Staging", "client": ...})
op("POST", INST + "/reboot", "Reboot Instance", PUB, "Reboots the instance.", **detail())
op("GET", INST + "/rescue", "List Rescue Instance", PUB,
   "Lists the images the instance can be rescued with.",
   response=obj({"image": ref("ImageChoices"), "instance": ref("Instance")}),
   example={"image": ..., "instance": ...})
op("POST", INST + "/rescue", "Rescue Instance", PUB,
   "Puts the instance in rescue mode, booted from the given image.",
   body=obj({"image*": "s", "root_password*": "s"}), **detail())
op("POST", INST + "/shelve", "Shelve Instance", PUB,
   "Shelves the instance: it is stopped and its state kept for later.", **detail())
op("POST", INST + "/start", "Start Instance", PUB, "Starts the instance.", **detail())
op("POST", INST + "/stop", "Stop Instance", PUB, "Stops the instance.", **detail())
op("POST", INST + "/unrescue", "Unrescue Instance", PUB,
   "Leaves rescue (ISO) mode: the ISO image is unmounted and the instance rebooted.", **detail())
op("GET", INST + "/rebuild", "Select Instance for Rebuild", PUB,
   "Returns what the instance can be rebuilt from. A rebuild destroys all data on it.",
   response=obj({
       "bootSources": {"image": arr(ref("Image")), "owned_image": arr(ref("Image")),
                       "shared_image": arr(ref("Image"))},
       "instance": ref("Instance"), "ssh_keys": arr(ref("SshKey")),
   }),
   example={"bootSources": ..., "instance": ..., "ssh_keys": ...})
op("POST", INST + "/rebuild", "Rebuild instance", PUB,
   "Rebuilds the instance from an image. All data on it is destroyed.",
   body=obj({"image*": "s", "ssh_keys*": "s"}), **detail())
op("POST", INST + "/rename", "Rename Instance", PUB, "Gives the instance a new name.",
   body=obj({"name*": "s"}), body_example={"name": "netbsd-3333"}, **detail("Renamed"))
op("POST", INST + "/resize", "Resize Instance", PUB, "Moves the instance to another flavor.",
   body=obj({"flavor*": "s"}), body_example={"flavor": "{country_name}-{flavor_id}"},
   **detail("Instance resize started successfully"))
op("GET", INST + "/resize_options", "Get Resize Options", PUB,
   "Lists the flavors the instance can be resized to.",
   response=obj({"flavors": arr(ref("Flavor")), "instance": ref("Instance")}),
   example={"flavors": ..., "instance": ...})
op("GET", INST + "/traffic-data", "Traffic Data", PUB,
   "Returns the traffic of the instance per billing cycle and per month.",
   response=obj({
       "cycle_traffic": arr({"id": "i", "in": "i", "out": "i", "start_dt": "dt",
                             "end_dt": "dt"}),
       "month_traffic": arr({"month": "s", "in": "i", "out": "i", "start_dt": "dt",
                             "end_dt": "dt"}),
   }),
   example={"cycle_traffic": [], "month_traffic": []})
op("POST", INST + "/unshelve", "Unshelve Instance", PUB,
   "Brings a shelved instance back with its saved state.", **detail())
op("GET", INST + "/boot_from_iso", "List booting from ISO", PUB,
   "Lists the ISO images the instance can be booted from.",
   response=obj({"image": ref("ImageChoices"), "instance": ref("Instance")}),
   example={"image": ..., "instance": ...})
# Published with neither Host line nor description.
op("POST", INST + "/boot_from_iso", "Boot from iso", PUB, None,
   body=obj({"image*": "s"}), **detail())
op("POST", INST + "/change_password", "Change Instance Password", PUB,
   "Sets a new password on the instance.", body=obj({"password*": "s"}), **detail())
op("GET", INST + "/dissociate_ip_create_options", "Dissociate IP Create Options", PUB,
   "Lists the floating IPs that can be taken off the instance.",
   response=obj({"ips": arr(ref("FloatingIp"))}), example={"ips": ...})
op("GET", INST + "/get_console_url", "Get Console URL", PUB,
   "Returns the address of the instance's remote console.",
   response=obj({"remote_console": {"protocol": "s", "type": "s", "url": "s"}}),
   example={"remote_console": ...})
op("GET", INST + "/add_ip_options", "Get Add IP Options", PUB,
   "Returns the networks and ports an address can be added on. Answers 404 when the instance "
   "has no ports.",
   response=obj({"networks": arr(ref("Network")), "ports": arr(ref("Port"))}),
   example={"networks": ..., "ports": ...})
# Published without any response.
op("GET", INST + "/associate_ip_create_options", "Get Associate IP Create Options", PUB,
   "Returns the ports of the instance and the free floating IPs that can be associated with "
   "them.", no_responses=True)
op("POST", INST + "/confirm_resize", "Confirm Resize", PUB,
   "Confirms a finished resize of the instance.", **detail("Resize confirmed"))
op("GET", INST + "/get_console_output", "Get Console Output", PUB,
   "Returns the last lines the instance wrote to its console.", query=["length"],
   response=obj({"console_text": "s", "length": "i"}),
   example={"console_text": "", "length": 30})
op("GET", INST + "/measures", "Instance Measures", PUB,
   "Returns usage measures of the instance (`metric`: cpu_util or interface_traffic) over the "
   "last `hours` (1, 24, 168 or 720).", query=["hours", "metric"],
   response=obj({"measures": "[o]"}), example={"measures": []})
op("POST", INST + "/add_floating_ip", "Add Floating IP", PUB,
   "Associates a floating IP with a fixed IP of the instance.",
   body=obj({"fixed_ip*": "s", "floating_ip*": "s"}),
   body_example={"fixed_ip": "{fixed_ip}", "floating_ip": "{floating_ip}"},
   **detail("Floating ip associated"))
op("GET", INST + "/add_port_options", "Add Port Options", PUB,
   "Returns the networks a new port of the instance can be attached to.",
   response=obj({"networks": arr(ref("Network")), "project_id": "s"}),
   example={"networks": ..., "project_id": "73aa943377f14b5bbef095786cd9635b"})
op("POST", INST + "/create_backup", "Create Backup", PUB, "Schedules a backup of the instance.",
   body=obj({"backup_name*": "s", "backup_type*": "s", "rotation*": "i"}),
   body_example={"backup_name": "{name_image}", "backup_type": "manual", "rotation": 1},
   **detail("Backup for instance netbsd-3333 was scheduled for creation"))
op("GET", INST + "/get_backup_price", "Get Backup Price", PUB,
   "Returns what a backup of the instance costs.", response=ref("EstimatedCost"),
   example={"estimated_cost_display": ESTIMATE})
op("GET", INST + "/get_instance_backups_and_backup_schedules",
   "Get Instance Backups and Backup Schedules", PUB,
   "Lists the backups of the instance and the schedules that make them.",
   response=obj({
       "backups": arr({"name": "s", "id": "s", "backup_type": "s", "client_owned": "b"}),
       "schedules": arr(obj(names("backup_name, backup_type, instance, run_at")
                            | {"id": "i", "rotation": "i", "hour": "i", "day": "i?"})),
   }),
   example={"backups": ..., "schedules": ...})
op("POST", INST + "/create_snapshot", "Create Snapshot", PUB,
   "Takes a snapshot of the instance; answers with the id of the new image.",
   body=obj({"name*": "s"}), body_example={"name": "{name}"},
   response=obj({"image_uuid": "uuid"}),
   example={"image_uuid": "ede0eb63-5c8f-4c9b-95ab-c1a167cb8143"})
op("GET", INST + "/get_snapshot_price_per_cycle", "Get Snapshot Price per Cycle", PUB,
   "Returns what a snapshot of the instance costs per billing cycle.",
   response=obj({"estimated_cost_display": "s", "estimated_cost_display_reseller": "s?"}),
   example={"estimated_cost_display": ESTIMATE, "estimated_cost_display_reseller": None})
op("POST", INST + "/remove_floating_ip", "Remove Floating IP", PUB,
   "Takes a floating IP off the instance.", body=obj({"ip*": "s"}),
   body_example={"ip": "{floating_ip}"}, **detail("Floating ip dissociated"))
op("GET", INST + "/actions", "Instance Actions", PUB,
   "Lists what was done to the instance, newest first.", query=["limit"],
   response=obj({"count": "i", "hasMore": "b",
                 "objects": arr(names("action, message, request_id, start_time"))}),
   example={"count": 0, "hasMore": True, "objects": ...})
op("POST", INST + "/associate_security_group", "Create Associate Security Group", PUB,
   "Adds a security group to the instance.", body=obj({"group*": "s"}), **detail())
op("GET", INST + "/associate_security_group_create_options",
   "Get Associate Security Group Options", PUB,
   "Lists the security groups that can be added to the instance.",
   response=obj({"groups": arr({"id": "s", "name": "s"})}), example={"groups": ...})
op("POST", INST + "/dissociate_security_group", "Dissociate Security Group", PUB,
   "Takes a security group off the instance.", body=obj({"group*": "s"}), **detail())
op("GET", INST + "/list_security_groups", "List Security Groups", PUB,
   "Lists the security groups of the instance with their rules.",
   response=obj({"security_groups": arr({"description": "s", "id": "s", "name": "s",
                                         "security_group_rules": "[s]"})}),
   example={"security_groups": ...})
op("DELETE", INST, "Delete instance", PUB, "Deletes the instance with the given id.",
   example=None)
op("GET", INST, "Get Instance Details", PUB,
   "Returns everything about one instance, found by its id.",
   response=ref("InstanceDetails"),
   example={
       "access_ip": "2a13:4ac0:4:0:f816:3eff:fe72:1524", "allowed_actions": ...,
       "availability_zone": "nova", "booted_from_iso": False, "client": ...,
       "created": "2023-11-30T12:41:48+02:00", "current_cycle_traffic": 0,
       "current_month_traffic": 0, "description": None, "display_status": "Running",
       "display_task": None, "flavor": ...,
       "hostId": "d4e0893dc4b0aac68503e0df8e6ea38ab0caac213fb331184801d7d8",
       "host_name": "worker-node01-nl", "id": "{instance_id}", "image": None, "locked": False,
       "name": "{name_instance}", "net_details": ...,
       "project": "73aa943377f14b5bbef095786cd9635b", "region": "{country_name}",
       "region_obj": ..., "status": "active", "storage_details": ..., "traffic_type": "all",
       "uuid": "{instance_id}",
   })
op("GET", I + "/get_price", "Get Instance Price", PUB,
   "Returns what an instance of the given flavor and networks costs.",
   query=["client_id", "flavor_id", "network_ids", "region"], response=ref("EstimatedCost"),
   example={"estimated_cost_display": "ESTIMATED COST<br>\n€0.0069 / hour<br>\nor €5.00 / month"})
op("GET", I + "/permissions", "Instance Permissions", PUB,
   "Returns which instance actions you may perform.", response=ref("InstancePermissions"),
   example={f"instances.{a.strip()}": True for a in INSTANCE_ACTIONS.split(",")})
P = "/backend/api/openstack/ports"
FIXED_IP = {"subnet_id": "s", "ip_address": "s"}
op("POST", P, "Add Ports", PUB,
   "Creates a port and attaches it. Fails when you have no service or not enough funds.",
   body=obj({"attach_to*": "s", "device_id*": "s", "device_owner*": "s",
             "fixed_ips*": arr(FIXED_IP), "network*": "s", "project*": "s", "region*": "s",
             "subnet*": "s"}),
   body_example={"attach_to": "string", "device_id": "string", "device_owner": "string",
                 "fixed_ips": [{"subnet_id": "string", "ip_address": "string"}],
                 "network": "string", "project": "string", "region": "string",
                 "subnet": "string"},
   status="201", status_text="Created",
   response=obj(names("name, vnic_type, created_at, description, mac_address, status, "
                      "host_id", "s?")
                | names("region, attach_to, project, device_id, device_owner, network")
                | {"admin_state_up": "b", "port_security_enabled": "b",
                   "fixed_ips": arr(FIXED_IP), "auto_add_security_group": "b"}),
   example={"name": None, "admin_state_up": True, "port_security_enabled": True,
            "fixed_ips": [], "region": "string", "attach_to": "string", "project": "string",
            "host_id": None, "vnic_type": None, "auto_add_security_group": True,
            "created_at": None, "description": None, "device_id": "string",
            "device_owner": "string", "mac_address": None, "status": None,
            "network": "string"})
op("POST", P + "/{port_id}/add_ip", "Add IP to Port", PUB,
   "Adds an address to a port of a server. Fails when you have no service or not enough funds.",
   body=obj({"append_ip*": "b", "device_id*": "s", "device_owner*": "s",
             "fixed_ips*": arr({"subnet_id": "s"}), "port*": "s", "region*": "s",
             "subnet*": "s"}),
   body_example={"append_ip": True, "device_id": "{instance_id}", "device_owner": "compute:nova",
                 "fixed_ips": [{"subnet_id": "{id_subnet}"}], "port": "{ports_id}",
                 "region": "{country_name}", "subnet": "{id_subnet}"},
   **detail())
op("POST", P + "/{port_id}/automatic_add_ips", "Automatic IP Addition to Port", PUB,
   "Adds addresses to a port of a server, picked automatically from the given subnets.",
   body=obj({"fixed_ips*": arr({"subnet_id": "s"}), "region*": "s"}),
   body_example={"fixed_ips": [{"subnet_id": "{id_subnet}"}], "region": "{country_name}"},
   **detail("IP(s) added"))
op("POST", P + "/{port_id}/remove_ip", "Remove IP from Port", PUB,
   "Takes an address off a port of a server.",
   body=obj({"fixed_ips*": arr(FIXED_IP), "region*": "s"}),
   body_example={"fixed_ips": [{"subnet_id": "{id_subnet}", "ip_address": "{ip_address}"}],
                 "region": "{country_name}"},
   **detail("IP removed"))
op("GET", "/backend/api/openstack/regions", "List Regions", PUB,
   "Lists the regions you can create resources in.",
   response=lst(ref("Region")),
   example={"count": 2, "next": None, "objects": ..., "pageNo": 1, "previous": None,
            "totalCount": 2})
BACKUP_SCHEDULE_REQUEST = obj({"backup_name*": "s", "backup_type*": "s", "day": "i",
                               "instance*": "s", "rotation*": "i", "run_at*": "null"})
BACKUP_SCHEDULE = obj(names("backup_name, backup_type, instance, run_at")
                      | {"day": "i?", "hour": "i", "id": "i", "rotation": "i"})
op("POST", "/backend/api/osbackup", "Create Backup schedules", PUB,
   "Creates a schedule that backs an instance up regularly (daily, or weekly on `day`).",
   body=BACKUP_SCHEDULE_REQUEST,
   body_example={"backup_name": "{name_image}", "backup_type": "weekly", "day": 0,
                 "instance": "{instance_id}", "rotation": 1, "run_at": None},
   status="201", status_text="Created", response=BACKUP_SCHEDULE,
   example={"backup_name": "{name_image}", "backup_type": "weekly", "day": 0, "hour": 6,
            "id": 181141, "instance": "{instance_id}", "rotation": 1,
            "run_at": "2023-12-04T08:00:00.855745+02:00"})
# Not on the published page, but in the Fotbo-titled relatives of the file.
op("GET", "/backend/api/osbackup", "List Backup schedules", OCP,
   "Lists your backup schedules.", response=arr(BACKUP_SCHEDULE))
op("POST", INST + "/tag", "Add Tag", OCP, "Adds a tag to the instance; answers with its tags.",
   body=obj({"name*": "s"}), status="201", status_text="Created",
   response=arr({"id": "s", "name": "s"}))
op("DELETE", INST + "/tag/{tag_id}", "Delete Instance Tag", OCP,
   "Takes a tag off the instance.", **deleted())
op("DELETE", P + "/{port_id}", "Delete port", OCP, "Deletes a port.", **deleted())

# --------------------------------------------------------------------------------------------
section("Load balancers")
LB = "/backend/api/openstack/lbaas-load-balancers"
LS = "/backend/api/openstack/lbaas-listeners"
PL = "/backend/api/openstack/lbaas-pools"
LB_OPTIONS = obj({
    "availability_zones": "[s]", "certificates": "[o]", "flavors": "[o]",
    "listener_protocols": "[s]",
    "monitor_http_methods": names("CONNECT, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, TRACE"),
    "monitor_types": names("HTTP, HTTPS, PING, SCTP, TCP, TLS-HELLO, UDP-CONNECT"),
    "pool_algorithms": names("LEAST_CONNECTIONS, ROUND_ROBIN, SOURCE_IP, SOURCE_IP_PORT"),
    "pool_protocols": "[s]", "pool_supported_algorithms": "[s]",
    "protocols": names("HTTP, HTTPS, PROXY, PROXYV2, SCTP, TCP, TERMINATED_HTTPS, UDP"),
    "session_persistence_types": names("APP_COOKIE, HTTP_COOKIE, SOURCE_IP"),
    "subnets": arr(obj(names("cidr, created_at, description, gateway_ip, id, name, network, "
                             "network_name, project, subnetpool_id, updated_at")
                       | {"allocation_pools": "[o]", "enable_dhcp": "b", "extra": "o",
                          "ip_version": "i"})),
})
LISTENER_DETAILS = obj(names("description, name, protocol")
                       | names("admin_state_up, x_forwarded_for, x_forwarded_port, "
                               "x_forwarded_proto, x_ssl_client_cn, x_ssl_client_dn, "
                               "x_ssl_client_has_cert, x_ssl_client_not_after, "
                               "x_ssl_client_not_before, x_ssl_client_sha1, "
                               "x_ssl_client_verify, x_ssl_issuer", "b")
                       | names("connection_limit, protocol_port, timeout_client_data, "
                               "timeout_member_connect, timeout_member_data, "
                               "timeout_tcp_inspect", "i"))
MONITOR_DETAILS = obj(names("expected_codes, http_method, name, type, url_path")
                      | {"admin_state_up": "b"}
                      | names("delay, max_retries, max_retries_down, timeout", "i"))
POOL_DETAILS = obj({"admin_state_up": "b", "cookie_name": "s", "description": "s",
                    "lb_algorithm": "s", "name": "s", "session_persistence": "o"})
MEMBER = obj({"address": "s", "protocol_port": "i", "subnet_id": "s", "wieght": "i"})
LIST_PERMS = lambda prefix: bool_map(prefix, "create, destroy, list, retrieve, update")  # noqa: E731
op("GET", LB + "/create_options", "Get Load Balancer Options", PUB,
   "Returns the values a new load balancer and its listeners may take: protocols, algorithms, "
   "monitor types, subnets, certificates. Use these values in the create request.",
   query=["region"], response=LB_OPTIONS,
   example={"availability_zones": [], "certificates": [], "flavors": [],
            "listener_protocols": ..., "monitor_http_methods": ..., "monitor_types": ...,
            "pool_algorithms": ..., "pool_protocols": ..., "pool_supported_algorithms": ...,
            "protocols": ..., "session_persistence_types": ..., "subnets": ...})
op("GET", LB, "List Load Balancer", PUB, "Lists your load balancers.",
   query=LIST_QUERY + ["region"],
   response=lst(ref("LoadBalancer"), onePage="b", disableCreate="b",
                permissions=LIST_PERMS("lbaas-load-balancers")),
   example={"count": 0, "next": None, "previous": None, "objects": [], "totalCount": 0,
            "pageNo": 0, "onePage": True, "disableCreate": True, "permissions": {}})
op("POST", LB, "Create Load Balancer", OCP,
   "Creates a load balancer with its first listener, pool, members and health monitor.",
   body=obj({"listener_details*": LISTENER_DETAILS,
             "load_balancer_details*": obj(names("availability_zone, description, name, "
                                                 "flavor, vip_address, vip_subnet_id")
                                           | {"admin_state_up": "b"}),
             "monitor_details*": MONITOR_DETAILS, "pool_details*": POOL_DETAILS,
             "pool_members*": arr(MEMBER)}),
   example=[])
op("GET", LB + "/{loadbalancer_id}", "Get Load Balancer Details", OCP,
   "Returns one load balancer.", response=ref("LoadBalancer"))
op("PUT", LB + "/{loadbalancer_id}", "Change Load Balancer", OCP,
   "Changes the name, description or state of a load balancer.",
   body=obj({"admin_state_up*": "b", "description*": "s", "id*": "s", "name*": "s",
             "connection_limit": "integers", "default_pool_id": "s",
             "timeout_client_data": "integers", "timeout_member_conn": "integers",
             "timeout_member_data": "integers", "timeout_tcp_inspect": "integers"}),
   response=ref("LoadBalancer"))
op("DELETE", LB + "/{loadbalancer_id}", "Delete Load Balancer", OCP,
   "Deletes a load balancer.", **deleted())
op("GET", LS + "/create_options", "Get Load Balancer Options (listeners)", OCP,
   "Returns the values a new listener may take.", response=LB_OPTIONS)
op("GET", LS, "Get LBAAS Listeners", OCP, "Lists the listeners of a load balancer.",
   query=["loadbalancer_id", "page_size"],
   response=lst(obj(names("id, name, protocol, operating_status, provisioning_status")
                    | {"protocol_port": "i", "admin_state_up": "b"}),
                onePage="b", permissions=LIST_PERMS("lbaas-listeners")))
op("POST", LS, "Create Listeners for Load Balancer", OCP,
   "Adds a listener, with its pool, members and health monitor, to a load balancer.",
   body=obj({"listener_details*": LISTENER_DETAILS, "loadbalancer_id*": "s",
             "monitor_details*": MONITOR_DETAILS, "pool_details*": POOL_DETAILS,
             "pool_members*": arr(MEMBER)}),
   errors={"400": {"description": "Bad Request",
                   "content": {"application/json": {"schema": ref("Detail")}}}})
op("GET", LS + "/{listener_id}", "Get LBAAS Listener Details", OCP, "Returns one listener.",
   response=ref("Listener"))
op("PUT", LS + "/{listener_id}", "Change LBAAS Listener Details", OCP, "Changes a listener.",
   body=obj(names("admin_state_up", "b") | names("default_pool_id, description, name")
            | names("connection_limit, timeout_client_data, timeout_member_connect, "
                    "timeout_member_data, timeout_tcp_inspect", "i"), required="all"),
   response=ref("Listener"))
op("DELETE", LS + "/{listener_id}", "Delete LBAAS listener", OCP,
   "Deletes a listener of a load balancer.", query=["loadbalancer_id*"], **deleted())
op("GET", PL, "List Load Balancer Pools", OCP, "Lists the pools of a load balancer.",
   query=["listener_id", "page_size", "loadbalancer_id*"],
   response=lst(obj(names("id, name, protocol, lb_algorithm, operating_status, "
                          "provisioning_status") | {"admin_state_up": "b"}),
                onePage="b", permissions=LIST_PERMS("lbaas-pools")))
op("POST", PL, "Change Load Balancer Pools", OCP,
   "Adds a pool with its members and health monitor to a load balancer.", query=["region"],
   body=obj({"loadbalancer_id*": "s", "monitor_details*": MONITOR_DETAILS,
             "pool_details*": obj({"admin_state_up": "b", "description": "s",
                                   "lb_algorithm": "s", "name": "s", "protocol": "s",
                                   "session_persistence": "o"}),
             "pool_members*": arr({"address": "s", "protocol_port": "i", "subnet_id": "s",
                                   "weight": "i"})}),
   example=[])
op("GET", PL + "/{pool_id}", "Get Load Balancer Pool Details", OCP, "Returns one pool.",
   response=ref("Pool"))
op("PUT", PL + "/{pool_id}", "Change Load Balancer Pool", OCP, "Changes a pool.",
   body=obj({"admin_state_up": "b", "description": "s", "lb_algorithm": "s", "name": "s",
             "session_persistence": {"type": "s"}, "persistance": "s", "cookie_name": "s"},
            required="all"),
   response=ref("Pool"))
op("DELETE", PL + "/{pool_id}", "Delete Load Balancer Pool", OCP, "Deletes a pool.",
   query=["loadbalancer_id", "region"], **deleted())
op("GET", PL + "/get_load_balancer_price/", "Load Balancer price", OCP,
   "Returns the prices of the load balancer flavors.",
   response=obj({"load_balancer_prices": arr({"name": "s", "currency": "s", "price": "s?"})}))

# --------------------------------------------------------------------------------------------
section("Networks (VPC)")
N = "/backend/api/openstack/networks"
SN = "/backend/api/openstack/subnets"
NET_PERMS = bool_map("networks", "auto_create_network, create, destroy, list, retrieve, "
                                 "save_auto_create_network_options, update")
op("GET", N, "Get Network VPC", OCP, "Lists your networks.", query=LIST_QUERY,
   response=lst(ref("Network"), permissions=NET_PERMS),
   errors={"409": {"description": "Conflict",
                   "content": {"application/json": {"schema": ref("Detail")}}}})
op("POST", N, "Create Network VPC", OCP, "Creates a network.",
   body=obj({"admin_state_up": "b", "description": "s", "id": "s", "name": "s", "region": "s"},
            required="all"),
   status="201", status_text="Created",
   response=obj({"admin_state_up": "b", "description": "s", "name": "s", "region": "s"}))
op("GET", N + "/create_options", "Get Network VPC create options", OCP,
   "Returns the regions and availability zones a new network may use.",
   response=obj({"regions": arr({"description": "s", "id": "s", "is_default": "b"}),
                 "selected_region": "s", "has_hidden_regions": "b",
                 "availability_zones": "[s]"}))
op("GET", N + "/{network_id}", "Get Network Details", OCP, "Returns one network.",
   response=ref("Network"))
op("PUT", N + "/{network_id}", "Change Network", OCP, "Changes a network.",
   body=obj({"admin_state_up": "b", "description": "s", "name": "s"}, required="all"),
   response=obj({"admin_state_up": "b", "description": "s", "name": "s"}))
op("DELETE", N + "/{network_id}", "Delete network", OCP, "Deletes a network.", **deleted())
op("GET", N + "/permissions", "Network Permissions", OCP,
   "Returns which network actions you may perform.", response=NET_PERMS)
op("POST", SN, "Create Subnets", OCP, "Creates a subnet in a network.",
   body=obj({"allocation_pools*": arr({"start": "s", "end": "s"}), "dns_nameservers*": "[s]",
             "cidr*": "s", "enable_dhcp*": "b", "ip_version*": "i",
             "ipv6_address_mode": "s?", "ipv6_ra_mode": "null", "name*": "s",
             "network_address_source*": "s", "network_id*": "uuid", "network_mask": "i",
             "setGatewayIp": "b", "host_routes": "[o]"}),
   status="201", status_text="Created", response=ref("Subnet"))
op("GET", SN + "/create_options", "Get Subnet Creation Options", OCP,
   "Returns the subnet pools and IPv6 modes a new subnet of the network may use.",
   query=["network_id"],
   response=obj({"pools": arr(obj(names("id, name") | {"default_prefixlen": "i",
                                                       "ip_version": "i", "is_default": "b",
                                                       "max_prefixlen": "i",
                                                       "min_prefixlen": "i",
                                                       "prefixes": "[s]"})),
                 "ipv6_modes": "[s]"}))
op("PUT", SN + "/{subnet_id}", "Change Subnet", OCP, "Changes a subnet.",
   body=obj({"allocation_pools*": arr({"start": "s", "end": "s"}), "cidr*": "s",
             "id": "uuid", "dns_nameservers": arr({"ip": "s"}), "host_routes": "[o]",
             "network_mask": "i", "ipv6_ra_mode": "s?", "ipv6_address_mode": "s?",
             "enable_dhcp*": "b", "gateway_ip*": "s", "ip_version*": "i", "name*": "s",
             "network_address_source*": "s", "network_id*": "s", "setGatewayIp*": "s"}),
   response=ref("Subnet"))
op("GET", SN, "List Subnets", FLEIO, "Lists your subnets.", query=["page", "page_size"],
   response=lst(ref("Subnet")))
op("GET", SN + "/{subnet_id}", "Get Subnet", FLEIO, "Returns one subnet.",
   response=ref("Subnet"))
op("DELETE", SN + "/{subnet_id}", "Delete Subnet", FLEIO, "Deletes a subnet.", **deleted())
op("POST", N + "/auto_create_network", "Auto-create Network", FLEIO,
   "Creates a ready-to-use network with a subnet and a router in a region.",
   body=obj({"region": "s"}), response=obj({"id": "s"}))
op("GET", N + "/get_subnet_pools", "Get Subnet Pools", FLEIO,
   "Lists the subnet pools of a region.", query=["region"],
   response=obj({"pools": "[o]"}))

# --------------------------------------------------------------------------------------------
section("Routers")
R = "/backend/api/openstack/routers"
ROUTER_PERMS = bool_map("routers", "add_interface, create, destroy, list, remove_interface, "
                                   "retrieve, update")
op("GET", R, "List Routers", OCP, "Lists your routers.", query=LIST_QUERY,
   response=lst(ref("Router"), permissions=ROUTER_PERMS,
                filter_options={"status": arr(ref("FilterChoice")),
                                "availability_zones__contains": arr(ref("FilterChoice"))}))
op("POST", R, "Create Routers", OCP, "Creates a router.",
   body=obj({"admin_state_up": "b", "description": "s", "external_network_id": "uuid",
             "name": "s", "region": "s"}, required="all"),
   status="201", status_text="Created",
   response=obj(names("id, name, description, external_network_id, region")
                | {"admin_state_up": "b"}))
op("GET", R + "/{router_id}", "Get Router Details", OCP,
   "Returns one router with its interfaces.",
   response={"allOf": [ref("Router"), obj({"interfaces": arr({
       "id": "s", "network_name": "s", "fixed_ips": arr({"subnet_id": "s", "ip_address": "s"}),
       "admin_state_up": "b"})})]})
op("PUT", R + "/{router_id}", "Change Router", OCP, "Changes a router.",
   body=obj({"admin_state_up": "b", "description": "s", "external_network_id": "uuid",
             "name": "s"}, required="all"),
   response=obj(names("description, external_network_id, name") | {"admin_state_up": "b"}))
op("DELETE", R + "/{router_id}", "Delete Router", OCP, "Deletes a router.", **deleted())
op("POST", R + "/{router_id}/add_interface", "Add Interface to Router", OCP,
   "Connects the router to a subnet, optionally on a given address.",
   body=obj({"ip*": "s", "subnet*": "s"}), **detail())
op("GET", R + "/{router_id}/create_add_interface_options",
   "Get Add Interface Options to Router", OCP,
   "Lists the subnets the router can be connected to.",
   response=obj({"subnets": arr(names("id, name, network_name, cidr"))}))
op("GET", R + "/create_options", "Get Router Creation Options", OCP,
   "Returns the regions and external networks a new router may use.",
   response=obj({"regions": arr({"description": "s", "id": "s"}), "has_hidden_regions": "b",
                 "external_networks": arr(names("id, name, region")),
                 "selected_region": "s", "availability_zones": "[s]"}))
op("GET", R + "/permissions", "Router Permissions", OCP,
   "Returns which router actions you may perform.", response=ROUTER_PERMS)
op("POST", R + "/{router_id}/remove_interface", "Remove Interface from Router", FLEIO,
   "Disconnects the router from a subnet.", body=obj({"interface_id*": "s"}), **detail())

# --------------------------------------------------------------------------------------------
section("Zones (DNS)")
D = "/backend/api/openstack/dns"
op("POST", D + "/get_floating_ip_ptr", "POST Floating IP PTR", OCP,
   "Returns the reverse DNS (PTR) record of a floating IP.",
   response=obj({"ptrdname": "s", "floating_ip_id": "uuid", "description": "s", "ttl": "s"}))
op("POST", D + "/set_floating_ip_ptr", "Set Floating IP PTR", OCP,
   "Sets the reverse DNS (PTR) record of a floating IP.",
   body=obj({"description": "s", "floating_ip_id": "uuid", "ptrdname": "s", "ttl": "s"},
            required="all"),
   response=obj(names("id, description, address, ptrdname, action, status")
                | {"ttl": "i", "links": {"self": "s"}}))
op("GET", D, "List DNS Zones", FLEIO, "Lists your DNS zones.",
   query=["region_name", "name", "email", "ttl", "description", "zone_type", "status",
          "filtering", "search", "ordering", "page_size"],
   response=obj({"objects": arr(ref("DnsZone")), "permissions": "o", "hasMore": "b"}))
op("POST", D, "Create DNS Zone", FLEIO, "Creates a DNS zone.",
   body=obj({"name*": "s", "email*": "s", "ttl": "i", "description": "s", "region_name": "s"}),
   status="201", status_text="Created", response=ref("DnsZone"))
op("GET", D + "/create_options", "DNS Create Options", FLEIO,
   "Returns the regions a new zone may be created in.",
   response=obj({"regions": "[o]", "selected_region": "s", "can_create_resource": "b"}))
op("GET", D + "/{zone_id}", "Get DNS Zone", FLEIO, "Returns one DNS zone.",
   query=["region_name"], response=ref("DnsZone"))
op("PUT", D + "/{zone_id}", "Update DNS Zone", FLEIO, "Changes a DNS zone.",
   body=obj({"email": "s", "ttl": "i", "description": "s", "region_name": "s"}),
   response=ref("DnsZone"))
op("DELETE", D + "/{zone_id}", "Delete DNS Zone", FLEIO, "Deletes a DNS zone.",
   query=["region_name"], **deleted())
op("GET", D + "/{zone_id}/list_records", "List Record Sets", FLEIO,
   "Lists the record sets of a zone.",
   query=["name", "type", "ttl", "description", "status", "region_name"],
   response=obj({"recordsets": arr(ref("RecordSet")),
                 "read_only_recordsets": arr(ref("RecordSet"))}))
op("POST", D + "/{zone_id}/create_records", "Create Record Set", FLEIO,
   "Adds a record set (A, AAAA, MX, NS, SOA, CNAME, PTR, TXT, SRV or SSHFP) to a zone.",
   body=obj({"name*": "s", "type_*": "s", "records*": "[s]", "ttl": "i", "description": "s",
             "region_name": "s"}),
   status="201", status_text="Created", response=ref("RecordSet"))
op("GET", D + "/{zone_id}/retrieve_record", "Get Record Set", FLEIO,
   "Returns one record set of a zone.", query=["region_name", "pk"],
   response=ref("RecordSet"))
op("PUT", D + "/{zone_id}/update_record", "Update Record Set", FLEIO,
   "Changes a record set of a zone.",
   body=obj({"pk*": "s", "records": "[s]", "ttl": "i", "description": "s",
             "region_name": "s"}),
   response=ref("RecordSet"))
op("DELETE", D + "/{zone_id}/delete_record", "Delete Record Set", FLEIO,
   "Deletes a record set of a zone.", body=obj({"pk*": "s", "region_name": "s"}), **deleted())
op("POST", D + "/{zone_id}/synchronize_records", "Synchronize Record Sets", FLEIO,
   "Replaces the record sets of a zone with the given ones.",
   body=arr(obj({"id": "s", "records*": "[s]", "zone_id*": "s", "name*": "s", "type*": "s",
                 "ttl*": "i", "deleted": "b", "created": "b"})),
   response=obj({"recordsets": arr(ref("RecordSet")),
                 "read_only_recordsets": arr(ref("RecordSet"))}))
op("GET", D + "/permissions", "DNS Permissions", FLEIO,
   "Returns which DNS actions you may perform.",
   response={"type": "object", "additionalProperties": {"type": "boolean"}})
op("GET", D + "/get_ptr_from_ip", "Get PTR from IP", FLEIO,
   "Returns the reverse record of an address.", query=["ip*", "region_name*"],
   response=ref("RecordSet"))
op("POST", D + "/create_or_update_ptr", "Create or Update PTR", FLEIO,
   "Sets the reverse record of an address.",
   body=obj({"ip*": "s", "zone_id": "s", "record*": "s", "region_name*": "s"}),
   status="201", status_text="Created", response=ref("RecordSet"))

# --------------------------------------------------------------------------------------------
section("Security groups")
SG = "/backend/api/openstack/securitygroups"
SG_PERMS = bool_map("securitygroups", "add_rule, create, delete_rule, destroy, list, retrieve, "
                                      "update")
op("GET", SG, "List Security Groups", OCP, "Lists your security groups.", query=LIST_QUERY,
   response=lst(obj(names("id, name, description, create_at, updated_at, project, region")
                    | {"associated_instances": arr({"id": "s", "name": "s"})}),
                permissions=SG_PERMS))
op("POST", SG, "Create Security Groups", OCP, "Creates a security group.",
   body=obj({"description": "s", "name": "s", "region": "s"}, required="all"),
   status="201", status_text="Created", response=obj(names("description, id, name")))
op("GET", SG + "/{securitygroup_id}", "Get Security Group Details", OCP,
   "Returns one security group with its rules.", response=ref("SecurityGroup"))
op("PUT", SG + "/{securitygroup_id}", "Change Security Group", OCP,
   "Renames or describes a security group.",
   body=obj({"description": "s", "name": "s", "region": "s"}, required="all"),
   response=obj(names("id, name, description")))
op("POST", SG + "/{securitygroup_id}/add_rule", "Add Rule to Security Group", OCP,
   "Adds a rule (direction ingress or egress) to a security group.",
   body=obj({"description": "s", "direction": "s", "protocol": "s?", "remote_ip_prefix": "s",
             "security_group_id": "s", "port_range_min": "i?", "port_range_max": "i?",
             "ethertype": "s"},
            required=("description", "direction", "protocol", "remote_ip_prefix",
                      "security_group_id")),
   status="201", status_text="Created", response=ref("Detail"))
op("POST", SG + "/{securitygroup_id}/delete_rule", "Delete Rule from Security Group", OCP,
   "Deletes a rule of a security group.", body=obj({"rule_id*": "uuid"}), **deleted())
op("GET", SG + "/permissions", "Security Group Permissions", OCP,
   "Returns which security group actions you may perform.", response=SG_PERMS)
op("DELETE", SG + "/{securitygroup_id}", "Delete Security Group", FLEIO,
   "Deletes a security group.", **deleted())
op("GET", SG + "/create_options", "Security Group Create Options", FLEIO,
   "Returns the regions a new security group may be created in.",
   response=obj({"regions": "[o]", "selected_region": "s", "can_create_resource": "b"}))

# --------------------------------------------------------------------------------------------
section("Floating IPs")
F = "/backend/api/openstack/floatingips"
FIP_PERMS = bool_map("floatingips", "list, retrieve, create, destroy")
op("GET", F, "Floating IPs", OCP, "Lists your floating IPs.", query=["page", "page_size"],
   response=lst(ref("FloatingIp"), permissions=FIP_PERMS,
                filter_options={"status": arr(ref("FilterChoice"))}))
op("POST", F, "Create Floating IPs", OCP, "Allocates a floating IP from an external network.",
   body=obj({"description": "s", "floating_network": "s", "region": "s"}, required="all"),
   status="201", status_text="Created",
   response=obj(names("description, floating_network, id")))
op("DELETE", F + "/{floatingip_id}", "Delete floating IP", OCP, "Releases a floating IP.",
   **deleted())
op("GET", F + "/create_options", "Get Floating IP Options", OCP,
   "Returns the external networks and regions a floating IP may come from.",
   response=obj({"networks": arr(names("description, id, name, region")),
                 "regions": arr({"description": "s", "id": "s", "is_default": "b"}),
                 "default_region": "s"}))
op("GET", F + "/get_price", "Get Floating IP Price", OCP,
   "Returns what a floating IP costs in a region.", query=["region*"],
   response=ref("EstimatedCost"))
op("GET", F + "/{floatingip_id}", "Get Floating IP", FLEIO, "Returns one floating IP.",
   response=ref("FloatingIp"))
op("GET", F + "/permissions", "Floating IP Permissions", FLEIO,
   "Returns which floating IP actions you may perform.", response=FIP_PERMS)

# --------------------------------------------------------------------------------------------
section("SSH Keys")
K = "/backend/api/pkm"
KEY_PERMS = bool_map("publickeys", "create, destroy, list, retrieve, update")
KEY_BODY = obj({"name": "s", "private_key": "s", "public_key": "s"}, required="all")
op("GET", K + "/get_generated_key_pair", "Get Generated Key Pair", OCP,
   "Generates a new key pair and returns both halves; nothing is stored.",
   query=["page", "page_size"], response=obj({"private_key": "s", "public_key": "s"}))
op("GET", K, "List PKM Items", OCP, "Lists your SSH keys.", query=["page", "page_size"],
   response=lst(ref("SshKey"), permissions=KEY_PERMS))
op("POST", K, "Add PKM Items", OCP, "Stores an SSH key.", body=KEY_BODY,
   status="201", status_text="Created", response=ref("SshKey"))
op("PUT", K + "/{pkm_id}", "Change PKM Item Details", OCP, "Changes a stored SSH key.",
   body=KEY_BODY, response=ref("SshKey"))
op("DELETE", K + "/{pkm_id}", "Delete SSH Keys", OCP, "Deletes a stored SSH key.", **deleted())
op("GET", K + "/{pkm_id}", "Get SSH Key", FLEIO, "Returns one stored SSH key.",
   response=ref("SshKey"))
op("GET", K + "/permissions", "SSH Key Permissions", FLEIO,
   "Returns which SSH key actions you may perform.", response=KEY_PERMS)

# --------------------------------------------------------------------------------------------
section("My images")
IM = "/backend/api/openstack/images"
IMG_PERMS = bool_map("images", "create, deactivate, destroy, download, list, reactivate, "
                               "retrieve, update")
op("GET", IM + "/create_options", "Get Create Image Options", OCP,
   "Returns the formats, regions and properties a new image may have.",
   response=obj({"regions": arr({"id": "s", "description": "s"}),
                 "container_formats": "[s]", "disk_formats": "[s]", "visibilities": "[s]",
                 "os_distros": "[s]", "selected_region": "s", "hypervisor_types": "[s]",
                 "statuses": arr(ref("FilterChoice")), "cleanup_enabled": "b",
                 "cleanup_days": "i", "cleanup_formats": "[s]", "allowed_formats": "[s]",
                 "architectures": arr(arr("s"))}),
   errors={"409": {"description": "Conflict",
                   "content": {"application/json": {
                       "schema": ref("Detail"),
                       "example": {"detail": "Your client has no active OpenStack project"}}}}})
op("GET", IM + "/{image_id}", "Get Image-ISO Details", OCP, "Returns one image.",
   response=ref("Image"))
op("PUT", IM + "/{image_id}", "Change Image-ISO Details", OCP, "Changes an image.",
   body=obj({"architecture": "s", "disk_format": "s", "hypervisor_type": "null", "id": "s",
             "min_disk*": "i", "min_ram*": "i", "name": "s", "os_distro": "s",
             "os_version": "s", "properties": "o", "protected": "b", "visibility": "s"}),
   response=obj(names("architecture, hypervisor_type, name, os_distro, os_version, visibility")
                | {"min_disk": "i", "min_ram": "i", "properties": "o", "protected": "b",
                   "tags": "[s]"}))
op("DELETE", IM + "/{image_id}", "Delete Images-ISO", OCP, "Deletes an image.", **deleted())
op("POST", IM + "/{image_id}/copy-image", "Copy Image", OCP,
   "Copies an image to another region, optionally deleting the source.",
   body=obj({"delete_source_image": "b", "destination_name": "s",
             "destination_region_id": "s"}, required="all"), **detail())
op("GET", IM + "/get_snapshots_for_instance", "Get Snapshots for Instance", OCP,
   "Lists the snapshots taken of an instance.", query=["instance_uuid*"],
   response=obj({"objects": arr(ref("Image")), "volume_snapshots_count": "i"}))
op("GET", IM + "/permissions", "Image Permissions", OCP,
   "Returns which image actions you may perform.", response=IMG_PERMS)
op("GET", IM + "/get_price", "Get Image Price", OCP, "Returns what storing an image costs.",
   query=["disk_format*", "region*", "visibility*"], response=ref("EstimatedCost"))
op("GET", IM, "Get Images", OCP, "Lists the images you can use.", query=LIST_QUERY,
   response=lst(ref("Image"), permissions=IMG_PERMS,
                filter_options={"hypervisor_type": arr(ref("FilterChoice")),
                                "status": arr(ref("FilterChoice")),
                                "visibility": arr(ref("FilterChoice"))}))
op("POST", IM, "Create Images", OCP,
   "Uploads an image, or has it fetched from `url`.", query=["active_client*"],
   body=obj({"disk_format": "s", "source": "s", "name": "s", "url": "s", "min_disk": "i",
             "min_ram": "i", "region": "s", "protected": "b", "architecture": "s",
             "visibility": "s", "hypervisor_type": "s"}),
   body_media="multipart/form-data", status="201", status_text="Created",
   response=obj(names("name, region, container_format, disk_format, visibility, "
                      "architecture, os_distro, os_version, source, hypervisor_type, id")
                | {"min_disk": "i", "min_ram": "i", "protected": "b", "tags": "[s]"}))
op("POST", IM + "/{image_id}/deactivate", "Deactivate Image", FLEIO,
   "Makes an image unusable until reactivated.", **detail())
op("POST", IM + "/{image_id}/reactivate", "Reactivate Image", FLEIO,
   "Makes a deactivated image usable again.", **detail())
op("GET", IM + "/{image_id}/download", "Download Image", FLEIO, "Downloads the image file.",
   response_media="application/octet-stream",
   response={"type": "string", "format": "binary"})
op("GET", IM + "/{image_id}/get_member_status", "Get Image Member Status", FLEIO,
   "Returns whether you accepted an image shared with you.",
   response=obj({"member_status": "s"}))
op("POST", IM + "/{image_id}/update_image_member_status", "Update Image Member Status", FLEIO,
   "Accepts or rejects an image shared with you.", body=obj({"member_status*": "s"}),
   **detail())

# --------------------------------------------------------------------------------------------
section("Billing")
B = "/backend/api/billing"
op("GET", B + "/summary", "Billing Summary", OCP,
   "Returns your credit, services and invoice totals.",
   response=obj({"validate_credit_card": "b",
                 "credits": arr({"amount": "s", "currency": "s"}),
                 "uptodate_credit": "s", "billing_currency": "s", "services_count": "i",
                 "latest_data_from": "s?",
                 "invoices_details": obj({"invoices_count": "i", "unpaid_invoices_count": "i",
                                          "paid_invoices_count": "i", "unpaid_amount": "s",
                                          "unpaid_amount_currency": "s",
                                          "unpaid_invoice_id": "i?"})}))
op("GET", B + "/invoices", "List Invoices", FLEIO, "Lists your invoices.",
   query=["filtering", "ordering", "search", "status", "client", "id", "page", "page_size"],
   response=lst(ref("Invoice")))
op("GET", B + "/invoices/{invoice_id}", "Get Invoice", FLEIO, "Returns one invoice.",
   response={"allOf": [ref("Invoice"), obj(
       names("subtotal, first_name, last_name, company, address1, city, country, state, "
             "zip_code, phone, fax, email, balance")
       | {"items": "[o]", "fleio_info": "o", "journal": "[o]", "taxes": "[o]",
          "payment_options": "o"})]})
op("POST", B + "/invoices/add_credit_invoice", "Create Add-credit Invoice", FLEIO,
   "Creates an invoice that adds credit to your account when paid.",
   body=obj({"credit*": "s", "client*": "i"}), response=obj({"id": "i"}))
op("GET", B + "/invoices/{invoice_id}/payment_options", "Invoice Payment Options", FLEIO,
   "Lists the ways an invoice can be paid.", response=obj({"gateways": "[o]"}))
op("POST", B + "/invoices/{invoice_id}/pay_from_credit_balance",
   "Pay Invoice from Credit Balance", FLEIO, "Pays an invoice from your credit.", **detail())
op("GET", B + "/invoices/{invoice_id}/download", "Download Invoice", FLEIO,
   "Downloads an invoice as a document.", response_media="application/pdf",
   response={"type": "string", "format": "binary"})
op("GET", B + "/services", "List Services", FLEIO, "Lists your services.",
   query=["id", "display_name", "status", "ordering", "search", "page", "page_size"],
   response=lst(ref("Service")))
op("GET", B + "/services/{service_id}", "Get Service", FLEIO, "Returns one service.",
   response={"allOf": [ref("Service"), obj(
       names("suspend_type, activated_at, updated_at, terminated_at, auto_terminate_date, "
             "auto_terminate_reason, next_invoice_date, override_price, status_display, "
             "domain_name", "s?")
       | {"cancellation_request": "o?", "configurable_options": "[o]", "pricing_plan": "o?"})]})
op("POST", B + "/services/{service_id}/cancel", "Request Service Cancellation", FLEIO,
   "Asks for a service to be cancelled, now or at the end of its cycle.",
   body=obj({"cancellation_type*": "s", "reason*": "s"}), status="201",
   status_text="Created", response=ref("Detail"))
op("GET", B + "/services/{service_id}/upgrade_options", "Service Upgrade Options", FLEIO,
   "Lists the products and cycles a service can be upgraded to.",
   response=obj({"products": "[o]", "cycles": "[o]"}))
op("POST", B + "/services/{service_id}/upgrade", "Upgrade Service", FLEIO,
   "Upgrades a service to another product or cycle.",
   body=obj({"product*": "i", "cycle*": "i"}), response=obj({"id": "i"}))
op("GET", B + "/gateways", "List Payment Gateways", FLEIO, "Lists the payment gateways.",
   response=lst(obj({"id": "i", "name": "s", "instructions": "s"})))
op("GET", B + "/gateways/{gateway_id}", "Get Payment Gateway", FLEIO,
   "Returns one payment gateway.", response=obj({"id": "i", "name": "s", "instructions": "s"}))
op("GET", B + "/gateways/get_configured_recurring_payment_options",
   "Configured Recurring Payment Options", FLEIO,
   "Lists the recurring payment methods you set up.", response=obj({"objects": "[o]"}))
op("POST", B + "/gateways/deactivate_recurring_payment_option",
   "Deactivate Recurring Payment Option", FLEIO, "Stops a recurring payment method.",
   body=obj({"gateway_name*": "s"}), **detail())
op("POST", B + "/gateways/reactivate_recurring_payment_option",
   "Reactivate Recurring Payment Option", FLEIO, "Restarts a recurring payment method.",
   body=obj({"gateway_name*": "s"}), **detail())
op("POST", B + "/gateways/change_recurrent_payments_order", "Reorder Recurring Payments",
   FLEIO, "Changes the order in which recurring payment methods are tried.",
   body=obj({"recurring_payment_gateway_name*": "s", "new_ordering*": "i"}), **detail())
op("GET", B + "/taxrules", "Applicable Tax Rules", FLEIO,
   "Lists the tax rules that apply to a client.", query=["client_id*"],
   response=arr(obj({"level": "i", "name": "s", "rate": "s", "country": "s", "state": "s?"})))
op("GET", "/backend/api/openstack/billing", "Billing Usage", FLEIO,
   "Returns the usage of the current billing cycle.", query=["page", "page_size"],
   response=lst(obj({"id": "i", "price": "s", "usage": "o"})))
op("GET", "/backend/api/openstack/billing/{usage_id}", "Billing Usage Item", FLEIO,
   "Returns one usage entry of the current cycle.",
   response=obj({"id": "i", "price": "s", "usage": "o"}))
op("GET", "/backend/api/openstack/billing/history", "Billing History", FLEIO,
   "Lists the usage of past billing cycles.", query=["page", "page_size"],
   response=lst(obj({"id": "i", "start_date": "s", "end_date": "s", "price": "s"})))
op("GET", "/backend/api/openstack/billing/history/{history_id}", "Billing History Item", FLEIO,
   "Returns the usage of one past billing cycle.",
   response=obj({"id": "i", "start_date": "s", "end_date": "s", "price": "s",
                 "usage_details": "o"}))

# --------------------------------------------------------------------------------------------
section("User")
U = "/backend/api"
op("GET", U + "/userprofile", "Get User Profile", FLEIO, "Returns your user profile.",
   response=obj({"user": obj(names("username, email, first_name, last_name, date_joined, "
                                   "last_login, language, mobile_phone_number")
                             | {"id": "i", "is_active": "b", "clients": "[o]",
                                "email_verified": "b"}),
                 "requires_email_validation": "b"}))
op("PUT", U + "/userprofile/{user_id}", "Update User Profile", FLEIO,
   "Changes your profile; changing the password needs the old one.",
   body=obj({"email*": "s", "first_name*": "s", "last_name*": "s", "language": "s",
             "mobile_phone_number": "s", "password": "s", "old_password": "s"}),
   response=obj({"detail": "s", "confirmation_email_sent": "b"}))
op("GET", U + "/userprofile/create_options", "User Profile Options", FLEIO,
   "Lists the languages a profile may use.", response=obj({"languages": "[o]"}))
op("POST", U + "/login", "Log In", FLEIO, "Starts a browser session.",
   body=obj({"username*": "s", "password*": "s", "remember_me": "b"}),
   response=obj({"user": "o"}))
op("POST", U + "/logout", "Log Out", FLEIO, "Ends a browser session.", **detail())
op("POST", U + "/reset-password/", "Request Password Reset", FLEIO,
   "Sends a password reset link by e-mail.", body=obj({"username_or_email*": "s"}))
op("POST", U + "/reset-password/confirm/", "Confirm Password Reset", FLEIO,
   "Sets a new password with the token from the reset e-mail.",
   body=obj({"user_id*": "s", "token*": "s", "new_password*": "s", "confirm_password*": "s"}),
   **detail())
op("POST", U + "/confirm-email/", "Confirm E-mail", FLEIO,
   "Confirms your e-mail address with the token sent to it.", body=obj({"token*": "s"}),
   **detail())
op("POST", U + "/resend-confirmation-email/", "Resend Confirmation E-mail", FLEIO,
   "Sends the e-mail confirmation message again.", **detail())

# --------------------------------------------------------------------------------------------
section("Clients")
C = "/backend/api/clients"
O = "/backend/api/operations"
CLIENT = obj(names("name, first_name, last_name, company, city, country, state, date_created, "
                   "currency, phone, country_name, long_name, fax, address1, address2, "
                   "zip_code, vat_id, status")
             | {"id": "i", "users": "[]", "credits": arr({"amount": "s", "client": "i",
                                                          "currency": "s"}),
                "custom_fields": "[o]", "has_openstack_services": "b",
                "roles": arr({"display_name": "s", "id": "i", "name": "s"})})
op("GET", C + "/{client_id}", "Get Client Details", OCP, "Returns your client account.",
   response=CLIENT)
op("PUT", C + "/{client_id}", "Change Client", OCP,
   "Changes the contact and invoicing details of your client account.",
   body=obj({"address1*": "s", "address2": "s", "city*": "s", "company": "s", "country*": "s",
             "custom_fields*": "[o]", "first_name*": "s", "last_name*": "s", "phone*": "s",
             "state": "s", "vat_id": "s", "zip_code*": "s"}),
   response=obj(names("address1, address2, city, company, country, country_name, fax, "
                      "first_name, last_name, phone, state, vat_id, zip_code")
                | {"id": "i", "custom_fields": "[o]"}))
op("GET", "/backend/api/current-user", "Get Current User", OCP,
   "Returns the signed-in user and the features enabled for the account.",
   response=obj(names("version, edition, uuid, saml2_login_url")
                | {"features": {"type": "object", "additionalProperties": {"type": "boolean"}},
                   "is_white_label": "b", "is_development": "b",
                   "requires_tos_agreement": "b", "enable_saml2_single_sign_on": "b",
                   "disable_fleio_authentication": "b", "saml2_identity_providers": "[o]"}))
op("GET", O, "List operations", OCP,
   "Lists the long-running operations of your account (creating instances and the like).",
   query=["page_size", "ordering", "filtering", "page", "active_client"],
   response=lst(ref("Operation"),
                filter_options={"operation_type": arr(ref("FilterChoice")),
                                "status": arr(ref("FilterChoice"))}))
op("GET", O + "/{operation_id}", "List opearation status", OCP,
   "Returns one operation with its progress.", response=ref("Operation"))
op("POST", O + "/{operation_id}/retry", "Operation retry", OCP,
   "Runs a failed operation again.", **detail())
op("GET", O + "/has_operations_in_progress", "Operations in progress", OCP,
   "Tells whether operations are still running and how many failed unseen.",
   response=obj({"has_operations_in_progress": "b", "operations_count": "i",
                 "unseen_failed_operations": "i"}))
op("POST", O + "/mark_all_as_read", "Mark all as read", OCP,
   "Marks every operation as seen.", **detail())
op("POST", O + "/{operation_id}/abort_operation", "Abort operation", OCP,
   "Stops a running operation.")
op("GET", "/backend/api/openstack/summary", "OpenStack Summary", OCP,
   "Returns your credit and how many instances, images, volumes and keys you have.",
   response=obj(names("uptodate_credit, billing_currency")
                | {"credits": arr({"amount": "s", "currency": "s"})}
                | names("instances, stopped_instances, images, volumes, pkm", "i")))
op("GET", C, "List Clients", FLEIO, "Lists the client accounts you belong to.",
   query=["ordering", "page", "page_size"], response=lst(CLIENT))
op("POST", C, "Create Client", FLEIO, "Creates a client account.",
   body=obj(names("first_name, last_name, company, address1, address2, city, country, state, "
                  "zip_code, phone, fax, email, vat_id") | {"custom_fields": "[o]"}),
   status="201", status_text="Created", response=CLIENT)
op("DELETE", C + "/{client_id}", "Delete Client", FLEIO, "Deletes a client account.",
   **deleted())
op("GET", C + "/create_options", "Client Create Options", FLEIO,
   "Lists the countries, currencies and custom fields a client account may have.",
   response=obj({"countries": "[o]", "custom_fields": "[o]", "currencies": "[o]"}))

# --------------------------------------------------------------------------------------------
section("Tickets")
T = "/backend/api/plugins/tickets"
TICKET_BODY = obj({"title*": "s", "description": "s", "department*": "i", "client": "i",
                   "service": "i", "cc_recipients": "s", "status": "s",
                   "associated_attachment_ids": "[s]"})
op("GET", T + "/tickets", "List Tickets", FLEIO, "Lists your support tickets.",
   query=["created_by", "status", "department", "client", "ordering", "search", "page",
          "page_size"],
   response=lst(ref("Ticket")))
op("POST", T + "/tickets", "Create Ticket", FLEIO, "Opens a support ticket.", body=TICKET_BODY,
   status="201", status_text="Created", response=ref("Ticket"))
op("GET", T + "/tickets/{ticket_id}", "Get Ticket", FLEIO,
   "Returns one ticket with its replies.", response=ref("Ticket"))
op("PUT", T + "/tickets/{ticket_id}", "Update Ticket", FLEIO, "Changes a ticket.",
   body=TICKET_BODY, response=ref("Ticket"))
op("PATCH", T + "/tickets/{ticket_id}", "Partially Update Ticket", FLEIO,
   "Changes some fields of a ticket.",
   body=obj({"title": "s", "description": "s", "department": "i", "status": "s",
             "cc_recipients": "s"}),
   response=ref("Ticket"))
op("GET", T + "/tickets/create_options", "Ticket Create Options", FLEIO,
   "Returns the largest attachment allowed and the services a ticket can be about.",
   response=obj({"MAX_TICKET_ATTACHMENT_SIZE": "i", "services": "[o]"}))
op("GET", T + "/tickets/get_current_user_tickets_count", "Count My Tickets", FLEIO,
   "Returns how many tickets you have.", response=obj({"count": "i"}))
op("POST", T + "/tickets/{ticket_id}/reopen_ticket", "Reopen Ticket", FLEIO,
   "Reopens a closed ticket.", **detail())
op("POST", T + "/tickets/{ticket_id}/close_ticket", "Close Ticket", FLEIO,
   "Closes a ticket.", **detail())
op("POST", T + "/tickets/{ticket_id}/add_reply", "Reply to Ticket", FLEIO,
   "Adds your reply to a ticket.",
   body=obj({"reply_text*": "s", "associated_attachments": "[s]"}), **detail())
op("GET", T + "/ticket_updates/{update_id}", "Get Ticket Update", FLEIO,
   "Returns one reply of a ticket.",
   response=obj(names("reply_text, created_at, created_by, last_edited_by")
                | {"id": "i", "attachments": arr(ref("Attachment"))}))
op("POST", T + "/ticket_attachments", "Upload Attachment", FLEIO,
   "Uploads a file to attach to a ticket or reply.",
   body=obj({"data*": {"type": "string", "format": "binary"}, "file_name": "s"}),
   body_media="multipart/form-data", status="201", status_text="Created",
   response=ref("Attachment"))
op("GET", T + "/ticket_attachments/{attachment_id}", "Get Attachment", FLEIO,
   "Returns one attachment's details.", response=ref("Attachment"))
op("GET", T + "/ticket_attachments/{attachment_id}/download_file", "Download Attachment",
   FLEIO, "Downloads an attachment.", response_media="application/octet-stream",
   response={"type": "string", "format": "binary"})
op("GET", T + "/ticket_attachments/{attachment_id}/load_file", "Load Attachment Inline",
   FLEIO, "Returns an attachment for display in a browser.",
   response_media="application/octet-stream",
   response={"type": "string", "format": "binary"})
op("GET", T + "/departments", "List Departments", FLEIO,
   "Lists the support departments a ticket can go to.",
   query=["created_at", "ordering", "search"],
   response=lst(obj({"id": "i", "name": "s", "email": "s"})))
op("GET", T + "/departments/{department_id}", "Get Department", FLEIO,
   "Returns one support department.", response=obj({"id": "i", "name": "s", "email": "s"}))

# --------------------------------------------------------------------------------------------
section("Notifications")
NT = "/backend/api/notifications"
op("GET", NT, "List Notifications", FLEIO, "Lists your notifications.",
   query=["name", "ordering", "page", "page_size"],
   response=lst(ref("Notification"), extra=obj({"unseen_count": "i"})))
op("GET", NT + "/{notification_id}", "Get Notification", FLEIO,
   "Returns one notification with its body.",
   response={"allOf": [ref("Notification"), obj({"body": "s"})]})
op("POST", NT + "/{notification_id}/view", "Mark Notification Seen", FLEIO,
   "Marks a notification as seen.", **detail())
op("POST", NT + "/{notification_id}/unseen", "Mark Notification Unseen", FLEIO,
   "Marks a notification as not seen.", **detail())
op("POST", NT + "/mark_all_as_read", "Mark All Notifications Read", FLEIO,
   "Marks every notification as seen.", **detail())
op("GET", NT + "/get_user_notifications_settings", "Get Notification Settings", FLEIO,
   "Returns which notifications you receive.",
   response=obj({"detail": {"type": "object", "additionalProperties": obj(
       {"name": "s", "display_name": "s", "enabled": "b"})}}))
op("POST", NT + "/set_user_notifications_settings", "Set Notification Settings", FLEIO,
   "Chooses which notifications you receive.",
   body=obj({"notifications_settings*": {"type": "object",
                                         "additionalProperties": obj({"enabled": "b"})}}))
