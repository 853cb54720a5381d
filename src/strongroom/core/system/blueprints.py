"""sys/blueprints: tenant blueprints stored behind the barrier, and the one that ships.

A blueprint is stored under `core/blueprints/<name>` as written (`source`) and in its canonical
JSON form (`blueprint`), after `parse_blueprint` has accepted it, so a stored blueprint always
parses. Nothing caches blueprints, so a write needs no configuration-epoch bump. `default` is
`DEFAULT_BLUEPRINT`: always readable and listed, never stored, changed or deleted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from strongroom.blueprints import (
    DEFAULT_BLUEPRINT,
    DEFAULT_NAME,
    NAME,
    Blueprint,
    default_blueprint,
    parse_blueprint,
    to_document,
)
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.view import Store, View
from strongroom.errors import BadRequest, NotFound

if TYPE_CHECKING:
    from strongroom.core.core import Core

__all__ = ["BlueprintStore", "StoredBlueprint", "delete", "list_blueprints", "read", "write"]

PREFIX = "core/blueprints/"


class StoredBlueprint(msgspec.Struct, frozen=True):
    name: str
    source: str
    blueprint: dict[str, Any]  # the canonical JSON form (`to_document`)


_DECODER = msgspec.json.Decoder(StoredBlueprint)


def _name(raw: str) -> str:
    name = raw.lower()
    if not NAME.fullmatch(name):
        raise BadRequest(
            "invalid blueprint name: use 1 to 63 letters, digits and '-', "
            "starting with a letter or digit"
        )
    return name


class BlueprintStore:
    """The blueprints of a node (one store for every namespace)."""

    def __init__(self, store: Store) -> None:
        self._view = View(store, PREFIX)

    async def get(self, name: str) -> StoredBlueprint | None:
        name = _name(name)
        if name == DEFAULT_NAME:
            return StoredBlueprint(
                DEFAULT_NAME, DEFAULT_BLUEPRINT, to_document(default_blueprint())
            )
        blob = await self._view.get(name)
        return None if blob is None else _DECODER.decode(blob)

    async def blueprint(self, name: str) -> Blueprint:
        """The blueprint `name`, parsed. Raises BadRequest if there is none by that name."""
        if _name(name) == DEFAULT_NAME:
            return default_blueprint()
        stored = await self.get(name)
        if stored is None:
            raise BadRequest(f'no blueprint named "{_name(name)}"')
        return parse_blueprint(stored.blueprint)

    async def names(self) -> list[str]:
        return sorted({*await self._view.list(""), DEFAULT_NAME})

    async def write(self, name: str, source: str | Mapping[str, Any]) -> StoredBlueprint:
        """Validate and store. Raises BadRequest (BlueprintError) if it is not valid."""
        name = _name(name)
        if name == DEFAULT_NAME:
            raise BadRequest("cannot update the default blueprint")
        blueprint = parse_blueprint(source)
        text = source if isinstance(source, str) else json.dumps(source, indent=2)
        stored = StoredBlueprint(name, text, to_document(blueprint))
        await self._view.put(name, msgspec.json.encode(stored))
        return stored

    async def delete(self, name: str) -> None:
        name = _name(name)
        if name == DEFAULT_NAME:
            raise BadRequest("cannot delete the default blueprint")
        await self._view.delete(name)


def _source(data: Mapping[str, Any]) -> str | Mapping[str, Any]:
    value = data.get("blueprint")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise BadRequest("'blueprint' parameter not supplied or empty")
    if isinstance(value, str | dict):
        return value
    raise BadRequest('error converting input for field "blueprint": expected string or object')


async def list_blueprints(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    return Response({"keys": await BlueprintStore(core.barrier).names()})


async def read(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    stored = await BlueprintStore(core.barrier).get(params["name"])
    if stored is None:
        raise NotFound
    return Response({"name": stored.name, "blueprint": stored.blueprint, "source": stored.source})


async def write(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    await BlueprintStore(core.barrier).write(params["name"], _source(req.data))
    return NO_CONTENT


async def delete(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    await BlueprintStore(core.barrier).delete(params["name"])
    return NO_CONTENT
