"""hvac's `client.secrets.identity` (every method but OIDC's) against the real server, and an
AppRole log-in whose entity's group policy lets the token read a secret."""

from __future__ import annotations

import hvac
import hvac.exceptions
import pytest

from support.hvac_client import unsealed_client
from support.procs import RunningServer

pytestmark = pytest.mark.slow


def _entities(identity: hvac.api.secrets_engines.Identity, accessor: str) -> tuple[str, str]:
    created = identity.create_or_update_entity(
        name="alice", metadata={"team": "x"}, policies=["p1"]
    )
    alice = created["data"]["id"]
    identity.update_entity(alice, policies=["p1", "p2"])
    assert identity.read_entity(alice)["data"]["policies"] == ["p1", "p2"]
    identity.create_or_update_entity_by_name("bob", policies=["b"])
    bob = identity.read_entity_by_name("bob")["data"]["id"]
    assert identity.list_entities()["data"]["keys"] == sorted([alice, bob])
    assert sorted(identity.list_entities_by_name(method="GET")["data"]["keys"]) == ["alice", "bob"]
    alias = identity.create_or_update_entity_alias("bob-alias", bob, accessor)["data"]["id"]
    identity.update_entity_alias(alias, "bob-alias2", bob, accessor)
    assert identity.read_entity_alias(alias)["data"]["name"] == "bob-alias2"
    assert identity.list_entity_aliases()["data"]["keys"] == [alias]
    identity.merge_entities(from_entity_ids=[bob], to_entity_id=alice)
    assert [a["id"] for a in identity.read_entity(alice)["data"]["aliases"]] == [alias]
    with pytest.raises(hvac.exceptions.InvalidPath):
        identity.read_entity(bob)
    looked = identity.lookup_entity(alias_name="bob-alias2", alias_mount_accessor=accessor)
    assert looked["data"]["id"] == alice
    assert identity.lookup_entity(name="alice")["data"]["id"] == alice
    identity.delete_entity_alias(alias)
    identity.create_or_update_entity_by_name("carol")
    identity.delete_entity_by_name("carol")
    with pytest.raises(hvac.exceptions.InvalidPath):
        identity.read_entity_by_name("carol")
    return alice, created["data"]["name"]


def _groups(identity: hvac.api.secrets_engines.Identity, accessor: str, alice: str) -> str:
    devs = identity.create_or_update_group("devs", policies=["reader"], member_entity_ids=[alice])
    devs_id = str(devs["data"]["id"])
    identity.update_group(devs_id, "devs", policies=["reader"], member_entity_ids=[alice])
    identity.create_or_update_group_by_name("all", member_group_ids=[devs_id])
    assert identity.read_group_by_name("all")["data"]["member_group_ids"] == [devs_id]
    assert identity.read_group(devs_id)["data"]["member_entity_ids"] == [alice]
    assert len(identity.list_groups()["data"]["keys"]) == 2
    assert sorted(identity.list_groups_by_name()["data"]["keys"]) == ["all", "devs"]
    ext = identity.create_or_update_group("ext", group_type="external")["data"]["id"]
    made = identity.create_or_update_group_alias(
        "ext-alias", mount_accessor=accessor, canonical_id=ext
    )
    alias = made["data"]["id"]
    identity.update_group_alias(alias, "ext-alias2", mount_accessor=accessor, canonical_id=ext)
    assert identity.read_group_alias(alias)["data"]["name"] == "ext-alias2"
    assert identity.list_group_aliases()["data"]["keys"] == [alias]
    found = identity.lookup_group(alias_name="ext-alias2", alias_mount_accessor=accessor)
    assert found["data"]["id"] == ext
    assert identity.lookup_group(group_id=devs_id)["data"]["name"] == "devs"
    identity.delete_group_alias(alias)
    identity.delete_group(ext)
    identity.delete_group_by_name("all")
    return devs_id


def test_identity_with_hvac(sqlite_server: RunningServer) -> None:
    root = unsealed_client(sqlite_server)
    root.sys.enable_auth_method("approle")
    accessor = root.sys.list_auth_methods()["data"]["approle/"]["accessor"]
    identity = root.secrets.identity
    alice, _ = _entities(identity, accessor)
    devs_id = _groups(identity, accessor, alice)
    # A log-in gets its entity; the entity joins `devs`, whose policy reads the secret.
    root.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    root.secrets.kv.v2.create_or_update_secret("app", secret={"k": "v"})
    root.sys.create_or_update_policy("reader", 'path "secret/data/app" { capabilities = ["read"] }')
    root.auth.approle.create_or_update_approle("app", token_policies=["default"])
    role_id = root.auth.approle.read_role_id("app")["data"]["role_id"]
    secret_id = root.auth.approle.generate_secret_id("app")["data"]["secret_id"]
    app = hvac.Client(url=sqlite_server.address)
    entity_id = app.auth.approle.login(role_id, secret_id)["auth"]["entity_id"]
    with pytest.raises(hvac.exceptions.Forbidden):
        app.secrets.kv.v2.read_secret_version("app", raise_on_deleted_version=True)
    identity.update_group(
        devs_id, "devs", policies=["reader"], member_entity_ids=[alice, entity_id]
    )
    assert app.secrets.kv.v2.read_secret_version("app", raise_on_deleted_version=True)
    assert app.auth.token.lookup_self()["data"]["identity_policies"] == ["reader"]
    # Merged into alice (in `devs` too), the token acts as alice, as in Vault.
    identity.merge_entities(from_entity_ids=[entity_id], to_entity_id=alice)
    assert app.secrets.kv.v2.read_secret_version("app", raise_on_deleted_version=True)
    identity.update_entity(alice, disabled=True)
    with pytest.raises(hvac.exceptions.Forbidden):
        app.secrets.kv.v2.read_secret_version("app", raise_on_deleted_version=True)
