"""The cubbyhole backend: a KV-v1-like store whose every key lives under the caller's token.

As Vault's `CubbyholeBackend`, values are stored at `<token>/<path>` (here the token's salted
HMAC, never the token), so a token sees its own cubbyhole and nothing else: no policy, not even
root, reaches another token's. The core destroys a token's cubbyhole in every namespace when
the token is revoked or expires (`destroy`), as Vault's token store does.
"""

from __future__ import annotations

from strongroom.engines.cubbyhole.paths import TABLE
from strongroom.errors import BadRequest, PermissionDenied
from strongroom.logical import MountContext, MountEntry, Request, Response, View, new_entry, purge


class CubbyholeBackend:
    """Vault's builtin `cubbyhole/` mount; one per namespace, never mounted by users."""

    unauthenticated: frozenset[str] = frozenset()
    paths = TABLE  # its route table, for sys/internal/specs/openapi

    def __init__(self, ctx: MountContext) -> None:
        self._view = ctx.view

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` in the caller's own cubbyhole. Raises BadRequest for a batch token,
        which has no storage identity to key a cubbyhole by."""
        caller = request.caller
        if caller is None:
            raise PermissionDenied
        if not caller.key:
            raise BadRequest("cubbyhole operations are only supported by 'service' type tokens")
        return await TABLE.dispatch(View(self._view, caller.key + "/"), request, path)

    async def exists(self, path: str) -> bool:
        """Every write needs only `update`: the default policy grants the whole cubbyhole."""
        del path
        return True

    async def destroy(self, token_key: str) -> None:
        """Delete everything the token with salted HMAC `token_key` kept here."""
        await purge(View(self._view, token_key + "/"))


def cubbyhole_entry(now: float) -> MountEntry:
    """The `cubbyhole/` mount entry every namespace has, as Vault describes it (local: a
    token's cubbyhole is never replicated)."""
    return new_entry(
        path="cubbyhole/",
        type_="cubbyhole",
        description="per-token private secret storage",
        local=True,
        now=now,
    )
