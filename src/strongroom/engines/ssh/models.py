"""The SSH engine's stored records (msgspec Structs, frozen), sealed by the barrier.

Layout below the mount's view:

    config/ca      Authority (the CA's private key lives only here; no path reads it back)
    config/zeroaddress  ZeroAddress: the OTP roles that serve any IP address
    roles/<name>   Role
    otp/<hash>     Otp, keyed by a hash of the one-time password, never the password itself
"""

from __future__ import annotations

import msgspec

from strongroom.secret import masked_repr

CA = "config/ca"
ZERO_ADDRESS = "config/zeroaddress"
ROLES = "roles/"
OTPS = "otp/"


class Authority(msgspec.Struct, frozen=True, kw_only=True):
    """The default issuer: OpenBao's `config/ca` writes one and makes it the default."""

    issuer_id: str
    issuer_name: str = ""
    private_key: str  # PEM (PKCS#8)
    public_key: str  # OpenSSH authorized_keys form, newline-terminated as Vault answers it

    def __repr__(self) -> str:
        return masked_repr(self, ("private_key",))


class Role(msgspec.Struct, frozen=True, kw_only=True):
    """`roles/:name`, as Vault's sshRole: a `ca` role signs keys, an `otp` role hands out
    one-time passwords for hosts in `cidr_list`."""

    key_type: str
    default_user: str = ""
    allowed_users: str = ""
    cidr_list: str = ""
    exclude_cidr_list: str = ""
    port: int = 22
    allowed_domains: str = ""
    allow_bare_domains: bool = False
    allow_subdomains: bool = False
    allow_user_certificates: bool = False
    allow_host_certificates: bool = False
    allow_user_key_ids: bool = False
    allow_empty_principals: bool = False
    allowed_critical_options: str = ""
    allowed_extensions: str = ""
    default_critical_options: dict[str, str] = msgspec.field(default_factory=dict)
    default_extensions: dict[str, str] = msgspec.field(default_factory=dict)
    allowed_user_key_lengths: dict[str, list[int]] = msgspec.field(default_factory=dict)
    key_id_format: str = ""
    algorithm_signer: str = "default"
    ttl: int = 0
    max_ttl: int = 0
    not_before_duration: int = 30


class Otp(msgspec.Struct, frozen=True, kw_only=True):
    username: str
    ip: str
    role_name: str


class ZeroAddress(msgspec.Struct, frozen=True, kw_only=True):
    roles: list[str]


AUTHORITY = msgspec.json.Decoder(Authority)
ROLE = msgspec.json.Decoder(Role)
OTP = msgspec.json.Decoder(Otp)
ZERO_ADDRESS_ROLES = msgspec.json.Decoder(ZeroAddress)


def encode(record: msgspec.Struct) -> bytes:
    return msgspec.json.encode(record)
