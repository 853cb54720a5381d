"""Layer 4, the identity secrets engine (Vault's builtin `identity/` mount), one per
namespace: its entities, aliases and groups, and what the core asks of them at log-in
(`login`) and on every request of a token with an entity (`resolve`).

Paths below `oidc/` belong to the signed identity tokens and the OIDC provider
(`engines/identity/oidc/`): a table of their own, over an `OidcContext` whose entity directory
is this mount's. Its key rotation runs in `tick`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from strongroom.engines.identity.context import AuthMount, IdentityContext
from strongroom.engines.identity.login import entity_for
from strongroom.engines.identity.models import Entity, Resolved
from strongroom.engines.identity.oidc import OIDC_TABLE, OPEN_PATHS, OidcContext, OidcStore
from strongroom.engines.identity.paths import TABLE
from strongroom.engines.identity.store import IdentityStore
from strongroom.logical import MountConfig, MountContext, MountEntry, Request, Response, new_entry
from strongroom.storage.interface import Op

OIDC_PREFIX = "oidc/"


class IdentityBackend:
    """Vault's builtin `identity/` mount; never mounted or unmounted by users."""

    unauthenticated = OPEN_PATHS  # the OIDC discovery, JWKS, token and userinfo endpoints
    paths = TABLE  # its route table, for sys/internal/specs/openapi
    subtables = ((OIDC_PREFIX, OIDC_TABLE),)  # the tables of the paths below a prefix

    def __init__(
        self,
        ctx: MountContext,
        *,
        namespace_id: str,
        auth_mount: Callable[[str], AuthMount | None],
        invalidation: Callable[[], Op],
        api_addr: str,
    ) -> None:
        store = IdentityStore(ctx.view, ctx.clock, invalidation)
        self.directory = IdentityContext(store, namespace_id, auth_mount)
        self.oidc = OidcContext(
            OidcStore(ctx.view), ctx.clock, self.directory, api_addr, namespace_id=namespace_id
        )

    async def handle(self, request: Request, path: str) -> Response:
        if path.startswith(OIDC_PREFIX):
            return await OIDC_TABLE.dispatch(self.oidc, request, path[len(OIDC_PREFIX) :])
        return await TABLE.dispatch(self.directory, request, path)

    async def tick(self) -> None:
        """The background round: signing keys due for rotation rotate, expired ones go."""
        await self.oidc.tick()

    def clear_cache(self) -> None:
        """Forget what this worker resolved (the configuration epoch moved)."""
        self.directory.clear_cache()

    async def resolve(self, entity_id: str) -> Resolved | None:
        return await self.directory.resolve(entity_id)

    async def login(
        self,
        accessor: str,
        alias_name: str,
        alias_metadata: Mapping[str, str],
        group_aliases: Sequence[str],
    ) -> Entity:
        """The entity logging in (created on first sight). Raises PermissionDenied if disabled."""
        return await entity_for(self.directory, accessor, alias_name, alias_metadata, group_aliases)


def identity_entry(now: float) -> MountEntry:
    """The `identity/` mount entry every namespace has, as Vault describes it (the OIDC
    provider's token endpoint reads the `Authorization` header, so Vault passes it through)."""
    return new_entry(
        path="identity/",
        type_="identity",
        description="identity store",
        config=MountConfig(passthrough_request_headers=("Authorization",)),
        now=now,
    )
