"""The configuration layer's one exception, raised at boot before anything listens.

`ConfigError` is deliberately outside the `strongroom.errors` tree: that tree is what clients
see over HTTP, while a configuration error only ever reaches the operator's terminal. Its
message names the offending key and the file, never the value (STYLE.md habit 12), because
values include database passwords and TLS key paths.
"""

from __future__ import annotations

from pathlib import Path


class ConfigError(Exception):
    """The configuration cannot be used; `str(error)` is safe to print and to log."""

    @classmethod
    def unknown_key(cls, key: str, source: Path) -> ConfigError:
        return cls(f'unknown key "{key}" in {source}')

    @classmethod
    def missing_key(cls, key: str, source: Path) -> ConfigError:
        return cls(f'missing key "{key}" in {source}')

    @classmethod
    def invalid(cls, key: str, source: Path, expected: str) -> ConfigError:
        return cls(f'invalid value for "{key}" in {source}: expected {expected}')
