"""What the cert method stores behind the barrier: trusted certificate roles, CRLs, its config.

Every record is a frozen msgspec Struct encoded as JSON and sealed by the barrier. Field names
follow Vault's API (api-docs/auth/cert "Create CA certificate role", "Create CRL",
"Configure TLS certificate method"); TTLs are whole seconds.
"""

from __future__ import annotations

import msgspec

from strongroom.logical.token_fields import TokenSettings


class CertRole(TokenSettings, frozen=True, kw_only=True):
    """One trusted certificate (`cert/<name>`): a CA whose chains it accepts, or a leaf."""

    name: str
    certificate: str  # the PEM as written (Vault renders it back unchanged)
    display_name: str = ""
    allowed_names: tuple[str, ...] = ()
    allowed_common_names: tuple[str, ...] = ()
    allowed_dns_sans: tuple[str, ...] = ()
    allowed_email_sans: tuple[str, ...] = ()
    allowed_uri_sans: tuple[str, ...] = ()
    allowed_organizational_units: tuple[str, ...] = ()
    required_extensions: tuple[str, ...] = ()
    allowed_metadata_extensions: tuple[str, ...] = ()
    ocsp_enabled: bool = False
    ocsp_ca_certificates: str = ""
    ocsp_servers_override: tuple[str, ...] = ()
    ocsp_fail_open: bool = False
    ocsp_query_all_servers: bool = False
    # The method's own deprecated aliases, beside tokenutil's `policies` and `period`.
    ttl: int = 0  # of token_ttl (and `lease`, older still)
    max_ttl: int = 0  # of token_max_ttl
    bound_cidrs: tuple[str, ...] = ()  # of token_bound_cidrs


class Crl(msgspec.Struct, frozen=True, kw_only=True):
    """One CRL (`crls/<name>`): the serial numbers it revokes, as decimal strings (Vault keys
    its CRLs by serial alone), and the PEM it came from."""

    serials: tuple[str, ...] = ()


class Config(msgspec.Struct, frozen=True, kw_only=True):
    """The method's `config`."""

    disable_binding: bool = False
    enable_identity_alias_metadata: bool = False
    ocsp_cache_size: int = 0  # Vault shows 0 until set; the cache holds 100 then


ROLE = msgspec.json.Decoder(CertRole)
CRL = msgspec.json.Decoder(Crl)
CONFIG = msgspec.json.Decoder(Config)
encode = msgspec.json.Encoder().encode
