"""rotate-root: the configured root user's password becomes one only Strongroom knows.

Write-ahead, because losing the new password means losing the database: the new password is
stored in the config as `pending_root_password` before the database is told; then the database
changes it; then the config commits it. If anything fails in between (or the process dies),
`recover` asks the database which password works now and keeps that one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import msgspec

from strongroom.engines.database.connections import open_plugin
from strongroom.engines.database.errors import DatabaseError
from strongroom.engines.database.models import CONFIG_DECODER, DatabaseConfig
from strongroom.engines.database.plugin import DatabasePlugin
from strongroom.engines.database.store import CONFIG, DatabaseStore
from strongroom.errors import BadRequest


async def rotate(
    store: DatabaseStore, name: str, new_password: str, plugin: DatabasePlugin
) -> None:
    """Change the root password of connection `name` to `new_password` through `plugin`
    (opened with the current credentials). Raises BadRequest/DatabaseError."""
    config = await _load(store, name)
    details = config.connection_details
    if not details.get("username") or not details.get("password"):
        raise BadRequest(
            "unable to rotate root credentials: no username or password in configuration"
        )
    await _replace(
        store, name, lambda c: msgspec.structs.replace(c, pending_root_password=new_password)
    )
    try:
        await plugin.set_password(
            config.root_credentials_rotate_statements, str(details["username"]), new_password
        )
    except DatabaseError:
        with contextlib.suppress(DatabaseError):  # did it land? keep whichever password works
            await recover(store, name)
        raise
    await _replace(store, name, _committed)


async def recover(store: DatabaseStore, name: str) -> None:
    """Settle an interrupted rotation: keep the stored password if it still logs in, else the
    pending one if that does. Raises DatabaseError if neither does (database unreachable)."""
    config = await _load(store, name)
    if not config.pending_root_password:
        return
    if await _logs_in(config, None):
        await _replace(store, name, lambda c: msgspec.structs.replace(c, pending_root_password=""))
    elif await _logs_in(config, config.pending_root_password):
        await _replace(store, name, _committed)
    else:
        raise DatabaseError("unable to verify the root credentials after an interrupted rotation")


def _committed(config: DatabaseConfig) -> DatabaseConfig:
    if not config.pending_root_password:
        return config
    details = {**config.connection_details, "password": config.pending_root_password}
    return msgspec.structs.replace(config, connection_details=details, pending_root_password="")


async def _logs_in(config: DatabaseConfig, password: str | None) -> bool:
    plugin = open_plugin(config, password)
    try:
        await plugin.verify()
    except DatabaseError:
        return False
    finally:
        await plugin.close()
    return True


async def _load(store: DatabaseStore, name: str) -> DatabaseConfig:
    found = await store.config(name)
    if found is None:
        raise BadRequest(f'failed to find entry for connection with name: "{name}"')
    return found.record


async def _replace(
    store: DatabaseStore, name: str, change: Callable[[DatabaseConfig], DatabaseConfig]
) -> None:
    async def mutate(config: DatabaseConfig | None) -> DatabaseConfig | None:
        if config is None:
            raise BadRequest(f'failed to find entry for connection with name: "{name}"')
        return change(config)

    await store.update(CONFIG + name, CONFIG_DECODER, mutate)
