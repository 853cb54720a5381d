"""Templated ACL policies filled from a token's real entity (docs "Templated policies"): the
entity's id, name and metadata, its aliases by mount accessor, its groups by id and by name.
A placeholder that cannot be filled (no entity, no such key) makes its path grant nothing."""

from __future__ import annotations

from typing import Any

import pytest

from support.inproc import Server


async def _ok(server: Server, method: str, path: str, body: Any = None) -> dict[str, Any]:
    resp = await server.call(method, path, body)
    assert resp.status_code in (200, 204), (path, resp.text)
    return {} if resp.status_code == 204 else dict(resp.json())


async def _entity_token(server: Server, accessor: str) -> tuple[str, str]:
    """A token of an entity `alice` (metadata team=blue, in group `devs`), from a log-in."""
    await _ok(server, "POST", "auth/approle/role/r1", {"token_policies": "tpl"})
    role_id = (await _ok(server, "GET", "auth/approle/role/r1/role-id"))["data"]["role_id"]
    secret = (await _ok(server, "POST", "auth/approle/role/r1/secret-id", {}))["data"]
    login = {"role_id": role_id, "secret_id": secret["secret_id"]}
    auth = (await server.call("POST", "auth/approle/login", login, token=None)).json()["auth"]
    entity_id = auth["entity_id"]
    body = {"name": "alice", "metadata": {"team": "blue"}}
    await _ok(server, "POST", f"identity/entity/id/{entity_id}", body)
    group = {"name": "devs", "metadata": {"tier": "gold"}, "member_entity_ids": [entity_id]}
    await _ok(server, "POST", "identity/group", group)
    del accessor
    return auth["client_token"], entity_id


@pytest.mark.parametrize(
    ("template", "allowed", "denied"),
    [
        ("{{identity.entity.name}}", "alice", "bob"),
        ("{{identity.entity.metadata.team}}", "blue", "red"),
        ("{{identity.groups.names.devs.metadata.tier}}", "gold", "silver"),
        ("x-{{identity.entity.aliases.ACCESSOR.metadata.role_name}}", "x-r1", "x-r2"),
    ],
)
async def test_templates_fill_from_the_entity(
    server: Server, accessor: str, template: str, allowed: str, denied: str
) -> None:
    text = (
        f'path "sys/policy/{template.replace("ACCESSOR", accessor)}" {{ capabilities = ["read"] }}'
    )
    await _ok(server, "PUT", "sys/policy/tpl", {"policy": text})
    for name in (allowed, denied):
        await _ok(
            server, "PUT", f"sys/policy/{name}", {"policy": 'path "x" { capabilities = ["read"] }'}
        )
    token, _ = await _entity_token(server, accessor)
    assert (await server.call("GET", f"sys/policy/{allowed}", token=token)).status_code == 200
    assert (await server.call("GET", f"sys/policy/{denied}", token=token)).status_code == 403


async def test_ids_fill_too(server: Server, accessor: str) -> None:
    text = (
        'path "secret/{{identity.entity.id}}" { capabilities = ["read"] }\n'
        'path "secret/{{identity.groups.names.devs.id}}/g" { capabilities = ["read"] }\n'
        'path "secret/{{identity.entity.aliases.'
        + accessor
        + '.id}}/a" { capabilities = ["read"] }'
    )
    await _ok(server, "PUT", "sys/policy/tpl", {"policy": text})
    token, entity_id = await _entity_token(server, accessor)
    entity = (await _ok(server, "GET", f"identity/entity/id/{entity_id}"))["data"]
    group_id = entity["direct_group_ids"][0]
    alias_id = entity["aliases"][0]["id"]
    caps = await server.call(
        "POST",
        "sys/capabilities-self",
        {"paths": [f"secret/{entity_id}", f"secret/{group_id}/g", f"secret/{alias_id}/a"]},
        token=token,
    )
    body = caps.json()
    for path in (f"secret/{entity_id}", f"secret/{group_id}/g", f"secret/{alias_id}/a"):
        assert body[path] == ["read"], path


async def test_a_token_without_an_entity_fills_nothing(server: Server) -> None:
    """Vault: no entity, no values; the token's own metadata is not the entity's."""
    text = 'path "sys/policy/{{identity.entity.metadata.team}}" { capabilities = ["read"] }'
    await _ok(server, "PUT", "sys/policy/tpl", {"policy": text})
    await _ok(server, "PUT", "sys/policy/blue", {"policy": 'path "x" { capabilities = ["read"] }'})
    made = await _ok(
        server, "POST", "auth/token/create", {"policies": ["tpl"], "meta": {"team": "blue"}}
    )
    token = made["auth"]["client_token"]
    assert (await server.call("GET", "sys/policy/blue", token=token)).status_code == 403
