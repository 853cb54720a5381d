"""A namespace's scope: built once per worker over the node's services, with its own
namespace, store, policies and mounts; sealing forgets every scope."""

from __future__ import annotations

from strongroom.core.namespaces.keys import TenantStore
from support.inproc import Server


async def test_a_namespace_scope_shares_the_node_and_owns_its_mounts(server: Server) -> None:
    assert (await server.call("POST", "sys/namespaces/team-a")).status_code == 200
    root = server.core
    team = root.namespaces.by_path("team-a/")
    assert team is not None
    scoped = await root.scope(team)
    assert await root.scope(team) is scoped  # cached
    assert root.scopes() == [root, scoped]
    assert (scoped.node, scoped.tokens, scoped.leases, scoped.audit) == (
        root.node,
        root.tokens,
        root.leases,
        root.audit,
    )
    assert scoped.namespace == team
    assert isinstance(scoped.store, TenantStore)
    assert scoped.policies is not root.policies
    assert scoped.mounts is not root.mounts
    assert scoped.system is not root.system
    mounted = await server.call("POST", "team-a/sys/mounts/kv", {"type": "kv"})
    assert mounted.status_code == 204
    assert scoped.mounts.find("mounts", "kv/") is not None
    assert root.mounts.find("mounts", "kv/") is None


async def test_sealing_forgets_every_scope(server: Server) -> None:
    assert (await server.call("POST", "sys/namespaces/team-a")).status_code == 200
    team = server.core.namespaces.by_path("team-a/")
    assert team is not None
    await server.core.scope(team)
    assert (await server.call("PUT", "sys/seal")).status_code == 204
    assert server.core.scopes() == [server.core]
    assert server.core.node.epoch == -1
