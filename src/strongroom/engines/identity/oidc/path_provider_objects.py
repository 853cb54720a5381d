"""The OIDC provider's configuration objects: `scope/:name`, `assignment/:name`, `client/:name`
and their LISTs (api-docs/secret/identity/oidc-provider). Providers themselves are in
`path_provider.py`."""

from __future__ import annotations

import secrets
import string
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.identity.oidc import render
from strongroom.engines.identity.oidc.context import ALLOW_ALL, OidcContext
from strongroom.engines.identity.oidc.models import DAY, Assignment, Client, Scope
from strongroom.engines.identity.oidc.template import accepted
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import (
    NO_CONTENT,
    UNSET,
    Duration,
    NoFields,
    Request,
    Response,
    UnsetType,
)

SCOPE_SYNOPSIS = "CRUD operations for OIDC scopes."
ASSIGNMENT_SYNOPSIS = "CRUD operations for OIDC assignments."
CLIENT_SYNOPSIS = "CRUD operations for OIDC clients."
OPENID = "openid"
_BASE62 = string.ascii_letters + string.digits
CLIENT_ID_LENGTH = 32  # Vault's base62.Random(32)
SECRET_LENGTH = 64  # Vault's "hvo_secret_" + base62.Random(64)
Name = Annotated[str, Meta(description="Name of the object")]


def _random(length: int) -> str:
    return "".join(secrets.choice(_BASE62) for _ in range(length))


def _sent(fields: msgspec.Struct, names: tuple[str, ...]) -> dict[str, Any]:
    found = {n: getattr(fields, n) for n in names if getattr(fields, n) is not UNSET}
    return {n: tuple(v) if isinstance(v, list) else v for n, v in found.items()}


class Named(msgspec.Struct, frozen=True, kw_only=True):
    name: Name


class ScopeWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: Name
    template: Annotated[
        str | UnsetType, Meta(description="The template string to use for the scope.")
    ] = UNSET
    description: Annotated[str | UnsetType, Meta(description="The description of the scope")] = (
        UNSET
    )


class AssignmentWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: Name
    entity_ids: Annotated[
        list[str] | UnsetType,
        Meta(description="Comma separated string or array of identity entity IDs"),
    ] = UNSET
    group_ids: Annotated[
        list[str] | UnsetType,
        Meta(description="Comma separated string or array of identity group IDs"),
    ] = UNSET


class ClientWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: Name
    key: Annotated[
        str | UnsetType,
        Meta(
            description="A reference to a named key resource. Cannot be "
            "modified after creation. Defaults to the 'default' key."
        ),
    ] = UNSET
    redirect_uris: Annotated[
        list[str] | UnsetType,
        Meta(description="Comma separated string or array of redirect URIs used by the client."),
    ] = UNSET
    assignments: Annotated[
        list[str] | UnsetType,
        Meta(description="Comma separated string or array of assignment resources."),
    ] = UNSET
    id_token_ttl: Annotated[
        Duration | UnsetType,
        Meta(description="The time-to-live for ID tokens obtained by the client."),
    ] = UNSET
    access_token_ttl: Annotated[
        Duration | UnsetType,
        Meta(description="The time-to-live for access tokens obtained by the client."),
    ] = UNSET
    authorization_code: Annotated[
        bool | UnsetType,
        Meta(description="Whether the client may use the authorization code grant."),
    ] = UNSET
    client_credentials: Annotated[
        bool | UnsetType,
        Meta(
            description="Whether the client may use the client credentials "
            "grant (not served: the token endpoint refuses it)."
        ),
    ] = UNSET
    client_type: Annotated[
        str | UnsetType,
        Meta(
            description="The client type based on its ability to maintain "
            "confidentiality of credentials."
        ),
    ] = UNSET


async def write_scope(ctx: OidcContext, _request: Request, fields: ScopeWrite) -> Response:
    if fields.name == OPENID:
        raise BadRequest('the "openid" scope name is reserved')
    changes = _sent(fields, ("description",))
    if not isinstance(fields.template, UnsetType):
        changes["template"] = accepted(fields.template)
    await ctx.store.scopes.update(
        fields.name,
        lambda found: msgspec.structs.replace(found or Scope(name=fields.name), **changes),
    )
    return NO_CONTENT


async def write_assignment(
    ctx: OidcContext, _request: Request, fields: AssignmentWrite
) -> Response:
    changes = _sent(fields, ("entity_ids", "group_ids"))
    blank = Assignment(name=fields.name)
    await ctx.store.assignments.update(
        fields.name, lambda found: msgspec.structs.replace(found or blank, **changes)
    )
    return NO_CONTENT


async def write_client(ctx: OidcContext, _request: Request, fields: ClientWrite) -> Response:
    await ctx.ensure_provider_defaults()
    changes = _sent(
        fields,
        (
            "key",
            "redirect_uris",
            "assignments",
            "id_token_ttl",
            "access_token_ttl",
            "client_type",
            "authorization_code",
            "client_credentials",
        ),
    )
    for name in changes.get("assignments", ()):
        if await ctx.store.assignments.get(name) is None:
            raise BadRequest("assignment does not exist")
    if changes.get("client_type", "confidential") not in ("confidential", "public"):
        raise BadRequest("invalid client_type")
    if await ctx.store.keys.get(changes.get("key", "default")) is None:
        raise BadRequest("key does not exist")

    def mutate(found: Client | None) -> Client:
        if found is not None and changes.get("key", found.key) != found.key:
            raise BadRequest("key modification is not allowed")
        if found is not None and changes.get("client_type", found.client_type) != found.client_type:
            raise BadRequest("client_type modification is not allowed")
        if found is None:
            public = changes.get("client_type") == "public"
            secret = "" if public else "hvo_secret_" + _random(SECRET_LENGTH)
            found = Client(
                name=fields.name,
                client_id=_random(CLIENT_ID_LENGTH),
                client_secret=secret,
                id_token_ttl=DAY,
                access_token_ttl=DAY,
            )
        return msgspec.structs.replace(found, **changes)

    await ctx.store.clients.update(fields.name, mutate)
    return NO_CONTENT


async def read_scope(ctx: OidcContext, _request: Request, fields: Named) -> Response:
    return _shown(await ctx.store.scopes.get(fields.name), render.scope)


async def read_assignment(ctx: OidcContext, _request: Request, fields: Named) -> Response:
    await ctx.ensure_provider_defaults()
    return _shown(await ctx.store.assignments.get(fields.name), render.assignment)


async def read_client(ctx: OidcContext, _request: Request, fields: Named) -> Response:
    return _shown(await ctx.store.clients.get(fields.name), render.client)


def _shown(found: Any, rendered: Any) -> Response:  # noqa: ANN401 - a record and its renderer
    if found is None:
        raise NotFound
    return Response(data=rendered(found))


async def list_scopes(ctx: OidcContext, _request: Request, _fields: NoFields) -> Response:
    return _listed(await ctx.store.scopes.names())


async def list_assignments(ctx: OidcContext, _request: Request, _fields: NoFields) -> Response:
    await ctx.ensure_provider_defaults()
    return _listed(await ctx.store.assignments.names())


async def list_clients(ctx: OidcContext, _request: Request, _fields: NoFields) -> Response:
    return _listed(await ctx.store.clients.names())


def _listed(names: list[str]) -> Response:
    if not names:
        raise NotFound
    return Response(data={"keys": names})


def refuse_if_used(kind: str, users: list[str], by: str) -> None:
    """Raises BadRequest (Vault's text, without the name) if `users` still reference it."""
    if users:
        raise BadRequest(
            f"unable to delete {kind} because it is currently referenced by these {by}: "
            + ", ".join(users)
        )


async def delete_scope(ctx: OidcContext, _request: Request, fields: Named) -> Response:
    providers = await ctx.store.providers.all()
    refuse_if_used(
        "scope", [p.name for p in providers if fields.name in p.scopes_supported], "providers"
    )
    await ctx.store.scopes.delete(fields.name)
    return NO_CONTENT


async def delete_assignment(ctx: OidcContext, _request: Request, fields: Named) -> Response:
    if fields.name == ALLOW_ALL:
        raise BadRequest(f'deletion of assignment "{ALLOW_ALL}" not allowed')
    clients = await ctx.store.clients.all()
    refuse_if_used(
        "assignment", [c.name for c in clients if fields.name in c.assignments], "clients"
    )
    await ctx.store.assignments.delete(fields.name)
    return NO_CONTENT


async def delete_client(ctx: OidcContext, _request: Request, fields: Named) -> Response:
    await ctx.store.clients.delete(fields.name)
    return NO_CONTENT
