"""What the Kubernetes method stores behind the barrier: its config and its roles
(api-docs/auth/kubernetes "Configure Method", "Create Role"). The reviewer JWT is stored (the
TokenReview call needs it) but never rendered: a read says only `token_reviewer_jwt_set`."""

from __future__ import annotations

from typing import Literal

import msgspec

from strongroom.logical.token_fields import TokenSettings
from strongroom.secret import masked_repr

AliasSource = Literal["serviceaccount_uid", "serviceaccount_name"]
DEFAULT_ISSUER = "kubernetes/serviceaccount"  # what legacy service-account tokens carry


class Config(msgspec.Struct, frozen=True, kw_only=True):
    kubernetes_host: str
    kubernetes_ca_cert: str = ""
    token_reviewer_jwt: str = ""
    pem_keys: tuple[str, ...] = ()
    issuer: str = ""
    disable_iss_validation: bool = True
    disable_local_ca_jwt: bool = False

    def __repr__(self) -> str:
        return masked_repr(self, ("token_reviewer_jwt",))


class Role(TokenSettings, frozen=True, kw_only=True):
    bound_service_account_names: tuple[str, ...] = ()
    bound_service_account_namespaces: tuple[str, ...] = ()
    audience: str = ""
    alias_name_source: AliasSource = "serviceaccount_uid"


CONFIG = msgspec.json.Decoder(Config)
ROLE = msgspec.json.Decoder(Role)
encode = msgspec.json.Encoder().encode
