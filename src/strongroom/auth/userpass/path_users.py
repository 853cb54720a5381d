"""Userpass user paths: `users/`, `users/:username`, `users/:username/password`,
`users/:username/policies` (Vault's path_users.go, path_user_password.go,
path_user_policies.go; api-docs/auth/userpass).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.userpass import render
from strongroom.auth.userpass.context import (
    MISSING_USER,
    Username,
    UserpassContext,
    password_required,
    username,
)
from strongroom.auth.userpass.models import User
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import (
    DELETE,
    NO_CONTENT,
    UNCHANGED,
    UNSET,
    Request,
    Response,
    UnsetType,
    listing,
)
from strongroom.logical.listing import ListPage
from strongroom.logical.token_fields import TokenFieldsWrite, check_token_rules, token_field_changes

LIST_SYNOPSIS = "Manage users allowed to authenticate."
USER_SYNOPSIS = "Manage users allowed to authenticate."
PASSWORD_SYNOPSIS = "Reset user's password."  # noqa: S105 - help text, not a password
POLICIES_SYNOPSIS = "Update the policies associated with the username."
_PASSWORD = Meta(description="Password for this user.")


class UserOnly(msgspec.Struct, frozen=True, kw_only=True):
    username: Username


class UserWrite(TokenFieldsWrite, frozen=True, kw_only=True):
    username: Username
    password: Annotated[str, _PASSWORD] = ""


class PasswordWrite(msgspec.Struct, frozen=True, kw_only=True):
    username: Username
    password: Annotated[str, _PASSWORD] = ""


class PoliciesWrite(msgspec.Struct, frozen=True, kw_only=True):
    username: Username
    policies: Annotated[
        list[str] | UnsetType, Meta(description='Use "token_policies" instead.')
    ] = UNSET
    token_policies: Annotated[
        list[str] | UnsetType, Meta(description="Comma-separated list of policies")
    ] = UNSET


async def exists(ctx: UserpassContext, captures: Mapping[str, str]) -> bool:
    """Whether a write to `users/:username` updates (True) or creates the user."""
    return await ctx.store.user(username(captures["username"])) is not None


async def list_users(ctx: UserpassContext, _req: Request, fields: ListPage) -> Response:
    """Usernames, with OpenBao's `after`/`limit` paging; none is a 404 as in Vault."""
    return listing.keys(await ctx.store.usernames(*fields.bounds()))


async def read_user(ctx: UserpassContext, _req: Request, fields: UserOnly) -> Response:
    """Raises NotFound (a bare 404, as Vault) for a missing user."""
    found = await ctx.store.user(username(fields.username))
    if found is None:
        raise NotFound
    return Response(render.user(found))


async def write_user(ctx: UserpassContext, _req: Request, fields: UserWrite) -> Response:
    """Create the user (a password is required) or change the fields sent. The password is
    hashed once, before the write, so a retried write stores the same hash."""
    name = username(fields.username)
    changes, warnings = token_field_changes(fields)
    hashed = await ctx.hasher.hash(fields.password) if fields.password else None

    def written(found: User | None) -> User:
        if found is None:
            base = User(password=password_required(hashed))
        else:
            base = found if hashed is None else msgspec.structs.replace(found, password=hashed)
        updated = msgspec.structs.replace(base, **changes)
        check_token_rules(updated)
        return updated

    await ctx.store.update_user(name, written)
    return Response(warnings=warnings) if warnings else NO_CONTENT


async def delete_user(ctx: UserpassContext, _req: Request, fields: UserOnly) -> Response:
    """Deleting a user that does not exist is fine, as in Vault."""
    await ctx.store.update_user(
        username(fields.username), lambda found: UNCHANGED if found is None else DELETE
    )
    return NO_CONTENT


async def write_password(ctx: UserpassContext, _req: Request, fields: PasswordWrite) -> Response:
    """Raises BadRequest if no password is sent or the user does not exist (Vault: a 500)."""
    hashed = await ctx.hasher.hash(password_required(fields.password or None))
    name = username(fields.username)

    def rehashed(found: User | None) -> User:
        if found is None:
            raise BadRequest(MISSING_USER)
        return msgspec.structs.replace(found, password=hashed)

    await ctx.store.update_user(name, rehashed)
    return NO_CONTENT


async def write_policies(ctx: UserpassContext, _req: Request, fields: PoliciesWrite) -> Response:
    """Change the user's policies (`policies` is the deprecated alias, as on `users/:name`).
    Raises BadRequest if the user does not exist (Vault: a 500)."""
    tokens = TokenFieldsWrite(policies=fields.policies, token_policies=fields.token_policies)
    changes, _ = token_field_changes(tokens)
    name = username(fields.username)

    def changed(found: User | None) -> User:
        if found is None:
            raise BadRequest(MISSING_USER)
        return msgspec.structs.replace(found, **changes)

    await ctx.store.update_user(name, changed)
    return NO_CONTENT
