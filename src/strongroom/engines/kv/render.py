"""Wire shapes of the KV v2 API: version metadata, key metadata and config, exactly as Vault.

Field names and formats follow Vault's kv-v2 API docs ("Read secret version", "Read secret
metadata", "Read KV engine configuration"); OpenBao answers the same shapes.
"""

from __future__ import annotations

from typing import Any

from strongroom.clock import rfc3339
from strongroom.config.durations import clamp_duration
from strongroom.engines.kv.models import Config, KeyMeta, VersionMeta


def timestamp(ts: float) -> str:
    """Vault renders an unset time as the empty string, never as null."""
    return rfc3339(ts) if ts else ""


def go_duration(seconds: int) -> str:
    """Go's `time.Duration.String()` for whole seconds: 5400 -> "1h30m0s", 0 -> "0s"."""
    hours, rest = divmod(clamp_duration(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"


def version(meta: KeyMeta, number: int) -> dict[str, Any]:
    """The `metadata` object of a data read, and the body of a data write."""
    entry = meta.versions[number]
    return {
        "created_time": timestamp(entry.created),
        "custom_metadata": meta.custom_metadata,
        "deletion_time": timestamp(entry.deletion),
        "destroyed": entry.destroyed,
        "version": number,
    }


def _listed(entry: VersionMeta) -> dict[str, Any]:
    return {
        "created_time": timestamp(entry.created),
        "deletion_time": timestamp(entry.deletion),
        "destroyed": entry.destroyed,
    }


def key_metadata(meta: KeyMeta) -> dict[str, Any]:
    """The body of `GET <mount>/metadata/:path`."""
    return {
        "cas_required": meta.cas_required,
        "created_time": timestamp(meta.created),
        "current_version": meta.current,
        "custom_metadata": meta.custom_metadata,
        "delete_version_after": go_duration(meta.delete_version_after),
        "max_versions": meta.max_versions,
        "oldest_version": meta.oldest,
        "updated_time": timestamp(meta.updated),
        "versions": {str(n): _listed(v) for n, v in sorted(meta.versions.items())},
    }


def config(cfg: Config) -> dict[str, Any]:
    """The body of `GET <mount>/config`."""
    return {
        "cas_required": cfg.cas_required,
        "delete_version_after": go_duration(cfg.delete_version_after),
        "max_versions": cfg.max_versions,
    }
