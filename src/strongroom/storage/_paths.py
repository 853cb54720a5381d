"""Input validation shared by every layer-1 backend, so all of them refuse the same things.

Backends call these before touching their store: a path that one backend accepts and another
rejects (PostgreSQL refuses NUL in text, SQLite would store it) would make the conformance
suite meaningless and let data written on one backend become unreadable after a migration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from strongroom.storage.interface import Check, Delete, Put

if TYPE_CHECKING:
    from collections.abc import Sequence

    from strongroom.storage.interface import Op


def _check_text(text: object, what: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"storage {what} must be a str")
    if "\x00" in text:
        raise ValueError(f"storage {what} must not contain NUL")
    try:
        # Lone surrogates are valid in a Python str but have no UTF-8 encoding, and the bytewise
        # ordering promise is defined on the UTF-8 encoding.
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"storage {what} must be valid UTF-8") from None
    return text


def check_path(path: object) -> str:
    """`path` if it is a valid storage path, else ValueError (TypeError for a non-str)."""
    text = _check_text(path, "path")
    if not text:
        raise ValueError("storage path must not be empty")
    if text.startswith("/"):
        raise ValueError("storage path must not start with '/'")
    return text


def check_prefix(prefix: object) -> str:
    """A list prefix follows the path rules except that it may be empty (the root)."""
    text = _check_text(prefix, "prefix")
    if text.startswith("/"):
        raise ValueError("storage prefix must not start with '/'")
    return text


def check_list_args(prefix: object, after: object, limit: object) -> None:
    check_prefix(prefix)
    if after is not None:
        _check_text(after, "after")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
        raise ValueError("storage list limit must be a non-negative int")


def check_value(value: object) -> bytes:
    if not isinstance(value, bytes):
        raise TypeError("storage value must be bytes")
    return value


def check_ops(ops: Sequence[Op]) -> tuple[Op, ...]:
    """Validate every op of a transaction up front, so a bad op never half-applies a batch."""
    checked: list[Op] = []
    for op in ops:
        if isinstance(op, Put):
            check_path(op.path)
            check_value(op.value)
        elif isinstance(op, Delete):
            check_path(op.path)
        elif isinstance(op, Check):
            check_path(op.path)
            if not isinstance(op.version, int) or isinstance(op.version, bool) or op.version < 0:
                raise ValueError("storage check version must be a non-negative int")
        else:
            raise TypeError("storage transaction ops must be Put, Delete or Check")
        checked.append(op)
    return tuple(checked)
