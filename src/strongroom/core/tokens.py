"""The token store's core: minting, looking up and revoking tokens (DESIGN.md invariant 3).

Tokens are `hvs.` + 24 base62 characters from `secrets` (~143 bits). Only a salted HMAC of a
token ever reaches storage or a log: entries live at `sys/token/id/<hmac>` and accessors at
`sys/token/accessor/<hmac>`; the salt itself is stored behind the barrier.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass, field

import msgspec

from strongroom.core.view import View
from strongroom.errors import InternalError
from strongroom.storage.interface import Check, Put

_BASE62 = string.ascii_letters + string.digits
_TOKEN_CHARS = 24


class TokenEntry(msgspec.Struct, frozen=True, kw_only=True):
    accessor: str
    policies: tuple[str, ...]
    namespace: str = ""
    display_name: str = "token"
    meta: dict[str, str] | None = None
    creation_time: float = 0.0
    ttl: int = 0
    expire_time: float | None = None
    parent: str = ""  # HMAC of the parent token, never the token itself
    orphan: bool = False
    type: str = "service"
    path: str = "auth/token/create"

    @property
    def is_root(self) -> bool:
        return "root" in self.policies


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A freshly minted token: the one moment its value exists in the clear."""

    token: str = field(repr=False)
    entry: TokenEntry


def random_token(prefix: str = "hvs.") -> str:
    return prefix + "".join(secrets.choice(_BASE62) for _ in range(_TOKEN_CHARS))


_ENTRY = msgspec.json.Decoder(TokenEntry)


class TokenStore:
    def __init__(self, view: View) -> None:
        self._view = view
        self._salt: bytes | None = None

    async def init_salt(self) -> None:
        """Create the HMAC salt; called once, at initialisation."""
        await self._view.transact([Check("salt", 0), Put("salt", secrets.token_bytes(32))])

    async def _key(self, value: str) -> str:
        if self._salt is None:
            self._salt = await self._view.get("salt")
            if self._salt is None:
                raise InternalError(detail="token salt missing")
        return hmac.new(self._salt, value.encode(), hashlib.sha256).hexdigest()

    def forget_salt(self) -> None:
        """Called on seal: the salt is key material too."""
        self._salt = None

    async def create(self, entry: TokenEntry, token_id: str | None = None) -> IssuedToken:
        token = token_id or random_token()
        blob = msgspec.json.encode(entry)
        await self._view.put(f"id/{await self._key(token)}", blob)
        await self._view.put(f"accessor/{await self._key(entry.accessor)}", blob)
        return IssuedToken(token, entry)

    async def lookup(self, token: str) -> TokenEntry | None:
        blob = await self._view.get(f"id/{await self._key(token)}")
        return None if blob is None else _ENTRY.decode(blob)

    async def revoke(self, token: str) -> None:
        entry = await self.lookup(token)
        if entry is None:
            return
        await self._view.delete(f"accessor/{await self._key(entry.accessor)}")
        await self._view.delete(f"id/{await self._key(token)}")


def new_accessor() -> str:
    return "".join(secrets.choice(_BASE62) for _ in range(24))
