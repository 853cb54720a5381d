"""What every OIDC handler is handed: the store, the clock, the entity directory, the
namespace's id and the server's API address (the default issuer); and the operations shared by
handlers and the background round (the default key, issuing a token, the JWKS, `tick`).

The lead's identity backend builds one per identity mount (one per namespace) and passes
requests below `identity/oidc/` to `OIDC_TABLE.dispatch(context, request, rest)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec

from strongroom.clock import Clock
from strongroom.engines.identity.oidc import keyring, signing
from strongroom.engines.identity.oidc.directory import EntityDirectory, EntityFacts
from strongroom.engines.identity.oidc.models import Assignment, NamedKey, Provider, PublicKey, Role
from strongroom.engines.identity.oidc.store import OidcStore
from strongroom.engines.identity.oidc.template import claims
from strongroom.errors import BadRequest, StrongroomError
from strongroom.logical import GENERIC_NAME, UNCHANGED, Request

NAME = GENERIC_NAME
DEFAULT_KEY = "default"
DEFAULT_PROVIDER = "default"
ALLOW_ALL = "allow_all"
NO_ENTITY = "no entity associated with the request's token"


@dataclass
class OidcContext:
    store: OidcStore
    clock: Clock
    directory: EntityDirectory
    api_addr: str  # Vault's `api_addr`: the issuer unless oidc/config sets one
    namespace_id: str = "root"
    loaded: signing.Loaded = field(default_factory=signing.Loaded)

    async def supply(self, algorithm: str, count: int = 2) -> signing.Supply:
        """`count` fresh keys of `algorithm`, made off the event loop."""
        made = signing.Supply()
        await made.stock(algorithm, count)
        return made

    def sign(self, key: NamedKey, payload: Mapping[str, Any]) -> str:
        """`payload` (keys sorted, as Go marshals a map) signed with `key`'s signing key."""
        assert key.signing is not None  # noqa: S101 - callers check
        encoded = msgspec.json.encode(dict(sorted(payload.items())))
        loaded = self.loaded.get(key.signing)
        return signing.sign(loaded, key.signing.kid, key.algorithm, encoded)

    def now(self) -> float:
        return self.clock.now()

    async def issuer(self, request: Request, base: str = "") -> str:
        """Vault's issuer: `<base, else oidc/config's issuer, else api_addr>/v1/<namespace
        path>identity/oidc` (a provider's adds `/provider/<name>`)."""
        base = base or (await self.store.config()).issuer or self.api_addr
        return f"{base}/v1/{request.namespace}identity/oidc"

    async def provider_issuer(self, request: Request, provider: Provider) -> str:
        return f"{await self.issuer(request, provider.issuer)}/provider/{provider.name}"

    async def ensure_default(self) -> None:
        """Vault's `default` key exists in every namespace (RS256, any client): made on the
        first use, once, under a storage Check."""

        if await self.store.keys.get(DEFAULT_KEY) is not None:
            return
        supply = await self.supply("RS256")

        def create(found: NamedKey | None) -> Any:  # noqa: ANN401 - a View.update outcome
            if found is not None:
                return UNCHANGED
            blank = NamedKey(name=DEFAULT_KEY, allowed_client_ids=("*",))
            return keyring.created(blank, self.now(), supply)

        await self.store.keys.update(DEFAULT_KEY, create)

    async def ensure_provider_defaults(self) -> None:
        """Vault's `default` provider (any client) and `allow_all` assignment (every entity
        and group), made on first use like the default key."""
        await self.ensure_default()
        await self.store.assignments.update(
            ALLOW_ALL,
            lambda found: (
                UNCHANGED
                if found
                else Assignment(name=ALLOW_ALL, entity_ids=("*",), group_ids=("*",))
            ),
        )
        await self.store.providers.update(
            DEFAULT_PROVIDER,
            lambda found: (
                UNCHANGED if found else Provider(name=DEFAULT_PROVIDER, allowed_client_ids=("*",))
            ),
        )

    async def entity(self, request: Request) -> EntityFacts:
        """The caller's entity. Raises BadRequest (Vault's 400) if the token has none."""
        entity_id = "" if request.caller is None else request.caller.entity_id
        found = await self.directory.facts(entity_id) if entity_id else None
        if found is None or found.disabled:
            raise BadRequest(NO_ENTITY)
        return found

    async def signed(self, request: Request, role: Role, entity: EntityFacts) -> str:
        """An ID token for `entity` from `role`, signed with the role's key.

        Raises BadRequest if the key is gone or does not list the role's client ID.
        """
        key = await self.store.keys.get(role.key)
        if key is None or key.signing is None:
            raise BadRequest("the role's key was not found")
        if not key.allows(role.client_id):
            raise BadRequest("the role's key does not list the role's client ID as allowed")
        now = int(self.now())
        payload = {
            "iss": await self.issuer(request),
            "sub": entity.id,
            "aud": role.client_id,
            "iat": now,
            "exp": now + role.ttl,
            "namespace": self.namespace_id,
        }
        return self.sign(key, claims(role.template, entity, now) | payload)

    async def published_keys(self) -> list[PublicKey]:
        """Every public key of every key a role signs with that is still published (Vault's
        `.well-known/keys`: an unused key publishes nothing)."""
        now, found = self.now(), []
        for name in sorted({role.key for role in await self.store.roles.all()}):
            key = await self.store.keys.get(name)
            if key is not None:
                found += key.published(now)
        return found

    async def all_public_keys(self) -> list[PublicKey]:
        """The published keys of every named key (what introspection may verify with)."""
        now, found = self.now(), []
        for name in await self.store.keys.names():
            key = await self.store.keys.get(name)
            if key is not None:
                found += key.published(now)
        return found

    async def tick(self) -> None:
        """Rotate every key whose rotation period has passed and drop public keys whose
        verification time is over. Idempotent: each key re-checks under a storage Check."""
        failures: list[StrongroomError] = []
        for name in await self.store.keys.names():
            try:
                await self._maintain(name)
            except StrongroomError as exc:  # one bad key must not stop the others
                failures.append(exc)
        if failures:
            raise failures[0]

    async def _maintain(self, name: str) -> None:
        key = await self.store.keys.get(name)
        if key is None or not keyring.due(key, self.now()):
            return
        supply = await self.supply(key.algorithm, 1)

        def mutate(found: NamedKey | None) -> Any:  # noqa: ANN401 - a View.update outcome
            now = self.now()
            if found is None or not keyring.due(found, now):
                return UNCHANGED
            return keyring.maintained(found, now, supply)

        await self.store.keys.update(name, mutate)
