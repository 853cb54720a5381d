"""sys/audit, sys/audit-hash and sys/audit-signing-key: managing audit devices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from strongroom.audit import open_sink
from strongroom.core.audit_table import AuditDevice
from strongroom.core.fields import get_bool, get_str, get_str_map
from strongroom.core.mount_manager import normalise
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.errors import BadRequest

if TYPE_CHECKING:
    from strongroom.core.core import Core

_TYPES = ("file", "socket", "syslog")


async def list_devices(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    devices = await core.audit_table.devices()
    return Response({d.path: d.describe() for d in devices}, top_level=True)


async def enable(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    kind = get_str(req.data, "type")
    if kind not in _TYPES:
        raise BadRequest("unknown backend type" if kind else "missing audit type")
    options = get_str_map(req.data, "options")
    try:  # open it once here, so a bad path or address is a 400 now, not a dead device later
        sink = open_sink(kind, options, None)
    except (OSError, ValueError) as exc:
        raise BadRequest(f"audit device could not be opened: {type(exc).__name__}") from None
    await sink.close()
    device = AuditDevice(
        path=normalise(params["path"]),
        type=kind,
        description=get_str(req.data, "description"),
        options=options,
        local=get_bool(req.data, "local"),
    )
    await core.audit_table.enable(device)
    await core.sync_caches()
    await core.audit.log_event("audit-device-enabled", {"path": device.path, "type": kind})
    return NO_CONTENT


async def disable(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    path = normalise(params["path"])
    await core.audit.log_event("audit-device-disabled", {"path": path})
    await core.audit_table.disable(path)
    await core.sync_caches()
    return NO_CONTENT


async def audit_hash(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    found = core.audit.hash(normalise(params["path"]), get_str(req.data, "input"))
    if found is None:
        raise BadRequest("unknown audit backend")
    return Response({"hash": found}, top_level=True)


async def signing_key(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    keys = await core.audit_table.signing_keys()
    listed = [
        {"key_id": k.key_id, "public_key": k.public_b64(), "created": k.created} for k in keys
    ]
    return Response(
        {"key_id": keys[-1].key_id, "public_key": keys[-1].public_b64(), "keys": listed}
    )


async def rotate_signing_key(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    await core.audit_table.rotate_signing_key(core.clock.now())
    await core.sync_caches()
    await core.audit.log_event("audit-signing-key-rotated", {})
    return NO_CONTENT


async def checkpoints(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    """The newest signed checkpoints per device, for an external system to anchor."""
    return Response({"checkpoints": await core.audit_table.checkpoints()})
