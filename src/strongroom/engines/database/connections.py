"""The plugin catalogue, and this worker's open plugin per config.

A plugin instance owns a connection pool built from one version of a config; when the config's
storage version changes (written here or by another worker, e.g. after rotate-root), the next
use closes the old instance and opens a new one. `prune` (from the backend's tick) closes the
instances of configs that were deleted or changed elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from strongroom.engines.database import mysql, postgresql, redis
from strongroom.engines.database.models import DatabaseConfig
from strongroom.engines.database.plugin import Connection, DatabasePlugin
from strongroom.engines.usernames import POSTGRES_DEFAULT
from strongroom.errors import BadRequest

# Fields of connection_details the engine reads itself; everything else is the plugin's.
_ENGINE_FIELDS = ("connection_url", "username", "password")


@dataclass(frozen=True, slots=True)
class PluginSpec:
    factory: Callable[[Connection], DatabasePlugin]
    username_template: str  # the plugin's default `username_template`
    max_username: int  # longer generated names are refused, never silently cut
    clones: bool = False  # offers `clone_user`, needed by `rotation_overlap` (overlap.py)


CATALOGUE: Mapping[str, PluginSpec] = {
    postgresql.NAME: PluginSpec(
        postgresql.PostgreSQLPlugin, POSTGRES_DEFAULT, postgresql.MAX_IDENTIFIER, clones=True
    ),
    **{
        name: PluginSpec(mysql.MySQLPlugin, mysql.DEFAULT_TEMPLATE, mysql.MAX_USERNAME)
        for name in mysql.NAMES
        if name != mysql.LEGACY_NAME
    },
    mysql.LEGACY_NAME: PluginSpec(
        mysql.MySQLPlugin, mysql.LEGACY_TEMPLATE, mysql.MAX_LEGACY_USERNAME
    ),
    redis.NAME: PluginSpec(redis.RedisPlugin, redis.DEFAULT_TEMPLATE, redis.MAX_USERNAME),
}


def plugin_spec(name: str) -> PluginSpec:
    """Raises BadRequest for a plugin this build does not offer."""
    spec = CATALOGUE.get(name)
    if spec is None:
        raise BadRequest("error creating database object: plugin not found in the catalog")
    return spec


def connection_of(config: DatabaseConfig, password: str | None = None) -> Connection:
    """The plugin's view of `config`; `password` overrides the stored root password."""
    details: Mapping[str, Any] = config.connection_details
    return Connection(
        connection_url=_text(details.get("connection_url")),
        username=_text(details.get("username")),
        password=_text(details.get("password")) if password is None else password,
        options={k: v for k, v in details.items() if k not in _ENGINE_FIELDS},
    )


def open_plugin(config: DatabaseConfig, password: str | None = None) -> DatabasePlugin:
    return plugin_spec(config.plugin_name).factory(connection_of(config, password))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


class Connections:
    """Open plugin instances of one mount on this worker, keyed by config name."""

    def __init__(self) -> None:
        self._open: dict[str, tuple[int, DatabasePlugin]] = {}

    async def get(self, name: str, config: DatabaseConfig, version: int) -> DatabasePlugin:
        """The instance for `config` as stored at `version`, (re)opened if needed."""
        found = self._open.get(name)
        if found is not None and found[0] == version:
            return found[1]
        plugin = open_plugin(config)
        # Swapped before any await, so a concurrent request never opens a second instance;
        # the old pool lets connections in use finish before it closes them.
        self._open[name] = (version, plugin)
        if found is not None:
            await found[1].close()
        return plugin

    async def drop(self, name: str) -> None:
        """Close and forget the instance of `name`, if any."""
        found = self._open.pop(name, None)
        if found is not None:
            await found[1].close()

    async def prune(self, live: Mapping[str, int]) -> None:
        """Close instances whose config is gone or at another version than `live` says."""
        for name, (version, _plugin) in list(self._open.items()):
            if live.get(name) != version:
                await self.drop(name)

    def names(self) -> list[str]:
        return list(self._open)

    async def close(self) -> None:
        for name in list(self._open):
            await self.drop(name)
