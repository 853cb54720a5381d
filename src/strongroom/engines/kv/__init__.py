"""The KV secrets engine (Vault `kv`, versions 1 and 2)."""
