"""sys/policy, sys/policies/acl and sys/capabilities*: managing and asking about ACL policies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.token import scoped
from strongroom.core.token.entry import TokenEntry
from strongroom.errors import BadRequest, PermissionDenied
from strongroom.logical.fields import NoFields

if TYPE_CHECKING:
    from strongroom.core.core import Core

LIST_SYNOPSIS = "List the configured access control policies."
POLICY_SYNOPSIS = "Read, Modify, or Delete an access control policy."
CAPABILITIES_SYNOPSIS = "Fetches the capabilities of the given token on the given path."
CAPABILITIES_SELF_SYNOPSIS = "Fetches the capabilities of the caller's token on the given path."
CAPABILITIES_ACCESSOR_SYNOPSIS = (
    "Fetches the capabilities of the token associated with the given accessor, on the given path."
)
RESULTANT_ACL_SYNOPSIS = "Information about a token's resultant ACL."

_Name = Annotated[str, msgspec.Meta(description='The name of the policy. Example: "ops"')]
_Policy = Annotated[str, msgspec.Meta(description="The rules of the policy.")]
_Paths = Annotated[
    list[str], msgspec.Meta(description="Paths on which capabilities are being queried.")
]


class PolicyName(msgspec.Struct, frozen=True, kw_only=True):
    name: _Name


class PolicyWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: _Name
    policy: _Policy = ""


class LegacyPolicyWrite(msgspec.Struct, frozen=True, kw_only=True):
    """sys/policy takes the legacy `rules` as well as `policy`."""

    name: _Name
    policy: _Policy = ""
    rules: Annotated[str, msgspec.Meta(description="The rules of the policy.")] = ""


class Capabilities(msgspec.Struct, frozen=True, kw_only=True):
    token: Annotated[
        str, msgspec.Meta(description="Token for which capabilities are being queried.")
    ] = ""
    paths: _Paths = msgspec.field(default_factory=list)
    path: Annotated[list[str], msgspec.Meta(description="Use 'paths' instead.")] = msgspec.field(
        default_factory=list
    )


class CapabilitiesAccessor(msgspec.Struct, frozen=True, kw_only=True):
    accessor: Annotated[
        str,
        msgspec.Meta(description="Accessor of the token for which capabilities are being queried."),
    ] = ""
    paths: _Paths = msgspec.field(default_factory=list)
    path: Annotated[list[str], msgspec.Meta(description="Use 'paths' instead.")] = msgspec.field(
        default_factory=list
    )


async def resultant_acl(core: Core, req: Request, _f: NoFields) -> Response:
    """What the caller may do, path by path (Vault's UI helper): rules merged by path string."""
    if req.caller is None:
        raise PermissionDenied
    if req.caller.is_root:
        return Response({"root": True})  # Vault lists no paths for root
    merged: dict[str, dict[str, set[str]]] = {"exact_paths": {}, "glob_paths": {}}
    for policy in await core.policies.policies_of(req.caller):
        for rule in policy.rules:
            kind = "glob_paths" if rule.path.endswith("*") else "exact_paths"
            merged[kind].setdefault(rule.path.removesuffix("*"), set()).update(rule.capabilities)
    body: dict[str, Any] = {
        kind: {path: {"capabilities": sorted(caps)} for path, caps in paths.items()}
        for kind, paths in merged.items()
    }
    body["root"] = False
    return Response(body)


async def list_legacy(core: Core, _req: Request, _f: NoFields) -> Response:
    names = await core.policies.names()
    return Response({"keys": names, "policies": names}, top_level=True)


async def list_acl(core: Core, _req: Request, _f: NoFields) -> Response:
    return Response({"keys": await core.policies.names()})


async def read_legacy(core: Core, _req: Request, fields: PolicyName) -> Response:
    name = fields.name.lower()
    text = await core.policies.read(name)
    return Response({"name": name, "rules": text}, top_level=True)


async def read_acl(core: Core, _req: Request, fields: PolicyName) -> Response:
    name = fields.name.lower()
    return Response({"name": name, "policy": await core.policies.read(name)})


async def write(core: Core, _req: Request, fields: PolicyWrite) -> Response:
    await _write(core, fields.name, fields.policy)
    return NO_CONTENT


async def write_legacy(core: Core, _req: Request, fields: LegacyPolicyWrite) -> Response:
    await _write(core, fields.name, fields.policy or fields.rules)
    return NO_CONTENT


async def _write(core: Core, name: str, text: str) -> None:
    if not text:
        raise BadRequest("'policy' parameter not supplied or empty")
    await core.policies.write(name, text)


async def delete(core: Core, _req: Request, fields: PolicyName) -> Response:
    await core.policies.delete(fields.name)
    return NO_CONTENT


def _paths(fields: Capabilities | CapabilitiesAccessor) -> list[str]:
    paths = fields.paths or fields.path
    if not paths:
        raise BadRequest("missing paths")
    return paths


async def _answer(core: Core, token: TokenEntry, paths: list[str]) -> Response:
    acl = await core.policies.acl(token)
    found = {path: sorted(acl.capabilities(path.lstrip("/"))) for path in paths}
    body: dict[str, Any] = dict(found)
    if len(paths) == 1:
        body["capabilities"] = found[paths[0]]
    return Response(body, top_level=True)


async def capabilities(core: Core, _req: Request, fields: Capabilities) -> Response:
    token = await scoped.resolve(core, fields.token)
    if token is None:
        raise BadRequest("invalid token")
    return await _answer(core, token, _paths(fields))


async def capabilities_self(core: Core, req: Request, fields: Capabilities) -> Response:
    if req.caller is None:
        raise PermissionDenied
    return await _answer(core, req.caller, _paths(fields))


async def capabilities_accessor(
    core: Core, _req: Request, fields: CapabilitiesAccessor
) -> Response:
    token = await scoped.by_accessor(core, fields.accessor)
    if token is None:
        raise BadRequest("invalid accessor")
    return await _answer(core, token, _paths(fields))
