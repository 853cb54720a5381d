"""The token store as one namespace sees it (DESIGN.md invariant 6).

The store is the node's, but every operation a caller makes on a token by its id or accessor,
and every listing, is confined to the namespace the request is in and the namespaces below it,
as Vault's token store is: a token of another namespace answers exactly as a token that does
not exist. Token roles are the namespace's own, stored below its storage prefix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from strongroom.core import identity
from strongroom.core.namespaces.registry import storage_prefix
from strongroom.core.token.entry import IssuedToken, TokenEntry
from strongroom.core.token.issue import TokenRequest, issue
from strongroom.core.view import View

if TYPE_CHECKING:
    from strongroom.core.core import Core


def _visible(core: Core, entry: TokenEntry | None) -> TokenEntry | None:
    if entry is None or not core.namespaces.within(entry.namespace, core.namespace):
        return None
    return entry


async def resolve(core: Core, token: str) -> TokenEntry | None:
    """The live entry of `token` if it belongs to `core`'s namespace or below, else None."""
    return _visible(core, await core.tokens.resolve(token))


async def by_accessor(core: Core, accessor: str) -> TokenEntry | None:
    """The live entry `accessor` names, if it belongs to `core`'s namespace or below."""
    entry = _visible(core, await core.tokens.store.by_accessor(accessor))
    if entry is None or entry.expired(core.clock.now()):
        return None
    return entry


async def accessors(core: Core) -> list[str]:
    """The accessors of the tokens of `core`'s namespace and below (Vault's LIST accessors)."""
    return await core.tokens.store.accessors(
        lambda namespace_id: core.namespaces.within(namespace_id, core.namespace)
    )


def roles(core: Core) -> View:
    """`core`'s namespace's token roles (the root's keep their place, `sys/token/roles/`)."""
    return View(core.store, storage_prefix(core.namespace) + "sys/token/roles/")


class ScopedTokens:
    """`auth/token`'s `TokenContext` for the scope `core`: the token store confined to its
    namespace, as the functions above confine it."""

    def __init__(self, core: Core) -> None:
        self._core = core

    @property
    def roles(self) -> View:
        return roles(self._core)

    def now(self) -> float:
        return self._core.clock.now()

    async def resolve(self, token: str) -> TokenEntry | None:
        return await resolve(self._core, token)

    async def by_accessor(self, accessor: str) -> TokenEntry | None:
        return await by_accessor(self._core, accessor)

    async def accessors(self) -> list[str]:
        return await accessors(self._core)

    async def identity_policies(self, entry: TokenEntry) -> tuple[str, ...]:
        return await identity.identity_policies(self._core, entry)

    async def issue(self, request: TokenRequest, parent: TokenEntry) -> IssuedToken:
        return await issue(self._core, request, parent)

    async def renew(self, entry: TokenEntry, token: str, increment: int) -> IssuedToken:
        return await self._core.tokens.renew(entry, token, increment)

    async def revoke(self, entry: TokenEntry) -> None:
        await self._core.tokens.revoke(entry)

    async def revoke_missing(self) -> None:
        await self._core.tokens.invalidate()

    async def revoke_orphan(self, entry: TokenEntry) -> None:
        await self._core.tokens.store.orphan_children(entry)
        await self._core.tokens.store.revoke_one(entry)

    async def tidy(self) -> None:
        await self._core.tokens.expire_due()
