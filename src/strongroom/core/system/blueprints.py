"""Tenant blueprints stored behind the barrier, and the one that ships (sys/blueprints).

A blueprint is stored under `core/blueprints/<name>` as written (`source`) and in its canonical
JSON form (`blueprint`), after `parse_blueprint` has accepted it, so a stored blueprint always
parses. Nothing caches blueprints, so a write needs no configuration-epoch bump. `default` is
`DEFAULT_BLUEPRINT`: always readable and listed, never stored, changed or deleted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

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
from strongroom.core.view import Store, View
from strongroom.errors import BadRequest

__all__ = ["BlueprintStore", "StoredBlueprint"]

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
