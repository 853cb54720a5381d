"""Secret-bearing bytes with a masked `repr`, shared by every layer that holds key material,
and the salted HMAC that stands in for a secret wherever one must be stored or logged.

Modelled on `starlette.datastructures.Secret`: the value shows up in no `repr`, `str`, f-string,
log line or traceback, and is handed out only by an explicit `reveal()`. Equality is constant
time (DESIGN.md invariant 3) and there is no hash, so a `SecretBytes` cannot be used as a dict
key or set member whose hash would be a function of the secret.

CPython cannot wipe memory it has handed to `bytes`; dropping every reference (as `seal()` does)
is the most this class can promise.
"""

from __future__ import annotations

import hmac
import secrets
import string
from collections.abc import Iterable
from urllib.parse import quote

_BASE62 = string.ascii_letters + string.digits


def salted_hmac(salt: bytes, value: str | bytes) -> str:
    """Hex HMAC-SHA256 of `value` under `salt`: what storage keys and audit fields hold
    instead of a token or an ID (DESIGN.md invariant 3). A string is hashed as UTF-8, a lone
    surrogate (which has no UTF-8 form) as its surrogatepass bytes."""
    data = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    # hmac.digest is the one-shot C path: a fraction of hmac.new's cost, the same bytes.
    return hmac.digest(salt, data, "sha256").hex()


class SecretBytes:
    """Bytes that never print themselves."""

    __slots__ = ("_value",)
    # Unhashable on purpose: a hash of the value would be a (non-constant-time) function of it.
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, value: bytes) -> None:
        if not isinstance(value, bytes):
            raise TypeError("SecretBytes wraps bytes")
        self._value = value

    def reveal(self) -> bytes:
        """The secret itself; call it at the last moment, never to log or format it."""
        return self._value

    def __len__(self) -> int:
        return len(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SecretBytes):
            return NotImplemented
        return hmac.compare_digest(self._value, other._value)

    def __repr__(self) -> str:
        return "SecretBytes(***)"

    __str__ = __repr__


def masked_repr(struct: object, secret_fields: tuple[str, ...]) -> str:
    """A msgspec Struct's repr with the named fields shown as `***`: a record that holds a
    password (or a lease's engine data) may end up in a traceback or a debug line."""
    names: tuple[str, ...] = getattr(struct, "__struct_fields__", ())
    shown = (
        f"{name}=***" if name in secret_fields else f"{name}={getattr(struct, name)!r}"
        for name in names
    )
    return f"{type(struct).__name__}({', '.join(shown)})"


def random_base62(length: int) -> str:
    """`length` characters from [A-Za-z0-9], each from `secrets` (~5.95 bits apiece): token,
    lease and namespace ids."""
    return "".join(secrets.choice(_BASE62) for _ in range(length))


def scrubbed(message: str, hidden: Iterable[str]) -> str:
    """`message` with every secret in `hidden` (and its URL-quoted forms, as a connection URL
    would carry it) replaced by `[password]`: for errors from databases and brokers, which may
    quote the statement or URL that failed."""
    forms = {
        form for value in hidden if value for form in (value, quote(value, safe=""), quote(value))
    }
    for secret in sorted(forms, key=len, reverse=True):
        message = message.replace(secret, "[password]")
    return message.strip()
