"""Strongroom: a self-hosted, multi-tenant secrets and key management server (Vault v1 API)."""

__version__ = "0.1.0"
__all__ = ["__version__"]
