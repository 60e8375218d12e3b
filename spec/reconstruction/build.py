#!/usr/bin/env python3
"""Writes spec/fotbo-1.0.5.json: our reconstruction of the published Fotbo "Specification 1.0.5".

The published file cannot be downloaded from the machines this project is built on. This script
writes the document the way the published one is written, defects included (see spec/README.md),
from the facts collected about it: the text of the published docs page and the operation
reference. Run it from anywhere: `python3 spec/reconstruction/build.py`. `cargo xtask fetch`
replaces its output with the real file; after that this script is history.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from components import components  # noqa: E402
from operations import OPERATIONS, TAGS  # noqa: E402
from schemas import sample  # noqa: E402

HOST_LINE = "**Host**: https://api.fotbo.com"
SECURITY = [{"apikey header authorization": []}]

INTRODUCTION = """# Introduction

Fotbo.com exposes its cloud through this HTTP API, described in OpenAPI form. \
It covers the whole customer side of the platform: virtual servers and their networking, \
load balancing, DNS, firewalls, addresses, keys and images, and the account itself \
(billing, user profile, clients, support tickets, notifications).

## Authentication

Requests are authenticated with an API token, used in place of a password, which suits scripts \
and programs that talk to Fotbo. Send it in the authorization header of every request, for \
example with curl:

* `'Authorization: Token {Token}'`

## Sections

* **Instances (VPS)**: virtual private servers, from creation to day-to-day management.
* **Load balancers**: spreading traffic over several servers for availability.
* **Networks (VPC)**: private networks and their subnets.
* **Routers**: routing between networks and to the outside.
* **Zones (DNS)**: DNS zones, records and reverse records.
* **Security groups**: firewall rules for inbound and outbound traffic.
* **Floating IPs**: public addresses that can move between servers.
* **SSH Keys**: public keys installed on new servers.
* **My images**: your own images and ISO files.
* **Billing**: invoices, payment methods and the billing history.
* **User**: your profile and how you sign in.
* **Clients**: the client account, its usage and its operations.
* **Tickets**: support requests.
* **Notifications**: messages from the platform and how you receive them.

## Ordering with create_options

Before creating something, send a GET to the matching `create_options` endpoint: it answers \
with the values a new resource may take (regions, flavors, images, networks …). Use those values \
in the POST or PUT that creates or changes the resource."""


def operation(entry, comps):
    """One OpenAPI operation object from an entry of operations.OPERATIONS."""
    op = {"tags": [entry["tag"]], "summary": entry["title"]}
    if entry.get("description") is not None:
        op["description"] = f"{HOST_LINE}\n\n{entry['description']}"
    op["x-fotbo-source"] = entry["source"]
    params = []
    for name in entry.get("query", ()):
        required = name.endswith("*")
        name = name.rstrip("*")
        param = {"name": name, "in": "query", "schema": {"type": "string"}}
        if required:
            param["required"] = True
        params.append(param)
    if params:
        op["parameters"] = params
    if "body" in entry:
        media = entry.get("body_media", "application/json")
        content = {"schema": entry["body"]}
        if "body_example" in entry:
            content["example"] = entry["body_example"]
        elif media == "application/json":
            content["example"] = sample(entry["body"], comps)
        op["requestBody"] = {"required": True, "content": {media: content}}
    if not entry.get("no_responses"):
        op["responses"] = responses(entry, comps)
    op["security"] = SECURITY
    return op


def responses(entry, comps):
    status = entry.get("status", "200")
    out = {}
    if "response" in entry or "example" in entry:
        content = {}
        if "response" in entry:
            content["schema"] = entry["response"]
        if "example" in entry:
            example = entry["example"]
            if isinstance(example, dict) and "response" in entry:
                # Published samples show the top-level values; nested values are what Redoc
                # would derive from the schema.
                derived = sample(entry["response"], comps)
                example = {k: (derived.get(k) if v is ... else v) for k, v in example.items()}
            content["example"] = example
        out[status] = {"description": entry.get("status_text", "OK"),
                       "content": {entry.get("response_media", "application/json"): content}}
    else:
        out[status] = {"description": entry.get("status_text", "No Content")}
    out.update(entry.get("errors", {}))
    return out


def build():
    comps = components()
    paths = {}
    for entry in OPERATIONS:
        item = paths.setdefault(entry["path"], {})
        method = entry["method"].lower()
        if method in item:
            raise SystemExit(f"duplicate operation {entry['method']} {entry['path']}")
        item[method] = operation(entry, comps)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "OpenAPI Fotbo.com",
            "version": "Specification 1.0.5",
            "description": INTRODUCTION,
        },
        "servers": [{"url": "https://api.fotbo.com"}],
        "tags": [{"name": name, "description": text} for name, text in TAGS],
        "paths": paths,
        "components": {
            "schemas": comps,
            "securitySchemes": {
                "apikey header authorization": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "AUTHORIZATION",
                }
            },
        },
    }


def main():
    out = os.path.join(os.path.dirname(__file__), "..", "fotbo-1.0.5.json")
    text = json.dumps(build(), indent=2, ensure_ascii=False) + "\n"
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {os.path.normpath(out)}: {len(OPERATIONS)} operations")


if __name__ == "__main__":
    main()
