"""`identity/oidc/provider/:name`, its LIST, and each provider's discovery document and JWKS
(api-docs/secret/identity/oidc-provider "Create or update a provider", "List providers",
"Read provider OpenID configuration", "Read provider public keys")."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.identity.oidc import render
from strongroom.engines.identity.oidc.context import DEFAULT_PROVIDER, OidcContext
from strongroom.engines.identity.oidc.models import Provider, PublicKey
from strongroom.engines.identity.oidc.path_config import EXPLICIT_ISSUER_WARNING, valid_issuer
from strongroom.engines.identity.oidc.path_provider_objects import Named
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, UNSET, Request, Response, UnsetType

SYNOPSIS = "CRUD operations for OIDC providers."
LIST_SYNOPSIS = "List OIDC providers"
DISCOVERY_SYNOPSIS = "Query OIDC configurations"
KEYS_SYNOPSIS = "Retrieve public keys"


class ProviderWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: Annotated[str, Meta(description="Name of the provider")]
    issuer: Annotated[
        str | UnsetType,
        Meta(description="Specifies what will be used for the iss claim of ID tokens."),
    ] = UNSET
    allowed_client_ids: Annotated[
        list[str] | UnsetType,
        Meta(description="The client IDs that are permitted to use the provider"),
    ] = UNSET
    scopes_supported: Annotated[
        list[str] | UnsetType,
        Meta(description="The scopes supported for requesting on the provider"),
    ] = UNSET


class ProviderList(msgspec.Struct, frozen=True, kw_only=True):
    allowed_client_id: Annotated[
        str,
        Meta(
            description="Filters the list of OIDC providers to those that allow the "
            "given client ID in their set of allowed_client_ids."
        ),
    ] = ""


async def write_provider(ctx: OidcContext, _request: Request, fields: ProviderWrite) -> Response:
    changes: dict[str, object] = {}
    if not isinstance(fields.issuer, UnsetType):
        changes["issuer"] = valid_issuer(fields.issuer) if fields.issuer else ""
    if not isinstance(fields.allowed_client_ids, UnsetType):
        changes["allowed_client_ids"] = tuple(fields.allowed_client_ids)
    if not isinstance(fields.scopes_supported, UnsetType):
        for scope in fields.scopes_supported:
            if await ctx.store.scopes.get(scope) is None:
                raise BadRequest("scope does not exist")
        changes["scopes_supported"] = tuple(fields.scopes_supported)
    blank = Provider(name=fields.name)
    await ctx.store.providers.update(
        fields.name, lambda found: msgspec.structs.replace(found or blank, **changes)
    )
    return Response(warnings=[EXPLICIT_ISSUER_WARNING]) if changes.get("issuer") else NO_CONTENT


async def _provider(ctx: OidcContext, name: str) -> Provider:
    await ctx.ensure_provider_defaults()
    found = await ctx.store.providers.get(name)
    if found is None:
        raise NotFound
    return found


async def read_provider(ctx: OidcContext, request: Request, fields: Named) -> Response:
    found = await _provider(ctx, fields.name)
    return Response(data=render.provider(found, await ctx.provider_issuer(request, found)))


async def list_providers(ctx: OidcContext, request: Request, fields: ProviderList) -> Response:
    await ctx.ensure_provider_defaults()
    wanted = fields.allowed_client_id
    found = [p for p in await ctx.store.providers.all() if not wanted or p.allows(wanted)]
    if not found:
        raise NotFound
    info = {p.name: render.provider(p, await ctx.provider_issuer(request, p)) for p in found}
    return Response(data={"keys": [p.name for p in found], "key_info": info})


async def delete_provider(ctx: OidcContext, _request: Request, fields: Named) -> Response:
    if fields.name == DEFAULT_PROVIDER:
        raise BadRequest(f'deletion of OIDC provider "{DEFAULT_PROVIDER}" not allowed')
    await ctx.store.providers.delete(fields.name)
    return NO_CONTENT


async def discovery(ctx: OidcContext, request: Request, fields: Named) -> Response:
    found = await _provider(ctx, fields.name)
    issuer = await ctx.provider_issuer(request, found)
    base = found.issuer or (await ctx.store.config()).issuer or ctx.api_addr
    ui = f"{base}/ui/vault/{request.namespace}identity/oidc/provider/{found.name}"
    document = render.provider_discovery(issuer, ui, list(found.scopes_supported))
    return Response(data=document, raw=True)


async def provider_keys(ctx: OidcContext, _request: Request, fields: Named) -> Response:
    """The published keys of the keys of the clients the provider allows."""
    found = await _provider(ctx, fields.name)
    names = sorted({c.key for c in await ctx.store.clients.all() if found.allows(c.client_id)})
    now, published = ctx.now(), list[PublicKey]()
    for name in names:
        key = await ctx.store.keys.get(name)
        if key is not None:
            published += key.published(now)
    return Response(data=render.jwks(published), raw=True)
