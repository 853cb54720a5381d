"""The identity secrets engine (Vault `identity`): entities, aliases and groups per namespace."""

from strongroom.engines.identity.backend import IdentityBackend, identity_entry
from strongroom.engines.identity.context import AuthMount
from strongroom.engines.identity.models import Resolved

__all__ = ["AuthMount", "IdentityBackend", "Resolved", "identity_entry"]
