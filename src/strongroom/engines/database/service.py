"""What every database handler is handed: the mount's store, this worker's open plugins, the
clock, the password source and the mount's lease TTLs.

`plugin(db_name)` is the one way to reach a database: it loads the config, finishes an
interrupted root rotation first (`root.py`), and reuses the worker's open instance while the
config's storage version holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from strongroom.clock import Clock
from strongroom.engines.database import root
from strongroom.engines.database.connections import Connections
from strongroom.engines.database.models import DatabaseConfig
from strongroom.engines.database.plugin import DatabasePlugin
from strongroom.engines.database.store import DatabaseStore, Versioned
from strongroom.errors import BadRequest
from strongroom.logical import EventSink, PasswordSource


@dataclass
class Database:
    store: DatabaseStore
    clock: Clock
    passwords: PasswordSource
    lease_ttls: Callable[[], tuple[int, int]]
    emit: EventSink
    connections: Connections = field(default_factory=Connections)

    def now(self) -> float:
        return self.clock.now()

    async def config(self, name: str) -> Versioned[DatabaseConfig]:
        """Raises BadRequest if there is no connection `name` (Vault's message)."""
        found = await self.store.config(name)
        if found is None:
            raise BadRequest(f'failed to find entry for connection with name: "{name}"')
        return found

    async def plugin(self, name: str) -> tuple[DatabaseConfig, DatabasePlugin]:
        found = await self.config(name)
        if found.record.pending_root_password:
            await root.recover(self.store, name)
            found = await self.config(name)
        plugin = await self.connections.get(name, found.record, found.version)
        return found.record, plugin

    async def password_for(self, config: DatabaseConfig) -> str:
        """A new password from the config's `password_policy` ("" = Vault's default)."""
        return await self.passwords(config.password_policy)
