"""How cert records look on the wire: Vault's certificate role, CRL and config read bodies
(api-docs/auth/cert "Read CA certificate role", "Read CRL", "Read TLS certificate config")."""

from __future__ import annotations

from typing import Any

from strongroom.auth.cert.models import CertRole, Config, Crl


def _listed(values: tuple[str, ...]) -> list[str] | None:
    return list(values) if values else None  # Go's nil slice: Vault shows null, not []


def role(entry: CertRole) -> dict[str, Any]:
    data: dict[str, Any] = {
        "allowed_common_names": _listed(entry.allowed_common_names),
        "allowed_dns_sans": _listed(entry.allowed_dns_sans),
        "allowed_email_sans": _listed(entry.allowed_email_sans),
        "allowed_metadata_extensions": _listed(entry.allowed_metadata_extensions),
        "allowed_names": _listed(entry.allowed_names),
        "allowed_organizational_units": _listed(entry.allowed_organizational_units),
        "allowed_uri_sans": _listed(entry.allowed_uri_sans),
        "certificate": entry.certificate,
        "display_name": entry.display_name,
        "ocsp_ca_certificates": entry.ocsp_ca_certificates,
        "ocsp_enabled": entry.ocsp_enabled,
        "ocsp_fail_open": entry.ocsp_fail_open,
        "ocsp_query_all_servers": entry.ocsp_query_all_servers,
        "ocsp_servers_override": _listed(entry.ocsp_servers_override),
        "required_extensions": _listed(entry.required_extensions),
        "token_bound_cidrs": list(entry.token_bound_cidrs),
        "token_explicit_max_ttl": entry.token_explicit_max_ttl,
        "token_max_ttl": entry.token_max_ttl,
        "token_no_default_policy": entry.token_no_default_policy,
        "token_num_uses": entry.token_num_uses,
        "token_period": entry.token_period,
        "token_policies": list(entry.token_policies),
        "token_strictly_bind_ip": False,
        "token_ttl": entry.token_ttl,
        "token_type": entry.token_type,
    }
    # The deprecated fields appear only when set, as in Vault.
    deprecated = {
        "bound_cidrs": list(entry.bound_cidrs),
        "max_ttl": entry.max_ttl,
        "period": entry.period,
        "policies": list(entry.policies),
        "ttl": entry.ttl,
    }
    data.update({k: v for k, v in deprecated.items() if v})
    return data


def crl(entry: Crl) -> dict[str, Any]:
    return {"serials": {serial: {} for serial in entry.serials}}


def config(entry: Config) -> dict[str, Any]:
    return {
        "disable_binding": entry.disable_binding,
        "enable_identity_alias_metadata": entry.enable_identity_alias_metadata,
        "ocsp_cache_size": entry.ocsp_cache_size,
    }
