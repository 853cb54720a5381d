"""`identity/oidc/key/:name`, its LIST and `rotate` (api-docs/secret/identity/tokens
"Create a named key", "Read", "Delete", "List", "Rotate a named key")."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.identity.oidc import keyring, render, signing
from strongroom.engines.identity.oidc.context import DEFAULT_KEY, OidcContext
from strongroom.engines.identity.oidc.models import NamedKey
from strongroom.engines.identity.oidc.path_provider_objects import refuse_if_used
from strongroom.engines.identity.oidc.signing import ALGORITHMS
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import (
    DELETE,
    NO_CONTENT,
    UNCHANGED,
    UNSET,
    Duration,
    Request,
    Response,
    UnsetType,
)

SYNOPSIS = "CRUD operations for OIDC keys."
LIST_SYNOPSIS = "List OIDC keys"
ROTATE_SYNOPSIS = "Rotate a named OIDC key."
MINUTE = 60
Name = Annotated[str, Meta(description="Name of the key")]


class KeyWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: Name
    rotation_period: Annotated[
        Duration | UnsetType, Meta(description="How often to generate a new keypair.")
    ] = UNSET
    verification_ttl: Annotated[
        Duration | UnsetType,
        Meta(
            description="Controls how long the public portion of a key will be available "
            "for verification after being rotated."
        ),
    ] = UNSET
    algorithm: Annotated[
        str | UnsetType,
        Meta(description="Signing algorithm to use. This will default to RS256."),
    ] = UNSET
    allowed_client_ids: Annotated[
        list[str] | UnsetType,
        Meta(
            description="Comma separated string or array of role client ids allowed to use "
            'this key for signing. If empty no roles are allowed. If "*" all roles are '
            "allowed."
        ),
    ] = UNSET


class KeyRotate(msgspec.Struct, frozen=True, kw_only=True):
    name: Name
    verification_ttl: Annotated[
        Duration | UnsetType,
        Meta(
            description="Controls how long the public portion of a key will be available "
            "for verification after being rotated. Setting verification_ttl here will "
            "override the verification_ttl set on the key."
        ),
    ] = UNSET


class KeyName(msgspec.Struct, frozen=True, kw_only=True):
    name: Name


def _changed(key: NamedKey, fields: KeyWrite) -> NamedKey:
    sent = {
        name: value
        for name in ("rotation_period", "verification_ttl", "allowed_client_ids")
        if (value := getattr(fields, name)) is not UNSET
    }
    if "allowed_client_ids" in sent:
        sent["allowed_client_ids"] = tuple(sent["allowed_client_ids"])
    new = msgspec.structs.replace(key, **sent)
    if new.rotation_period < MINUTE:
        raise BadRequest("rotation_period must be at least one minute")
    if new.verification_ttl > 10 * new.rotation_period:
        raise BadRequest("verification_ttl cannot be longer than 10x rotation_period")
    return new


def _pair_needed(current: NamedKey | None, algorithm: str | UnsetType) -> str:
    """The algorithm of the fresh key pair a write makes ("" when it makes none)."""
    if current is None:
        return "RS256" if isinstance(algorithm, UnsetType) else algorithm
    if not isinstance(algorithm, UnsetType) and algorithm != current.algorithm:
        return algorithm
    return ""


async def write_key(ctx: OidcContext, _request: Request, fields: KeyWrite) -> Response:
    algorithm = fields.algorithm
    if algorithm is not UNSET and algorithm not in ALGORITHMS:
        raise BadRequest("unknown signing algorithm")
    await ctx.ensure_default()
    roles = await ctx.store.roles.all()
    current = await ctx.store.keys.get(fields.name)
    needed = _pair_needed(current, algorithm)
    supply = await ctx.supply(needed) if needed else signing.Supply()

    def mutate(found: NamedKey | None) -> NamedKey:
        now = ctx.now()
        new = _changed(found or NamedKey(name=fields.name), fields)
        longest = max((r.ttl for r in roles if r.key == fields.name), default=0)
        if found is not None and new.verification_ttl < longest:
            raise BadRequest(
                "unable to update key because it is currently referenced by one or more "
                f"roles with a token ttl greater than {new.verification_ttl} seconds"
            )
        if found is None:
            chosen = (
                new if algorithm is UNSET else msgspec.structs.replace(new, algorithm=algorithm)
            )
            return keyring.created(chosen, now, supply)
        if algorithm is not UNSET and algorithm != found.algorithm:
            return keyring.realgorithmed(new, algorithm, now, supply)
        return new

    await ctx.store.keys.update(fields.name, mutate)
    return NO_CONTENT


async def read_key(ctx: OidcContext, _request: Request, fields: KeyName) -> Response:
    await ctx.ensure_default()
    found = await ctx.store.keys.get(fields.name)
    if found is None:
        raise NotFound
    return Response(data=render.key(found))


async def list_keys(ctx: OidcContext, _request: Request, _fields: Any) -> Response:  # noqa: ANN401
    await ctx.ensure_default()
    names = await ctx.store.keys.names()
    if not names:
        raise NotFound
    return Response(data={"keys": names})


async def delete_key(ctx: OidcContext, _request: Request, fields: KeyName) -> Response:
    if fields.name == DEFAULT_KEY:
        raise BadRequest('deletion of key "default" not allowed')
    for by, records in (("roles", ctx.store.roles), ("clients", ctx.store.clients)):
        refuse_if_used("key", [r.name for r in await records.all() if r.key == fields.name], by)
    await ctx.store.keys.update(fields.name, lambda _found: DELETE)
    return NO_CONTENT


async def rotate_key(ctx: OidcContext, _request: Request, fields: KeyRotate) -> Response:
    ttl = None if isinstance(fields.verification_ttl, UnsetType) else fields.verification_ttl
    current = await ctx.store.keys.get(fields.name)
    supply = await ctx.supply(current.algorithm, 1) if current else signing.Supply()

    def mutate(found: NamedKey | None) -> Any:  # noqa: ANN401 - a View.update outcome
        if found is None:
            return UNCHANGED
        return keyring.rotated(found, ctx.now(), supply, ttl)

    if (await ctx.store.keys.update(fields.name, mutate)) is None:
        raise BadRequest("no named key found")
    return NO_CONTENT
