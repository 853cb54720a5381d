"""Identifiers of another namespace, named from a tenant (issue #13's reproductions): token
accessors and ids, token roles, wrapping tokens and leases answer as missing ones, one at a time
and under concurrent attempts, while an ancestor namespace still sees its children's."""

from __future__ import annotations

import asyncio

from support import tenancy


async def _as_a(world: tenancy.World, method: str, path: str, body: object = None) -> int:
    admin = world.tenants["team-a"].admin_token
    resp = await world.call(method, path, body, namespace="team-a", token=admin)
    return resp.status_code


def test_listing_accessors_from_a_tenant_shows_its_own_tokens_only() -> None:
    async def run() -> tuple[set[str], set[str]]:
        world = await tenancy.World.build()
        admin = world.tenants["team-a"].admin_token
        listed = await world.call("LIST", "auth/token/accessors", namespace="team-a", token=admin)
        everything = await world.call("LIST", "auth/token/accessors")
        await world.client.aclose()
        return set(listed.json()["data"]["keys"]), set(everything.json()["data"]["keys"])

    own, node = asyncio.run(run())
    # Each namespace holds four: a token, an admin token, a wrapping token and the token wrapped
    # in it; the root sees those of all four namespaces (root, team-a, -b, -c) and its root token.
    assert len(own) == 4
    assert own < node
    assert len(node) == 4 * 4 + 1


def test_a_tenant_cannot_touch_the_initial_root_token_by_accessor_or_id() -> None:
    async def run() -> list[int]:
        world = await tenancy.World.build()
        root = world.tenants["root"]
        statuses = [
            await _as_a(
                world, "POST", "auth/token/lookup-accessor", {"accessor": root.admin_accessor}
            ),
            await _as_a(
                world, "POST", "auth/token/renew-accessor", {"accessor": root.admin_accessor}
            ),
            await _as_a(
                world, "POST", "auth/token/revoke-accessor", {"accessor": root.admin_accessor}
            ),
            await _as_a(world, "POST", "auth/token/lookup", {"token": root.admin_token}),
            await _as_a(world, "POST", "auth/token/revoke", {"token": root.admin_token}),
            await _as_a(world, "POST", "auth/token/revoke-orphan", {"token": root.admin_token}),
        ]
        statuses.append((await world.call("GET", "auth/token/lookup-self")).status_code)
        await world.client.aclose()
        return statuses

    # As a missing accessor / token: 400 invalid accessor, 400 bad token, 204 for a revoke.
    assert asyncio.run(run()) == [400, 400, 400, 400, 204, 204, 200]


def test_token_roles_belong_to_their_namespace() -> None:
    async def run() -> tuple[int, list[str], list[str]]:
        world = await tenancy.World.build()
        wrote = await _as_a(world, "POST", "auth/token/roles/app", {"allowed_policies": ["x"]})
        roots = await world.call("GET", "auth/token/roles/app")
        b = await world.call("GET", "auth/token/roles/app", namespace="team-b")
        await world.client.aclose()
        return wrote, roots.json()["data"]["allowed_policies"], b.json()["data"]["allowed_policies"]

    assert asyncio.run(run()) == (204, ["admin"], ["admin"])


def test_an_ancestor_still_sees_its_childrens_tokens() -> None:
    async def run() -> int:
        world = await tenancy.World.build()
        child = world.tenants["team-b"]
        resp = await world.call("POST", "auth/token/lookup-accessor", {"accessor": child.accessor})
        await world.client.aclose()
        return resp.status_code

    assert asyncio.run(run()) == 200


def test_concurrent_cross_tenant_attempts_change_nothing() -> None:
    """50 of each at once: revoke the root's and team-b's tokens by accessor and id, unwrap their
    wrapping tokens, revoke their leases; afterwards all of it still works for its owner."""

    async def run() -> list[list[str]]:
        world = await tenancy.World.build()
        attempts = []
        for label in ("root", "team-b"):
            target = world.tenants[label]
            accessor = {"accessor": target.accessor}
            for _ in range(50):
                attempts += [
                    _as_a(world, "POST", "auth/token/revoke-accessor", accessor),
                    _as_a(world, "POST", "auth/token/revoke", {"token": target.admin_token}),
                    _as_a(world, "POST", "sys/wrapping/unwrap", {"token": target.wrapping_token}),
                    _as_a(world, "POST", "sys/leases/revoke", {"lease_id": target.lease_id}),
                ]
        statuses = await asyncio.gather(*attempts)
        assert set(statuses) <= {204, 400}, statuses
        gone = [await world.still_there(label) for label in ("root", "team-b")]
        await world.client.aclose()
        return gone

    assert asyncio.run(run()) == [[], []]
