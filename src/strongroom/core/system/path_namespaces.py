"""sys/namespaces: list, create, read, patch and delete the namespaces below the caller's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from strongroom.core.namespaces import lifecycle
from strongroom.core.namespaces.registry import NamespaceEntry, normalise
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.errors import BadRequest, NotFound
from strongroom.logical.fields import NoFields

if TYPE_CHECKING:
    from strongroom.core.core import Core

LIST_SYNOPSIS = "List the namespaces below the caller's."
NAMESPACE_SYNOPSIS = "Create, read, patch or delete a namespace."

_Path = Annotated[str, msgspec.Meta(description="Path of the namespace.")]


class NamespacePath(msgspec.Struct, frozen=True, kw_only=True):
    path: _Path


class NamespaceCreate(msgspec.Struct, frozen=True, kw_only=True):
    path: _Path
    custom_metadata: Annotated[
        dict[str, str],
        msgspec.Meta(
            description="User-provided key-value pairs that are used to describe the namespace."
        ),
    ] = msgspec.field(default_factory=dict)


class NamespacePatch(msgspec.Struct, frozen=True, kw_only=True):
    """A JSON merge patch: a key of `custom_metadata` set to null is removed, so the map is
    taken as sent and checked here."""

    path: _Path
    custom_metadata: Annotated[
        dict[str, Any] | None,
        msgspec.Meta(
            description="User-provided key-value pairs that are used to describe the namespace."
        ),
    ] = None


def _absolute(core: Core, path: str) -> str:
    return core.namespace.path + normalise(path)


def _existing(core: Core, path: str) -> NamespaceEntry:
    found = core.namespaces.by_path(_absolute(core, path))
    if found is None:
        raise NotFound
    return found


async def list_namespaces(core: Core, _req: Request, _f: NoFields) -> Response:
    children = core.namespaces.children(core.namespace)
    if not children:
        raise NotFound
    relative = {ns.path[len(core.namespace.path) :]: ns.describe() for ns in children}
    return Response({"keys": list(relative), "key_info": relative})


async def create(core: Core, _req: Request, fields: NamespaceCreate) -> Response:
    created = await lifecycle.create(core, _absolute(core, fields.path), fields.custom_metadata)
    return Response(created.describe())


async def read(core: Core, _req: Request, fields: NamespacePath) -> Response:
    return Response(_existing(core, fields.path).describe())


async def patch(core: Core, _req: Request, fields: NamespacePatch) -> Response:
    """JSON merge patch of `custom_metadata`: a key set to null is removed."""
    found = _existing(core, fields.path)
    merged = dict(found.custom_metadata)
    for key, value in (fields.custom_metadata or {}).items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, str):
            merged[key] = value
        else:
            raise BadRequest("custom_metadata must be a map of strings")
    updated = NamespaceEntry(id=found.id, path=found.path, custom_metadata=merged)
    await core.namespaces.replace(updated)
    return Response(updated.describe())


async def delete(core: Core, _req: Request, fields: NamespacePath) -> Response:
    found = core.namespaces.by_path(_absolute(core, fields.path))
    if found is not None:
        await lifecycle.delete(core, found)
    return NO_CONTENT
