"""How LDAP records look on the wire (api-docs/auth/ldap "Read LDAP configuration", "Read
LDAP group", "Read LDAP user")."""

from __future__ import annotations

from typing import Any

import msgspec

from strongroom.auth.ldap.models import CONFIG_FIELDS, LdapConfig, Mapping
from strongroom.logical.token_fields import render_token_fields


def config(cfg: LdapConfig) -> dict[str, Any]:
    """Vault's ConfigEntry.PasswordlessMap plus the token fields: never `bindpass`."""
    shown = {k: v for k, v in msgspec.structs.asdict(cfg).items() if k in CONFIG_FIELDS}
    del shown["bindpass"]
    return {**shown, **render_token_fields(cfg)}


def group(entry: Mapping) -> dict[str, Any]:
    return {"policies": list(entry.policies)}


def user(entry: Mapping) -> dict[str, Any]:
    """Vault renders a user's groups as one comma-joined string, its policies as a list."""
    return {"groups": ",".join(entry.groups), "policies": list(entry.policies)}
