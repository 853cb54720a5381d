"""The system backend (`sys/`): seal, mounts, metrics — Vault's `sys/*` API."""
