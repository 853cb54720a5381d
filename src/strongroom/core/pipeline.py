"""The request pipeline, once per request (DESIGN.md "The request, end to end"):

    sealed? → authenticate → ACL → audit request → route to mount → audit response

A few system paths answer without a token and while sealed (health, seal status, init, unseal,
leader, rekey, generate-root), exactly as in Vault. `Core` takes `handle` and `dispatch` as its
methods: these functions are the hot path, so they read the scope's attributes directly.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING

from strongroom.core import wrapping
from strongroom.core.acl import authorize
from strongroom.core.coherence import sync_caches
from strongroom.core.mounts import LeaseHolder, Mounted
from strongroom.core.namespaces.locate import locate, masked, open_answer, owner
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.token.issue import auth_block
from strongroom.errors import NotFound, PermissionDenied, Sealed, StrongroomError

if TYPE_CHECKING:
    from strongroom.core.core import Core
    from strongroom.core.token.entry import TokenEntry


async def handle(core: Core, request: Request) -> Response:
    """Answer `request` (addressed to the root's scope), observing its latency and status."""
    started = time.perf_counter()
    mount_label = "sys/"
    status = 500
    try:
        response, mount_label = await _handle(core, request)
        status = response.status
    except Exception as exc:
        status = getattr(exc, "status", 500)
        raise
    finally:
        core.metrics.observe(mount_label, status, time.perf_counter() - started)
    return response


async def _handle(root: Core, request: Request) -> tuple[Response, str]:
    if not request.namespace:
        unauthenticated = root.system.open_handler(request)
        if unauthenticated is not None:
            return await unauthenticated, "sys/"
    if root.barrier.sealed:
        raise Sealed
    await sync_caches(root)
    core, request = await locate(root, request)
    if core is not root:
        unauthenticated = core.system.open_handler(request)
        if unauthenticated is not None:
            return await open_answer(root, request, core, unauthenticated), "sys/"
    await root.quotas.check(request, core.mounts)  # 429 before authentication, as Vault
    wrap_ttl = wrapping.requested_ttl(request.headers)  # refused before anything happens
    routed = core.mounts.route(request.path)
    mounted = None if routed is None else routed[0]
    caller: TokenEntry | None = None
    if routed is None or not _open_path(routed[0].backend.unauthenticated, routed[1]):
        try:
            caller = await root.tokens.authenticate(request)
            owner_core, prefix = await owner(root, caller, core)
            backend, rest = (None, "") if routed is None else (routed[0].backend, routed[1])
            sudo = await authorize(
                owner_core, caller, request, backend, rest, wrap_ttl, prefix=prefix
            )
        except PermissionDenied as denied:
            await root.audit.log_request(request, caller, mounted)
            await root.audit.log_response(request, caller, mounted, None, denied.public)
            raise
        request = request.with_caller(caller, sudo=sudo)
    await root.audit.log_request(request, caller, mounted)
    try:
        response = await dispatch(core, request, routed, wrap_ttl)
    except StrongroomError as failed:
        await root.audit.log_response(request, caller, mounted, None, failed.public)
        if caller is None:  # a path needing no token: in a namespace, maybe the 403
            raise await masked(root, request, core, failed) from None
        raise
    await root.audit.log_response(request, caller, mounted, response)
    return response, "" if mounted is None else mounted.full_path


async def dispatch(
    core: Core, request: Request, routed: tuple[Mounted, str] | None, wrap_ttl: int | None
) -> Response:
    """Serve an authorised request in `core`'s namespace (login completion, leases, wrapping)."""
    if routed is None:
        raise NotFound(f'no handler for route "{request.path}". route entry not found.')
    mounted, rest = routed
    response = await mounted.backend.handle(request, rest)
    if response is NO_CONTENT:  # shared by every request: a 204 carries no mount type anyway
        return response
    response.mount_type = mounted.entry.type
    if response.secret is not None:
        await _grant_lease(core, request, mounted, rest, response)
    if response.login is not None:
        response = await _complete_login(core, response, mounted)
    if wrap_ttl is not None and not response.empty:
        response = await wrapping.wrap(core, response, wrap_ttl, request.path)
    return response


async def _grant_lease(
    core: Core, request: Request, mounted: Mounted, rest: str, response: Response
) -> None:
    """Turn an engine's LeaseRequest into a stored lease and Vault's lease fields."""
    assert response.secret is not None  # noqa: S101 - checked by the caller
    caller = request.caller
    # A batch token has no key to index by: its non-orphan leases go with its parent.
    token_key = "" if caller is None else caller.key or caller.parent
    try:
        entry = await core.leases.grant(
            core.namespace.path + mounted.full_path + rest,
            mounted.entry.uuid,
            response.secret,
            token_key,
            core.mount_ttls(mounted.kind, mounted.entry.path),
            None if caller is None else caller.expire_time,
        )
    except Exception:
        # No lease, so nothing would ever revoke what the engine just created (Vault's
        # Register does the same): take it back now, then fail the request.
        if isinstance(mounted.backend, LeaseHolder):
            with contextlib.suppress(Exception):
                await mounted.backend.revoke_lease(response.secret.internal)
        raise
    response.secret = None
    response.lease_id = entry.lease_id.removeprefix(core.namespace.path)
    response.lease_duration = entry.ttl
    response.renewable = entry.renewable


async def _complete_login(core: Core, response: Response, mounted: Mounted) -> Response:
    """Mint the token an auth method's log-in earned and render Vault's `auth` block."""
    assert response.login is not None  # noqa: S101 - checked by the caller
    ttls = core.mount_ttls("auth", mounted.entry.path)
    issued = await core.tokens.from_login(core, response.login, mounted.entry.path, ttls)
    response.auth = auth_block(issued)
    response.login = None
    return response


def _open_path(patterns: frozenset[str], path: str) -> bool:
    """Whether `path` is one of a backend's unauthenticated paths: as Vault's PathsSpecial, a
    trailing `*` makes a prefix and a `+` segment stands for any one segment."""
    return any(_open_match(p, path) for p in patterns)


def _open_match(pattern: str, path: str) -> bool:
    prefix = pattern.endswith("*")
    wanted = pattern[:-1] if prefix else pattern
    if "+" not in wanted:
        return path.startswith(wanted) if prefix else path == wanted
    parts, got = wanted.split("/"), path.split("/")
    if len(got) < len(parts) or (not prefix and len(got) != len(parts)):
        return False
    last = len(parts) - 1
    for index, part in enumerate(parts):
        if part == "+":
            matched = bool(got[index])
        elif prefix and index == last:
            matched = got[index].startswith(part)
        else:
            matched = got[index] == part
        if not matched:
            return False
    return True
