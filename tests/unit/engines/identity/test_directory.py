"""`facts()`, what the OIDC provider reads of an entity (its `EntityDirectory` protocol):
exactly the attributes it names, frozen, with groups direct and inherited."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from strongroom.core import identity
from strongroom.engines.identity.models import AliasFacts, EntityFacts
from support.inproc import Server


async def _ok(server: Server, method: str, path: str, body: Any = None) -> dict[str, Any]:
    resp = await server.call(method, path, body)
    assert resp.status_code in (200, 204), (path, resp.text)
    return {} if resp.status_code == 204 else dict(resp.json()["data"])


async def test_facts_of_an_entity(server: Server, accessor: str) -> None:
    body = {"name": "alice", "metadata": {"team": "x"}}
    entity_id = (await _ok(server, "POST", "identity/entity", body))["id"]
    alias = {"name": "a", "canonical_id": entity_id, "mount_accessor": accessor}
    alias_id = (await _ok(server, "POST", "identity/entity-alias", alias))["id"]
    group = {"name": "g1", "member_entity_ids": [entity_id]}
    g1 = (await _ok(server, "POST", "identity/group", group))["id"]
    g2 = (await _ok(server, "POST", "identity/group", {"name": "g2", "member_group_ids": [g1]}))[
        "id"
    ]
    backend = identity.backend(server.core)
    assert backend is not None
    facts = await backend.directory.facts(entity_id)
    assert facts == EntityFacts(
        id=entity_id,
        name="alice",
        namespace_id="root",
        metadata={"team": "x"},
        disabled=False,
        aliases=(AliasFacts(alias_id, accessor, "approle", "a", {}),),
        group_ids=(g1, g2),
        group_names=("g1", "g2"),
    )
    assert {f.name for f in dataclasses.fields(EntityFacts)} == {
        "id",
        "name",
        "namespace_id",
        "metadata",
        "disabled",
        "aliases",
        "group_ids",
        "group_names",
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.name = "bob"  # type: ignore[misc]
    assert await backend.directory.facts("nope") is None
