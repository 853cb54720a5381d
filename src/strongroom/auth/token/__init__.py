"""The token store's HTTP face, `auth/token/` (Vault's token_store.go paths)."""

from strongroom.auth.token.backend import TokenBackend
from strongroom.auth.token.context import TokenContext

__all__ = ["TokenBackend", "TokenContext"]
