"""The token store as one namespace sees it (DESIGN.md invariant 6).

The store is the node's, but every operation a caller makes on a token by its id or accessor,
and every listing, is confined to the namespace the request is in and the namespaces below it,
as Vault's token store is: a token of another namespace answers exactly as a token that does
not exist. Token roles are the namespace's own, stored below its storage prefix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from strongroom.core.namespaces.registry import storage_prefix
from strongroom.core.token.entry import TokenEntry
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
