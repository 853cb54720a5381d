"""How Kubernetes records look on the wire (api-docs/auth/kubernetes "Read Config", "Read
Role"). The reviewer JWT is never shown; `audience` appears only when set, as in OpenBao."""

from __future__ import annotations

from typing import Any

from strongroom.auth.kubernetes.models import Config, Role
from strongroom.logical.token_fields import render_token_fields


def config(entry: Config) -> dict[str, Any]:
    return {
        "disable_iss_validation": entry.disable_iss_validation,
        "disable_local_ca_jwt": entry.disable_local_ca_jwt,
        "issuer": entry.issuer,
        "kubernetes_ca_cert": entry.kubernetes_ca_cert,
        "kubernetes_host": entry.kubernetes_host,
        "pem_keys": list(entry.pem_keys),
        "token_reviewer_jwt_set": bool(entry.token_reviewer_jwt),
    }


def role(entry: Role) -> dict[str, Any]:
    data: dict[str, Any] = {
        "alias_name_source": entry.alias_name_source,
        "bound_service_account_names": list(entry.bound_service_account_names),
        "bound_service_account_namespace_selector": "",
        "bound_service_account_namespaces": list(entry.bound_service_account_namespaces),
        **render_token_fields(entry),
    }
    if entry.audience:
        data["audience"] = entry.audience
    return data
