"""database/config/:name, reset/:name and rotate-root/:name: connections to databases.

A write merges into the stored config (Vault's create/update split), checks the username
template, and, unless `verify_connection` is false, logs in before storing. A read never shows
the password: `password` is dropped and a password inside `connection_url` becomes `xxxxx`
(Vault's url.Redacted; here also for key=value connection strings).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from strongroom.core.fields import get_bool, get_str, get_str_list
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.engines.database import root
from strongroom.engines.database.connections import open_plugin, plugin_spec
from strongroom.engines.database.errors import DatabaseError
from strongroom.engines.database.models import DatabaseConfig
from strongroom.engines.database.params import given, listing, statements
from strongroom.engines.database.service import Database
from strongroom.engines.database.store import CONFIG
from strongroom.engines.usernames import TemplateError, UsernameContext, render
from strongroom.errors import BadRequest, NotFound

# Request fields that are the engine's; every other field is stored for the plugin.
_ENGINE_FIELDS = frozenset(
    {
        "name",
        "plugin_name",
        "plugin_version",
        "allowed_roles",
        "verify_connection",
        "root_rotation_statements",
        "password_policy",
        "skip_static_role_import_rotation",
    }
)
_SECRET_DETAILS = ("password", "private_key", "service_account_json")
_KV_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)")
_UNTEMPLATED_URL_WARNING = (
    "Password found in connection_url, use a templated url to enable root rotation and "
    "prevent read access to password information."
)


async def write_config(db: Database, req: Request, params: Mapping[str, str]) -> Response:
    name = params["name"]
    found = await db.store.config(name)
    config = _merged(None if found is None else found.record, req.data)
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


def _merged(old: DatabaseConfig | None, data: Mapping[str, Any]) -> DatabaseConfig:
    """The config after this write: given fields replace, absent ones keep (or default)."""
    base = old or DatabaseConfig(plugin_name="")
    plugin_name = get_str(data, "plugin_name", base.plugin_name)
    if not plugin_name:
        raise BadRequest("empty plugin name")
    plugin_spec(plugin_name)
    version = get_str(data, "plugin_version")
    if version:
        raise BadRequest(f'database plugin "{plugin_name}", version {version} not found')
    raw = {k: v for k, v in data.items() if k not in _ENGINE_FIELDS}
    allowed = "allowed_roles"
    rotate = "root_rotation_statements"
    return DatabaseConfig(
        plugin_name=plugin_name,
        connection_details=raw if old is None else {**old.connection_details, **raw},
        allowed_roles=get_str_list(data, allowed) if given(data, allowed) else base.allowed_roles,
        root_credentials_rotate_statements=(
            statements(data, rotate)
            if given(data, rotate)
            else base.root_credentials_rotate_statements
        ),
        password_policy=get_str(data, "password_policy", base.password_policy),
        verify_connection=get_bool(data, "verify_connection", base.verify_connection),
        # a password set by hand ends any interrupted rotation
        pending_root_password="" if "password" in raw else base.pending_root_password,
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


async def read_config(db: Database, _req: Request, params: Mapping[str, str]) -> Response:
    found = await db.store.config(params["name"])
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


async def delete_config(db: Database, _req: Request, params: Mapping[str, str]) -> Response:
    await db.store.delete_config(params["name"])
    await db.connections.drop(params["name"])
    return NO_CONTENT


async def list_configs(db: Database, req: Request, _p: Mapping[str, str]) -> Response:
    names = await db.store.config_names(*listing(req.data))
    if not names:
        raise NotFound
    return Response({"keys": names})


async def reset_connection(db: Database, _req: Request, params: Mapping[str, str]) -> Response:
    """Close this worker's pool for the connection and open a fresh one from storage."""
    name = params["name"]
    await db.connections.drop(name)
    config, plugin = await db.plugin(name)
    if config.verify_connection:
        await plugin.verify()
    return NO_CONTENT


async def rotate_root(db: Database, _req: Request, params: Mapping[str, str]) -> Response:
    name = params["name"]
    config, plugin = await db.plugin(name)
    await root.rotate(db.store, name, await db.password_for(config), plugin)
    await db.connections.drop(name)  # its sessions logged in with the old password
    await db.emit("database-root-rotated", {"connection": name})
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
