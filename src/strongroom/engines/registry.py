"""The catalogue of mount types this build offers (Vault's builtin plugin catalogue):
secrets engines and auth methods by the type name `sys/mounts` and `sys/auth` accept."""

from __future__ import annotations

from strongroom.auth.approle import AppRoleBackend
from strongroom.auth.cert import CertBackend
from strongroom.auth.jwt import JwtBackend
from strongroom.auth.kubernetes import KubernetesBackend
from strongroom.auth.ldap import LdapBackend
from strongroom.auth.userpass import UserpassBackend
from strongroom.core.mounts import BackendType
from strongroom.engines.database import DatabaseBackend
from strongroom.engines.kv.backend import KvBackend
from strongroom.engines.pki import PkiBackend
from strongroom.engines.rabbitmq import RabbitMqBackend
from strongroom.engines.ssh import SshBackend
from strongroom.engines.transit import TransitBackend


def catalogue() -> dict[str, BackendType]:
    return {
        "kv": BackendType("mounts", KvBackend),
        # Vault's pre-0.8 name for KV v1: mounted under its own type name, served by KV.
        "generic": BackendType("mounts", KvBackend),
        "transit": BackendType("mounts", TransitBackend),
        "database": BackendType("mounts", DatabaseBackend),
        "rabbitmq": BackendType("mounts", RabbitMqBackend),
        "ssh": BackendType("mounts", SshBackend),
        "pki": BackendType("mounts", PkiBackend),
        "approle": BackendType("auth", AppRoleBackend),
        "cert": BackendType("auth", CertBackend),
        "userpass": BackendType("auth", UserpassBackend),
        "ldap": BackendType("auth", LdapBackend),
        # Vault's one JWT/OIDC plugin, registered under both its names.
        "jwt": BackendType("auth", JwtBackend),
        "oidc": BackendType("auth", JwtBackend),
        "kubernetes": BackendType("auth", KubernetesBackend),
    }
