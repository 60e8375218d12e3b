"""Schema vocabulary for the reconstruction of the Fotbo 1.0.5 spec.

The published file is OpenAPI 3.1 written by hand: plain JSON Schema types, `["T", "null"]` for
nullable fields, everything inline or in a few shared components. These helpers write that shape
compactly; build.py composes them into operations.
"""

# Scalar shorthands. A trailing "?" makes the field nullable the 3.1 way: type ["T", "null"].
_SCALARS = {
    "s": "string",
    "i": "integer",
    "n": "number",
    "b": "boolean",
    "o": "object",
    "null": "null",
    # A type name that is not JSON Schema; the published relatives of the file use it for
    # integer fields of the load-balancer bodies. Kept as published: the generator repairs it.
    "integers": "integers",
}


def t(code):
    """A scalar schema from a short code: s, i, n, b, o, null, uuid, dt (date-time), s? …"""
    nullable = code.endswith("?")
    code = code.rstrip("?")
    if code == "uuid":
        schema = {"type": "string", "format": "uuid"}
    elif code == "dt":
        schema = {"type": "string", "format": "date-time"}
    elif code == "[s]":
        schema = {"type": "array", "items": {"type": "string"}}
    elif code == "[o]":
        schema = {"type": "array", "items": {"type": "object"}}
    elif code == "[]":
        schema = {"type": "array", "items": {}}
    else:
        schema = {"type": _SCALARS[code]}
    if nullable:
        schema["type"] = [schema["type"], "null"]
    return schema


_TYPE_NAMES = set(_SCALARS.values()) | {"array"}


def is_schema(value):
    """A ready schema, as opposed to a dict of field specs (which may well have a field named
    `type`, holding a short code such as "s")."""
    if any(k in value for k in ("$ref", "anyOf", "allOf", "oneOf")):
        return True
    ty = value.get("type")
    return isinstance(ty, list) or ty in _TYPE_NAMES


def spec_of(value):
    """A field value in an obj() call: a short code, a ready schema, or a nested field dict."""
    if isinstance(value, str):
        return t(value)
    if isinstance(value, dict) and is_schema(value):
        return value
    if isinstance(value, dict):
        return obj(value)
    raise TypeError(f"unsupported field spec {value!r}")


def obj(fields, required=()):
    """An object schema. `fields` maps names to specs; a name ending in * is required.
    `required="all"` marks every field required (OCP and the published page often do)."""
    props = {}
    req = []
    for name, value in fields.items():
        if name.endswith("*"):
            name = name[:-1]
            req.append(name)
        props[name] = spec_of(value)
    if required == "all":
        req = list(props)
    else:
        req += [r for r in required if r not in req]
    schema = {"type": "object", "properties": props}
    if req:
        schema["required"] = req
    return schema


def arr(items):
    return {"type": "array", "items": spec_of(items)}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def names(text, code="s"):
    """Fields from a comma-separated list of names, all of one type."""
    return {n.strip(): code for n in text.split(",") if n.strip()}


def bool_map(prefix, actions):
    """A permissions object: `<prefix>.<action>` → boolean for each action."""
    return obj({f"{prefix}.{a.strip()}": "b" for a in actions.split(",")})


# ---- Redoc-like samples -------------------------------------------------------------------

_REDOC_SAMPLE = {
    "string": "string",
    "integer": 0,
    "number": 0,
    "boolean": True,
    "null": None,
    "object": {},
}


def sample(schema, components):
    """The sample Redoc shows for a schema that has no example, so that examples we write by
    hand and those Redoc would derive agree."""
    if "$ref" in schema:
        return sample(components[schema["$ref"].split("/")[-1]], components)
    if "example" in schema:
        return schema["example"]
    if "anyOf" in schema:
        return sample(schema["anyOf"][0], components)
    if "allOf" in schema:
        merged = {}
        for part in schema["allOf"]:
            merged.update(sample(part, components))
        return merged
    ty = schema.get("type")
    if isinstance(ty, list):
        ty = ty[0]
    if ty == "object" or "properties" in schema:
        return {k: sample(v, components) for k, v in schema.get("properties", {}).items()}
    if ty == "array":
        item = schema.get("items") or {}
        return [sample(item, components)] if item else []
    if schema.get("format") == "uuid":
        return "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    if schema.get("format") == "date-time":
        return "2019-08-24T14:15:22Z"
    return _REDOC_SAMPLE.get(ty, "string")
