"""The KV engine's mount-table presence. Its paths arrive with the KV issue; until then every
path below a KV mount answers Vault's "unsupported path" 404, never a fake secret."""

from __future__ import annotations

from strongroom.core.mounts import MountContext
from strongroom.core.request import Request, Response
from strongroom.errors import NotFound


class KvBackend:
    def __init__(self, ctx: MountContext) -> None:
        self._ctx = ctx

    async def handle(self, request: Request, path: str) -> Response:
        del request, path
        raise NotFound("unsupported path")
