"""Which namespace a request is in, whose policies govern its token there, and how a namespace
the caller cannot enter answers (DESIGN.md invariant 6).

A namespace the caller cannot enter answers exactly like one that does not exist: 403
`permission denied`. That holds on the paths that need no token too (log-in, `sys/wrapping/*`):
log-in into any namespace is allowed, so a success there proves a credential of the namespace,
but every failure of such a path in a namespace other than the root answers that same 403,
unless the request carries a token that may enter the namespace. OpenBao answers a failed
AppRole log-in into an existing namespace with 400 and one into a missing namespace with 403
(404 `namespace not found` in the header form): telling them apart is what this closes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable
from typing import TYPE_CHECKING

from strongroom.core.namespaces.registry import ROOT, NamespaceEntry
from strongroom.core.request import Request, Response
from strongroom.errors import PermissionDenied, StrongroomError

if TYPE_CHECKING:
    from strongroom.core.core import Core
    from strongroom.core.token.entry import TokenEntry


async def locate(node: Core, request: Request) -> tuple[Core, Request]:
    """The namespace a request addresses, from `X-Vault-Namespace` and/or a path prefix
    (`/v1/team-a/secret/x`), combined as Vault does: the deepest existing namespace whose
    path starts the header's path joined with the request's. A namespace that does not
    exist is refused like a forbidden one, so existence cannot be probed."""
    header = request.namespace
    if header and node.namespaces.live(header) is None:
        raise PermissionDenied
    if not node.namespaces.nested:
        return node, request
    full = header + request.path
    namespace = node.namespaces.longest_prefix(full)
    if namespace is ROOT:
        return node, request
    located = dataclasses.replace(
        request, namespace=namespace.path, path=full[len(namespace.path) :]
    )
    return await node.scope(namespace), located


async def owner(node: Core, caller: TokenEntry, core: Core) -> tuple[Core, str]:
    """The Core whose policies govern `caller` (its token's namespace), and the path of
    `core`'s namespace relative to it. A token works in its namespace and below, never in
    a sibling or parent: anywhere else it is refused."""
    if not caller.namespace and core is node:
        return node, ""
    home = _home(node, caller)
    if home is None or not home.contains(core.namespace):
        raise PermissionDenied
    return await node.scope(home), core.namespace.path[len(home.path) :]


async def may_enter(node: Core, request: Request, core: Core) -> bool:
    """Whether the request's token (no use spent) may work in `core`'s namespace."""
    entry = await node.tokens.resolve(request.token or "")
    home = None if entry is None else _home(node, entry)
    return home is not None and home.contains(core.namespace)


def _home(node: Core, token: TokenEntry) -> NamespaceEntry | None:
    """The namespace a token belongs to (None if it was deleted)."""
    return node.namespaces.by_id(token.namespace or ROOT.id)


async def masked(
    node: Core, request: Request, core: Core, failed: StrongroomError
) -> StrongroomError:
    """What a failure of a path needing no token answers in `core`'s namespace: the missing
    namespace's 403, unless it is the root's or the caller may enter (then the real error)."""
    if core is node or failed.status >= 500 or await may_enter(node, request, core):
        return failed
    return PermissionDenied()


async def open_answer(
    node: Core, request: Request, core: Core, answer: Awaitable[Response]
) -> Response:
    """`answer` (a path needing no token, in `core`'s namespace), failing as `masked` says."""
    try:
        return await answer
    except StrongroomError as failed:
        raise await masked(node, request, core, failed) from None
