"""The real `bao` CLI against both servers: exit codes, and `-format=json` output shapes.
These are the issue's rows: kv helpers with a scoped token (the preflight), a namespace path
prefix, `secrets tune` and `kv enable-versioning` (which send "" TTLs), cubbyhole writes."""

from __future__ import annotations

from conformance.harness import Scenario, Step
from conformance.scenarios.steps import cli, post

J = "-format=json"
KV2 = cli("secrets", "enable", "-path={m}", "-version=2", "kv")
KV1 = cli("secrets", "enable", "-path={m}", "kv")
SCOPED = [
    post(
        "sys/policies/acl/{m}",
        {
            "policy": 'path "{m}/*" { capabilities = ["create", "read", '
            '"update", "list", "delete"] }'
        },
    ),
    post("auth/token/create", {"policies": ["{m}"]}, save={"t": "auth.client_token"}),
]


def _c(name: str, *steps: Step) -> Scenario:
    return Scenario(f"cli-{name}", list(steps))


SCENARIOS = [
    _c("status", cli("status", J)),
    _c("version", cli("version")),
    _c("secrets-enable-kv2", KV2, cli("secrets", "list", J, pick="secret/")),
    _c("secrets-enable-kv1", KV1),
    _c("secrets-enable-transit", cli("secrets", "enable", "-path={m}", "transit")),
    _c("secrets-enable-twice", KV1, KV1),
    _c("secrets-enable-bad-type", cli("secrets", "enable", "-path={m}", "nonsense")),
    _c(
        "secrets-tune-max-ttl",
        KV2,
        cli("secrets", "tune", "-max-lease-ttl=48h", "{m}/"),
        cli("read", J, "sys/mounts/{m}/tune"),
    ),
    _c("secrets-tune-default-ttl", KV2, cli("secrets", "tune", "-default-lease-ttl=1h", "{m}/")),
    _c("secrets-tune-description", KV2, cli("secrets", "tune", "-description=x", "{m}/")),
    _c("secrets-disable", KV2, cli("secrets", "disable", "{m}/")),
    _c(
        "kv-enable-versioning",
        KV1,
        cli("kv", "enable-versioning", "{m}/"),
        cli("read", J, "sys/mounts/{m}", label="mount"),
    ),
    _c("kv2-put-get", KV2, cli("kv", "put", "{m}/x", "a=1"), cli("kv", "get", J, "{m}/x")),
    _c("kv2-put-json", KV2, cli("kv", "put", J, "{m}/x", "a=1")),
    _c(
        "kv2-get-field",
        KV2,
        cli("kv", "put", "{m}/x", "a=1"),
        cli("kv", "get", "-field=a", "{m}/x"),
    ),
    _c("kv2-get-missing", KV2, cli("kv", "get", "{m}/none")),
    _c("kv2-list", KV2, cli("kv", "put", "{m}/d/x", "a=1"), cli("kv", "list", J, "{m}/d")),
    _c("kv2-list-missing", KV2, cli("kv", "list", "{m}/none")),
    _c(
        "kv2-delete",
        KV2,
        cli("kv", "put", "{m}/x", "a=1"),
        cli("kv", "delete", "{m}/x"),
        cli("kv", "get", "{m}/x"),
    ),
    _c(
        "kv2-patch",
        KV2,
        cli("kv", "put", "{m}/x", "a=1"),
        cli("kv", "patch", "{m}/x", "b=2"),
        cli("kv", "get", J, "{m}/x"),
    ),
    _c(
        "kv2-metadata-get",
        KV2,
        cli("kv", "put", "{m}/x", "a=1"),
        cli("kv", "metadata", "get", J, "{m}/x"),
    ),
    _c("kv2-metadata-put", KV2, cli("kv", "metadata", "put", "-max-versions=3", "{m}/x")),
    _c(
        "kv2-undelete",
        KV2,
        cli("kv", "put", "{m}/x", "a=1"),
        cli("kv", "delete", "{m}/x"),
        cli("kv", "undelete", "-versions=1", "{m}/x"),
    ),
    _c(
        "kv2-destroy",
        KV2,
        cli("kv", "put", "{m}/x", "a=1"),
        cli("kv", "destroy", "-versions=1", "{m}/x"),
    ),
    _c(
        "kv2-rollback",
        KV2,
        cli("kv", "put", "{m}/x", "a=1"),
        cli("kv", "put", "{m}/x", "a=2"),
        cli("kv", "rollback", "-version=1", "{m}/x"),
    ),
    _c(
        "kv2-mount-flag",
        KV2,
        cli("kv", "put", "-mount={m}", "x", "a=1"),
        cli("kv", "get", "-mount={m}", J, "x"),
    ),
    _c("kv1-put-get", KV1, cli("kv", "put", "{m}/x", "a=1"), cli("kv", "get", J, "{m}/x")),
    _c("kv1-list", KV1, cli("kv", "put", "{m}/x", "a=1"), cli("kv", "list", J, "{m}")),
    _c(
        "kv2-scoped-token",
        KV2,
        *SCOPED,
        cli("kv", "put", "{m}/x", "a=1", token="t"),
        cli("kv", "get", J, "{m}/x", token="t"),
        cli("kv", "list", J, "{m}", token="t"),
    ),
    _c(
        "kv1-scoped-token",
        KV1,
        *SCOPED,
        cli("kv", "put", "{m}/x", "a=1", token="t"),
        cli("kv", "get", J, "{m}/x", token="t"),
    ),
    _c("kv-scoped-token-forbidden", KV2, *SCOPED[1:], cli("kv", "get", "{m}/x", token="t")),
    _c(
        "kv-namespace-prefix",
        cli("namespace", "create", "{m}"),
        cli("secrets", "enable", "-ns={m}", "-path=kv", "-version=2", "kv"),
        cli("kv", "put", "{m}/kv/x", "a=1"),
        cli("kv", "get", J, "{m}/kv/x"),
    ),
    _c(
        "kv-namespace-flag",
        cli("namespace", "create", "{m}"),
        cli("secrets", "enable", "-ns={m}", "-path=kv", "-version=2", "kv"),
        cli("kv", "put", "-ns={m}", "kv/x", "a=1"),
        cli("kv", "get", "-ns={m}", J, "kv/x"),
    ),
    _c("write-cubbyhole", cli("write", "cubbyhole/{m}", "a=1"), cli("read", J, "cubbyhole/{m}")),
    _c(
        "write-force-no-data",
        cli("secrets", "enable", "-path={m}", "transit"),
        cli("write", "-f", "{m}/keys/k"),
    ),
    _c("read-missing", cli("read", "secret/data/{m}")),
    _c(
        "policy-write-read",
        cli("policy", "write", "{m}", "-", stdin='path "x" { capabilities = ["read"] }'),
        cli("policy", "read", J, "{m}"),
    ),
    _c("policy-list", cli("policy", "list", J)),
    _c("token-create", cli("token", "create", J, "-policy=default")),
    _c("token-create-ttl", cli("token", "create", J, "-ttl=30m", label="ttl")),
    _c("token-lookup", cli("token", "lookup", J)),
    _c("token-capabilities", cli("token", "capabilities", J, "secret/data/x")),
    _c("auth-list", cli("auth", "list", J)),
    _c(
        "auth-enable-approle",
        cli("auth", "enable", "-path={m}", "approle"),
        cli("write", "auth/{m}/role/r", "token_policies=default"),
        cli("read", J, "auth/{m}/role/r/role-id"),
    ),
    _c("audit-list", cli("audit", "list", J)),
    _c("namespace-list", cli("namespace", "create", "{m}"), cli("namespace", "list", J)),
    _c("lease-lookup-missing", cli("lease", "lookup", "nope/1")),
    _c("operator-generate-root-status", cli("operator", "generate-root", "-status", J)),
    _c("operator-rekey-status", cli("operator", "rekey", "-status", J)),
    _c("operator-key-status", cli("operator", "key-status", J)),
    _c(
        "transit-roundtrip",
        cli("secrets", "enable", "-path={m}", "transit"),
        cli("write", "-f", "{m}/keys/k", label="create"),
        cli("write", J, "{m}/encrypt/k", "plaintext=aGVsbG8="),
    ),
    _c("no-token", cli("kv", "get", "secret/x", token=None)),
]
