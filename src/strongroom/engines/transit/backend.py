"""The transit secrets engine's backend: Vault's KMS API over one mount's storage view.

The mount option `nonce_rotation_threshold` (an integer) lowers the AES-GCM encryption count
at which a key version rotates (`budget.py`; default 2^32 * 0.9), so tests can cross it.
"""

from __future__ import annotations

from strongroom.engines.transit.budget import DEFAULT_THRESHOLD, NonceBudget
from strongroom.engines.transit.context import TransitContext
from strongroom.engines.transit.events import Events
from strongroom.engines.transit.paths import TABLE
from strongroom.engines.transit.store import TransitStore
from strongroom.errors import BadRequest
from strongroom.logical import MountContext, Request, Response

THRESHOLD_OPTION = "nonce_rotation_threshold"


def _threshold(ctx: MountContext) -> int:
    raw = (ctx.entry.options or {}).get(THRESHOLD_OPTION)
    if raw is None:
        return DEFAULT_THRESHOLD
    try:
        value = int(raw)
    except ValueError:
        return 0  # refused on first use, below: a mount must not silently lose its limit
    return value if 0 < value <= DEFAULT_THRESHOLD else 0


class TransitBackend:
    """Vault's `transit` engine: named keys for encryption, signing, HMAC and data keys."""

    unauthenticated: frozenset[str] = frozenset()
    paths = TABLE  # its route table, for sys/internal/specs/openapi and ?help=1

    def __init__(self, ctx: MountContext) -> None:
        threshold = _threshold(ctx)
        self._threshold_ok = threshold > 0
        budget = NonceBudget(ctx.view, threshold=max(threshold, 1))
        events = Events(ctx.emit, ctx.entry.accessor)
        self.transit = TransitContext(TransitStore(ctx.view, events), budget, ctx.clock)

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises StrongroomError subclasses."""
        if not self._threshold_ok:
            raise BadRequest(f"invalid {THRESHOLD_OPTION} in the mount options")
        return await TABLE.dispatch(self.transit, request, path)

    async def exists(self, path: str) -> bool:
        """Vault's existence check, per route (`path_encrypt.exists`)."""
        return await TABLE.exists(self.transit, path)

    async def tick(self) -> None:
        """Use counts, scheduled rotation and due destructions (the core's background round
        calls it every few seconds, in every worker)."""
        if self._threshold_ok:
            await self.transit.tick()
