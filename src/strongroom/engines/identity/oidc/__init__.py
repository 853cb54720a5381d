"""Vault's identity tokens (signed ID tokens for entities) as the `identity/oidc/` subtree of
the identity engine: keys, roles, tokens, introspection and the issuer's discovery and JWKS."""

from strongroom.engines.identity.oidc.context import OidcContext
from strongroom.engines.identity.oidc.directory import AliasFacts, EntityDirectory, EntityFacts
from strongroom.engines.identity.oidc.paths import OIDC_TABLE, OPEN_PATHS
from strongroom.engines.identity.oidc.store import OidcStore

__all__ = [
    "OIDC_TABLE",
    "OPEN_PATHS",
    "AliasFacts",
    "EntityDirectory",
    "EntityFacts",
    "OidcContext",
    "OidcStore",
]
