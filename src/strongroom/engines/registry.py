"""The catalogue of mount types this build offers (Vault's builtin plugin catalogue):
secrets engines and auth methods by the type name `sys/mounts` and `sys/auth` accept."""

from __future__ import annotations

from strongroom.auth.approle import AppRoleBackend
from strongroom.auth.jwt import JwtBackend
from strongroom.auth.kubernetes import KubernetesBackend
from strongroom.core.mounts import BackendType
from strongroom.engines.database import DatabaseBackend
from strongroom.engines.kv.backend import KvBackend
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
        "approle": BackendType("auth", AppRoleBackend),
        # Vault's one JWT/OIDC plugin, registered under both its names.
        "jwt": BackendType("auth", JwtBackend),
        "oidc": BackendType("auth", JwtBackend),
        "kubernetes": BackendType("auth", KubernetesBackend),
    }
