"""sys/policy, sys/policies/acl and sys/capabilities*: managing and asking about ACL policies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from strongroom.core.fields import get_str, get_str_list
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.token import scoped
from strongroom.core.token.entry import TokenEntry
from strongroom.errors import BadRequest, PermissionDenied

if TYPE_CHECKING:
    from strongroom.core.core import Core


async def resultant_acl(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
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


async def list_legacy(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    names = await core.policies.names()
    return Response({"keys": names, "policies": names}, top_level=True)


async def list_acl(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    return Response({"keys": await core.policies.names()})


async def read_legacy(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    name = params["name"].lower()
    text = await core.policies.read(name)
    return Response({"name": name, "rules": text}, top_level=True)


async def read_acl(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    name = params["name"].lower()
    return Response({"name": name, "policy": await core.policies.read(name)})


async def write(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    # sys/policy takes `rules` (legacy) or `policy`; sys/policies/acl takes `policy`.
    text = get_str(req.data, "policy") or get_str(req.data, "rules")
    if not text:
        raise BadRequest("'policy' parameter not supplied or empty")
    await core.policies.write(params["name"], text)
    return NO_CONTENT


async def delete(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    await core.policies.delete(params["name"])
    return NO_CONTENT


def _paths(data: Mapping[str, Any]) -> list[str]:
    paths = get_str_list(data, "paths") or get_str_list(data, "path")
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


async def capabilities(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    token = await scoped.resolve(core, get_str(req.data, "token"))
    if token is None:
        raise BadRequest("invalid token")
    return await _answer(core, token, _paths(req.data))


async def capabilities_self(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    if req.caller is None:
        raise PermissionDenied
    return await _answer(core, req.caller, _paths(req.data))


async def capabilities_accessor(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    token = await scoped.by_accessor(core, get_str(req.data, "accessor"))
    if token is None:
        raise BadRequest("invalid accessor")
    return await _answer(core, token, _paths(req.data))
