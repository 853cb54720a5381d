"""`auth/token/*` handlers: create, lookup, renew, revoke, roles, accessors, tidy."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from strongroom.clock import rfc3339
from strongroom.core.fields import (
    get_bool,
    get_duration,
    get_int,
    get_str,
    get_str_list,
    get_str_map,
)
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.token.entry import IssuedToken, TokenEntry, TokenRole
from strongroom.core.token.issue import TokenRequest, auth_block, issue, sanitise
from strongroom.core.token.ttl import renewed
from strongroom.errors import BadRequest, NotFound, PermissionDenied

if TYPE_CHECKING:
    from strongroom.core.core import Core

_ROLE = msgspec.json.Decoder(TokenRole)


def _caller(req: Request) -> TokenEntry:
    if req.caller is None:
        raise PermissionDenied
    return req.caller


def _token_request(req: Request, **overrides: Any) -> TokenRequest:  # noqa: ANN401
    data = req.data
    kind = get_str(data, "type", "service") or "service"
    if kind not in ("service", "batch"):
        raise BadRequest("unsupported token type")
    fields: dict[str, Any] = {
        "policies": tuple(get_str_list(data, "policies")) if "policies" in data else None,
        "meta": get_str_map(data, "meta") or None,
        "display_name": get_str(data, "display_name"),
        "ttl": get_duration(data, "ttl"),
        "explicit_max_ttl": get_duration(data, "explicit_max_ttl"),
        "period": get_duration(data, "period"),
        "num_uses": get_int(data, "num_uses"),
        "renewable": get_bool(data, "renewable", default=True),
        "no_default_policy": get_bool(data, "no_default_policy"),
        "type": kind,
        "token_id": get_str(data, "id") or None,
    }
    if fields["num_uses"] < 0:
        raise BadRequest("number of uses cannot be negative")
    fields.update(overrides)
    return TokenRequest(**fields)


async def create(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    caller = _caller(req)
    no_parent = get_bool(req.data, "no_parent")
    if no_parent and not caller.is_root:
        raise PermissionDenied("root or sudo privileges required to create orphan token")
    issued = await issue(core, _token_request(req, orphan=no_parent), caller)
    return Response(auth=auth_block(issued, core.clock.now()))


async def create_orphan(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    caller = _caller(req)
    token_req = _token_request(req, orphan=True, path="auth/token/create-orphan")
    issued = await issue(core, token_req, caller)
    return Response(auth=auth_block(issued, core.clock.now()))


async def _role(core: Core, name: str) -> TokenRole:
    blob = await core.tokens.view.get(f"roles/{name.lower()}")
    if blob is None:
        raise BadRequest("unknown role")
    return _ROLE.decode(blob)


def _role_policies(
    role: TokenRole, asked: tuple[str, ...] | None, parent: TokenEntry
) -> tuple[str, ...]:
    chosen = sanitise(asked) if asked is not None else role.allowed_policies or parent.policies
    if role.allowed_policies and not set(chosen) <= set(role.allowed_policies) | {"default"}:
        raise BadRequest("token policies must be a subset of the role's allowed policies")
    if set(chosen) & set(role.disallowed_policies):
        raise BadRequest("token policies include disallowed policies")
    return chosen


def _role_token_type(role: TokenRole, asked: str | None) -> Literal["service", "batch"]:
    if role.token_type in ("service", "batch"):
        return "batch" if role.token_type == "batch" else "service"  # noqa: S105 - a type
    if asked in ("service", "batch"):
        return "batch" if asked == "batch" else "service"
    return "batch" if role.token_type == "default-batch" else "service"  # noqa: S105 - a type


async def create_with_role(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    caller = _caller(req)
    role = await _role(core, params["role"])
    base = _token_request(req)
    token_req = dataclasses.replace(
        base,
        policies=_role_policies(role, base.policies, caller),
        # A role with allowed_policies, not the caller's own set, bounds the child (Vault).
        policies_vetted=bool(role.allowed_policies),
        orphan=role.orphan,
        renewable=role.renewable and base.renewable,
        period=role.token_period or base.period,
        explicit_max_ttl=role.token_explicit_max_ttl or base.explicit_max_ttl,
        num_uses=role.token_num_uses or base.num_uses,
        bound_cidrs=role.token_bound_cidrs,
        no_default_policy=role.token_no_default_policy or base.no_default_policy,
        type=_role_token_type(role, get_str(req.data, "type") or None),
        path=f"auth/token/create/{role.name}",
        role=role.name,
    )
    issued = await issue(core, token_req, caller)
    return Response(auth=auth_block(issued, core.clock.now()))


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


async def _resolve(core: Core, token: str) -> TokenEntry:
    entry = await core.tokens.resolve(token)
    if entry is None:
        raise BadRequest("bad token")
    return entry


async def lookup_self(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    caller = _caller(req)
    return Response(lookup_data(caller, req.token or "", core.clock.now()))


async def lookup(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    token = get_str(req.data, "token")
    if not token:
        raise BadRequest("missing token to look up")
    entry = await _resolve(core, token)
    return Response(lookup_data(entry, token, core.clock.now()))


async def _by_accessor(core: Core, req: Request) -> TokenEntry:
    accessor = get_str(req.data, "accessor")
    if not accessor:
        raise BadRequest("missing accessor")
    entry = await core.tokens.store.by_accessor(accessor)
    if entry is None or entry.expired(core.clock.now()):
        raise BadRequest("invalid accessor")
    return entry


async def lookup_accessor(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    entry = await _by_accessor(core, req)
    return Response(lookup_data(entry, "", core.clock.now()))


async def _renew(core: Core, entry: TokenEntry, token: str, req: Request) -> Response:
    if not entry.renewable:
        raise BadRequest("lease is not renewable")
    now = core.clock.now()
    life = renewed(
        now,
        increment=get_duration(req.data, "increment"),
        creation_ttl=entry.creation_ttl,
        period=entry.period,
        max_expire=entry.max_expire,
    )
    new = msgspec.structs.replace(entry, expire_time=life.expire_time, last_renewal=now)
    await core.tokens.store.replace(entry, new)
    return Response(auth=auth_block(IssuedToken(token, new), now))


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
    entry = await core.tokens.resolve(get_str(req.data, "token"))
    if entry is not None:
        await core.tokens.revoke(entry)
    return NO_CONTENT


async def revoke_accessor(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    await core.tokens.revoke(await _by_accessor(core, req))
    return NO_CONTENT


async def revoke_orphan(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    entry = await core.tokens.resolve(get_str(req.data, "token"))
    if entry is not None and entry.type == "service":
        await core.tokens.store.orphan_children(entry)
        await core.tokens.store.revoke_one(entry)
    return NO_CONTENT


async def accessors(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    found = await core.tokens.store.accessors()
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
    blob = await core.tokens.view.get(f"roles/{name}")
    old = TokenRole(name=name) if blob is None else _ROLE.decode(blob)
    role = msgspec.structs.replace(old, **_role_changes(req.data))
    await core.tokens.view.put(f"roles/{name}", msgspec.json.encode(role))
    return NO_CONTENT


async def read_role(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    blob = await core.tokens.view.get(f"roles/{params['role'].lower()}")
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
    await core.tokens.view.delete(f"roles/{params['role'].lower()}")
    return NO_CONTENT


async def list_roles(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    keys = await core.tokens.view.list("roles/")
    if not keys:
        raise NotFound
    return Response({"keys": keys})
