"""The rabbitmq secrets engine through hvac against the real server process (SQLite storage)
and the real broker: `secrets.rabbitmq.*` calls unchanged, and revoking the lease deletes the
user."""

from __future__ import annotations

import json
from collections.abc import Iterator

import hvac
import hvac.exceptions
import pytest

from support.hvac_client import unsealed_client
from support.procs import RunningServer
from support.rabbitmq import GUEST, Broker, ensure_management

pytestmark = pytest.mark.slow


@pytest.fixture
def broker() -> Iterator[Broker]:
    found = Broker(ensure_management())
    yield found
    found.cleanup()


def test_configure_roles_and_credentials(sqlite_server: RunningServer, broker: Broker) -> None:
    client = unsealed_client(sqlite_server)
    client.sys.enable_secrets_engine("rabbitmq", path="rabbitmq")
    rabbit = client.secrets.rabbitmq
    with pytest.raises(hvac.exceptions.InvalidRequest) as failed:
        rabbit.configure(connection_uri=broker.url, username="guest", password="wrong-pw-7f3a")
    assert "wrong-pw-7f3a" not in str(failed.value)
    rabbit.configure(connection_uri=broker.url, username=GUEST[0], password=GUEST[1])
    rabbit.configure_lease(ttl=600, max_ttl=1200)
    vhosts = {"/": {"configure": "", "write": ".*", "read": ".*"}}
    rabbit.create_role("app", tags="management", vhosts=json.dumps(vhosts))
    assert rabbit.read_role("app")["data"]["vhosts"] == vhosts
    creds = rabbit.generate_credentials("app")
    user, password = creds["data"]["username"], creds["data"]["password"]
    broker.users.add(user)
    assert creds["lease_duration"] == 600
    assert broker.get("/api/whoami", auth=(user, password)).json()["name"] == user
    client.sys.revoke_lease(creds["lease_id"])
    assert not broker.user_exists(user)
    rabbit.delete_role("app")
    with pytest.raises(hvac.exceptions.InvalidPath):
        rabbit.read_role("app")
