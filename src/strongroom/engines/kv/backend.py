"""The KV secrets engine's backend: picks the v1 or v2 route table from the mount options.

The mount manager builds a fresh backend whenever a mount's entry changes, so tuning
`options.version` from 1 to 2 yields a v2 instance, which moves the v1 keys over before it
serves its first request (`upgrade.py`).
"""

from __future__ import annotations

import asyncio

from strongroom.core.mounts import MountContext
from strongroom.core.request import Request, Response
from strongroom.engines.kv.paths import V1, V2
from strongroom.engines.kv.store import KvStore
from strongroom.engines.kv.upgrade import upgrade
from strongroom.errors import BadRequest

_VERSIONS = {"": V1, "1": V1, "2": V2}


class KvBackend:
    """Vault's `kv` engine; `options.version` "2" selects the versioned API, else version 1."""

    unauthenticated: frozenset[str] = frozenset()  # every KV path needs a token

    def __init__(self, ctx: MountContext) -> None:
        self._kv = KvStore(ctx.view, ctx.clock)
        self._version = (ctx.entry.options or {}).get("version", "")
        self._router = _VERSIONS.get(self._version)
        self._upgraded = self._router is not V2
        self._upgrading = asyncio.Lock()

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises BadRequest for an unknown version."""
        if self._router is None:
            # The mount table should refuse such a version; answer clearly rather than guess.
            raise BadRequest("invalid KV version in the mount options")
        if not self._upgraded:
            await self._upgrade()
        return await self._router.dispatch(self._kv, request, path)

    async def exists(self, path: str) -> bool:
        """Vault's existence check: a write to an absent secret needs `create`, else `update`.

        Only secrets can be absent; every other path (config, metadata ops) counts as existing.
        """
        if self._version == "2":
            if not path.startswith("data/"):
                return True
            return await self._kv.meta(path.removeprefix("data/")) is not None
        return await self._kv.v1_get(path) is not None

    async def _upgrade(self) -> None:
        async with self._upgrading:  # one pass per instance; other workers are safe by design
            if not self._upgraded:
                await upgrade(self._kv)
                self._upgraded = True
