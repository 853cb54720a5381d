"""Audit layer, entry content: Vault's HMAC of secret values and its RFC 3339 timestamps.

Entries are plain dicts in Vault's shape (`audit/types.go`: `time`, `type`, `auth`, `request`,
`response`, `error`), built by the broker and encoded by `chain.link`; nothing here formats a
string of JSON by hand. A device's salt turns each secret into `hmac-sha256:<hex>`, exactly what
Vault's `salt.GetIdentifiedHMAC` writes and what `sys/audit-hash` returns, so an operator who
knows a value can find it in the log without the log ever holding it (DESIGN.md invariant 5).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from strongroom.secret import salted_hmac

__all__ = ["hash_structure", "hmac_value", "rfc3339"]

_HMAC_PREFIX = "hmac-sha256:"
# Leaves kept as they are: Vault hashes strings only (audit/hashstructure.go, hashWalker.Primitive)
# and writes times as strings, unhashed.
_KEPT = (bool, int, float, type(None), datetime, date)


def hmac_value(salt: bytes, value: str) -> str:
    """`"hmac-sha256:" + hex(HMAC-SHA256(salt, value))`, Vault's identified HMAC of `value`
    (UTF-8; a lone surrogate, which has no UTF-8 form, is hashed as its surrogatepass bytes)."""
    return _HMAC_PREFIX + salted_hmac(salt, value)


def hash_structure(
    salt: bytes,
    value: Any,  # noqa: ANN401 (JSON-like data of any shape, as Vault's interface{})
    *,
    skip: frozenset[str] = frozenset(),
) -> Any:  # noqa: ANN401 (the same shape back)
    """A copy of `value` with every string leaf replaced by `hmac_value(salt, leaf)`.

    Mappings keep their keys (Vault never hashes keys) and become dicts; lists and tuples become
    lists; booleans, numbers, None and datetimes are kept; `bytes` are hashed like strings (as
    Vault hashes a raw HTTP body). Like Vault's `hashWalker`, `skip` (e.g. a mount's
    `audit_non_hmac_request_keys`) applies to the nearest enclosing key at any depth: a string
    under a skipped key, directly or inside a list, stays raw, while a nested object under it
    hashes its own values unless their keys are skipped too.

    Raises TypeError (naming the type, never the value) for any other type, so an object that
    might hold a secret can never reach the log unhashed.
    """
    return _walk(salt, value, skip, raw=False)


def _walk(salt: bytes, value: Any, skip: frozenset[str], *, raw: bool) -> Any:  # noqa: ANN401
    if type(value) is dict:  # before the ABC check below, which costs more: the common case
        return {k: _walk(salt, v, skip, raw=k in skip) for k, v in value.items()}
    if isinstance(value, str):
        return value if raw else hmac_value(salt, value)
    if isinstance(value, _KEPT):
        return value
    if isinstance(value, Mapping):
        return {k: _walk(salt, v, skip, raw=k in skip) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_walk(salt, item, skip, raw=raw) for item in value]
    if isinstance(value, bytes | bytearray):
        return bytes(value) if raw else _HMAC_PREFIX + salted_hmac(salt, bytes(value))
    raise TypeError(f"cannot audit a value of type {type(value).__name__}")


def rfc3339(now: float) -> str:
    """Unix time `now` as UTC RFC 3339 with microseconds, e.g. `2024-05-01T12:00:00.000001Z`
    (Vault writes `time.RFC3339Nano` in UTC)."""
    stamp = datetime.fromtimestamp(now, tz=UTC).isoformat(timespec="microseconds")
    return stamp.removesuffix("+00:00") + "Z"
