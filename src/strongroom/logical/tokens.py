"""The token store's types and minting rules, for the `auth/token` handlers.

    TokenEntry, IssuedToken, TokenRequest     a token, a fresh one, and what a new one may be
    auth_block                                Vault's `auth` object of a new or renewed token
    check_parent, refuse_batch_limits         refusals Vault makes before any privilege check
    sanitise, sudo_required                   policy lists as Vault keeps them; its sudo error

The core mints (`core/token/issue.py`) with these very rules; the HTTP face of the token store
(`auth/token/`) applies the same ones to a request before it asks the core to mint.
"""

from strongroom.core.token.entry import IssuedToken, TokenEntry
from strongroom.core.token.issue import (
    TokenRequest,
    auth_block,
    check_parent,
    refuse_batch_limits,
    sanitise,
    sudo_required,
)

__all__ = [
    "IssuedToken",
    "TokenEntry",
    "TokenRequest",
    "auth_block",
    "check_parent",
    "refuse_batch_limits",
    "sanitise",
    "sudo_required",
]
