"""The PKI engine's stored records (msgspec Structs, frozen), named as Vault's `pki` storage.

Private keys are PKCS#8 PEM inside `KeyEntry`; like every value of the mount they are sealed by
the barrier, and they leave only when a caller asked for an `exported` type at creation.
"""

from __future__ import annotations

from typing import Any

import msgspec

ALL_USAGES = ("crl-signing", "issuing-certificates", "ocsp-signing", "read-only")


class KeyEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str = ""
    type: str  # rsa | ec | ed25519
    private_key: str  # PKCS#8 PEM


class IssuerEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str = ""
    key_id: str = ""  # "" when the mount holds no key for it (an imported parent)
    certificate: str  # PEM
    serial_number: str
    manual_chain: list[str] | None = None
    usage: list[str] = msgspec.field(default_factory=lambda: list(ALL_USAGES))
    leaf_not_after_behavior: str = "err"
    revocation_signature_algorithm: str = ""
    revoked: bool = False
    revocation_time: float = 0.0
    issuing_certificates: list[str] = msgspec.field(default_factory=list)
    crl_distribution_points: list[str] = msgspec.field(default_factory=list)
    delta_crl_distribution_points: list[str] = msgspec.field(default_factory=list)
    ocsp_servers: list[str] = msgspec.field(default_factory=list)
    enable_aia_url_templating: bool = False


class IssuersConfig(msgspec.Struct, frozen=True, kw_only=True):
    default: str = ""
    default_follows_latest_issuer: bool = False


class KeysConfig(msgspec.Struct, frozen=True, kw_only=True):
    default: str = ""


class CertEntry(msgspec.Struct, frozen=True, kw_only=True):
    """An issued certificate (`certs/<serial>`), with its revocation once revoked."""

    certificate: str  # PEM
    issuer_id: str = ""
    not_after: float = 0.0
    revocation_time: float = 0.0


class CrlEntry(msgspec.Struct, frozen=True, kw_only=True):
    """An issuer's last built CRL: its number, DER, when it was built and when it lapses."""

    number: int = 0
    der: bytes = b""
    built: float = 0.0
    next_update: float = 0.0
    delta_number: int = 0
    delta_der: bytes = b""
    delta_built: float = 0.0
    delta_revocations: int = 0  # revocations already in the delta


class UrlsConfig(msgspec.Struct, frozen=True, kw_only=True):
    issuing_certificates: list[str] = msgspec.field(default_factory=list)
    crl_distribution_points: list[str] = msgspec.field(default_factory=list)
    delta_crl_distribution_points: list[str] = msgspec.field(default_factory=list)
    ocsp_servers: list[str] = msgspec.field(default_factory=list)
    enable_templating: bool = False


class CrlConfig(msgspec.Struct, frozen=True, kw_only=True):
    expiry: int = 72 * 3600
    disable: bool = False
    ocsp_disable: bool = False
    ocsp_expiry: int = 12 * 3600
    auto_rebuild: bool = False
    auto_rebuild_grace_period: int = 12 * 3600
    enable_delta: bool = False
    delta_rebuild_interval: int = 15 * 60
    allow_expired_cert_revocation: bool = False


class TidyConfig(msgspec.Struct, frozen=True, kw_only=True):
    """What a tidy run does; `config/auto-tidy` adds `enabled` and `interval_duration`."""

    enabled: bool = False
    interval_duration: int = 12 * 3600
    tidy_cert_store: bool = False
    tidy_revoked_certs: bool = False
    tidy_revoked_cert_issuer_associations: bool = False
    tidy_expired_issuers: bool = False
    safety_buffer: int = 72 * 3600
    issuer_safety_buffer: int = 365 * 24 * 3600
    pause_duration: str = "0s"
    # Accepted and shown as OpenBao does; ACME, legacy bundles and count metrics are out of
    # this engine's scope, so these change nothing.
    tidy_revocation_list: bool = False
    tidy_invalid_certs: bool = False
    tidy_move_legacy_ca_bundle: bool = False
    tidy_acme: bool = False
    acme_account_safety_buffer: int = 30 * 24 * 3600
    revoked_safety_buffer: int = 72 * 3600
    page_size: int = 1000
    maintain_stored_certificate_counts: bool = False
    publish_stored_certificate_count_metrics: bool = False
    last_run: float = 0.0


class TidyStatus(msgspec.Struct, frozen=True, kw_only=True):
    state: str = "Inactive"
    started: float = 0.0
    finished: float = 0.0
    cert_store_deleted_count: int = 0
    revoked_cert_deleted_count: int = 0
    issuers_deleted_count: int = 0
    settings: TidyConfig | None = None
    current_cert_store_count: int = 0
    current_revoked_cert_count: int = 0


class Role(msgspec.Struct, frozen=True, kw_only=True):
    """`roles/:name`, with Vault's defaults (api-docs/secret/pki#create-update-role)."""

    ttl: int = 0
    max_ttl: int = 0
    allow_localhost: bool = True
    allowed_domains: list[str] = msgspec.field(default_factory=list)
    allowed_domains_template: bool = False
    allow_bare_domains: bool = False
    allow_subdomains: bool = False
    allow_glob_domains: bool = False
    allow_wildcard_certificates: bool = True
    allow_any_name: bool = False
    enforce_hostnames: bool = True
    allow_ip_sans: bool = True
    allowed_ip_sans_cidr: list[str] = msgspec.field(default_factory=list)
    allowed_uri_sans: list[str] = msgspec.field(default_factory=list)
    allowed_uri_sans_template: bool = False
    allowed_other_sans: list[str] = msgspec.field(default_factory=list)
    allowed_serial_numbers: list[str] = msgspec.field(default_factory=list)
    allowed_user_ids: list[str] = msgspec.field(default_factory=list)
    server_flag: bool = True
    client_flag: bool = True
    code_signing_flag: bool = False
    email_protection_flag: bool = False
    key_type: str = "rsa"
    key_bits: int = 2048
    signature_bits: int = 0
    use_pss: bool = False
    key_usage: list[str] = msgspec.field(
        default_factory=lambda: ["DigitalSignature", "KeyAgreement", "KeyEncipherment"]
    )
    ext_key_usage: list[str] = msgspec.field(default_factory=list)
    ext_key_usage_oids: list[str] = msgspec.field(default_factory=list)
    use_csr_common_name: bool = True
    use_csr_sans: bool = True
    ou: list[str] = msgspec.field(default_factory=list)
    organization: list[str] = msgspec.field(default_factory=list)
    country: list[str] = msgspec.field(default_factory=list)
    locality: list[str] = msgspec.field(default_factory=list)
    province: list[str] = msgspec.field(default_factory=list)
    street_address: list[str] = msgspec.field(default_factory=list)
    postal_code: list[str] = msgspec.field(default_factory=list)
    generate_lease: bool = False
    no_store: bool = False
    require_cn: bool = True
    cn_validations: list[str] = msgspec.field(default_factory=lambda: ["email", "hostname"])
    policy_identifiers: list[str] = msgspec.field(default_factory=list)
    basic_constraints_valid_for_non_ca: bool = False
    not_before_duration: int = 30
    not_after: str = ""
    issuer_ref: str = "default"
    allow_token_displayname: bool = False
    allow_globs_in_identity_templates: bool = False
    not_after_bound: str = "permit"
    not_before: str = ""
    not_before_bound: str = "permit"


def encode(value: Any) -> bytes:  # noqa: ANN401 - any Struct
    return msgspec.json.encode(value)
