"""A harness serving the identity OIDC table before the identity engine exists around it: an
in-memory `EntityDirectory` (a real implementation of the protocol, holding what tests put in
it), a mount type `oidc-harness` whose backend serves `OIDC_TABLE` at its mount, as the identity
backend serves it at `identity/oidc/`, and tokens bound to an entity."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from strongroom.clock import ManualClock
from strongroom.core.identity import backend as identity_backend
from strongroom.core.mounts import BackendType, MountContext
from strongroom.core.request import Request, Response
from strongroom.core.token.entry import TokenEntry
from strongroom.core.token.store import new_accessor
from strongroom.engines.identity.models import Entity as IdentityEntity
from strongroom.engines.identity.oidc import OIDC_TABLE, OPEN_PATHS, OidcContext, OidcStore
from strongroom.engines.identity.oidc.directory import AliasFacts, EntityFacts
from strongroom.engines.registry import catalogue
from support.inproc import Server

HARNESS = "oidc-harness"
API_ADDR = "http://127.0.0.1:8200"


@dataclass(frozen=True)
class Alias:
    id: str
    mount_accessor: str
    name: str
    mount_type: str = "userpass"
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    namespace_id: str = "root"
    metadata: Mapping[str, str] = field(default_factory=dict)
    disabled: bool = False
    aliases: Sequence[AliasFacts] = ()
    group_ids: Sequence[str] = ()
    group_names: Sequence[str] = ()


class InMemoryDirectory:
    """An EntityDirectory over a dict (what the identity engine's store answers after merge)."""

    def __init__(self) -> None:
        self.entities: dict[str, EntityFacts] = {}

    def add(self, entity: EntityFacts) -> None:
        self.entities[entity.id] = entity

    async def facts(self, entity_id: str) -> EntityFacts | None:
        return self.entities.get(entity_id)


class OidcHarnessBackend:
    """Serves `OIDC_TABLE` at its mount (a stand-in for `identity/oidc/`)."""

    paths = OIDC_TABLE
    unauthenticated = frozenset(p.removeprefix("oidc/") for p in OPEN_PATHS)

    def __init__(self, ctx: MountContext) -> None:
        self.directory = InMemoryDirectory()
        self.oidc = OidcContext(OidcStore(ctx.view), ctx.clock, self.directory, API_ADDR)

    async def handle(self, request: Request, path: str) -> Response:
        # The namespace a mount lives in never changes: its id stands in for the registry's.
        self.oidc.namespace_id = request.namespace.rstrip("/") or "root"
        return await OIDC_TABLE.dispatch(self.oidc, request, path)

    async def exists(self, path: str) -> bool:
        return await OIDC_TABLE.exists(self.oidc, path)

    async def tick(self) -> None:
        await self.oidc.tick()


def harness_catalogue() -> dict[str, BackendType]:
    return {**catalogue(), HARNESS: BackendType("mounts", OidcHarnessBackend)}


async def harness(
    server: Server, mount: str = "identity-oidc/", namespace: str = ""
) -> OidcHarnessBackend:
    """The harness backend mounted at `mount` in the namespace at path `namespace`."""
    core = server.core
    if namespace:
        entry = core.namespaces.live(namespace)
        assert entry is not None
        core = await core.scope(entry)
    found = core.mounts.route(mount)
    assert found is not None
    backend = found[0].backend
    assert isinstance(backend, OidcHarnessBackend)
    return backend


async def _register(server: Server, entity_id: str, namespace_id: str) -> None:
    core = server.core
    if namespace_id:
        entry = core.namespaces.by_id(namespace_id)
        assert entry is not None
        core = await core.scope(entry)
    identity = identity_backend(core)
    assert identity is not None
    store = identity.directory.store
    if await store.entity(entity_id) is None:
        await store.save_entity(IdentityEntity(id=entity_id, name=f"harness-{entity_id}"), None)


async def entity_token(
    server: Server, entity_id: str, policies: tuple[str, ...] = ("root",), namespace_id: str = ""
) -> str:
    """A service token bound to `entity_id` (what a log-in through an auth method with an
    entity alias mints), in the namespace `namespace_id` (the root's when ""). The entity is
    also made in that namespace's identity store, as the core refuses a token whose entity is
    gone; the claims still come from the harness's directory."""
    await _register(server, entity_id, namespace_id)
    clock = server.clock
    assert isinstance(clock, ManualClock)
    entry = TokenEntry(
        accessor=new_accessor(),
        policies=policies,
        namespace=namespace_id or server.core.namespace_id,
        creation_time=clock.now(),
        entity_id=entity_id,
    )
    return (await server.core.tokens.store.create(entry)).token
