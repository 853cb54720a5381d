"""The audit broker (DESIGN.md invariant 5): every request entry is written before the request
is routed, every response entry before it is answered, to every enabled device.

Fail-closed without Vault's single point of stall (Vault issue #5361): devices are written
concurrently, each under its own timeout; a request proceeds when at least one device took the
entry, a failing device is counted in the metrics and logged, and when every device fails the
request fails (500, no secret). With no device enabled nothing is audited, as in Vault.
Values are HMAC'd with each device's own salt unless the device sets `log_raw`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from strongroom.audit import ChainedSink, Signer, Sink, hash_structure, hmac_value, open_sink
from strongroom.clock import Clock, rfc3339
from strongroom.core.audit_table import AuditDevice, AuditTable
from strongroom.core.metrics import Metrics
from strongroom.core.mounts import Mounted
from strongroom.core.request import Request, Response
from strongroom.core.token.entry import TokenEntry
from strongroom.errors import InternalError

log = logging.getLogger("strongroom.audit")
WRITE_TIMEOUT = 2.0
_MAX_PENDING = 10_000
Builder = Callable[[AuditDevice], dict[str, Any]]


def _hmac(device: AuditDevice, value: str) -> str:
    if not value or device.options.get("log_raw") == "true":
        return value
    return _identifier_hmac(device.salt, value)


@functools.lru_cache(maxsize=4096)
def _identifier_hmac(salt: bytes, value: str) -> str:
    # Tokens and accessors repeat on every request of a client: HMAC each once per device.
    # (The token cache already holds these tokens in this process's memory.)
    return hmac_value(salt, value)


def _hashed(device: AuditDevice, value: Any) -> Any:  # noqa: ANN401 - JSON
    if value is None or device.options.get("log_raw") == "true":
        return value
    return hash_structure(device.salt, value)


def _auth(device: AuditDevice, caller: TokenEntry | None, token: str, now: float) -> dict[str, Any]:
    if caller is None:
        return {}
    accessor = caller.accessor
    if device.options.get("hmac_accessor", "true") != "false":
        accessor = _hmac(device, accessor)
    return {
        "client_token": _hmac(device, token),
        "accessor": accessor,
        "display_name": caller.display_name,
        "policies": list(caller.policies),
        "token_policies": list(caller.policies),
        "metadata": caller.meta,
        "entity_id": caller.entity_id,
        "token_type": caller.type,
        "token_ttl": caller.ttl_left(now),
        "token_issue_time": rfc3339(caller.creation_time),
    }


def _request(
    device: AuditDevice, request: Request, caller: TokenEntry | None, mounted: Mounted | None
) -> dict[str, Any]:
    accessor = caller.accessor if caller is not None else ""
    return {
        "id": request.id,
        "operation": request.operation.value,
        "mount_point": mounted.full_path if mounted else "",
        "mount_type": mounted.entry.type if mounted else "",
        "mount_accessor": mounted.entry.accessor if mounted else "",
        "client_token": _hmac(device, request.token or ""),
        "client_token_accessor": _hmac(device, accessor),
        "namespace": {"id": "root"} if not request.namespace else {"path": request.namespace},
        "path": request.path,
        "data": _hashed(device, dict(request.data)) if request.data else None,
        "remote_address": request.remote_addr,
    }


class _Unavailable:
    """An enabled device that could not be opened. Skipping it instead would, were it the only
    device, leave requests unaudited: it must count as a device that fails every write."""

    async def write(self, _entry: dict[str, Any]) -> None:
        raise OSError("audit device could not be opened")

    async def close(self) -> None:
        """Nothing was opened."""


class AuditBroker:
    def __init__(self, table: AuditTable, clock: Clock, metrics: Metrics) -> None:
        self._table = table
        self._clock = clock
        self._metrics = metrics
        self._sinks: dict[str, tuple[AuditDevice, Sink]] = {}
        self._loaded: tuple[tuple[AuditDevice, ...], str] | None = None
        self._pending: dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any]]] = {}
        self._published: dict[str, dict[str, Any]] = {}  # newest checkpoint recorded, per device

    @property
    def enabled(self) -> bool:
        return bool(self._sinks)

    async def reload(self) -> None:
        """(Re)open the sinks if the device table or the signing key changed."""
        devices = await self._table.devices()
        keys = await self._table.signing_keys() if devices else ()
        active = keys[-1].key_id if keys else ""
        if self._loaded == (devices, active):
            return
        await self.close()
        signer = None
        if keys:
            signer = Signer(active, Ed25519PrivateKey.from_private_bytes(keys[-1].private))
        for device in devices:
            try:
                sink = open_sink(device.type, device.options, signer, WRITE_TIMEOUT)
            except (OSError, ValueError):
                log.exception("audit device %s could not be opened", device.path)
                sink = _Unavailable()  # still enabled: it fails every write, so we fail closed
            self._sinks[device.path] = (device, sink)
        self._loaded = (devices, active)

    async def close(self) -> None:
        sinks, self._sinks, self._loaded = self._sinks, {}, None
        self._pending.clear()
        _identifier_hmac.cache_clear()  # it is keyed by raw tokens: gone with the seal
        for _device, sink in sinks.values():
            try:
                await sink.close()
            except OSError:
                log.warning("audit device failed to close cleanly")

    async def checkpoint(self) -> None:
        """Sign every device's chain tail now (the background round's "every T seconds"),
        so a quiet log does not leave its last entries unproven for long; then publish each
        device's newest checkpoint for sys/audit-checkpoints."""
        latest: dict[str, dict[str, Any]] = {}
        for device, sink in self._sinks.values():
            if not isinstance(sink, ChainedSink):
                continue
            try:
                async with asyncio.timeout(WRITE_TIMEOUT):
                    await sink.checkpoint()
            except (OSError, TimeoutError, ValueError):
                self._metrics.audit_failure(device.path)
                log.warning("audit device %s failed to write a checkpoint", device.path)
            newest = sink.chain.last_checkpoint
            if newest is not None and newest != self._published.get(device.path):
                latest[device.path] = newest
        if latest:
            await self._table.record_checkpoints(latest)
            self._published.update(latest)

    def hash(self, path: str, value: str) -> str | None:
        found = self._sinks.get(path)
        return None if found is None else hmac_value(found[0].salt, value)

    async def _emit(self, build: Builder) -> None:
        if not self._sinks:
            return
        if len(self._sinks) == 1:  # the common case: no gather, no extra task
            ((device, sink),) = self._sinks.values()
            accepted = await self._write(device, sink, build)
        else:
            results = await asyncio.gather(
                *(self._write(device, sink, build) for device, sink in self._sinks.values())
            )
            accepted = any(results)
        if not accepted:
            raise InternalError(detail="no audit device accepted the entry")

    async def _write(self, device: AuditDevice, sink: Sink, build: Builder) -> bool:
        try:
            if getattr(sink, "times_itself", False):
                # A file device bounds its own waits by WRITE_TIMEOUT (given at open) and never
                # suspends when there is nothing to wait for: no timer of ours to arm per entry.
                await sink.write(build(device))
            else:
                # a timer on this task: wait_for (Python 3.11) would start a task per entry
                async with asyncio.timeout(WRITE_TIMEOUT):
                    await sink.write(build(device))
        except (OSError, TimeoutError, ValueError):
            self._metrics.audit_failure(device.path)
            log.warning("audit device %s failed to write an entry", device.path)
            return False
        return True

    def _parts(
        self,
        device: AuditDevice,
        request: Request,
        caller: TokenEntry | None,
        mounted: Mounted | None,
        now: float,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The `auth` and `request` objects of a request's entries: HMAC'd once per device and
        shared by its request and response entries (HMACs are most of an entry's cost)."""
        key = (request.id, device.path)
        parts = self._pending.get(key)
        if parts is None:
            if len(self._pending) > _MAX_PENDING:  # requests that died without a response
                self._pending.clear()
            parts = (
                _auth(device, caller, request.token or "", now),
                _request(device, request, caller, mounted),
            )
            self._pending[key] = parts
        return parts

    async def log_request(
        self, request: Request, caller: TokenEntry | None, mounted: Mounted | None
    ) -> None:
        now = self._clock.now()

        def build(device: AuditDevice) -> dict[str, Any]:
            auth, logged = self._parts(device, request, caller, mounted, now)
            return {"time": rfc3339(now), "type": "request", "auth": auth, "request": logged}

        await self._emit(build)

    async def log_response(
        self,
        request: Request,
        caller: TokenEntry | None,
        mounted: Mounted | None,
        response: Response | None,
        error: str = "",
    ) -> None:
        now = self._clock.now()

        def build(device: AuditDevice) -> dict[str, Any]:
            auth, logged = self._parts(device, request, caller, mounted, now)
            self._pending.pop((request.id, device.path), None)
            entry: dict[str, Any] = {
                "time": rfc3339(now),
                "type": "response",
                "auth": auth,
                "request": logged,
                "response": _response(device, response, mounted),
            }
            if error:
                entry["error"] = error
            return entry

        await self._emit(build)

    async def log_event(self, kind: str, data: Mapping[str, Any]) -> None:
        """A non-request event (rotation, revocation by the expiry job, seal, device change).

        Event data is operator metadata (paths, counts, key terms), never a secret, so it is
        logged as it is; callers must not put secrets in it.
        """
        now = self._clock.now()

        def build(_device: AuditDevice) -> dict[str, Any]:
            return {
                "time": rfc3339(now),
                "type": "event",
                "event": {"kind": kind, "data": dict(data)},
            }

        await self._emit(build)


def _response(
    device: AuditDevice, response: Response | None, mounted: Mounted | None
) -> dict[str, Any]:
    if response is None:
        return {}
    body: dict[str, Any] = {
        "mount_point": mounted.full_path if mounted else "",
        "mount_type": mounted.entry.type if mounted else "",
    }
    if response.data is not None:
        elide = device.options.get("elide_list_responses") == "true" and "keys" in response.data
        data = dict(response.data)
        if elide:
            data["keys"] = len(data["keys"])
        body["data"] = _hashed(device, data)
    if response.auth is not None:
        auth = dict(response.auth)
        auth["client_token"] = _hmac(device, str(auth.get("client_token", "")))
        auth["accessor"] = _hmac(device, str(auth.get("accessor", "")))
        body["auth"] = auth
    if response.lease_id:  # Vault's `secret` block: the lease id is not a secret
        body["secret"] = {"lease_id": response.lease_id}
    if response.wrap_info is not None:
        info = dict(response.wrap_info)
        info["token"] = _hmac(device, str(info.get("token", "")))
        info["accessor"] = _hmac(device, str(info.get("accessor", "")))
        body["wrap_info"] = info
    return body
