"""Bad input is a clean 4xx that never carries a password: not the root password given in a
config, not one inside a connection URL, not a generated one a failed statement held."""

from __future__ import annotations

from typing import Any

import pytest

from strongroom.core.request import Operation
from strongroom.engines.database import DatabaseBackend
from strongroom.errors import BadRequest
from unit.engines.database.db_support import PLUGIN, Api, Pg, direct, mount_context, unique

CANARY = "Canary'Pw\"9-zz"  # quotes on purpose: they must not break out of a statement


async def canary_password(_policy: str) -> str:
    return CANARY


@pytest.fixture
async def canary(api: Api) -> Any:
    backend = DatabaseBackend(mount_context(api, canary_password))
    yield backend
    await backend.close()


async def refused(api: Api, method: str, path: str, json: Any = None) -> str:
    """The 400's error messages (and its whole body is checked by callers through them)."""
    resp = await api.call(method, path, json)
    assert resp.status_code == 400, resp.text
    errors = resp.json()["errors"]
    assert set(resp.json()) == {"errors"}
    return " | ".join(errors)


@pytest.mark.parametrize(
    "fields",
    [
        {"connection_url": "postgresql://postgres:S3cretInUrl@127.0.0.1:1/test"},
        {"connection_url": "host=127.0.0.1 port=1 password=S3cretInUrl dbname=test"},
        {"connection_url": "postgresql://127.0.0.1:1/test", "password": "S3cretInUrl"},
        {"connection_url": "host='unterminated S3cretInUrl"},
    ],
)
async def test_unreachable_or_malformed_configs_do_not_echo_their_password(
    api: Api, fields: dict[str, str]
) -> None:
    body = {"plugin_name": PLUGIN, "username": "postgres", **fields}
    text = await refused(api, "POST", "config/bad", body)
    assert "S3cretInUrl" not in text
    assert "error creating database object" in text
    assert (await api.call("GET", "config/bad")).status_code == 404


async def test_a_password_in_the_url_is_redacted_on_read_and_warned_about(api: Api) -> None:
    url = "postgresql://postgres:S3cretInUrl@127.0.0.1:5432/test"
    resp = await api.call("POST", "config/inurl", {"plugin_name": PLUGIN, "connection_url": url})
    assert resp.status_code == 200, resp.text
    assert "templated url" in resp.json()["warnings"][0]
    read = await api.call("GET", "config/inurl")
    assert "S3cretInUrl" not in read.text
    details = read.json()["data"]["connection_details"]
    assert details["connection_url"] == "postgresql://postgres:xxxxx@127.0.0.1:5432/test"


async def test_failed_creation_statements_do_not_leak_the_generated_password(
    api: Api, pg: Pg, canary: DatabaseBackend
) -> None:
    role = unique("r")
    bad = ["CREATE ROLE {{name}} WITH LOGIN PASSWORD '{{password}}' NO_SUCH_OPTION;"]
    await api.ok("POST", f"roles/{role}", {"db_name": "pg", "creation_statements": bad})
    with pytest.raises(BadRequest) as caught:
        await direct(canary, Operation.READ, f"creds/{role}")
    assert caught.value.status == 400
    assert CANARY not in caught.value.public
    assert "NO_SUCH_OPTION" in caught.value.public.upper()
    assert not await pg.roles_like(role[:8])  # the transaction left nothing behind


async def test_quotes_in_a_generated_password_stay_inside_the_literal(
    api: Api, pg: Pg, canary: DatabaseBackend
) -> None:
    role = unique("r")
    statements = ["CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}';"]
    await api.ok("POST", f"roles/{role}", {"db_name": "pg", "creation_statements": statements})
    data = (await direct(canary, Operation.READ, f"creds/{role}")).data
    assert data is not None
    pg.roles.add(data["username"])
    assert await pg.password_works(data["username"], CANARY)


async def test_a_static_role_for_a_missing_user_is_refused_and_not_kept(
    api: Api, canary: DatabaseBackend
) -> None:
    body = {"db_name": "pg", "username": unique("sr_nobody_"), "rotation_period": 3600}
    with pytest.raises(BadRequest) as caught:
        await direct(canary, Operation.UPDATE, "static-roles/ghost", body)
    assert "does not exist" in caught.value.public
    assert CANARY not in caught.value.public
    assert (await api.call("GET", "static-roles/ghost")).status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"rotation_period": 4}, "rotation_period must be 5 seconds or more"),
        (
            {"rotation_period": 60, "rotation_schedule": "* * * * *"},
            "mutually exclusive fields rotation_period and rotation_schedule",
        ),
        ({"rotation_period": 60, "rotation_window": 3600}, "rotation_window is invalid"),
        ({"rotation_schedule": "61 * * * *"}, "could not parse rotation_schedule"),
        ({"rotation_schedule": "* * * * *", "rotation_window": 60}, "rotation_window is invalid"),
        ({}, "one of rotation_schedule or rotation_period must be provided"),
        ({"rotation_period": 60, "rotation_overlap": 60}, "rotation_overlap must be shorter"),
        ({"rotation_period": "soon"}, 'field "rotation_period"'),
    ],
)
async def test_static_role_validation(api: Api, body: dict[str, Any], message: str) -> None:
    text = await refused(
        api, "POST", "static-roles/v", {"db_name": "pg", "username": "someone", **body}
    )
    assert message in text


async def test_other_refusals(api: Api) -> None:
    assert "unknown role" in await refused(api, "GET", "creds/nope")
    assert "unknown role" in await refused(api, "GET", "static-creds/nope")
    assert "plugin not found" in await refused(
        api, "POST", "config/x", {"plugin_name": "mongodb-database-plugin"}
    )
    assert "empty plugin name" in await refused(api, "POST", "config/x", {})
    bad_template = {"plugin_name": PLUGIN, "username_template": "{{ nope }}"}
    assert "invalid username template" in await refused(api, "POST", "config/x", bad_template)
    assert "database name is required" in await refused(api, "POST", "roles/x", {})
    await api.ok("POST", "roles/taken", {"db_name": "pg"})
    clash = {"db_name": "pg", "username": "u", "rotation_period": 60}
    assert "must be unique" in await refused(api, "POST", "static-roles/taken", clash)
    assert "no static role found" in await refused(api, "POST", "rotate-role/nope")
    assert 'failed to find entry for connection with name: "gone"' in await refused(
        api, "POST", "rotate-root/gone"
    )
    assert "invalid credential_type" in await refused(
        api, "POST", "roles/y", {"db_name": "pg", "credential_type": "rsa_private_key"}
    )
