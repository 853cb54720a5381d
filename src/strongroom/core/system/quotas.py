"""sys/quotas/rate-limit and sys/quotas/config: managing rate-limit quotas (Vault's API).

Validation follows Vault's handlers (vault/logical_system_quotas.go): `rate` must be positive,
`interval` defaults to 1s, `path` is split into the deepest existing namespace and a mount of
that namespace (plus a path below it), a `role` needs an auth mount's own path, and no two
quotas may share a path and role. Only the root namespace reaches these paths (`ROOT_ONLY` in
`backend.py`), as in Vault.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from strongroom.core.fields import get_bool, get_duration, get_str, get_str_list
from strongroom.core.quotas import QuotaConfig, RateLimitQuota
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.errors import BadRequest, NotFound

if TYPE_CHECKING:
    from strongroom.core.core import Core


async def list_rate_limits(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    rules = await core.quotas.load()
    if not rules.quotas:
        raise NotFound  # Vault answers an empty LIST with 404
    return Response({"keys": sorted(rules.quotas)})


async def read_rate_limit(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    quota = (await core.quotas.load()).quotas.get(params["name"])
    if quota is None:
        raise NotFound
    return Response(quota.describe())


async def write_rate_limit(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    data = req.data
    rate = _rate(data)
    key = _sanitise(get_str(data, "path"))
    role = get_str(data, "role")
    namespace, path = await _where(core, key, role)
    inheritable = get_bool(data, "inheritable", default=key == "")
    quota = RateLimitQuota(
        name=params["name"],
        key=key,
        path=path,
        namespace=namespace,
        role=role,
        rate=rate,
        interval=get_duration(data, "interval") or 1,
        block_interval=get_duration(data, "block_interval"),
        inheritable=inheritable,
        state_id=secrets.token_hex(8),
    )
    await core.quotas.write(quota)
    return NO_CONTENT


async def delete_rate_limit(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    await core.quotas.delete(params["name"])
    return NO_CONTENT


async def read_config(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    return Response((await core.quotas.load()).config.describe())


async def write_config(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    # As Vault, a write sets all three fields: one left out goes back to false / no paths.
    config = QuotaConfig(
        rate_limit_exempt_paths=tuple(get_str_list(req.data, "rate_limit_exempt_paths")),
        enable_rate_limit_audit_logging=get_bool(req.data, "enable_rate_limit_audit_logging"),
        enable_rate_limit_response_headers=get_bool(req.data, "enable_rate_limit_response_headers"),
    )
    await core.quotas.configure(config)
    return NO_CONTENT


def _rate(data: Mapping[str, Any]) -> float:
    value = data.get("rate")
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    try:
        rate = float(value) if isinstance(value, int | float | str) else math.nan
    except ValueError:
        rate = math.nan
    if isinstance(value, bool) or not math.isfinite(rate) or rate <= 0:
        raise BadRequest("'rate' is invalid")
    return rate


def _sanitise(path: str) -> str:
    """Vault's sanitizePath: no leading slash, a trailing one (the global path stays "")."""
    path = path.removeprefix("/")
    if path and not path.endswith("/"):
        path += "/"
    head, star, _rest = path.rstrip("/").partition("*")
    if (star and head + star != path.rstrip("/")) or "//" in path:
        raise BadRequest("invalid path: a glob (*) may only end it")
    return path


async def _where(core: Core, key: str, role: str) -> tuple[str, str]:
    """The quota's namespace and its path as Vault shows it (namespace + mount + suffix).

    Raises BadRequest if the path names no mount of its namespace, or if a role quota's path
    is not an auth mount's own path (Vault's texts).
    """
    namespace = core.namespaces.longest_prefix(key)
    rest = key[len(namespace.path) :]
    routed = (await core.scope(namespace)).mounts.route(rest) if rest else None
    if rest and routed is None:
        raise BadRequest("invalid mount path")
    if role:
        if routed is None or routed[0].kind != "auth":
            raise BadRequest(
                f"Mount path {_quoted(rest)} is not a valid auth method and therefore unsuitable "
                "for use with role-based quotas"
            )
        if routed[1]:
            raise BadRequest(
                "Quotas cannot contain both a path suffix and a role. If a role is provided, "
                "path must be a valid auth mount with a concept of roles"
            )
    if routed is None:
        return namespace.path, key
    return namespace.path, namespace.path + routed[0].full_path + routed[1].removesuffix("/")


def _quoted(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'
