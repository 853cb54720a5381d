"""How a userpass user looks on the wire: Vault's read body (api-docs/auth/userpass "Read
user"): the token fields only, never anything of the password."""

from __future__ import annotations

from typing import Any

from strongroom.auth.userpass.models import User
from strongroom.logical.token_fields import render_token_fields


def user(entry: User) -> dict[str, Any]:
    return render_token_fields(entry)
