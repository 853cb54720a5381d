"""What the LDAP method stores behind the barrier (Vault's builtin/credential/ldap): the
`config` (sdk/helper/ldaputil ConfigEntry fields, plus the token fields), `group/<name>` and
`user/<name>` mappings to policies. `bindpass` is stored sealed like every value and never
rendered back."""

from __future__ import annotations

from typing import Literal

import msgspec

from strongroom.logical.token_fields import TokenSettings

TlsVersion = Literal["tls10", "tls11", "tls12", "tls13"]
DEFAULT_GROUP_FILTER = "(|(memberUid={{.Username}})(member={{.UserDN}})(uniqueMember={{.UserDN}}))"
DEFAULT_USER_FILTER = "({{.UserAttr}}={{.Username}})"


class LdapConfig(TokenSettings, frozen=True, kw_only=True):
    """Vault's defaults (ldaputil.ConfigFields)."""

    url: str = "ldap://127.0.0.1"
    userdn: str = ""
    userattr: str = "cn"
    userfilter: str = DEFAULT_USER_FILTER
    upndomain: str = ""
    binddn: str = ""
    bindpass: str = ""
    discoverdn: bool = False
    deny_null_bind: bool = True
    groupdn: str = ""
    groupfilter: str = DEFAULT_GROUP_FILTER
    groupattr: str = "cn"
    anonymous_group_search: bool = False
    certificate: str = ""
    insecure_tls: bool = False
    starttls: bool = False
    tls_min_version: TlsVersion = "tls12"
    tls_max_version: TlsVersion = "tls12"
    case_sensitive_names: bool = False
    username_as_alias: bool = False
    request_timeout: int = 90
    connection_timeout: int = 30

    def urls(self) -> list[str]:
        """Vault tries each comma-separated URL in order."""
        return [u.strip() for u in self.url.split(",") if u.strip()]

    def canonical(self, name: str) -> str:
        """A user or group name as mapped: lower-cased unless `case_sensitive_names`."""
        return name if self.case_sensitive_names else name.lower()


class Mapping(msgspec.Struct, frozen=True, kw_only=True):
    """A `group/<name>` (policies) or `user/<name>` (policies and extra groups) entry."""

    policies: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()


# The directory settings of the config, as against its token fields.
CONFIG_FIELDS = frozenset(f.name for f in msgspec.structs.fields(LdapConfig)) - frozenset(
    f.name for f in msgspec.structs.fields(TokenSettings)
)
CONFIG = msgspec.json.Decoder(LdapConfig)
MAPPING = msgspec.json.Decoder(Mapping)
encode = msgspec.json.Encoder().encode
