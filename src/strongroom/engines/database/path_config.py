"""database/config/:name, config/ (LIST) and reset/:name: connections to databases (Vault's
`path_config_connection.go`).

A write merges into the stored config (Vault's create/update split), checks the username
template, and, unless `verify_connection` is false, logs in before storing. Fields the engine
does not declare are the plugin's (connection_url, username, password, username_template, ...):
Vault hands them to the plugin, so the path takes arbitrary input and stores that remainder as
`connection_details`. A read never shows the password: `password` is dropped and a password
inside `connection_url` becomes `xxxxx` (Vault's url.Redacted; here also for key=value
connection strings).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlsplit, urlunsplit

import msgspec
from msgspec import Meta

from strongroom.engines.database.connections import open_plugin, plugin_spec
from strongroom.engines.database.context import (
    DatabaseContext,
    Listing,
    Named,
    kept,
    keys,
    statements,
)
from strongroom.engines.database.errors import DatabaseError
from strongroom.engines.database.models import DatabaseConfig
from strongroom.engines.database.store import CONFIG
from strongroom.engines.usernames import TemplateError, UsernameContext, render
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, UNSET, Request, Response, StringSlice, UnsetType

SYNOPSIS = "Configure connection details to a database plugin."
DESCRIPTION = (
    "This path configures the connection details used to connect to a particular database. "
    "Fields not listed here are passed to the plugin (connection_url, username, password, "
    "username_template, ...)."
)
RESET_SYNOPSIS = "Resets a database plugin."
_SECRET_DETAILS = ("password", "private_key", "service_account_json")
_KV_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)")
_UNTEMPLATED_URL_WARNING = (
    "Password found in connection_url, use a templated url to enable root rotation and "
    "prevent read access to password information."
)


class ConfigWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: Annotated[str, Meta(description="Name of this database connection")]
    plugin_name: Annotated[
        str | UnsetType,
        Meta(
            description="The name of a builtin or previously registered plugin known to "
            "vault. This endpoint will create an instance of that plugin type."
        ),
    ] = UNSET
    plugin_version: Annotated[str, Meta(description="The version of the plugin to use.")] = ""
    verify_connection: Annotated[
        bool | UnsetType,
        Meta(
            description="If true, the connection details are verified by actually "
            "connecting to the database. Defaults to true."
        ),
    ] = UNSET
    allowed_roles: Annotated[
        list[str] | UnsetType,
        Meta(
            description="A comma separated string or slice of roles allowed to get creds "
            'from this database connection. If empty no roles are allowed. If "*" all '
            "roles are allowed."
        ),
    ] = UNSET
    root_rotation_statements: Annotated[
        StringSlice | UnsetType,
        Meta(
            description="Specifies the database statements to be executed to rotate the "
            "root user's credentials. See the plugin's API page for more information on "
            "support and formatting for this parameter."
        ),
    ] = UNSET
    password_policy: Annotated[
        str | UnsetType, Meta(description="Password policy to use when generating passwords.")
    ] = UNSET
    skip_static_role_import_rotation: Annotated[
        bool,
        Meta(
            description="Accepted as Vault does; a static role here always rotates its "
            "password on creation."
        ),
    ] = False


def plugin_details(data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a config write that are the plugin's: all those the engine lacks."""
    return {k: v for k, v in data.items() if k not in ConfigWrite.__struct_fields__}


async def write(ctx: DatabaseContext, req: Request, fields: ConfigWrite) -> Response:
    db, name = ctx.db, fields.name
    found = await db.store.config(name)
    config = _merged(None if found is None else found.record, fields, plugin_details(req.data))
    _check_username_template(config)
    plugin = open_plugin(config)
    try:
        if config.verify_connection:
            await plugin.verify()
    except DatabaseError as exc:
        raise DatabaseError(f"error creating database object: {exc.public}") from None
    finally:
        await plugin.close()
    if not await db.store.write(CONFIG + name, config, 0 if found is None else found.version):
        raise BadRequest("the connection was changed concurrently; retry")
    await db.connections.drop(name)
    if _url_has_password(config):
        return Response(warnings=[_UNTEMPLATED_URL_WARNING])
    return NO_CONTENT


def _merged(
    old: DatabaseConfig | None, fields: ConfigWrite, details: dict[str, Any]
) -> DatabaseConfig:
    """The config after this write: given fields replace, absent ones keep (or default)."""
    base = old or DatabaseConfig(plugin_name="")
    plugin_name = kept(fields.plugin_name, base.plugin_name)
    if not plugin_name:
        raise BadRequest("empty plugin name")
    plugin_spec(plugin_name)
    if fields.plugin_version:
        raise BadRequest(
            f'database plugin "{plugin_name}", version {fields.plugin_version} not found'
        )
    rotate = fields.root_rotation_statements
    return DatabaseConfig(
        plugin_name=plugin_name,
        connection_details=details if old is None else {**old.connection_details, **details},
        allowed_roles=kept(fields.allowed_roles, base.allowed_roles),
        root_credentials_rotate_statements=(
            base.root_credentials_rotate_statements
            if isinstance(rotate, UnsetType)
            else statements(rotate)
        ),
        password_policy=kept(fields.password_policy, base.password_policy),
        verify_connection=kept(fields.verify_connection, base.verify_connection),
        # a password set by hand ends any interrupted rotation
        pending_root_password="" if "password" in details else base.pending_root_password,
    )


def _check_username_template(config: DatabaseConfig) -> None:
    template = config.connection_details.get("username_template") or ""
    if not isinstance(template, str):
        raise BadRequest('error converting input for field "username_template": expected string')
    if template:
        try:
            render(template, UsernameContext("", "", 0.0))
        except TemplateError as exc:
            raise BadRequest(
                f"error creating database object: invalid username template: {exc}"
            ) from None


async def read(ctx: DatabaseContext, _req: Request, fields: Named) -> Response:
    found = await ctx.db.store.config(fields.name)
    if found is None:
        raise NotFound
    config = found.record
    details = {k: v for k, v in config.connection_details.items() if k not in _SECRET_DETAILS}
    if isinstance(details.get("connection_url"), str):
        details["connection_url"] = redacted(details["connection_url"])
    return Response(
        {
            "allowed_roles": list(config.allowed_roles),
            "connection_details": details,
            "password_policy": config.password_policy,
            "plugin_name": config.plugin_name,
            "plugin_version": config.plugin_version,
            "root_credentials_rotate_statements": list(config.root_credentials_rotate_statements),
            "skip_static_role_import_rotation": False,
            "verify_connection": config.verify_connection,
        }
    )


async def delete(ctx: DatabaseContext, _req: Request, fields: Named) -> Response:
    await ctx.db.store.delete_config(fields.name)
    await ctx.db.connections.drop(fields.name)
    return NO_CONTENT


async def list_names(ctx: DatabaseContext, _req: Request, fields: Listing) -> Response:
    return keys(await ctx.db.store.config_names(*fields.window()))


async def exists(ctx: DatabaseContext, captures: Mapping[str, str]) -> bool:
    return await ctx.db.store.config(captures["name"]) is not None


async def reset(ctx: DatabaseContext, _req: Request, fields: Named) -> Response:
    """Close this worker's pool for the connection and open a fresh one from storage."""
    await ctx.db.connections.drop(fields.name)
    config, plugin = await ctx.db.plugin(fields.name)
    if config.verify_connection:
        await plugin.verify()
    return NO_CONTENT


def redacted(url: str) -> str:
    """`url` with any literal password replaced by `xxxxx` (templates are left as written)."""
    if "://" not in url:
        return _KV_PASSWORD.sub(lambda m: m.group(1) + "xxxxx", url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return "xxxxx"
    userinfo, at, host = parts.netloc.rpartition("@")
    user, colon, written = userinfo.partition(":")
    if not at or not colon or written == "{{password}}":
        return url
    return urlunsplit(parts._replace(netloc=f"{user}:xxxxx@{host}"))


def _url_has_password(config: DatabaseConfig) -> bool:
    url = config.connection_details.get("connection_url")
    return isinstance(url, str) and redacted(url) != url
