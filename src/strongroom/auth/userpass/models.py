"""What the userpass method stores behind the barrier: one record per user (`user/<name>`, as
Vault's path_users.go), its password only as a salted scrypt hash (hashing.py). Field names
follow api-docs/auth/userpass "Create/Update user" and the common token fields."""

from __future__ import annotations

import msgspec

from strongroom.auth.userpass.hashing import PasswordHash
from strongroom.logical.token_fields import TokenSettings


class User(TokenSettings, frozen=True, kw_only=True):
    password: PasswordHash


USER = msgspec.json.Decoder(User)
encode = msgspec.json.Encoder().encode
