"""sys/quotas/rate-limit and sys/quotas/config: managing rate-limit quotas (Vault's API).

Validation follows Vault's handlers (vault/logical_system_quotas.go): `rate` must be positive,
`interval` defaults to 1s, `path` is split into the deepest existing namespace and a mount of
that namespace (plus a path below it), a `role` needs an auth mount's own path, and no two
quotas may share a path and role. Only the root namespace reaches these paths (`Reach.ROOT`
in `paths.py`), as in Vault.
"""

from __future__ import annotations

import math
import secrets
from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from strongroom.core.quotas import QuotaConfig, RateLimitQuota
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.errors import BadRequest, NotFound
from strongroom.logical.fields import UNSET, Duration, NoFields, UnsetType

if TYPE_CHECKING:
    from strongroom.core.core import Core

LIST_SYNOPSIS = "Lists the names of all the rate limit quotas."
RATE_LIMIT_SYNOPSIS = (
    "Get, create or update rate limit resource quota for an optional namespace or mount."
)
CONFIG_SYNOPSIS = "Create, update and read the quota configuration."

_Name = Annotated[str, msgspec.Meta(description="Name of the quota rule.")]


class QuotaName(msgspec.Struct, frozen=True, kw_only=True):
    name: _Name


class RateLimitWrite(msgspec.Struct, frozen=True, kw_only=True):
    """`rate` is taken as sent: Vault's TypeFloat, which the weak-typing table has no
    entry for, is checked here ("'rate' is invalid" for anything but a positive number)."""

    name: _Name
    rate: Annotated[
        list[Any] | UnsetType,
        msgspec.Meta(description="The number of requests allowed per interval."),
    ] = UNSET
    path: Annotated[
        str, msgspec.Meta(description="Path of the mount or namespace to apply the quota.")
    ] = ""
    role: Annotated[str, msgspec.Meta(description="Login role to apply this quota to.")] = ""
    type: Annotated[str, msgspec.Meta(description="Type of the quota rule.")] = ""
    interval: Annotated[
        Duration,
        msgspec.Meta(description="The duration to enforce rate limiting for (default '1s')."),
    ] = 0
    block_interval: Annotated[
        Duration,
        msgspec.Meta(
            description="How long a client that hit the limit is refused (none if unset)."
        ),
    ] = 0
    inheritable: Annotated[
        bool | UnsetType,
        msgspec.Meta(description="Whether child namespaces inherit the quota."),
    ] = UNSET


class QuotaConfigWrite(msgspec.Struct, frozen=True, kw_only=True):
    rate_limit_exempt_paths: Annotated[
        list[str],
        msgspec.Meta(description="Specifies the list of exempt paths from all rate limit quotas."),
    ] = msgspec.field(default_factory=list)
    enable_rate_limit_audit_logging: Annotated[
        bool,
        msgspec.Meta(description="Audit the requests a rate limit refuses."),
    ] = False
    enable_rate_limit_response_headers: Annotated[
        bool,
        msgspec.Meta(description="Add the rate limit headers to responses."),
    ] = False


async def list_rate_limits(core: Core, _req: Request, _f: NoFields) -> Response:
    rules = await core.quotas.load()
    if not rules.quotas:
        raise NotFound  # Vault answers an empty LIST with 404
    return Response({"keys": sorted(rules.quotas)})


async def read_rate_limit(core: Core, _req: Request, fields: QuotaName) -> Response:
    quota = (await core.quotas.load()).quotas.get(fields.name)
    if quota is None:
        raise NotFound
    return Response(quota.describe())


async def write_rate_limit(core: Core, _req: Request, fields: RateLimitWrite) -> Response:
    rate = _rate(fields.rate)
    key = _sanitise(fields.path)
    role = fields.role
    namespace, path = await _where(core, key, role)
    inheritable = key == "" if fields.inheritable is UNSET else fields.inheritable
    quota = RateLimitQuota(
        name=fields.name,
        key=key,
        path=path,
        namespace=namespace,
        role=role,
        rate=rate,
        interval=fields.interval or 1,
        block_interval=fields.block_interval,
        inheritable=inheritable,
        state_id=secrets.token_hex(8),
    )
    await core.quotas.write(quota)
    return NO_CONTENT


async def delete_rate_limit(core: Core, _req: Request, fields: QuotaName) -> Response:
    await core.quotas.delete(fields.name)
    return NO_CONTENT


async def read_config(core: Core, _req: Request, _f: NoFields) -> Response:
    return Response((await core.quotas.load()).config.describe())


async def write_config(core: Core, _req: Request, fields: QuotaConfigWrite) -> Response:
    # As Vault, a write sets all three fields: one left out goes back to false / no paths.
    config = QuotaConfig(
        rate_limit_exempt_paths=tuple(fields.rate_limit_exempt_paths),
        enable_rate_limit_audit_logging=fields.enable_rate_limit_audit_logging,
        enable_rate_limit_response_headers=fields.enable_rate_limit_response_headers,
    )
    await core.quotas.configure(config)
    return NO_CONTENT


def _rate(sent: list[Any] | UnsetType) -> float:
    value = sent[0] if sent is not UNSET and len(sent) == 1 else None
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
