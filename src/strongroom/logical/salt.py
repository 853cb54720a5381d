"""A mount's HMAC salt and its records created once (what an auth method keys its indexes and
lockout counters by, so storage paths show no username, role ID or client address)."""

from __future__ import annotations

import secrets

from strongroom.clock import Clock
from strongroom.core.view import UNCHANGED, View
from strongroom.errors import InternalError
from strongroom.secret import SecretBytes, salted_hmac

SALT = "salt"


async def created_once(view: View, path: str, value: bytes) -> bytes:
    """What is stored at `path`, where `value` is written first if nothing is yet: the Check
    lets exactly one worker create it, and a loser reads the winner's."""
    created = await view.update(
        path, bytes, lambda found: UNCHANGED if found is not None else value
    )
    raw = created.after
    if raw is None:
        raise InternalError(detail=f"{path} missing after creation")
    return raw


class MountSalt:
    """32 random bytes at `salt` below the mount, created by the first worker to need them."""

    def __init__(self, view: View) -> None:
        self.view = view
        self._salt: SecretBytes | None = None

    async def hmac(self, purpose: str, value: str) -> str:
        """Hex HMAC-SHA256 of `value` under the mount's salt, separated by `purpose` so the same
        string never hashes alike in two indexes."""
        if self._salt is None:
            self._salt = SecretBytes(await created_once(self.view, SALT, secrets.token_bytes(32)))
        return salted_hmac(self._salt.reveal(), f"{purpose}\x00{value}")


class SaltedStore:
    """The base of an auth method's store: its storage view, clock and salted HMAC (what the
    lockout counters need, logical/lockout.py)."""

    def __init__(self, view: View, clock: Clock) -> None:
        self.view = view
        self.clock = clock
        self._salt = MountSalt(view)

    def now(self) -> float:
        return self.clock.now()

    async def hmac(self, purpose: str, value: str) -> str:
        return await self._salt.hmac(purpose, value)
