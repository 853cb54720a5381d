"""The KV secrets engine (Vault `kv`, versions 1 and 2)."""

from strongroom.engines.kv.backend import KvBackend

__all__ = ["KvBackend"]
