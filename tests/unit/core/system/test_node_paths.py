"""sys/ha-status, sys/host-info, LIST sys/audit and the KV mount-type aliases, in the shapes
OpenBao 2.7.2 answers them."""

from __future__ import annotations

from support.inproc import Server


async def test_ha_status_lists_this_node_as_active(server: Server) -> None:
    body = (await server.call("GET", "sys/ha-status")).json()
    (node,) = body["data"]["nodes"]
    assert body["nodes"] == body["data"]["nodes"]  # OpenBao repeats it at the top level
    assert sorted(node) == [
        "active_node",
        "api_address",
        "cluster_address",
        "hostname",
        "last_echo",
        "version",
    ]
    assert (node["active_node"], node["last_echo"]) == (True, None)


async def test_host_info_has_openbao_sections_and_needs_only_read(server: Server) -> None:
    data = (await server.call("GET", "sys/host-info")).json()["data"]
    assert sorted(data) == ["cpu", "cpu_times", "disk", "host", "memory", "timestamp"]
    assert data["memory"]["total"] > data["memory"]["free"] > 0
    assert data["disk"][0]["path"] == "/"
    assert data["disk"][0]["total"] > 0
    assert isinstance(data["cpu"][0]["flags"], list)
    assert data["host"]["os"] == "linux"
    assert data["timestamp"].endswith("Z")
    await server.call(
        "PUT", "sys/policies/acl/reader", {"policy": 'path "sys/*" { capabilities = ["read"] }'}
    )
    made = await server.call("POST", "auth/token/create", {"policies": ["reader"]})
    token = made.json()["auth"]["client_token"]
    # OpenBao 2.7.2 asks no sudo here (checked side by side), though the data is the host's
    assert (await server.call("GET", "sys/host-info", token=token)).status_code == 200
    assert (await server.call("GET", "sys/ha-status", token=token)).status_code == 200
    made = await server.call("POST", "auth/token/create", {"policies": ["default"]})
    plain = made.json()["auth"]["client_token"]
    assert (await server.call("GET", "sys/host-info", token=plain)).status_code == 403


async def test_list_sys_audit_is_an_unsupported_path(server: Server) -> None:
    for method, params in (("LIST", {}), ("GET", {"list": "true"})):
        resp = await server.call(method, "sys/audit", params=params)
        assert (resp.status_code, resp.json()) == (404, {"errors": ["unsupported path"]})
    assert (await server.call("GET", "sys/audit")).status_code == 200


async def test_generic_and_kv_v1_mount_a_kv_v1_engine(server: Server) -> None:
    for kind in ("generic", "kv-v1"):
        assert (await server.call("POST", f"sys/mounts/{kind}", {"type": kind})).status_code == 204
        assert (await server.call("PUT", f"{kind}/app", {"a": "b"})).status_code == 204
        read = (await server.call("GET", f"{kind}/app")).json()
        assert read["data"] == {"a": "b"}
    mounts = (await server.call("GET", "sys/mounts")).json()["data"]
    assert mounts["generic/"]["type"] == "generic"  # Vault keeps the old type name
    assert (mounts["kv-v1/"]["type"], mounts["kv-v1/"]["options"]) == ("kv", {"version": "1"})
