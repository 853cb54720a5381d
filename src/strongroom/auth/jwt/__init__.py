"""Layer 4, the JWT/OIDC auth method (Vault `jwt` and `oidc`): signed JWTs and the OIDC
authorization-code flow exchanged for tokens."""

from strongroom.auth.jwt.backend import JwtBackend

__all__ = ["JwtBackend"]
