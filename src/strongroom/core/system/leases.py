"""sys/leases/*: look up, list, renew and revoke leases (Vault's paths and shapes), plus the
legacy sys/renew and sys/revoke aliases hvac still calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from strongroom.clock import rfc3339
from strongroom.core.fields import get_duration, get_str
from strongroom.core.leases.entry import LeaseEntry
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.errors import BadRequest, NotFound

if TYPE_CHECKING:
    from strongroom.core.core import Core


def _lease_id(core: Core, req: Request, params: Mapping[str, str]) -> str:
    """The stored id: a namespace's leases are kept under its path, so that one tenant's
    lease ids (and prefixes) can never name another's."""
    lease_id = params.get("lease_id") or get_str(req.data, "lease_id")
    if not lease_id:
        raise BadRequest("missing lease ID")
    return core.namespace.path + lease_id


def describe(core: Core, entry: LeaseEntry, now: float) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": entry.lease_id.removeprefix(core.namespace.path),
        "issue_time": rfc3339(entry.issue_time),
        "expire_time": rfc3339(entry.expire_time),
        "last_renewal": None if entry.last_renewal is None else rfc3339(entry.last_renewal),
        "renewable": entry.renewable,
        "ttl": max(0, int(entry.expire_time - now)),
    }
    if entry.attempts:  # Strongroom: a revocation that keeps failing is visible, not silent
        body["revocation_attempts"] = entry.attempts
        body["revocation_last_error"] = entry.last_error
        body["revocation_next_attempt"] = rfc3339(entry.due)
    return body


async def lookup(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    entry = await core.leases.lookup(_lease_id(core, req, params))
    return Response(describe(core, entry, core.clock.now()))


async def list_leases(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    keys = await core.leases.names(core.namespace.path + params.get("prefix", ""))
    if not keys:
        raise NotFound
    return Response({"keys": keys})


async def renew(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    entry, capped = await core.leases.renew(
        _lease_id(core, req, params), get_duration(req.data, "increment")
    )
    warnings = None
    if capped:
        warnings = ["TTL of the lease exceeded its max TTL; the TTL value is capped accordingly"]
    return Response(
        lease_id=entry.lease_id.removeprefix(core.namespace.path),
        lease_duration=entry.ttl,
        renewable=entry.renewable,
        warnings=warnings,
    )


async def revoke(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    await core.leases.revoke(_lease_id(core, req, params))
    return NO_CONTENT


async def revoke_prefix(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    await core.leases.revoke_prefix(core.namespace.path + params["prefix"])
    return NO_CONTENT


async def revoke_force(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    await core.leases.revoke_prefix(core.namespace.path + params["prefix"], force=True)
    return NO_CONTENT


async def tidy(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    await core.leases.tidy()
    return NO_CONTENT
