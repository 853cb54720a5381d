"""The database goes away while a lease is due: the revocation fails, the lease stays (visible,
retried with back-off), and once the database is back the user is dropped; nothing orphaned.

The outage is real: the engine reaches PostgreSQL through a TCP relay the test stops (closing
every relayed connection) and starts again on the same port, so the shared server stays up.
"""

from __future__ import annotations

import asyncio
import contextlib

from strongroom.core import scheduler
from unit.engines.database.db_support import Api, Pg, unique


class Relay:
    """127.0.0.1:<port> -> 127.0.0.1:5432, which can be cut and restored."""

    def __init__(self) -> None:
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        await self._server.wait_closed()
        self._writers.clear()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", 5432)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, asyncio.IncompleteReadError):
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    writer.close()


async def test_a_revocation_during_an_outage_is_retried_until_the_user_is_gone(
    api: Api, pg: Pg
) -> None:
    relay = Relay()
    await relay.start()
    url = f"postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{relay.port}/test"
    await api.configure("relayed", connection_url=url)
    role = unique("r")
    creation = ['CREATE ROLE "{{name}}" LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}}']
    body = {"db_name": "relayed", "creation_statements": creation, "default_ttl": 60}
    await api.ok("POST", f"roles/{role}", body)
    granted = await api.ok("GET", f"creds/{role}")
    assert granted["lease_duration"] == 60
    user = str(granted["data"]["username"])
    pg.roles.add(user)
    assert await pg.exists(user)
    server = api.server

    await relay.stop()
    server.clock.advance(61)
    await scheduler.tick(server.core)
    lookup = await server.call("PUT", "sys/leases/lookup", {"lease_id": granted["lease_id"]})
    assert lookup.status_code == 200
    assert lookup.json()["data"]["revocation_attempts"] == 1
    assert await pg.exists(user)  # not orphaned: still leased, still tracked

    server.clock.advance(3)
    await scheduler.tick(server.core)
    lookup = await server.call("PUT", "sys/leases/lookup", {"lease_id": granted["lease_id"]})
    assert lookup.json()["data"]["revocation_attempts"] == 2

    await relay.start()  # the same port: the database is back
    server.clock.advance(5)
    await scheduler.tick(server.core)
    assert not await pg.exists(user)
    gone = await server.call("PUT", "sys/leases/lookup", {"lease_id": granted["lease_id"]})
    assert gone.status_code == 400
    await relay.stop()
