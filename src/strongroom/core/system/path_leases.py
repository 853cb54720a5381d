"""sys/leases/*: look up, list, renew and revoke leases (Vault's paths and shapes), plus the
legacy sys/renew and sys/revoke aliases hvac still calls."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from strongroom.clock import rfc3339
from strongroom.core.leases.entry import LeaseEntry
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.errors import BadRequest, NotFound
from strongroom.logical.fields import Duration, NoFields

if TYPE_CHECKING:
    from strongroom.core.core import Core

LOOKUP_SYNOPSIS = "View or list lease metadata."
RENEW_SYNOPSIS = "Renews a lease, requesting to extend the lease."
REVOKE_SYNOPSIS = "Revokes a lease immediately."
REVOKE_PREFIX_SYNOPSIS = "Revokes all secrets or tokens generated under a given prefix."
REVOKE_FORCE_SYNOPSIS = "Revokes all leases under a prefix, ignoring backend errors."
TIDY_SYNOPSIS = "Cleans up the dangling storage entries of leases."

_LeaseId = Annotated[
    str, msgspec.Meta(description="The lease identifier to renew. This is included with a lease.")
]
_Prefix = Annotated[
    str, msgspec.Meta(description='The path to revoke keys under. Example: "prod/aws/ops"')
]


class LeaseLookup(msgspec.Struct, frozen=True, kw_only=True):
    lease_id: _LeaseId = ""


class LeaseRenew(msgspec.Struct, frozen=True, kw_only=True):
    """`url_lease_id` is the id in the path (`sys/leases/renew/:id`); it wins over the body's."""

    url_lease_id: _LeaseId = ""
    lease_id: _LeaseId = ""
    increment: Annotated[
        Duration, msgspec.Meta(description="The desired increment in seconds to the lease")
    ] = 0


class LeaseRevoke(msgspec.Struct, frozen=True, kw_only=True):
    url_lease_id: _LeaseId = ""
    lease_id: _LeaseId = ""
    sync: Annotated[
        bool, msgspec.Meta(description="Whether or not to perform the revocation synchronously")
    ] = True


class LeasePrefix(msgspec.Struct, frozen=True, kw_only=True):
    prefix: _Prefix = ""


class LeaseRevokePrefix(msgspec.Struct, frozen=True, kw_only=True):
    prefix: _Prefix
    sync: Annotated[
        bool, msgspec.Meta(description="Whether or not to perform the revocation synchronously")
    ] = True


def _lease_id(core: Core, url_lease_id: str, lease_id: str) -> str:
    """The stored id: a namespace's leases are kept under its path, so that one tenant's
    lease ids (and prefixes) can never name another's."""
    lease_id = url_lease_id or lease_id
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


async def lookup(core: Core, _req: Request, fields: LeaseLookup) -> Response:
    entry = await core.leases.lookup(_lease_id(core, "", fields.lease_id))
    return Response(describe(core, entry, core.clock.now()))


async def list_leases(core: Core, _req: Request, fields: LeasePrefix) -> Response:
    keys = await core.leases.names(core.namespace.path + fields.prefix)
    if not keys:
        raise NotFound
    return Response({"keys": keys})


async def renew(core: Core, _req: Request, fields: LeaseRenew) -> Response:
    lease_id = _lease_id(core, fields.url_lease_id, fields.lease_id)
    entry, capped = await core.leases.renew(lease_id, fields.increment)
    warnings = None
    if capped:
        warnings = ["TTL of the lease exceeded its max TTL; the TTL value is capped accordingly"]
    return Response(
        lease_id=entry.lease_id.removeprefix(core.namespace.path),
        lease_duration=entry.ttl,
        renewable=entry.renewable,
        warnings=warnings,
    )


async def revoke(core: Core, _req: Request, fields: LeaseRevoke) -> Response:
    await core.leases.revoke(_lease_id(core, fields.url_lease_id, fields.lease_id))
    return NO_CONTENT


async def revoke_prefix(core: Core, _req: Request, fields: LeaseRevokePrefix) -> Response:
    await core.leases.revoke_prefix(core.namespace.path + fields.prefix)
    return NO_CONTENT


async def revoke_force(core: Core, _req: Request, fields: LeasePrefix) -> Response:
    await core.leases.revoke_prefix(core.namespace.path + fields.prefix, force=True)
    return NO_CONTENT


async def tidy(core: Core, _req: Request, _f: NoFields) -> Response:
    await core.leases.tidy()
    return NO_CONTENT
