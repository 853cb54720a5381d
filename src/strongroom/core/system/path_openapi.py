"""`sys/internal/specs/openapi`: the OpenAPI 3 document of a namespace, from its route tables.

Vault generates it from every mount's `framework.Path`s; so do we: the system backend's own
table under `/sys/`, then each mount. A mount on the declarative table
(`strongroom.logical.PathTable`) contributes its fields and types; one still on a plain
`Router` its paths and operations. Without a token Vault answers a document with no paths,
which is what the unauthenticated answer is here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import msgspec

from strongroom.core.request import Request, Response
from strongroom.core.routes import Router
from strongroom.logical.openapi import Document
from strongroom.logical.paths import PathTable

if TYPE_CHECKING:
    from strongroom.core.core import Core

SYNOPSIS = "Generate an OpenAPI 3 document of all mounted paths."


class OpenApiQuery(msgspec.Struct, frozen=True, kw_only=True):
    generic_mount_paths: Annotated[
        bool, msgspec.Meta(description="Use generic mount paths (accepted; paths are the mounts').")
    ] = False
    context: Annotated[
        str, msgspec.Meta(description="Context string appended to every operationId")
    ] = ""


def document(core: Core) -> Document:
    """The system backend's table under `/sys/`, then every mount of `core`'s namespace."""
    found = Document()
    found.add_table("/sys/", "system", "system", core.system.paths.routes)
    for mounted in core.mounts.mounted():
        table = getattr(mounted.backend, "paths", None)
        prefix, type_ = "/" + mounted.full_path, mounted.entry.type
        tag = "auth" if mounted.kind == "auth" else "secrets"
        if isinstance(table, PathTable):
            found.add_table(prefix, type_, tag, table.routes)
            for below, subtable in getattr(mounted.backend, "subtables", ()):
                found.add_table(prefix + below, type_, tag, subtable.routes)
        elif isinstance(table, Router):
            found.add_router(prefix, type_, tag, table.routes)
    return found


async def read_openapi(core: Core, req: Request, _fields: OpenApiQuery) -> Response:
    """No token: Vault's document with no paths."""
    if req.caller is None:
        return Response(Document().render(), raw=True)
    return Response(document(core).render(), raw=True)
