"""Layer 4, the TLS certificate auth method (Vault `cert`): a client certificate, presented on
the TLS connection, exchanged for a token."""

from strongroom.auth.cert.backend import CertBackend

__all__ = ["CertBackend"]
