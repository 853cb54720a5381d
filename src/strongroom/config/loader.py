"""`load_config`: Vault-style `-config` files and directories merged into one `Settings`.

Files merge in the order given (a directory contributes its `*.hcl` and `*.json` files in
lexical order) with the rules of Vault's `Config.Merge` (command/server/config.go and
internalshared/configutil/merge.go), so a config split for Vault behaves the same here:

- `listener` blocks accumulate across files; we serve the first `tcp` one.
- `api_addr` and `log_level`: the last file that sets them wins.
- `ui` and `disable_mlock`: true if any file sets them true (Vault ORs booleans).
- `default_lease_ttl` and `max_lease_ttl`: the largest value any file sets (Vault takes the
  maximum), 768h if none does.
- `storage` may appear once overall. Vault lets a later file replace it silently; we refuse,
  because a forgotten `storage` stanza in a drop-in file would point the server at an empty
  store that then asks to be initialised again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from strongroom.config.errors import ConfigError
from strongroom.config.schema import Fragment, parse_fragment
from strongroom.config.settings import DEFAULT_LEASE_TTL, Settings
from strongroom.config.sources import expand_paths, read_document

__all__ = ["load_config", "merge"]

T = TypeVar("T")


def load_config(paths: Sequence[Path]) -> Settings:
    """Settings from the files and directories in `paths`.

    Raises ConfigError if a file cannot be read or parsed, sets an unknown key or a value of
    the wrong type, or if the merged whole lacks a storage block or a tcp listener."""
    files = expand_paths(paths)
    return merge([parse_fragment(read_document(path), path) for path in files])


def merge(fragments: Sequence[Fragment]) -> Settings:
    """One `Settings` from per-file fragments, in order (rules in the module docstring)."""
    where = ", ".join(str(f.source) for f in fragments)
    storages = [(f.source, f.storage) for f in fragments if f.storage is not None]
    if not storages:
        raise ConfigError(f'no "storage" block in {where}')
    if len(storages) > 1:
        (first, _), (second, _) = storages[:2]
        raise ConfigError(f'"storage" is set twice: in {first} and in {second}')
    listeners = [listener for f in fragments for listener in f.listeners]
    if not listeners:
        raise ConfigError(f'no "listener" block in {where}')
    audit = [device for f in fragments for device in f.audit]
    paths = [device.path for device in audit]
    if len(set(paths)) != len(paths):
        clash = next(p for p in paths if paths.count(p) > 1)
        raise ConfigError(f'audit device path "{clash}" is declared twice in {where}')
    default_ttl = _largest(f.default_lease_ttl for f in fragments)
    max_ttl = _largest(f.max_lease_ttl for f in fragments)
    if default_ttl > max_ttl:
        raise ConfigError(f'"default_lease_ttl" is longer than "max_lease_ttl" in {where}')
    return Settings(
        storage=storages[0][1],
        listener=listeners[0],
        api_addr=_last(f.api_addr for f in fragments),
        default_lease_ttl=default_ttl,
        max_lease_ttl=max_ttl,
        log_level=_last(f.log_level for f in fragments) or "info",
        ui=any(f.ui for f in fragments),
        disable_mlock=any(f.disable_mlock for f in fragments),
        audit=tuple(audit),
    )


def _largest(values: Iterable[int | None]) -> int:
    present = [v for v in values if v is not None]
    return max(present) if present else DEFAULT_LEASE_TTL


def _last(values: Iterable[T | None]) -> T | None:
    present = [v for v in values if v is not None]
    return present[-1] if present else None
