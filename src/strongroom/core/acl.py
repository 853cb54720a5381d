"""Authorisation in the pipeline (DESIGN.md invariant 4): deny by default, deny wins.

The compiled ACL of the caller's policies decides on the path and operation; Vault's
root-protected paths additionally need `sudo`. A POST or PUT is a `create` when the backend's
existence check says the target is absent, an `update` otherwise (Vault's ExistenceCheck).
Denials all look alike: "permission denied", whether or not the path exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from strongroom.core import identity
from strongroom.core.mounts import LogicalBackend
from strongroom.core.request import Operation, Request
from strongroom.core.token.entry import TokenEntry
from strongroom.errors import PermissionDenied
from strongroom.logical.paths import PathTable

if TYPE_CHECKING:
    from strongroom.core.core import Core


# Vault lists these among the system backend's unauthenticated paths: any valid token may ask,
# and the handler answers only about mounts the token has some access to (hasMountAccess).
_CHECKED_BY_HANDLER = "sys/internal/ui/mounts"


def needs_sudo(backend: LogicalBackend | None, rest: str) -> bool:
    """Whether the path `rest` below `backend`'s mount is root-protected: its declarative
    table marks it `sudo` (Vault's PathsSpecial.Root; sys/ and auth/token/ included)."""
    table = getattr(backend, "paths", None)
    return isinstance(table, PathTable) and table.sudo(rest)


async def _operation(request: Request, backend: LogicalBackend | None, rest: str) -> str:
    if request.operation is not Operation.UPDATE:
        return request.operation.value
    exists = getattr(backend, "exists", None)
    if exists is not None and not await exists(rest):
        return "create"
    return "update"


async def authorize(
    core: Core,
    caller: TokenEntry,
    request: Request,
    backend: LogicalBackend | None,
    rest: str,
    wrap_ttl: int | None,
    *,
    prefix: str = "",
) -> bool:
    """Raises PermissionDenied unless `caller` may perform `request`; returns whether it holds
    root or sudo on the path (handlers that grant more to sudo ask, as Vault's isSudo does).
    `core` is the caller's token's namespace; `prefix` is the path of the request's namespace
    below it, so a policy of a parent namespace names a child's paths as `child/secret/...`."""
    if request.path == _CHECKED_BY_HANDLER or request.path.startswith(_CHECKED_BY_HANDLER + "/"):
        return False
    await identity.check(core, caller)  # a deleted or disabled entity's tokens are refused
    acl = await core.policies.acl(caller)
    if request.operation is Operation.HELP:
        # Vault answers help to a token with any capability on the path (even only `list`).
        if not acl.capabilities(prefix + request.path) - {"deny"}:
            raise PermissionDenied
        return False
    operation = await _operation(request, backend, rest)
    decision = acl.check(prefix + request.path, operation, request.data, wrap_ttl=wrap_ttl)
    if not decision.allowed or (needs_sudo(backend, rest) and not decision.sudo):
        raise PermissionDenied
    return decision.sudo
