"""Vault's PKI secrets engine (`pki`): issuers, keys, roles, issuance, revocation, CRLs, OCSP."""

from strongroom.engines.pki.backend import PkiBackend

__all__ = ["PkiBackend"]
