"""The catalogue of mount types this build offers (Vault's builtin plugin catalogue)."""

from __future__ import annotations

from strongroom.core.mounts import BackendType
from strongroom.engines.kv.backend import KvBackend


def catalogue() -> dict[str, BackendType]:
    return {"kv": BackendType("mounts", KvBackend)}
