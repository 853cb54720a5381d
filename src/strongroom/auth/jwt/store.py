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
from collections.abc import Callable

from strongroom.auth.jwt.models import CONFIG, PENDING, ROLE, Config, PendingLogin, Role, encode
from strongroom.logical import DELETE, UNCHANGED, Verdict, View

CONFIG_PATH = "config"
ROLES = "role/"
STATES = "state/"


def _state_path(state: str) -> str:
    return STATES + hashlib.sha256(state.encode("utf-8", "surrogatepass")).hexdigest()


class Store:
    def __init__(self, view: View) -> None:
        self.view = view

    async def config(self) -> Config | None:
        raw = await self.view.get(CONFIG_PATH)
        return None if raw is None else CONFIG.decode(raw)

    async def put_config(self, config: Config) -> None:
        await self.view.put(CONFIG_PATH, encode(config))

    async def role(self, name: str) -> Role | None:
        raw = await self.view.get(ROLES + name)
        return None if raw is None else ROLE.decode(raw)

    async def update_role(self, name: str, mutate: Callable[[Role | None], Role | Verdict]) -> None:
        await self.view.update(ROLES + name, ROLE.decode, mutate, encode=encode)

    async def delete_role(self, name: str) -> None:
        await self.view.delete(ROLES + name)

    async def role_names(self, after: str | None, limit: int | None) -> list[str]:
        return await self.view.list(ROLES, after, limit)

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
