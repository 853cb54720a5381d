"""The KV secrets engine's backend: picks the v1 or v2 route table from the mount options.

The mount manager builds a fresh backend whenever a mount's entry changes, so tuning
`options.version` from 1 to 2 yields a v2 instance, which moves the v1 keys over before it
serves its first request (`upgrade.py`). Everything else (fields, existence checks, the
unauthenticated and sudo paths, help) comes from the table in `paths.py`.
"""

from __future__ import annotations

import asyncio

from strongroom.engines.kv.context import KvContext
from strongroom.engines.kv.paths import V1, V2
from strongroom.engines.kv.upgrade import upgrade
from strongroom.errors import BadRequest
from strongroom.logical import MountContext, PathTable, Request, Response

_VERSIONS = {"": V1, "1": V1, "2": V2}


class KvBackend:
    """Vault's `kv` engine; `options.version` "2" selects the versioned API, else version 1."""

    def __init__(self, ctx: MountContext) -> None:
        self._kv = KvContext.of(ctx)
        self.paths: PathTable[KvContext] | None = _VERSIONS.get(self._kv.version)
        self.unauthenticated = frozenset() if self.paths is None else self.paths.unauthenticated
        self._upgraded = self.paths is not V2
        self._upgrading = asyncio.Lock()

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises BadRequest for an unknown version."""
        if self.paths is None:
            # The mount table should refuse such a version; answer clearly rather than guess.
            raise BadRequest("invalid KV version in the mount options")
        if not self._upgraded:
            await self._upgrade()
        return await self.paths.dispatch(self._kv, request, path)

    async def exists(self, path: str) -> bool:
        """Vault's existence check (a write to an absent secret needs `create`), per route."""
        return True if self.paths is None else await self.paths.exists(self._kv, path)

    async def _upgrade(self) -> None:
        async with self._upgrading:  # one pass per instance; other workers are safe by design
            if not self._upgraded:
                await upgrade(self._kv.store)
                self._upgraded = True
