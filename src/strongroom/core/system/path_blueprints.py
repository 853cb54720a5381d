"""sys/blueprints: list, read, write and delete tenant blueprints (`blueprints.BlueprintStore`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from strongroom.core.fields import FieldType
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.system.blueprints import BlueprintStore
from strongroom.errors import BadRequest, NotFound
from strongroom.logical.fields import UNSET, NoFields, UnsetType

if TYPE_CHECKING:
    from strongroom.core.core import Core

LIST_SYNOPSIS = "List the tenant blueprints (`default` always among them)."
BLUEPRINT_SYNOPSIS = "Read, write or delete a tenant blueprint."

_Name = Annotated[str, msgspec.Meta(description="The name of the blueprint.")]


class BlueprintName(msgspec.Struct, frozen=True, kw_only=True):
    name: _Name


class BlueprintWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: _Name
    blueprint: Annotated[
        Any,
        FieldType.DOCUMENT,
        msgspec.Meta(description="The blueprint: HCL or JSON text, or the JSON object itself."),
    ] = UNSET


async def list_blueprints(core: Core, _req: Request, _f: NoFields) -> Response:
    return Response({"keys": await BlueprintStore(core.barrier).names()})


async def read(core: Core, _req: Request, fields: BlueprintName) -> Response:
    stored = await BlueprintStore(core.barrier).get(fields.name)
    if stored is None:
        raise NotFound
    return Response({"name": stored.name, "blueprint": stored.blueprint, "source": stored.source})


async def write(core: Core, _req: Request, fields: BlueprintWrite) -> Response:
    source: str | dict[str, Any] | UnsetType = fields.blueprint
    if source is UNSET or (isinstance(source, str) and not source.strip()):
        raise BadRequest("'blueprint' parameter not supplied or empty")
    await BlueprintStore(core.barrier).write(fields.name, source)
    return NO_CONTENT


async def delete(core: Core, _req: Request, fields: BlueprintName) -> Response:
    await BlueprintStore(core.barrier).delete(fields.name)
    return NO_CONTENT
