"""`auth/token/*` handlers: create, lookup, renew, revoke, roles, accessors, tidy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from strongroom.clock import rfc3339
from strongroom.core import identity
from strongroom.core.fields import (
    get_bool,
    get_duration,
    get_int,
    get_str,
    get_str_list,
)
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.token import scoped
from strongroom.core.token.entry import TokenEntry, TokenRole
from strongroom.core.token.issue import auth_block, sanitise
from strongroom.errors import BadRequest, NotFound, PermissionDenied

if TYPE_CHECKING:
    from strongroom.core.core import Core

_ROLE = msgspec.json.Decoder(TokenRole)


def _caller(req: Request) -> TokenEntry:
    if req.caller is None:
        raise PermissionDenied
    return req.caller


def lookup_data(entry: TokenEntry, token: str, now: float) -> dict[str, Any]:
    data: dict[str, Any] = {
        "accessor": entry.accessor,
        "creation_time": int(entry.creation_time),
        "creation_ttl": entry.creation_ttl,
        "display_name": entry.display_name,
        "entity_id": entry.entity_id,
        "expire_time": None if entry.expire_time is None else rfc3339(entry.expire_time),
        "explicit_max_ttl": entry.explicit_max_ttl,
        "id": token,
        "issue_time": rfc3339(entry.creation_time),
        "meta": entry.meta,
        "num_uses": entry.num_uses,
        "orphan": entry.orphan,
        "path": entry.path,
        "policies": list(entry.policies),
        "renewable": entry.renewable,
        "ttl": entry.ttl_left(now),
        "type": entry.type,
    }
    if entry.period:
        data["period"] = entry.period
    if entry.role:
        data["role"] = entry.role
    if entry.bound_cidrs:
        data["bound_cidrs"] = list(entry.bound_cidrs)
    if entry.last_renewal is not None:
        data["last_renewal"] = rfc3339(entry.last_renewal)
        data["last_renewal_time"] = int(entry.last_renewal)
    return data


async def _looked_up(core: Core, entry: TokenEntry, token: str) -> Response:
    """`lookup_data` with the policies the token's entity adds, as OpenBao shows them (only
    when there are some)."""
    data = lookup_data(entry, token, core.clock.now())
    added = await identity.identity_policies(core, entry)
    if added:
        data["identity_policies"] = list(added)
        data["external_namespace_policies"] = {}
    return Response(data)


async def _resolve(core: Core, token: str) -> TokenEntry:
    entry = await scoped.resolve(core, token)
    if entry is None:
        raise BadRequest("bad token")
    return entry


async def lookup_self(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    caller = _caller(req)
    return await _looked_up(core, caller, req.token or "")


async def lookup(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    token = get_str(req.data, "token")
    if not token:
        raise BadRequest("missing token to look up")
    entry = await _resolve(core, token)
    return await _looked_up(core, entry, token)


async def _by_accessor(core: Core, req: Request) -> TokenEntry:
    accessor = get_str(req.data, "accessor")
    if not accessor:
        raise BadRequest("missing accessor")
    entry = await scoped.by_accessor(core, accessor)
    if entry is None:
        raise BadRequest("invalid accessor")
    return entry


async def lookup_accessor(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    entry = await _by_accessor(core, req)
    return await _looked_up(core, entry, "")


async def _renew(core: Core, entry: TokenEntry, token: str, req: Request) -> Response:
    issued = await core.tokens.renew(entry, token, get_duration(req.data, "increment"))
    return Response(auth=auth_block(issued), warnings=list(issued.warnings) or None)


async def renew_self(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    return await _renew(core, _caller(req), req.token or "", req)


async def renew(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    token = get_str(req.data, "token")
    return await _renew(core, await _resolve(core, token), token, req)


async def renew_accessor(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    response = await _renew(core, await _by_accessor(core, req), "", req)
    if response.auth is not None:
        response.auth = {**response.auth, "client_token": ""}
    return response


async def revoke_self(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    await core.tokens.revoke(_caller(req))
    return NO_CONTENT


async def revoke(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    entry = await scoped.resolve(core, get_str(req.data, "token"))
    if entry is None:
        await core.tokens.invalidate()  # a retried revocation repairs a lost invalidation
    else:
        await core.tokens.revoke(entry)
    return NO_CONTENT


async def revoke_accessor(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    await core.tokens.revoke(await _by_accessor(core, req))
    return NO_CONTENT


async def revoke_orphan(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    entry = await scoped.resolve(core, get_str(req.data, "token"))
    if entry is not None and entry.type == "service":
        await core.tokens.store.orphan_children(entry)
        await core.tokens.store.revoke_one(entry)
    return NO_CONTENT


async def accessors(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    found = await scoped.accessors(core)
    if not found:
        raise NotFound
    return Response({"keys": found})


async def tidy(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    await core.tokens.expire_due()
    warning = (
        "Tidy operation successfully started. Any information from the operation will be "
        "printed to Vault's server logs."
    )
    return Response({}, warnings=[warning], status=202)


# -- roles ------------------------------------------------------------------------------------


_ROLE_LISTS = (
    "allowed_policies",
    "disallowed_policies",
    "allowed_policies_glob",
    "disallowed_policies_glob",
    "allowed_entity_aliases",
    "token_bound_cidrs",
)
_ROLE_BOOLS = ("orphan", "renewable", "token_no_default_policy")
_ROLE_DURATIONS = ("token_explicit_max_ttl", "token_period")
_TOKEN_TYPES = ("service", "batch", "default", "default-service", "default-batch")


def _role_changes(data: Mapping[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in _ROLE_LISTS:
        if name in data:
            values = get_str_list(data, name)
            changes[name] = sanitise(values) if "policies" in name else tuple(values)
    changes.update({n: get_bool(data, n) for n in _ROLE_BOOLS if n in data})
    changes.update({n: get_duration(data, n) for n in _ROLE_DURATIONS if n in data})
    if "token_num_uses" in data:
        changes["token_num_uses"] = get_int(data, "token_num_uses")
    if "path_suffix" in data:
        changes["path_suffix"] = get_str(data, "path_suffix")
    if "token_type" in data:
        kind = get_str(data, "token_type")
        if kind not in _TOKEN_TYPES:
            raise BadRequest("invalid 'token_type' value")
        changes["token_type"] = "default-service" if kind == "default" else kind
    return changes


async def write_role(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    name = params["role"].lower()
    blob = await scoped.roles(core).get(name)
    old = TokenRole(name=name) if blob is None else _ROLE.decode(blob)
    role = msgspec.structs.replace(old, **_role_changes(req.data))
    _check_batch_role(role)
    await scoped.roles(core).put(name, msgspec.json.encode(role))
    return NO_CONTENT


def _check_batch_role(role: TokenRole) -> None:
    """A batch role must not promise what batch tokens cannot be (Vault's role write checks)."""
    if role.token_type != "batch":  # noqa: S105 - a token type
        return
    for broken, what in (
        (not role.orphan, "non-orphan tokens"),
        (role.token_period, "periodic tokens"),
        (role.renewable, "renewable tokens"),
        (role.token_explicit_max_ttl, "tokens with an explicit max TTL"),
    ):
        if broken:
            raise BadRequest(f"'token_type' cannot be 'batch' when role is set to generate {what}")


async def read_role(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    blob = await scoped.roles(core).get(params["role"].lower())
    if blob is None:
        raise NotFound
    role = _ROLE.decode(blob)
    data = msgspec.structs.asdict(role)
    for key, value in data.items():
        if isinstance(value, tuple):
            data[key] = list(value)
    data["token_type"] = role.token_type
    data["explicit_max_ttl"] = role.token_explicit_max_ttl
    data["period"] = role.token_period
    data["bound_cidrs"] = list(role.token_bound_cidrs)
    return Response(data)


async def delete_role(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    await scoped.roles(core).delete(params["role"].lower())
    return NO_CONTENT


async def list_roles(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    keys = await scoped.roles(core).list("")
    if not keys:
        raise NotFound
    return Response({"keys": keys})
