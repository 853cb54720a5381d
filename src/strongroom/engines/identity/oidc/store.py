"""The OIDC storage layout below the identity mount's view (the barrier seals every value,
private keys and client secrets included):

    oidc/config                 Config (the issuer)
    oidc/key/<name>             NamedKey: algorithm, periods, signing + next keys, public ring
    oidc/role/<name>            Role
    oidc/scope/<name>           Scope
    oidc/assignment/<name>      Assignment
    oidc/client/<name>          Client
    oidc/provider/<name>        Provider
    oidc/grant/code/<SHA-256(code)>            Grant (never the code itself)
    oidc/grant/access/<SHA-256(access token)>  Grant (never the token itself)

Every change is a `View.update` (a checked read-modify-write), so two workers rotating the
same key at once, or a rotation racing a key update, change it once; a code is redeemed by
deleting its grant in a checked write, so it is redeemed once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Generic, TypeVar

import msgspec

from strongroom.engines.identity.oidc.models import (
    ASSIGNMENT,
    CLIENT,
    CONFIG,
    GRANT,
    NAMED_KEY,
    PROVIDER,
    ROLE,
    SCOPE,
    Assignment,
    Client,
    Config,
    Grant,
    NamedKey,
    Provider,
    Role,
    Scope,
)
from strongroom.logical import DELETE, UNCHANGED, Mutation, View

T = TypeVar("T", bound=msgspec.Struct)
PREFIX = "oidc/"
CONFIG_PATH = PREFIX + "config"
GRANTS = PREFIX + "grant/"


@dataclass(frozen=True)  # no slots: they break Generic's super() in a dataclass on 3.11
class Records(Generic[T]):
    """One kind of named record below `prefix`."""

    view: View
    prefix: str
    decoder: msgspec.json.Decoder[T]

    async def get(self, name: str) -> T | None:
        raw = await self.view.get(self.prefix + name)
        return None if raw is None else self.decoder.decode(raw)

    async def update(self, name: str, mutate: Mutation[T]) -> T | None:
        return (await self.view.update(self.prefix + name, self.decoder.decode, mutate)).after

    async def delete(self, name: str) -> None:
        await self.view.delete(self.prefix + name)

    async def names(self) -> list[str]:
        return sorted(n for n in await self.view.list(self.prefix) if not n.endswith("/"))

    async def all(self) -> list[T]:
        found = [await self.get(name) for name in await self.names()]
        return [record for record in found if record is not None]


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class OidcStore:
    def __init__(self, view: View) -> None:
        self.view = view
        self.keys = Records[NamedKey](view, PREFIX + "key/", NAMED_KEY)
        self.roles = Records[Role](view, PREFIX + "role/", ROLE)
        self.scopes = Records[Scope](view, PREFIX + "scope/", SCOPE)
        self.assignments = Records[Assignment](view, PREFIX + "assignment/", ASSIGNMENT)
        self.clients = Records[Client](view, PREFIX + "client/", CLIENT)
        self.providers = Records[Provider](view, PREFIX + "provider/", PROVIDER)
        self._codes = Records[Grant](view, GRANTS + "code/", GRANT)
        self._access = Records[Grant](view, GRANTS + "access/", GRANT)

    async def config(self) -> Config:
        raw = await self.view.get(CONFIG_PATH)
        return Config() if raw is None else CONFIG.decode(raw)

    async def put_config(self, config: Config) -> None:
        await self.view.put(CONFIG_PATH, msgspec.json.encode(config))

    async def put_code(self, code: str, grant: Grant) -> None:
        await self._codes.update(_digest(code), lambda _found: grant)

    async def put_access(self, token: str, grant: Grant) -> None:
        await self._access.update(_digest(token), lambda _found: grant)

    async def access(self, token: str) -> Grant | None:
        return await self._access.get(_digest(token))

    async def redeem(self, code: str) -> Grant | None:
        """The grant of a code, deleted in the same checked write: None if absent or already
        redeemed (by this or any other worker). Only the attempt that committed counts: one
        that lost the race read a grant another redemption has taken."""
        path = self._codes.prefix + _digest(code)
        updated = await self.view.update(
            path, GRANT.decode, lambda found: UNCHANGED if found is None else DELETE
        )
        return updated.before if updated.written else None

    async def client_by_id(self, client_id: str) -> Client | None:
        return next((c for c in await self.clients.all() if c.client_id == client_id), None)
