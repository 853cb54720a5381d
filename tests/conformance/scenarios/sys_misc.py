"""sys/ paths beyond mounts and policies: health and status, leases, wrapping, audit,
namespaces, and the rows other engineers fix (their allowances say `pending: <owner>`)."""

from __future__ import annotations

from pathlib import Path

from conformance.harness import Scenario
from conformance.scenarios.steps import delete, get, lst, post

WRAP = {"X-Vault-Wrap-TTL": "5m"}
PGP_KEY = (Path(__file__).parents[2] / "vectors" / "pgp" / "conformance.pub.b64").read_text()
GENERATE_ROOT = "sys/generate-root-token/attempt"  # OpenBao 2.x's authenticated path
NS = "sys/namespaces/{m}"

STATUS = [
    Scenario("sys-health", [get("sys/health", token=None)]),
    Scenario("sys-health-standbyok", [get("sys/health?standbyok=true", token=None)]),
    Scenario("sys-health-custom-code", [get("sys/health?activecode=299", token=None)]),
    Scenario("sys-seal-status", [get("sys/seal-status", token=None)]),
    Scenario("sys-init-status", [get("sys/init", token=None, values=True)]),
    Scenario("sys-leader", [get("sys/leader", token=None)]),
    Scenario("sys-key-status", [get("sys/key-status")]),
    Scenario(
        "sys-ha-status",
        [get("sys/ha-status")],
    ),
    Scenario("sys-host-info", [get("sys/host-info", pick="data.host")]),
    Scenario("sys-generate-root-status", [get("sys/generate-root/attempt", token=None)]),
    Scenario("sys-rekey-status", [get("sys/rekey/init", token=None)]),
    Scenario("sys-generate-root-token-status", [get(GENERATE_ROOT)]),
    Scenario(
        "sys-generate-root-token-pgp",
        [
            post(GENERATE_ROOT, {"pgp_key": PGP_KEY}, values=True, pick="data.pgp_fingerprint"),
            delete(GENERATE_ROOT),
        ],
    ),
    Scenario("sys-rekey-verify-status", [get("sys/rekey/verify", token=None)]),
    Scenario("sys-rekey-backup", [get("sys/rekey/backup")]),
    Scenario("sys-unknown-path", [get("sys/nonexistent")]),
    Scenario("sys-no-token", [get("sys/mounts", token=None)]),
    Scenario("sys-bad-token", [get("sys/mounts", token="hvs.bogus")]),
    Scenario("unknown-mount", [get("{m}/x")]),
]

LEASES = [
    Scenario("lease-lookup-missing", [post("sys/leases/lookup", {"lease_id": "nope/1"})]),
    Scenario("lease-lookup-empty", [post("sys/leases/lookup", {})]),
    Scenario("lease-list", [lst("sys/leases/lookup/{m}/")]),
    Scenario("lease-renew-missing", [post("sys/leases/renew", {"lease_id": "nope/1"})]),
    Scenario("lease-revoke-missing", [post("sys/leases/revoke", {"lease_id": "nope/1"})]),
    Scenario("lease-revoke-prefix", [post("sys/leases/revoke-prefix/{m}")]),
    Scenario("lease-tidy", [post("sys/leases/tidy")]),
    Scenario("lease-legacy-renew-missing", [post("sys/renew", {"lease_id": "nope/1"})]),
]

WRAPPING = [
    Scenario(
        "wrap-unwrap",
        [
            post("sys/wrapping/wrap", {"a": "b"}, headers=WRAP, save={"w": "wrap_info.token"}),
            post("sys/wrapping/lookup", {"token": "{w}"}),
            post("sys/wrapping/unwrap", {"token": "{w}"}, values=True),
            post("sys/wrapping/unwrap", {"token": "{w}"}),
        ],
    ),
    Scenario(
        "wrap-unwrap-as-token",
        [
            post("sys/wrapping/wrap", {"a": "b"}, headers=WRAP, save={"w": "wrap_info.token"}),
            post("sys/wrapping/unwrap", {}, token="w", values=True),
        ],
    ),
    Scenario(
        "wrap-rewrap",
        [
            post("sys/wrapping/wrap", {"a": "b"}, headers=WRAP, save={"w": "wrap_info.token"}),
            post("sys/wrapping/rewrap", {"token": "{w}"}),
        ],
    ),
    Scenario("wrap-no-header", [post("sys/wrapping/wrap", {"a": "b"})]),
    Scenario("wrap-lookup-bogus", [post("sys/wrapping/lookup", {"token": "hvs.bogus"})]),
    Scenario("wrap-unwrap-bogus", [post("sys/wrapping/unwrap", {"token": "hvs.bogus"})]),
    Scenario(
        "wrap-kv-read",
        [
            post("secret/data/{m}", {"data": {"a": "b"}}),
            get("secret/data/{m}", headers=WRAP, save={"w": "wrap_info.token"}),
            post("sys/wrapping/unwrap", {"token": "{w}"}, pick="data.data", values=True),
        ],
    ),
    Scenario(
        "wrap-token-create",
        [
            post("auth/token/create", {}, headers=WRAP, save={"w": "wrap_info.token"}),
            post("sys/wrapping/unwrap", {"token": "{w}"}),
        ],
    ),
    Scenario(
        "wrap-bad-ttl",
        [post("sys/wrapping/wrap", {"a": 1}, headers={"X-Vault-Wrap-TTL": "forever"})],
    ),
]

AUDIT = [
    Scenario("audit-list", [get("sys/audit")]),
    Scenario("audit-list-method", [lst("sys/audit")]),
    Scenario(
        "audit-enable-disable",
        [
            post("sys/audit/{m}", {"type": "file", "options": {"file_path": "discard"}}),
            get("sys/audit", pick="data.{m}/.type", values=True),
            delete("sys/audit/{m}"),
        ],
    ),
    Scenario("audit-enable-bad-type", [post("sys/audit/{m}", {"type": "nonsense"})]),
    Scenario("audit-disable-missing", [delete("sys/audit/{m}")]),
    Scenario("audit-hash-missing", [post("sys/audit-hash/{m}", {"input": "x"})]),
]

NAMESPACES = [
    Scenario("ns-create-read", [post(NS), get(NS, pick="data.path", values=True)]),
    Scenario(
        "ns-create-metadata",
        [
            post(NS, {"custom_metadata": {"a": "b", "n": 1}}),
            get(NS, pick="data.custom_metadata", values=True),
        ],
    ),
    Scenario("ns-read-missing", [get(NS)]),
    Scenario("ns-list", [post(NS), lst("sys/namespaces", pick="data.key_info.{m}/.path")]),
    Scenario("ns-delete", [post(NS), delete(NS), get(NS)]),
    Scenario("ns-delete-missing", [delete(NS)]),
    Scenario(
        "ns-nested",
        [
            post(NS),
            post("sys/namespaces/child", namespace="{m}"),
            get("sys/namespaces/child", namespace="{m}", pick="data.path", values=True),
        ],
    ),
    Scenario(
        "ns-kv-header",
        [
            post(NS),
            post("sys/mounts/kv", {"type": "kv-v2"}, namespace="{m}"),
            post("kv/data/x", {"data": {"a": 1}}, namespace="{m}"),
            get("kv/data/x", namespace="{m}", pick="data.data", values=True),
        ],
    ),
    Scenario(
        "ns-kv-path-prefix",
        [
            post(NS),
            post("{m}/sys/mounts/kv", {"type": "kv-v2"}),
            post("{m}/kv/data/x", {"data": {"a": 1}}),
            get("{m}/kv/data/x", pick="data.data", values=True),
        ],
    ),
    Scenario(
        "ns-ui-mount-prefix",
        [
            post(NS),
            post("sys/mounts/kv", {"type": "kv-v2"}, namespace="{m}"),
            get("sys/internal/ui/mounts/{m}/kv/x", values=True),
        ],
    ),
    Scenario(
        "ns-cubbyhole",
        [
            post(NS),
            get("sys/mounts/cubbyhole", namespace="{m}", pick="data.type", values=True),
            post("cubbyhole/x", {"a": "b"}, namespace="{m}"),
            get("cubbyhole/x", namespace="{m}", values=True),
        ],
    ),
    Scenario("ns-missing-header", [get("sys/mounts", namespace="{m}-none")]),
    Scenario(
        "ns-policy",
        [
            post(NS),
            post(
                "sys/policies/acl/p",
                {"policy": 'path "kv/*" { capabilities = ["read"] }'},
                namespace="{m}",
            ),
            get("sys/policies/acl/p", namespace="{m}", values=True),
        ],
    ),
    Scenario(
        "ns-token",
        [
            post(NS),
            post("auth/token/create", {}, namespace="{m}", save={"t": "auth.client_token"}),
            get(
                "auth/token/lookup-self",
                token="t",
                namespace="{m}",
                pick="data.namespace_path",
                values=True,
            ),
        ],
    ),
    Scenario("ns-reserved-name", [post("sys/namespaces/sys")]),
    Scenario(
        "ns-delete-with-child", [post(NS), post("sys/namespaces/c", namespace="{m}"), delete(NS)]
    ),
]

SCENARIOS = [*STATUS, *LEASES, *WRAPPING, *AUDIT, *NAMESPACES]
