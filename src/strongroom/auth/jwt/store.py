"""The JWT/OIDC storage layout (below the mount's view; the barrier seals every value):

    config                        Config
    role/<name>                   Role
    state/<SHA-256(state)>        PendingLogin, until its callback spends it or it expires

A state is 256 random bits, so its hash is enough to keep the value itself out of storage
paths; taking one is a checked delete, so of two callbacks racing with the same state exactly
one proceeds.
"""

from __future__ import annotations

import hashlib

from strongroom.auth.jwt.models import CONFIG, PENDING, ROLE, Config, PendingLogin, Role, encode
from strongroom.logical import DELETE, UNCHANGED, View
from strongroom.logical.records import Records

STATES = "state/"


def _state_path(state: str) -> str:
    return STATES + hashlib.sha256(state.encode("utf-8", "surrogatepass")).hexdigest()


class Store(Records[Config, Role]):
    def __init__(self, view: View) -> None:
        super().__init__(view, CONFIG, ROLE)

    async def put_pending(self, state: str, pending: PendingLogin) -> None:
        await self.view.put(_state_path(state), encode(pending))

    async def take_pending(self, state: str) -> PendingLogin | None:
        """The pending log-in of `state`, removed in the same checked write (None if absent
        or taken by a racing callback)."""
        taken = await self.view.update(
            _state_path(state),
            PENDING.decode,
            lambda found: UNCHANGED if found is None else DELETE,
        )
        return taken.before if taken.written else None

    async def expired_states(self, now: float) -> list[str]:
        """Paths of pending log-ins past their expiry (the background round removes them)."""
        gone: list[str] = []
        for name in await self.view.list(STATES):
            raw = await self.view.get(STATES + name)
            if raw is not None and PENDING.decode(raw).expires <= now:
                gone.append(STATES + name)
        return gone
