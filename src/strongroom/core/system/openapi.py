"""`sys/internal/specs/openapi`: the OpenAPI 3 document of a namespace, from its route tables.

Vault generates it from every mount's `framework.Path`s; so do we. A mount on the declarative
table (`strongroom.logical.PathTable`) contributes its fields and types; one still on a plain
`Router` contributes its paths and operations. Without a token Vault answers a document with
no paths, which is what the unauthenticated answer is here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from strongroom.core.request import Request, Response
from strongroom.core.routes import Router
from strongroom.logical.openapi import Document
from strongroom.logical.paths import PathTable

if TYPE_CHECKING:
    from strongroom.core.core import Core


def document(core: Core, system: Iterable[Router[Any]]) -> Document:
    """The system backend's routers under `/sys/`, then every mount of `core`'s namespace."""
    found = Document()
    for router in system:
        found.add_router("/sys/", "system", "system", router.routes)
    for mounted in core.mounts.mounted():
        table = getattr(mounted.backend, "paths", None)
        prefix, type_ = "/" + mounted.full_path, mounted.entry.type
        tag = "auth" if mounted.kind == "auth" else "secrets"
        if isinstance(table, PathTable):
            found.add_table(prefix, type_, tag, table.routes)
        elif isinstance(table, Router):
            found.add_router(prefix, type_, tag, table.routes)
    return found


async def read_unauthenticated(_core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    """No token: Vault's document with no paths."""
    return Response(Document().render(), raw=True)
