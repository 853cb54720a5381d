"""The system backend: the route table of `sys/*` and the split between paths that answer
without a token (and while sealed) and those that go through the full pipeline."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import TYPE_CHECKING

from strongroom.core import wrapping
from strongroom.core.fields import get_int, get_str
from strongroom.core.metrics import PROMETHEUS_CONTENT_TYPE
from strongroom.core.namespaces.registry import ROOT
from strongroom.core.request import NO_CONTENT, Operation, Request, Response
from strongroom.core.routes import Route, Router, named
from strongroom.core.system import (
    audit,
    blueprints,
    leases,
    mounts,
    namespaces,
    node,
    openapi,
    password_policies,
    policies,
    quorum,
    quotas,
    rekey,
    tenants,
    unseal,
)
from strongroom.core.system.seal_status import HEALTH_CODES, health, key_status, leader
from strongroom.errors import BadRequest, NotFound, Sealed

if TYPE_CHECKING:
    from strongroom.core.core import Core

R, L, U, D = Operation.READ, Operation.LIST, Operation.UPDATE, Operation.DELETE


async def _health(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    state, body = await health(core)
    try:
        status = get_int(req.data, state, HEALTH_CODES[state])
    except BadRequest:
        raise BadRequest("") from None  # Vault answers a malformed code with no message
    if state == "standbycode" and req.data.get("standbyok"):
        status = get_int(req.data, "activecode", 200)
    if not 100 <= status <= 599:
        raise BadRequest(f"invalid status code for {state}")
    return Response(body, raw=True, status=status)


async def _leader(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    return Response(leader(core), raw=True)


async def _key_status(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    if core.namespace is not ROOT:  # inside a namespace: that namespace's own key
        term, _count = await core.tenant_keys().key_status()
        return Response(key_status(term), top_level=True)
    return Response(key_status(core.barrier.key_status()), top_level=True)


async def _rotate(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    if core.namespace is not ROOT:
        term = await core.tenant_keys().rotate()
        event = {"namespace": core.namespace.path, "term": term.number}
        await core.audit.log_event("namespace-key-rotated", event)
        return NO_CONTENT
    term = await core.barrier.rotate()
    await core.audit.log_event("barrier-key-rotated", {"term": term.number})
    return NO_CONTENT


async def _unsupported_path(_core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    """OpenBao answers a LIST of a path that only reads with 404, not 405 (sys/audit)."""
    raise NotFound("unsupported path")


async def _metrics(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    if get_str(req.data, "format") == "prometheus":
        text = core.metrics.prometheus(core.sealed)
        return Response(text=text, content_type=PROMETHEUS_CONTENT_TYPE)
    return Response(core.metrics.as_json(core.sealed), raw=True)


UNAUTHENTICATED: Router[Core] = Router(
    [
        Route("health", {R: _health}),
        Route("seal-status", {R: unseal.read_seal_status}),
        Route("init", {R: unseal.read_init, U: unseal.write_init}),
        Route("unseal", {U: unseal.write_unseal}),
        Route("leader", {R: _leader}),
        Route(
            "rekey/init",
            {R: rekey.read_rekey, U: rekey.start_rekey, D: rekey.cancel_rekey},
        ),
        Route("rekey/update", {U: rekey.update_rekey}),
        Route(
            "rekey/verify",
            {R: rekey.read_verify, U: rekey.update_verify, D: rekey.restart_verify},
        ),
        Route(
            "generate-root/attempt",
            {
                R: quorum.read_generate_root,
                U: quorum.start_generate_root,
                D: quorum.cancel_generate_root,
            },
        ),
        Route("generate-root/update", {U: quorum.update_generate_root}),
    ]
)
# Possession of the wrapping token is the credential for these; they answer only unsealed.
WRAPPING: Router[Core] = Router(
    [
        Route("wrapping/unwrap", {U: wrapping.unwrap}),
        Route("wrapping/lookup", {U: wrapping.lookup, R: wrapping.lookup}),
        Route("wrapping/rewrap", {U: wrapping.rewrap}),
    ]
)
UNAUTHENTICATED_PATHS = frozenset(
    {
        "health",
        "seal-status",
        "init",
        "unseal",
        "leader",
        "rekey/init",
        "rekey/update",
        "rekey/verify",
        "generate-root/attempt",
        "generate-root/update",
    }
)

_TABLE = r"(?P<table>mounts|auth)"
# What only the root namespace has: the node's seal, metrics and audit devices,
# and the operator's tenant tooling (as Vault Enterprise keeps these out of namespaces).
ROOT_ONLY = (
    "seal",
    "metrics",
    "audit",
    "quotas",
    "blueprints",
    "tenants",
    "ha-status",
    "host-info",
    "rekey",
    "rotate/root",
    "generate-root-token",
)


async def _openapi(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    routers = (UNAUTHENTICATED, WRAPPING, AUTHENTICATED)
    return Response(openapi.document(core, routers).render(), raw=True)


AUTHENTICATED: Router[Core] = Router(
    [
        Route("seal", {U: unseal.write_seal}),
        Route("key-status", {R: _key_status}),
        Route("rotate", {U: _rotate}),
        Route("metrics", {R: _metrics}),
        Route("ha-status", {R: node.ha_status}),
        Route("host-info", {R: node.host_info}),
        Route(r"(?:rekey|rotate/root)/backup", {R: rekey.read_backup, D: rekey.delete_backup}),
        Route(
            "rotate/root/init",
            {R: rekey.read_rotation, U: rekey.start_rotation, D: rekey.cancel_rekey},
        ),
        Route("rotate/root/update", {U: rekey.update_rotation}),
        Route(
            "rotate/root/verify",
            {
                R: rekey.read_rotation_verify,
                U: rekey.update_rotation_verify,
                D: rekey.restart_rotation_verify,
            },
        ),
        Route(
            "generate-root-token/attempt",
            {
                R: quorum.read_root_token,
                U: quorum.start_root_token,
                D: quorum.cancel_generate_root,
            },
        ),
        Route("generate-root-token/update", {U: quorum.update_root_token}),
        Route("decode-token", {U: quorum.decode_token}),
        Route(_TABLE, {R: mounts.list_mounts}),
        Route(
            _TABLE + r"/(?P<path>.+?)/tune/?",
            {R: mounts.read_tune, U: mounts.write_tune},
        ),
        Route(
            _TABLE + r"/(?P<path>.+)",
            {R: mounts.read_mount, U: mounts.enable_mount, D: mounts.disable_mount},
        ),
        Route("policy/?", {R: policies.list_legacy, L: policies.list_legacy}),
        Route(
            r"policy/(?P<name>[^/]+)",
            {R: policies.read_legacy, U: policies.write, D: policies.delete},
        ),
        Route("policies/acl/?", {L: policies.list_acl}),
        Route(
            r"policies/acl/(?P<name>[^/]+)",
            {R: policies.read_acl, U: policies.write, D: policies.delete},
        ),
        Route("policies/password/?", {L: password_policies.list_policies}),
        Route(
            rf"policies/password/{named('name')}/generate",
            {R: password_policies.generate_password},
        ),
        Route(
            rf"policies/password/{named('name')}",
            {
                R: password_policies.read_policy,
                U: password_policies.write_policy,
                D: password_policies.delete_policy,
            },
        ),
        Route("capabilities", {U: policies.capabilities}),
        Route("internal/ui/resultant-acl", {R: policies.resultant_acl}),
        Route("capabilities-self", {U: policies.capabilities_self}),
        Route("capabilities-accessor", {U: policies.capabilities_accessor}),
        Route("audit/?", {R: audit.list_devices, L: _unsupported_path}),
        Route(r"audit/(?P<path>.+)", {U: audit.enable, D: audit.disable}),
        Route(r"audit-hash/(?P<path>.+)", {U: audit.audit_hash}),
        Route("audit-signing-key", {R: audit.signing_key}),
        Route("audit-checkpoints", {R: audit.checkpoints}),
        Route("audit-signing-key/rotate", {U: audit.rotate_signing_key}),
        Route(r"tenants/(?P<name>[^/]+)", {R: tenants.show, U: tenants.provision}),
        Route(r"tenants/(?P<name>[^/]+)/services/(?P<service>[^/]+)", {U: tenants.add_service}),
        Route("namespaces/?", {L: namespaces.list_namespaces}),
        Route(
            r"namespaces/(?P<path>.+)",
            {
                R: namespaces.read,
                U: namespaces.create,
                Operation.PATCH: namespaces.patch,
                D: namespaces.delete,
            },
        ),
        Route("leases/lookup", {U: leases.lookup}),
        Route(r"leases/lookup/?(?P<prefix>.*)", {L: leases.list_leases}),
        Route(r"(?:leases/)?renew(?:/(?P<lease_id>.+))?", {U: leases.renew}),
        Route(r"(?:leases/)?revoke(?:/(?P<lease_id>.+))?", {U: leases.revoke}),
        Route(r"(?:leases/)?revoke-prefix/(?P<prefix>.+)", {U: leases.revoke_prefix}),
        Route(r"(?:leases/)?revoke-force/(?P<prefix>.+)", {U: leases.revoke_force}),
        Route("leases/tidy", {U: leases.tidy}),
        Route("remount", {U: mounts.remount}),
        Route("wrapping/wrap", {U: wrapping.wrap_data}),
        Route(r"remount/status/(?P<id>.+)", {R: mounts.remount_status}),
        Route("internal/ui/mounts", {R: mounts.ui_mounts}),
        Route("internal/specs/openapi", {R: _openapi}),
        Route(r"internal/ui/mounts/(?P<path>.+)", {R: mounts.ui_mount}),
        Route("blueprints/?", {L: blueprints.list_blueprints}),
        Route(
            r"blueprints/(?P<name>[^/]+)",
            {R: blueprints.read, U: blueprints.write, D: blueprints.delete},
        ),
        Route("quotas/config", {R: quotas.read_config, U: quotas.write_config}),
        Route("quotas/rate-limit/?", {L: quotas.list_rate_limits}),
        Route(
            "quotas/rate-limit/" + named("name"),
            {
                R: quotas.read_rate_limit,
                U: quotas.write_rate_limit,
                D: quotas.delete_rate_limit,
            },
        ),
    ]
)


# Vault lists these as unauthenticated, and answers without a token only what any caller may
# see (no mounts, no paths); with a token they go through the pipeline.
_TOKENLESS = {
    "internal/ui/mounts": mounts.ui_mounts_unauthenticated,
    "internal/specs/openapi": openapi.read_unauthenticated,
}


class SystemBackend:
    unauthenticated: frozenset[str] = frozenset()  # answered before routing: see below

    def __init__(self, core: Core) -> None:
        self._core = core

    def open_handler(self, request: Request) -> Awaitable[Response] | None:
        """The handler for a path that needs no token, or None."""
        if not request.path.startswith("sys/"):
            return None
        rest = request.path[4:]
        if self._core.namespace is not ROOT and not rest.startswith("wrapping/"):
            return None  # seal, init and health belong to the node: the root namespace
        tokenless = _TOKENLESS.get(rest)
        if tokenless is not None and not request.token:
            return tokenless(self._core, request, {})
        if rest in ("wrapping/unwrap", "wrapping/lookup", "wrapping/rewrap"):
            if self._core.sealed:
                raise Sealed
            return WRAPPING.dispatch(self._core, request, rest)
        if rest not in UNAUTHENTICATED_PATHS:
            return None
        return UNAUTHENTICATED.dispatch(self._core, request, rest)

    async def handle(self, request: Request, path: str) -> Response:
        if self._core.namespace is not ROOT and path.startswith(ROOT_ONLY):
            raise NotFound("unsupported path")
        return await AUTHENTICATED.dispatch(self._core, request, path)
