"""What every `auth/token/` handler is given: the token store as the request's namespace sees
it (DESIGN.md invariant 6). The core implements it (`core/token/scoped.py`'s `ScopedTokens`)
and hands one to the backend per scope, so this package never imports the core.

A token of another namespace, by id or accessor, is `None` here, exactly as one that does not
exist; listings hold only the namespace's own tokens and those below it. `caller`, `resolved`
and `by_accessor` turn an absent token into the error Vault answers with.
"""

from __future__ import annotations

from typing import Protocol

from strongroom.errors import BadRequest, PermissionDenied
from strongroom.logical import Request, View
from strongroom.logical.tokens import IssuedToken, TokenEntry, TokenRequest


class TokenContext(Protocol):
    @property
    def roles(self) -> View:
        """The namespace's token roles, by lower-cased name."""
        ...

    def now(self) -> float:
        """The node's clock (DESIGN.md invariant 8)."""
        ...

    async def resolve(self, token: str) -> TokenEntry | None:
        """The live entry of `token`, if visible from this namespace."""
        ...

    async def by_accessor(self, accessor: str) -> TokenEntry | None:
        """The live entry `accessor` names, if visible from this namespace."""
        ...

    async def accessors(self) -> list[str]:
        """The accessors of this namespace's tokens and those of the namespaces below."""
        ...

    async def identity_policies(self, entry: TokenEntry) -> tuple[str, ...]:
        """The policies `entry`'s entity and its groups add (Vault's identity_policies)."""
        ...

    async def issue(self, request: TokenRequest, parent: TokenEntry) -> IssuedToken:
        """Mint a child of `parent` in this namespace. Raises BadRequest (the core's rules)."""
        ...

    async def renew(self, entry: TokenEntry, token: str, increment: int) -> IssuedToken:
        """Extend `entry`'s life. Raises BadRequest if it is not renewable."""
        ...

    async def revoke(self, entry: TokenEntry) -> None:
        """Revoke `entry` and its whole subtree, on every worker and node."""
        ...

    async def revoke_missing(self) -> None:
        """A revocation of a token already gone: make every worker drop cached entries, in
        case the first revocation's invalidation never committed."""
        ...

    async def revoke_orphan(self, entry: TokenEntry) -> None:
        """Revoke `entry` alone; its children become orphans."""
        ...

    async def tidy(self) -> None:
        """Remove the tokens whose expiry has passed."""
        ...


def caller(req: Request) -> TokenEntry:
    """The calling token's entry (the core authenticated it). Raises PermissionDenied."""
    if req.caller is None:
        raise PermissionDenied
    return req.caller


async def resolved(ctx: TokenContext, token: str) -> TokenEntry:
    """Raises BadRequest ("bad token") if `token` is unknown here, as Vault answers."""
    entry = await ctx.resolve(token)
    if entry is None:
        raise BadRequest("bad token")
    return entry


async def by_accessor(ctx: TokenContext, accessor: str) -> TokenEntry:
    """Raises BadRequest if `accessor` is empty or names no token visible here."""
    if not accessor:
        raise BadRequest("missing accessor")
    entry = await ctx.by_accessor(accessor)
    if entry is None:
        raise BadRequest("invalid accessor")
    return entry
