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

# Vault's root-protected paths (PathsSpecial.Root of the system backend and the token store):
# an entry ending in "/" or "*" protects everything below it.
SUDO_PATHS = (
    "sys/auth/*",
    "sys/remount",
    "sys/audit",
    "sys/audit/*",
    "sys/raw/*",
    "sys/rotate",
    "sys/seal",
    "sys/step-down",
    "sys/leases/revoke-prefix/*",
    "sys/leases/revoke-force/*",
    "sys/leases/lookup/*",
    "sys/revoke-prefix/*",
    "sys/revoke-force/*",
    "auth/token/accessors/",
    "auth/token/revoke-orphan",
)


# Vault lists these among the system backend's unauthenticated paths: any valid token may ask,
# and the handler answers only about mounts the token has some access to (hasMountAccess).
_CHECKED_BY_HANDLER = "sys/internal/ui/mounts"

_SUDO_PREFIXES = tuple(p[:-1] for p in SUDO_PATHS if p.endswith("*"))
_SUDO_EXACT = frozenset(
    variant for p in SUDO_PATHS if not p.endswith("*") for variant in (p, p.rstrip("/"))
)


def needs_sudo(path: str, backend: LogicalBackend | None = None, rest: str = "") -> bool:
    """Whether `path` is root-protected: one of the core's paths above, or a path the
    backend's declarative table marks `sudo` (`rest` is the path below its mount)."""
    if path in _SUDO_EXACT or path.startswith(_SUDO_PREFIXES):
        return True
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
    if not decision.allowed or (needs_sudo(request.path, backend, rest) and not decision.sudo):
        raise PermissionDenied
    return decision.sudo
