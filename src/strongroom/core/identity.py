"""The core's side of identity (Vault's `identityStore` hooks in request handling): the
namespace's `identity/` mount resolves a token's entity on each request, and finds or creates
the entity of each log-in.

A token whose entity is gone or disabled is refused, as in OpenBao (its `CheckToken`); its
effective policies are its own plus those of its entity and the entity's groups, direct and
inherited (`identity_policies`). Resolutions are cached per worker and dropped when the
configuration epoch moves (`clear_caches`, from `coherence.sync_caches`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from strongroom.core.login import Login
from strongroom.core.mounts import Mounted
from strongroom.core.token.entry import TokenEntry
from strongroom.engines.identity import AuthMount, IdentityBackend, Resolved
from strongroom.errors import PermissionDenied

if TYPE_CHECKING:
    from strongroom.core.core import Core


def backend(core: Core) -> IdentityBackend | None:
    """The namespace's identity mount (None only before it is installed)."""
    routed = core.mounts.route("identity/")
    if routed is None or not isinstance(routed[0].backend, IdentityBackend):
        return None
    return routed[0].backend


def auth_mount(core: Core, accessor: str) -> AuthMount | None:
    """The namespace's auth mount with `accessor`, as an alias names it."""
    for entry in core.mounts.entries("auth"):
        if entry.accessor == accessor:
            return AuthMount(entry.accessor, entry.type, "auth/" + entry.path)
    return None


async def resolve_entity(core: Core, entity_id: str) -> Resolved | None:
    found = backend(core)
    return None if found is None or not entity_id else await found.resolve(entity_id)


async def check(core: Core, caller: TokenEntry) -> None:
    """Raises PermissionDenied if `caller` (a token of `core`'s namespace) has an entity that
    no longer exists or is disabled."""
    if not caller.entity_id:
        return
    resolved = await resolve_entity(core, caller.entity_id)
    if resolved is None or resolved.disabled:
        raise PermissionDenied


async def identity_policies(core: Core, entry: TokenEntry) -> tuple[str, ...]:
    """The policies `entry`'s entity and its groups add (Vault's `identity_policies`)."""
    resolved = await resolve_entity(core, entry.entity_id)
    return () if resolved is None else resolved.policies


async def login_entity(core: Core, login: Login, mounted: Mounted) -> str:
    """The id of the entity logging in through `mounted` ("" when the method names no alias,
    as the token store's own log-ins). Raises PermissionDenied if the entity is disabled."""
    found = backend(core)
    if found is None or not login.alias_name:
        return ""
    entity = await found.login(
        mounted.entry.accessor, login.alias_name, login.alias_metadata, login.group_aliases
    )
    return entity.id


def clear_caches(core: Core) -> None:
    found = backend(core)
    if found is not None:
        found.clear_cache()
