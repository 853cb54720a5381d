"""The composition root: settings in, a running `Core` out. Nothing else wires layers together."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.clock import SystemClock
from strongroom.config.settings import Settings
from strongroom.core.audit_table import AuditDevice
from strongroom.core.core import Core, Defaults
from strongroom.core.keeper import Keeper
from strongroom.engines.registry import catalogue
from strongroom.storage.factory import open_backend


async def build_core(settings: Settings, keeper: Keeper) -> Core:
    physical = await open_backend(settings.storage.kind, settings.storage.options)
    core = Core(
        physical=physical,
        keeper=keeper,
        clock=SystemClock(),
        backends=catalogue(),
        defaults=Defaults(
            default_lease_ttl=settings.default_lease_ttl,
            max_lease_ttl=settings.max_lease_ttl,
            storage_type=settings.storage.kind,
            api_address=settings.api_addr or _listener_url(settings),
            audit_devices=tuple(
                AuditDevice(
                    path=device.path,
                    type=device.type,
                    description=device.description,
                    options=dict(device.options),
                    local=device.local,
                    declared=True,
                )
                for device in settings.audit
            ),
        ),
    )
    await core.start()
    return core


def _listener_url(settings: Settings) -> str:
    """Vault's default api_addr: the listener's own address."""
    scheme = "https" if settings.listener.tls_enabled else "http"
    return f"{scheme}://{settings.listener.address}"


@dataclass(frozen=True, slots=True)
class DevCredentials:
    unseal_key: str
    root_token: str


async def dev_bootstrap(core: Core, root_token_id: str | None) -> DevCredentials:
    """Vault's `-dev`: initialise with one share, unseal, and mount `secret/` as KV v2."""
    import base64  # noqa: PLC0415 - only dev mode needs it

    keys, root = await core.initialize(1, 1, root_token_id)
    root_key = await core.seal.open(keys[0])
    await core.keeper.publish(root_key.reveal())
    await core.mount(
        "mounts", "secret/", "kv", description="key/value secret storage", options={"version": "2"}
    )
    return DevCredentials(base64.b64encode(keys[0]).decode(), root.token)
