"""The audit device table (`core/audit`) and the audit signing keys (`core/audit-signing`).

Devices are configuration, like mounts: the table sits behind the barrier (each device's HMAC
salt with it) and every change moves the configuration epoch, so every worker reopens its
sinks on its next request. The Ed25519 key that signs chain checkpoints lives behind the
barrier too; rotating it keeps the old public keys so old logs still verify.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Mapping
from typing import Any

import msgspec
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from strongroom.core.epoch import update_config
from strongroom.core.view import Store
from strongroom.errors import BadRequest

TABLE = "core/audit"
SIGNING = "core/audit-signing"
CHECKPOINTS = "core/audit-checkpoints"
KEPT_CHECKPOINTS = 32  # per device: enough for an anchoring job that polls now and then


class AuditDevice(msgspec.Struct, frozen=True, kw_only=True):
    path: str  # ends in "/"
    type: str
    description: str = ""
    options: dict[str, str] = msgspec.field(default_factory=dict)
    local: bool = False
    salt: bytes = b""
    declared: bool = False  # from the server's config file: kept in step with it, not the API

    def describe(self) -> dict[str, object]:
        return {
            "type": self.type,
            "description": self.description,
            "options": self.options,
            "local": self.local,
            "path": self.path,
        }


def _declared_view(devices: tuple[AuditDevice, ...]) -> list[tuple[str, str, str, object, bool]]:
    return sorted(
        (d.path, d.type, d.description, sorted(d.options.items()), d.local)
        for d in devices
        if d.declared
    )


class SigningKey(msgspec.Struct, frozen=True):
    key_id: str
    private: bytes  # raw Ed25519 seed
    created: float

    def public_b64(self) -> str:
        public = Ed25519PrivateKey.from_private_bytes(self.private).public_key()
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode()


_DEVICES = msgspec.json.Decoder(tuple[AuditDevice, ...])
_KEYS = msgspec.json.Decoder(tuple[SigningKey, ...])
_CHECKPOINTS = msgspec.json.Decoder(dict[str, list[dict[str, Any]]])


class AuditTable:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def devices(self) -> tuple[AuditDevice, ...]:
        blob = await self._store.get(TABLE)
        return () if blob is None else _DEVICES.decode(blob)

    async def _change(
        self, mutate: Callable[[tuple[AuditDevice, ...]], tuple[AuditDevice, ...]]
    ) -> None:
        def apply(blob: bytes | None) -> bytes:
            return msgspec.json.encode(mutate(() if blob is None else _DEVICES.decode(blob)))

        await update_config(self._store, TABLE, apply)

    async def enable(self, device: AuditDevice) -> None:
        def add(table: tuple[AuditDevice, ...]) -> tuple[AuditDevice, ...]:
            if any(d.path == device.path for d in table):
                raise BadRequest(f"path already in use: {device.path}")
            salted = msgspec.structs.replace(device, salt=secrets.token_bytes(32))
            return (*table, salted)

        await self._change(add)

    async def disable(self, path: str) -> None:
        def remove(table: tuple[AuditDevice, ...]) -> tuple[AuditDevice, ...]:
            if any(d.path == path and d.declared for d in table):
                raise BadRequest(f"{path} is declared in the configuration file; remove it there")
            return tuple(d for d in table if d.path != path)

        await self._change(remove)

    async def declare(self, wanted: tuple[AuditDevice, ...]) -> bool:
        """Make the declared devices exactly `wanted` (OpenBao's declarative audit devices):
        add the new, replace the changed (new salt), drop those no longer declared. A path
        taken by an API-enabled device is left alone and reported. Returns whether it changed."""
        current = await self.devices()
        if _declared_view(current) == _declared_view(wanted):
            return False

        def reconcile(table: tuple[AuditDevice, ...]) -> tuple[AuditDevice, ...]:
            kept = {d.path: d for d in table if d.declared}
            result = [d for d in table if not d.declared]
            taken = {d.path for d in result}
            for device in wanted:
                if device.path in taken:
                    raise BadRequest(f"audit path {device.path} is already enabled through the API")
                old = kept.get(device.path)
                if old is not None and _declared_view((old,)) == _declared_view((device,)):
                    result.append(old)  # unchanged: keep its salt, so old HMACs still compare
                else:
                    result.append(msgspec.structs.replace(device, salt=secrets.token_bytes(32)))
            return tuple(result)

        await self._change(reconcile)
        return True

    async def checkpoints(self) -> dict[str, list[dict[str, Any]]]:
        """The newest signed checkpoints per device path, oldest first."""
        blob = await self._store.get(CHECKPOINTS)
        return {} if blob is None else _CHECKPOINTS.decode(blob)

    async def record_checkpoints(self, latest: Mapping[str, dict[str, Any]]) -> None:
        """Add each device's newest checkpoint (as written by this process) to the record."""

        def merge(blob: bytes | None) -> bytes:
            kept = {} if blob is None else _CHECKPOINTS.decode(blob)
            for path, checkpoint in latest.items():
                known = kept.setdefault(path, [])
                if checkpoint not in known:
                    known.append(checkpoint)
                    known.sort(key=lambda c: (c["time"], c["seq"]))
                    del known[:-KEPT_CHECKPOINTS]
            return msgspec.json.encode(kept)

        await update_config(self._store, CHECKPOINTS, merge, epoch=False)

    async def signing_keys(self) -> tuple[SigningKey, ...]:
        """The signing keys, oldest first; created on first use."""
        blob = await self._store.get(SIGNING)
        if blob is not None:
            return _KEYS.decode(blob)
        return await self.rotate_signing_key(0.0)

    async def rotate_signing_key(self, now: float) -> tuple[SigningKey, ...]:
        def add_key(blob: bytes | None) -> bytes:
            keys = () if blob is None else _KEYS.decode(blob)
            seed = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
            return msgspec.json.encode((*keys, SigningKey(secrets.token_hex(8), seed, now)))

        return _KEYS.decode(await update_config(self._store, SIGNING, add_key))
