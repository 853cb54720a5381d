"""Self-description generated from the route tables: `?help=1` and the OpenAPI 3 document.

As Vault's `sdk/framework/openapi.go`: one path item per route (`data/(?P<path>.*)` becomes
`/data/{path}`), its named groups as path parameters, one operation per HTTP method with an
`operationId` of `<type>-<verb>-<words>`, and for writes a request body whose schema lists the
operation's declared fields (`#/components/schemas/<OperationId>Request`). Routes of engines
not yet on the declarative table appear by path and operation only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from strongroom import __version__
from strongroom.core.fields import FieldType
from strongroom.core.request import Operation, Response

if TYPE_CHECKING:
    from strongroom.core.routes import Route
    from strongroom.logical.fields import Field
    from strongroom.logical.paths import Path

# OpenAPI's type (and format) of each Vault field type, as openapi.go's convertType.
SCHEMA_TYPES: Mapping[FieldType, dict[str, Any]] = {
    FieldType.STRING: {"type": "string"},
    FieldType.INT: {"type": "integer"},
    FieldType.BOOL: {"type": "boolean"},
    FieldType.DURATION: {"type": "integer", "format": "seconds"},
    FieldType.COMMA_STRING_LIST: {"type": "array", "items": {"type": "string"}},
    FieldType.COMMA_INT_LIST: {"type": "array", "items": {"type": "integer"}},
    FieldType.KV_PAIRS: {"type": "object", "format": "kvpairs"},
    FieldType.MAP: {"type": "object", "format": "map"},
    FieldType.STRING_SLICE: {"type": "array", "items": {"type": "string"}},
    FieldType.SLICE: {"type": "array", "items": {"type": "object"}},
    FieldType.DOCUMENT: {"oneOf": [{"type": "string"}, {"type": "object"}]},
}
# The type names of Vault's help text (`field_type.go` String()).
_HELP_TYPE: Mapping[FieldType, str] = {
    FieldType.STRING: "string",
    FieldType.INT: "int",
    FieldType.BOOL: "bool",
    FieldType.DURATION: "duration (sec)",
    FieldType.COMMA_STRING_LIST: "comma-string slice",
    FieldType.COMMA_INT_LIST: "comma-int slice",
    FieldType.KV_PAIRS: "keypair",
    FieldType.MAP: "map",
    FieldType.STRING_SLICE: "slice",
    FieldType.SLICE: "slice",
    FieldType.DOCUMENT: "string or object",
}
_METHODS = (
    (Operation.READ, "get", "read"),
    (Operation.LIST, "get", "list"),
    (Operation.UPDATE, "post", "write"),
    (Operation.CREATE, "post", "write"),
    (Operation.PATCH, "patch", "patch"),
    (Operation.DELETE, "delete", "delete"),
)
_GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")
_LITERALS = re.compile(r"\(\?P<\w+>([\w/-]+(?:\|[\w/-]+)*)\)")
_OK = {"200": {"description": "OK"}}
_EMPTY = {"204": {"description": "empty body"}}


def paths_of(pattern: str) -> list[str]:
    """The OpenAPI paths a pattern stands for: named groups become `{name}`, `(?:a|b)`
    alternatives and `x?` optional parts expand; anything still a regex is left out (Vault
    lists a catch-all such as `.*` as `^.*$`, which no client can call)."""
    # `(?P<table>mounts|auth)`: two literal paths; `(?P<table>auth)`: one
    text = _LITERALS.sub(r"(?:\1)", pattern)
    text = _GROUP.sub(lambda m: "{" + m.group(1) + "}", text).replace("/?", "")
    expanded = _expand(text)
    return [p for p in expanded if not re.search(r"[\\()|?*+.\[\]^$]", p.replace("{", ""))]


def _expand(text: str) -> list[str]:
    found = re.search(r"\(\?:([^()]*)\)(\??)", text)
    if found is None:
        return [text]
    options = found.group(1).split("|") + ([""] if found.group(2) else [])
    head, tail = text[: found.start()], text[found.end() :]
    return [p for option in options for p in _expand(head + option + tail)]


def _words(path: str) -> str:
    return "-".join(w for w in re.split(r"[^a-zA-Z0-9]+", path) if w)


def _camel(text: str) -> str:
    return "".join(w.capitalize() for w in text.split("-"))


class Document:
    """An OpenAPI 3 document being assembled from route tables, mount by mount."""

    def __init__(self) -> None:
        self.paths: dict[str, Any] = {}
        self.schemas: dict[str, Any] = {}

    def add_table(self, prefix: str, type_: str, tag: str, routes: Iterable[Path[Any]]) -> None:
        """Every route of a declarative table, fields and types included."""
        for route in routes:
            for path in paths_of(route.pattern):
                self.paths[prefix + path] = self._item(route, path, type_, tag)

    def add_router(self, prefix: str, type_: str, tag: str, routes: Iterable[Route[Any]]) -> None:
        """Routes of a plain `Router`: their paths and operations (fields undeclared)."""
        for route in routes:
            for path in paths_of(route.pattern):
                item: dict[str, Any] = {"parameters": _path_parameters(path, {})}
                for op, method, verb in _METHODS:
                    if op in route.handlers and method not in item:
                        item[method] = _operation(type_, verb, path, tag)
                self.paths[prefix + path] = item

    def _item(self, route: Path[Any], path: str, type_: str, tag: str) -> dict[str, Any]:
        item: dict[str, Any] = {"description": route.synopsis}
        item["parameters"] = _path_parameters(path, route.fields())
        if route.exists is not None:
            item["x-vault-createSupported"] = True
        if route.sudo:
            item["x-vault-sudo"] = True
        if route.unauthenticated:
            item["x-vault-unauthenticated"] = True
        captures = set(route.captures())
        for op, method, verb in _METHODS:
            spec = route.operations.get(op)
            if spec is not None and op is Operation.LIST and method in item:
                item[method]["parameters"] = [_list_parameter(required=False)]
            if spec is None or method in item:
                continue
            operation = _operation(type_, verb, path, tag, spec.summary)
            body = {n: f for n, f in spec.schema.fields.items() if n not in captures}
            if method in ("post", "patch") and body:
                name = _camel(operation["operationId"]) + "Request"
                self.schemas[name] = _schema(body)
                ref = {"$ref": f"#/components/schemas/{name}"}
                content = {"application/json": {"schema": ref}}
                operation["requestBody"] = {"required": True, "content": content}
            if op is Operation.LIST:
                operation["parameters"] = [_list_parameter(required=True)]
            item[method] = operation
        return item

    def render(self) -> dict[str, Any]:
        return {
            "openapi": "3.0.2",
            "info": {
                "title": "Strongroom API",
                "description": "HTTP API of Strongroom (the Vault v1 API). "
                "All API routes are prefixed with `/v1/`.",
                "version": __version__,
            },
            "paths": dict(sorted(self.paths.items())),
            "components": {"schemas": dict(sorted(self.schemas.items()))},
        }


def _operation(type_: str, verb: str, path: str, tag: str, summary: str = "") -> dict[str, Any]:
    words = _words(path)
    operation_id = "-".join(w for w in (type_, verb, words) if w)
    found: dict[str, Any] = {"summary": summary} if summary else {}
    found |= {"operationId": operation_id, "tags": [tag]}
    found["responses"] = _EMPTY if verb == "delete" else _OK
    return found


def _path_parameters(path: str, fields: Mapping[str, Field]) -> list[dict[str, Any]]:
    parameters = []
    for name in re.findall(r"\{(\w+)\}", path):
        field = fields.get(name)
        parameter = {"name": name, "description": "" if field is None else field.description}
        parameters.append(
            parameter | {"in": "path", "schema": {"type": "string"}, "required": True}
        )
    return parameters


def _list_parameter(*, required: bool) -> dict[str, Any]:
    """Vault's `list` query parameter: required on a path that only lists, else optional."""
    found: dict[str, Any] = {"name": "list", "in": "query", "schema": {"type": "string"}}
    if not required:
        return found | {"description": "Return a list if `true`"}
    found["schema"]["enum"] = ["true"]
    return found | {"description": "Must be set to `true`", "required": True}


def _schema(fields: Mapping[str, Field]) -> dict[str, Any]:
    properties = {
        name: {**SCHEMA_TYPES[f.kind], "description": f.description}
        for name, f in sorted(fields.items())
    }
    schema: dict[str, Any] = {"type": "object", "properties": dict(sorted(properties.items()))}
    required = sorted(name for name, f in fields.items() if f.required)
    if required:
        schema["required"] = required
    return schema


def help_text(route: Path[Any], path: str) -> str:
    """Vault's help text for a request of `path` served by `route` (framework/path.go)."""
    synopsis = route.synopsis or "<no synopsis>"
    lines = [f"Request:        {path}", f"Matching Route: ^{route.pattern}$", "", synopsis]
    fields = route.fields()
    if fields:
        lines += ["", "## PARAMETERS"]
        for name, field in sorted(fields.items()):
            lines += [
                "",
                f"    {name} ({_HELP_TYPE[field.kind]})",
                "",
                f"        {field.description}",
            ]
    if route.description:
        lines += ["", "## DESCRIPTION", "", route.description]
    return "\n".join(lines)


def help_response(route: Path[Any], path: str) -> Response:
    """The raw `{"help", "openapi", "see_also"}` answer of `GET <path>?help=1`, as Vault's."""
    document = Document()
    document.add_table("/", "", "secrets", [route])
    body = {"help": help_text(route, path), "openapi": document.render(), "see_also": None}
    return Response(body, raw=True)
