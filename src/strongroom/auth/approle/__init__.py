"""Layer 4, the AppRole auth method (Vault `approle`): role and secret IDs exchanged for tokens."""

from strongroom.auth.approle.backend import AppRoleBackend

__all__ = ["AppRoleBackend"]
