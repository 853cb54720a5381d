"""Mounting: enable, disable, move and tune the mounts of a namespace, and what every
namespace starts with (Vault's `sys/mounts`, `sys/auth`, `sys/remount`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from strongroom.core.mount_manager import full_path, normalise
from strongroom.core.mounts import MountConfig, MountEntry, TableKind, new_entry
from strongroom.core.namespaces.registry import storage_prefix
from strongroom.core.view import View, purge
from strongroom.engines.cubbyhole import cubbyhole_entry
from strongroom.engines.identity import identity_entry
from strongroom.errors import BadRequest

if TYPE_CHECKING:
    from strongroom.core.core import Core

_RESERVED = ("sys/", "auth/", "cubbyhole/", "identity/")


async def mount(  # noqa: PLR0913 - keyword-only, one per field of Vault's sys/mounts
    core: Core,
    kind: TableKind,
    path: str,
    type_: str,
    *,
    description: str = "",
    config: MountConfig | None = None,
    options: dict[str, str] | None = None,
    local: bool = False,
    seal_wrap: bool = False,
) -> None:
    if type_ not in core.user_types:
        core.mounts.backend_type(type_, kind)  # raises the catalogue error
        raise BadRequest(f"cannot mount a {type_} backend")
    core.mounts.backend_type(type_, kind)
    first = normalise(path).split("/", 1)[0] + "/"
    if kind == "mounts" and any(
        child.path == core.namespace.path + first
        for child in core.namespaces.children(core.namespace)
    ):
        raise BadRequest(f'"{first}" is a child namespace of this namespace')
    entry = new_entry(
        path=path,
        type_=type_,
        description=description,
        config=config,
        options=options,
        local=local,
        seal_wrap=seal_wrap,
        now=core.clock.now(),
    )
    await core.mounts.change(kind, lambda t: _add(t, entry, kind))


async def unmount(core: Core, kind: TableKind, path: str) -> None:
    """Remove a mount and every value it stored. Builtin mounts cannot be removed."""
    entry = core.mounts.find(kind, path)
    if entry is None:
        return  # Vault answers 204 for a path that is not mounted
    if entry.type not in core.user_types:
        raise BadRequest(f'cannot unmount "{path}"')
    # Vault revokes a mount's leases before it goes, and keeps the mount if that fails.
    await core.leases.revoke_prefix(core.namespace.path + full_path(entry, kind))
    await core.mounts.change(kind, lambda t: tuple(e for e in t if e.path != entry.path))
    await purge_below(core, storage_prefix(core.namespace) + entry.storage_prefix(kind))


async def purge_below(core: Core, prefix: str) -> None:
    """Delete everything below `prefix`, a page at a time (a mount may hold millions)."""
    await purge(View(core.barrier, prefix))


async def remount(core: Core, source: str, target: str) -> None:
    """Move a secrets mount to a new path; its storage (keyed by uuid) stays where it is."""
    source, target = normalise(source), normalise(target)
    entry = core.mounts.find("mounts", source)
    if entry is None or entry.type not in core.user_types:
        raise BadRequest(f'cannot find mount at "{source}"')
    moved = msgspec.structs.replace(entry, path=target)

    def mutate(table: tuple[MountEntry, ...]) -> tuple[MountEntry, ...]:
        others = tuple(e for e in table if e.path != source)
        return _add(others, moved, "mounts")

    await core.mounts.change("mounts", mutate)


async def install_default_mounts(core: Core) -> None:
    """The `sys/`, `cubbyhole/`, `identity/` and `auth/token/` mounts every namespace
    starts with."""
    now = core.clock.now()
    sys_entry = new_entry(
        path="sys/",
        type_="system",
        description="system endpoints used for control, policy and debugging",
        now=now,
    )
    token_entry = new_entry(
        path="token/", type_="token", description="token based credentials", now=now
    )
    await core.mounts.change("mounts", lambda t: (*t, sys_entry))
    await core.mounts.ensure_builtin(cubbyhole_entry(now))
    await core.mounts.ensure_builtin(identity_entry(now))
    await core.mounts.change("auth", lambda t: (*t, token_entry))


def _add(
    table: tuple[MountEntry, ...], entry: MountEntry, kind: TableKind
) -> tuple[MountEntry, ...]:
    """`table` plus `entry`; raises BadRequest on a clash, as Vault's mount path checks do."""
    reserved = next((prefix for prefix in _RESERVED if entry.path.startswith(prefix)), None)
    if kind == "mounts" and reserved is not None:
        raise BadRequest(f"cannot mount to a reserved path: {reserved}")
    for existing in table:
        if existing.path == entry.path:
            raise BadRequest(f"path is already in use at {entry.path}")
        if entry.path.startswith(existing.path) or existing.path.startswith(entry.path):
            raise BadRequest(f"existing mount at {existing.path}")
    return (*table, entry)
