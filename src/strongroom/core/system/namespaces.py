"""sys/namespaces: list, create, read, patch and delete the namespaces below the caller's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from strongroom.core.fields import get_str_map
from strongroom.core.namespaces import lifecycle
from strongroom.core.namespaces.registry import NamespaceEntry, normalise
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.errors import BadRequest, NotFound

if TYPE_CHECKING:
    from strongroom.core.core import Core


def _absolute(core: Core, params: Mapping[str, str]) -> str:
    return core.namespace.path + normalise(params["path"])


def _existing(core: Core, params: Mapping[str, str]) -> NamespaceEntry:
    found = core.namespaces.by_path(_absolute(core, params))
    if found is None:
        raise NotFound
    return found


async def list_namespaces(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    children = core.namespaces.children(core.namespace)
    if not children:
        raise NotFound
    relative = {ns.path[len(core.namespace.path) :]: ns.describe() for ns in children}
    return Response({"keys": list(relative), "key_info": relative})


async def create(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    created = await lifecycle.create(core, _absolute(core, params), _metadata(req.data))
    return Response(created.describe())


async def read(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    return Response(_existing(core, params).describe())


async def patch(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    """JSON merge patch of `custom_metadata`: a key set to null is removed."""
    found = _existing(core, params)
    raw = req.data.get("custom_metadata")
    if raw is not None and not isinstance(raw, dict):
        raise BadRequest("custom_metadata must be a map of strings")
    merged = dict(found.custom_metadata)
    for key, value in (raw or {}).items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, str):
            merged[key] = value
        else:
            raise BadRequest("custom_metadata must be a map of strings")
    updated = NamespaceEntry(id=found.id, path=found.path, custom_metadata=merged)
    await core.namespaces.replace(updated)
    return Response(updated.describe())


async def delete(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    found = core.namespaces.by_path(_absolute(core, params))
    if found is not None:
        await lifecycle.delete(core, found)
    return NO_CONTENT


def _metadata(data: Mapping[str, Any]) -> dict[str, str]:
    return get_str_map(data, "custom_metadata")
