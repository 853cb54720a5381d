"""Two tenants and the root namespace, each holding one of every identifier a caller can name
(token, accessor, lease, wrapping token, AppRole role and secret-id accessor, remount migration),
and the route tables of every backend, for the tenant-isolation tests.

`World.build` makes the node: namespaces `team-a` (the attacker), its twin `team-c` (the
control, which names look-alikes where team-a names real identifiers) and `team-b`, and in each
of them and in the root the same mounts (every engine and auth method of the catalogue, plus a
lease-granting `ledger/` engine). `routes()` walks `strongroom` for every module-level `Router`
(and declarative `PathTable`), so a new route table is found without anyone listing it here.
"""

from __future__ import annotations

import importlib
import pkgutil
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

import strongroom
from strongroom.core.core import Core
from strongroom.core.mounts import BackendType
from strongroom.core.request import LeaseRequest, Request, Response
from strongroom.core.routes import Router
from strongroom.engines.identity.oidc.paths import KEY as OIDC_KEY
from strongroom.engines.registry import catalogue
from strongroom.http.app import App
from strongroom.logical import PathTable
from support.inproc import make_core

OIDC = "strongroom.engines.identity.oidc.paths.OIDC_TABLE"

CANARY = "tenant-canary-4f1b"
# Placeholders a probe path carries where a route names a migration or a lease id.
MIGRATION_SLOT = "MIGRATIONSLOT"
LEASE_SLOT = "LEASESLOT"
ADMIN = 'path "*" { capabilities = ["create", "read", "update", "delete", "list", "sudo"] }'
# Where each route table is mounted in every namespace (the test fails on a table not listed).
MOUNTS: dict[str, tuple[str, str, dict[str, str]]] = {
    "strongroom.core.system.paths.TABLE": ("sys/", "", {}),
    "strongroom.auth.token.paths.TABLE": ("auth/token/", "", {}),
    "strongroom.engines.cubbyhole.paths.TABLE": ("cubbyhole/", "", {}),
    "strongroom.engines.identity.paths.TABLE": ("identity/", "", {}),
    "strongroom.auth.approle.paths.TABLE": ("auth/approle/", "approle", {}),
    "strongroom.auth.cert.paths.TABLE": ("auth/cert/", "cert", {}),
    "strongroom.auth.userpass.paths.TABLE": ("auth/userpass/", "userpass", {}),
    "strongroom.auth.ldap.paths.TABLE": ("auth/ldap/", "ldap", {}),
    "strongroom.auth.jwt.paths.TABLE": ("auth/jwt/", "jwt", {}),
    "strongroom.auth.kubernetes.paths.TABLE": ("auth/kubernetes/", "kubernetes", {}),
    "strongroom.engines.kv.paths.V2": ("secret/", "kv", {"version": "2"}),
    "strongroom.engines.kv.paths.V1": ("kv1/", "kv", {"version": "1"}),
    "strongroom.engines.transit.paths.TABLE": ("transit/", "transit", {}),
    "strongroom.engines.database.paths.TABLE": ("database/", "database", {}),
    "strongroom.engines.rabbitmq.paths.TABLE": ("rabbitmq/", "rabbitmq", {}),
    "strongroom.engines.ssh.paths.TABLE": ("ssh/", "ssh", {}),
    "strongroom.engines.pki.paths.TABLE": ("pki/", "pki", {}),
    "strongroom.engines.identity.oidc.paths.OIDC_TABLE": ("identity/oidc/", "", {}),
}

# Fields the sweep adds to its requests on routes whose defaults would make it slow, not
# different: Vault's SSH CA defaults to a 4096-bit RSA key, and the sweep writes each route
# dozens of times. Keyed by the route's table and pattern.
CHEAP: dict[tuple[str, str], dict[str, str]] = {
    ("strongroom.engines.ssh.paths.TABLE", "config/ca"): {"key_type": "ssh-ed25519"},
    # OIDC named keys default to RS256 (two RSA-2048 keys per write).
    (OIDC, OIDC_KEY): {"algorithm": "EdDSA"},
}


def routes() -> dict[str, Router[Any] | PathTable[Any]]:
    """Every module-level `Router` or `PathTable` of the package, by one of its dotted names
    (the one in `MOUNTS` when it has several, as a table imported elsewhere has)."""
    names: dict[int, list[str]] = {}
    tables: dict[int, Router[Any] | PathTable[Any]] = {}
    for module_info in pkgutil.walk_packages(strongroom.__path__, "strongroom."):
        module = importlib.import_module(module_info.name)
        for attr, value in vars(module).items():
            if isinstance(value, Router | PathTable):
                names.setdefault(id(value), []).append(f"{module_info.name}.{attr}")
                tables[id(value)] = value
    found: dict[str, Router[Any] | PathTable[Any]] = {}
    for key, router in tables.items():
        known = [name for name in names[key] if name in MOUNTS]
        found[(known or sorted(names[key]))[0]] = router
    return found


class LedgerBackend:
    """A secrets engine whose every read grants a lease (a database user, in effect)."""

    unauthenticated: frozenset[str] = frozenset()

    async def handle(self, request: Request, _path: str) -> Response:
        del request
        return Response({"username": CANARY}, secret=LeaseRequest({"user": "u"}, ttl=3600))

    async def revoke_lease(self, internal: Mapping[str, Any]) -> None:
        del internal

    async def renew_lease(self, internal: Mapping[str, Any], expires_at: float) -> None:
        del internal, expires_at


@dataclass
class Tenant:
    """One namespace's identifiers (relative to the namespace, as its own clients see them)."""

    name: str  # "" for the root namespace
    token: str = ""
    accessor: str = ""
    admin_token: str = ""
    admin_accessor: str = ""
    lease_id: str = ""
    wrapping_token: str = ""
    wrapping_accessor: str = ""
    role_id: str = ""
    secret_id: str = ""
    secret_id_accessor: str = ""
    migration_id: str = ""
    mount_accessor: str = ""  # the approle/ mount's, as entity and group aliases name it
    entity_id: str = ""
    entity_alias_id: str = ""
    group_id: str = ""
    group_alias_id: str = ""
    # Look-alikes that name nothing, the same all run: what a probe stores from an identifier
    # (a custom secret ID, say) it stores from the real one and from its look-alike alike.
    absent: dict[str, str] = field(default_factory=dict)

    def identifiers(self) -> dict[str, str]:
        """Every identifier by kind (what a probe may name)."""
        return {
            "token": self.token,
            "accessor": self.accessor,
            "admin_token": self.admin_token,
            "admin_accessor": self.admin_accessor,
            "lease_id": self.lease_id,
            "wrapping_token": self.wrapping_token,
            "wrapping_accessor": self.wrapping_accessor,
            "role_id": self.role_id,
            "secret_id": self.secret_id,
            "secret_id_accessor": self.secret_id_accessor,
            "migration_id": self.migration_id,
            "mount_accessor": self.mount_accessor,
            "entity_id": self.entity_id,
            "entity_alias_id": self.entity_alias_id,
            "group_id": self.group_id,
            "group_alias_id": self.group_alias_id,
        }


def missing_like(kind: str) -> str:
    """An identifier of the same shape as a real one of `kind`, that names nothing."""
    stamp = secrets.token_hex(11)
    if kind in ("token", "admin_token", "wrapping_token"):
        return f"hvs.{stamp}ZZZZZZ"
    if kind == "lease_id":
        return f"ledger/creds/app/{stamp}ZZZZZZ"
    if kind == "mount_accessor":
        return f"auth_approle_{stamp[:8]}"
    if kind in ("role_id", "secret_id", "migration_id") or kind.endswith("_id"):
        return f"{stamp[:8]}-{stamp[8:12]}-{stamp[12:16]}-{stamp[16:20]}-000000000000"
    return f"{stamp}ZZZZZZ"


@dataclass
class World:
    core: Core
    client: httpx.AsyncClient
    root_token: str
    tenants: dict[str, Tenant]  # "root", "team-a", "team-b", "team-c"

    @classmethod
    async def build(cls) -> World:
        ledger = BackendType("mounts", lambda _c: LedgerBackend())
        backends = {**catalogue(), "ledger": ledger}
        core = make_core(backends=backends)
        app = App(core)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sr")
        init = {"secret_shares": 1, "secret_threshold": 1}
        body = (await client.put("/v1/sys/init", json=init)).json()
        await client.put("/v1/sys/unseal", json={"key": body["keys"][0]})
        world = cls(core, client, body["root_token"], {})
        for name in ("team-a", "team-b", "team-c"):
            await world.call("POST", f"sys/namespaces/{name}")
        for label in ("root", "team-a", "team-b", "team-c"):
            world.tenants[label] = await world._furnish("" if label == "root" else label)
        world.tenants["root"].admin_token = world.root_token  # the initial root token
        lookup = await world.call("GET", "auth/token/lookup-self")
        world.tenants["root"].admin_accessor = lookup.json()["data"]["accessor"]
        return world

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        namespace: str = "",
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        sent = {"X-Vault-Token": token or self.root_token, **(headers or {})}
        if namespace:
            sent["X-Vault-Namespace"] = namespace
        return await self.client.request(method, "/v1/" + path, json=body, headers=sent)

    async def _ok(self, method: str, path: str, body: Any, namespace: str) -> dict[str, Any]:
        resp = await self.call(method, path, body, namespace=namespace)
        assert resp.status_code in (200, 204), (path, resp.text)
        return {} if resp.status_code == 204 else dict(resp.json())

    async def _furnish(self, ns: str) -> Tenant:
        """Mount everything in `ns` and mint one of each identifier there."""
        for table, (mount, kind, options) in MOUNTS.items():
            if kind and "engines" in table:
                await self._ok(
                    "POST", f"sys/mounts/{mount}", {"type": kind, "options": options}, ns
                )
            elif kind:
                await self._ok("POST", f"sys/auth/{mount[5:]}", {"type": kind}, ns)
        for mount in ("ledger/", "moving/"):
            kind = "ledger" if mount == "ledger/" else "kv"
            await self._ok("POST", f"sys/mounts/{mount}", {"type": kind}, ns)
        await self._ok("POST", "secret/data/db", {"data": {"v": CANARY}}, ns)
        await self._ok("PUT", "sys/policies/acl/admin", {"policy": ADMIN}, ns)
        await self._ok("POST", "auth/token/roles/app", {"allowed_policies": ["admin"]}, ns)
        tenant = Tenant(ns)
        auth = (await self._ok("POST", "auth/token/create", {"policies": ["default"]}, ns))["auth"]
        tenant.token, tenant.accessor = auth["client_token"], auth["accessor"]
        admin = await self._ok("POST", "auth/token/create", {"policies": ["admin"]}, ns)
        tenant.admin_token, tenant.admin_accessor = (
            admin["auth"]["client_token"],
            admin["auth"]["accessor"],
        )
        tenant.lease_id = (await self._ok("GET", "ledger/creds/app", None, ns))["lease_id"]
        wrapped = await self.call(
            "POST", "auth/token/create", {}, namespace=ns, headers={"X-Vault-Wrap-TTL": "1h"}
        )
        info = wrapped.json()["wrap_info"]
        tenant.wrapping_token, tenant.wrapping_accessor = info["token"], info["accessor"]
        await self._ok("POST", "auth/approle/role/app", {"token_policies": ["default"]}, ns)
        role = await self._ok("GET", "auth/approle/role/app/role-id", None, ns)
        tenant.role_id = role["data"]["role_id"]
        secret = await self._ok("POST", "auth/approle/role/app/secret-id", {}, ns)
        tenant.secret_id = secret["data"]["secret_id"]
        tenant.secret_id_accessor = secret["data"]["secret_id_accessor"]
        jwt_role = {"role_type": "jwt", "user_claim": "sub", "bound_subject": "svc"}
        await self._ok("POST", "auth/jwt/role/app", jwt_role, ns)
        k8s_role = {"bound_service_account_names": "app", "bound_service_account_namespaces": "x"}
        await self._ok("POST", "auth/kubernetes/role/app", k8s_role, ns)
        moved = await self._ok("POST", "sys/remount", {"from": "moving", "to": "moved"}, ns)
        tenant.migration_id = moved["migration_id"]
        await self._identities(tenant, ns)
        tenant.absent = {kind: missing_like(kind) for kind in tenant.identifiers()}
        return tenant

    async def _identities(self, tenant: Tenant, ns: str) -> None:
        """An entity with an alias on approle/, an internal group holding it, and an
        external group with a group alias."""
        mounts = await self._ok("GET", "sys/auth", None, ns)
        tenant.mount_accessor = mounts["data"]["approle/"]["accessor"]
        entity = await self._ok(
            "POST", "identity/entity", {"name": "ent", "policies": ["admin"]}, ns
        )
        tenant.entity_id = entity["data"]["id"]
        alias = {"name": "ent-alias", "canonical_id": tenant.entity_id}
        alias["mount_accessor"] = tenant.mount_accessor
        made = await self._ok("POST", "identity/entity-alias", alias, ns)
        tenant.entity_alias_id = made["data"]["id"]
        group = {"name": "grp", "member_entity_ids": [tenant.entity_id]}
        tenant.group_id = (await self._ok("POST", "identity/group", group, ns))["data"]["id"]
        external = await self._ok("POST", "identity/group", {"name": "ext", "type": "external"}, ns)
        group_alias = {"name": "ext-alias", "mount_accessor": tenant.mount_accessor}
        group_alias["canonical_id"] = external["data"]["id"]
        made = await self._ok("POST", "identity/group-alias", group_alias, ns)
        tenant.group_alias_id = made["data"]["id"]

    async def still_there(self, label: str) -> list[str]:
        """What of tenant `label`'s identifiers no longer works for its own admin (root)."""
        tenant, ns = self.tenants[label], self.tenants[label].name
        checks = {
            "token": ("POST", "auth/token/lookup", {"token": tenant.token}),
            "accessor": ("POST", "auth/token/lookup-accessor", {"accessor": tenant.accessor}),
            "admin_token": ("POST", "auth/token/lookup", {"token": tenant.admin_token}),
            "lease_id": ("POST", "sys/leases/lookup", {"lease_id": tenant.lease_id}),
            "wrapping_token": ("POST", "sys/wrapping/lookup", {"token": tenant.wrapping_token}),
            "secret_id_accessor": (
                "POST",
                "auth/approle/role/app/secret-id-accessor/lookup",
                {"secret_id_accessor": tenant.secret_id_accessor},
            ),
            "migration_id": ("GET", f"sys/remount/status/{tenant.migration_id}", None),
            "token_role": ("GET", "auth/token/roles/app", None),
            "canary": ("GET", "secret/data/db", None),
            "entity_id": ("GET", f"identity/entity/id/{tenant.entity_id}", None),
            "entity_alias_id": ("GET", f"identity/entity-alias/id/{tenant.entity_alias_id}", None),
            "group_id": ("GET", f"identity/group/id/{tenant.group_id}", None),
            "group_alias_id": ("GET", f"identity/group-alias/id/{tenant.group_alias_id}", None),
        }
        gone = []
        for kind, (method, path, body) in checks.items():
            resp = await self.call(method, path, body, namespace=ns)
            if resp.status_code != 200:
                gone.append(kind)
        return gone
