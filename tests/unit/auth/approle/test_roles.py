"""AppRole roles: CRUD, listing, role IDs, Vault's field rules and the existence check."""

from __future__ import annotations

import pytest

from strongroom.core.request import Operation
from unit.auth.approle.approle_harness import UUID, Harness


async def test_create_read_defaults_as_vault(approle: Harness) -> None:
    assert (await approle.write_role("web")).empty  # 204
    assert await approle.read_role("web") == {
        "bind_secret_id": True,
        "local_secret_ids": False,
        "secret_id_bound_cidrs": [],
        "secret_id_num_uses": 0,
        "secret_id_ttl": 0,
        "token_bound_cidrs": [],
        "token_explicit_max_ttl": 0,
        "token_max_ttl": 0,
        "token_no_default_policy": False,
        "token_num_uses": 0,
        "token_period": 0,
        "token_policies": [],
        "token_ttl": 0,
        "token_type": "default",
    }
    assert UUID.fullmatch(await approle.role_id("web"))


async def test_write_sets_fields_and_an_update_changes_only_those_sent(approle: Harness) -> None:
    await approle.write_role(
        "Web",  # role names are lower-cased, as Vault stores them
        token_policies="b,a",
        token_ttl="1h",
        token_max_ttl=7200,
        secret_id_ttl="10m",
        secret_id_num_uses=3,
        secret_id_bound_cidrs=["10.0.0.0/8"],
        token_bound_cidrs="10.0.0.1, 10.1.2.3/8",
        token_no_default_policy=True,
        local_secret_ids=True,
    )
    await approle.write_role("web", token_ttl=60)
    role = await approle.read_role("WEB")
    assert role["token_policies"] == ["b", "a"]
    assert (role["token_ttl"], role["token_max_ttl"], role["secret_id_ttl"]) == (60, 7200, 600)
    assert role["secret_id_num_uses"] == 3
    assert role["secret_id_bound_cidrs"] == ["10.0.0.0/8"]
    assert role["token_bound_cidrs"] == ["10.0.0.1", "10.1.2.3/8"]
    assert (role["token_no_default_policy"], role["local_secret_ids"]) == (True, True)
    local = await approle.call(Operation.READ, "role/web/local-secret-ids")
    assert local.data == {"local_secret_ids": True}


async def test_legacy_policies_and_period(approle: Harness) -> None:
    await approle.write_role("old", policies="B, a,a", period="1h")
    role = await approle.read_role("old")
    assert role["policies"] == role["token_policies"] == ["a", "b"]
    assert role["period"] == role["token_period"] == 3600
    await approle.write_role("old", token_policies=["x"], token_period=60)
    role = await approle.read_role("old")
    assert (role["token_policies"], role["token_period"]) == (["x"], 60)
    assert "policies" not in role
    assert "period" not in role


async def test_default_service_token_type_is_adjusted_with_a_warning(approle: Harness) -> None:
    response = await approle.write_role("svc", token_type="default-service")
    assert response.warnings == ["default-service has no useful meaning; adjusting to service"]
    assert (await approle.read_role("svc"))["token_type"] == "service"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"token_type": "batch", "token_num_uses": 3}, "limited use count"),
        ({"token_type": "batch", "token_period": 60}, "periodic tokens"),
        ({"token_ttl": "2h", "token_max_ttl": "1h"}, "cannot be greater than 'token_max_ttl'"),
        ({"token_type": "nope"}, "invalid 'token_type' value"),
        ({"secret_id_bound_cidrs": "nope"}, 'field "secret_id_bound_cidrs"'),
        ({"token_bound_cidrs": ["10.0.0.0/33"]}, 'field "token_bound_cidrs"'),
        ({"secret_id_num_uses": -1}, "secret_id_num_uses cannot be negative"),
        ({"token_ttl": "soon"}, 'field "token_ttl"'),
        ({"bind_secret_id": False}, "at least one constraint should be enabled on the role"),
    ],
)
async def test_invalid_fields_are_400_naming_the_problem(
    approle: Harness, fields: dict[str, object], message: str
) -> None:
    error = await approle.refusal(Operation.UPDATE, "role/bad", fields)
    assert error.status == 400
    assert message in error.public
    assert "nope" not in error.public  # the submitted value is never echoed
    assert await approle.store_role_exists("bad") is False


async def test_local_secret_ids_only_at_creation(approle: Harness) -> None:
    await approle.write_role("web")
    error = await approle.refusal(Operation.UPDATE, "role/web", {"local_secret_ids": True})
    assert (error.status, error.public) == (
        400,
        "local_secret_ids can only be modified during role creation",
    )


async def test_list_pages_and_an_empty_list_is_404(approle: Harness) -> None:
    assert (await approle.refusal(Operation.LIST, "role/")).status == 404
    for name in ("c", "a", "b"):
        await approle.write_role(name)
    assert (await approle.call(Operation.LIST, "role/")).data == {"keys": ["a", "b", "c"]}
    page = await approle.call(Operation.LIST, "role/", {"after": "a", "limit": 1})
    assert page.data == {"keys": ["b"]}


async def test_delete_removes_role_its_role_id_and_secret_ids(approle: Harness) -> None:
    await approle.write_role("web", secret_id_ttl=60)
    role_id = await approle.role_id("web")
    secret = await approle.new_secret("web")
    assert (await approle.call(Operation.DELETE, "role/web")).empty
    assert (await approle.refusal(Operation.READ, "role/web")).status == 404
    assert (await approle.call(Operation.DELETE, "role/web")).empty  # deleting nothing is fine
    for folder in ("role/", "role_id/", "secret_id/", "accessor/", "expiry/"):
        assert await approle.stored_keys(folder) == [], folder
    # A role of the same name, even given the old role ID, knows nothing of the old secret ID.
    await approle.write_role("web", role_id=role_id)
    await approle.login_refused(role_id, secret["secret_id"])


async def test_role_id_read_update_and_uniqueness(approle: Harness) -> None:
    await approle.write_role("a")
    await approle.write_role("b", role_id="fixed-b")
    assert await approle.role_id("b") == "fixed-b"
    old = await approle.role_id("a")
    assert (await approle.call(Operation.UPDATE, "role/a/role-id", {"role_id": "new-a"})).empty
    assert await approle.role_id("a") == "new-a"
    secret = await approle.new_secret("a")
    await approle.login_refused(old, secret["secret_id"])  # the old role ID is gone
    assert (await approle.login("new-a", secret["secret_id"])).internal == {"role_name": "a"}
    taken = await approle.refusal(Operation.UPDATE, "role/a/role-id", {"role_id": "fixed-b"})
    assert (taken.status, taken.public) == (400, "role_id already in use")
    taken = await approle.refusal(Operation.UPDATE, "role/c", {"role_id": "fixed-b"})
    assert (taken.status, taken.public) == (400, "role_id already in use")
    empty = await approle.refusal(Operation.UPDATE, "role/a/role-id", {"role_id": " "})
    assert (empty.status, empty.public) == (400, "missing role_id")
    missing = await approle.refusal(Operation.UPDATE, "role/zz/role-id", {"role_id": "x"})
    assert missing.status == 404
    assert (await approle.refusal(Operation.READ, "role/zz/role-id")).status == 404


async def test_existence_check_tells_create_from_update(approle: Harness) -> None:
    assert await approle.backend.exists("role/web") is False
    await approle.write_role("web")
    assert await approle.backend.exists("role/WEB") is True
    assert await approle.backend.exists("role/nope/secret-id") is True  # only roles can be absent


async def test_unknown_paths_and_operations(approle: Harness) -> None:
    assert (await approle.refusal(Operation.READ, "role/a/b/c")).status == 404
    assert (await approle.refusal(Operation.READ, "login")).status == 405
    assert approle.backend.unauthenticated == frozenset({"login"})
