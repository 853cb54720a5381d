"""What the AppRole method stores behind the barrier: roles, their indexes, secret-ID records.

Every record is a frozen msgspec Struct encoded as JSON and sealed by the barrier. Field names
follow Vault's role API (api-docs/auth/approle "Create/Update AppRole"); TTLs are whole seconds,
timestamps are seconds since the epoch from the injected clock, 0 meaning "never".

A secret ID itself is never stored: its record lives under the salted HMAC of its value
(`store.py`), and `hmac` repeats that key so a read can be checked with `compare_digest`.
"""

from __future__ import annotations

import msgspec

from strongroom.logical.tokenutil import TokenParams


class Role(TokenParams, frozen=True, kw_only=True):
    """One role (`role/<name>`). `key` is a random id naming the role's secret-ID folder, so a
    role deleted and created again never meets the secret IDs of its predecessor."""

    name: str
    key: str
    role_id: str
    bind_secret_id: bool = True
    secret_id_bound_cidrs: tuple[str, ...] = ()
    secret_id_num_uses: int = 0
    secret_id_ttl: int = 0
    local_secret_ids: bool = False

    def has_constraint(self) -> bool:
        """Vault refuses a role that neither binds a secret ID nor a CIDR list."""
        return self.bind_secret_id or bool(self.secret_id_bound_cidrs or self.token_bound_cidrs)


class RoleIdIndex(msgspec.Struct, frozen=True):
    """`role_id/<hmac>`: which role a role ID belongs to."""

    name: str


class SecretId(msgspec.Struct, frozen=True, kw_only=True):
    """One issued secret ID (`secret_id/<role key>/<hmac>`); never the value itself."""

    hmac: str
    accessor: str
    num_uses: int = 0  # uses left; 0 = unlimited
    ttl: int = 0
    creation_time: float
    expiration_time: float = 0.0  # 0 = never expires
    last_updated_time: float
    metadata: dict[str, str] = {}
    cidr_list: tuple[str, ...] = ()
    token_bound_cidrs: tuple[str, ...] = ()

    def expired(self, now: float) -> bool:
        return self.expiration_time != 0.0 and self.expiration_time <= now


class AccessorIndex(msgspec.Struct, frozen=True):
    """`accessor/<hmac>`: the secret ID an accessor names, and whose role it is."""

    role_key: str
    secret_hmac: str


class Lockout(msgspec.Struct, frozen=True, kw_only=True):
    """Log-in attempts of one (role ID, client address) pair (`lockout/<hmac>`), see lockout.py:
    the `failures` of the counting `window` (a random id, new at each reset) and the attempts
    `pending`, reserved and still being checked (when no node table counts them, lockout.py).
    The defaults let a counter written by an earlier release, which had other fields, decode as
    an empty one that is already stale."""

    window: str = ""
    failures: int = 0
    pending: int = 0
    last_attempt: float = 0.0


ROLE = msgspec.json.Decoder(Role)
ROLE_ID_INDEX = msgspec.json.Decoder(RoleIdIndex)
SECRET_ID = msgspec.json.Decoder(SecretId)
ACCESSOR_INDEX = msgspec.json.Decoder(AccessorIndex)
LOCKOUT = msgspec.json.Decoder(Lockout)
encode = msgspec.json.Encoder().encode
