"""sys/audit, sys/audit-hash and sys/audit-signing-key: managing audit devices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import msgspec

from strongroom.audit import open_sink
from strongroom.core.audit_table import AuditDevice
from strongroom.core.mount_manager import normalise
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.errors import BadRequest
from strongroom.logical.fields import NoFields

if TYPE_CHECKING:
    from strongroom.core.core import Core

_TYPES = ("file", "socket", "syslog")

LIST_SYNOPSIS = "List the enabled audit devices."
DEVICE_SYNOPSIS = "Enable or disable audit devices."
HASH_SYNOPSIS = "The hash of the given string via the given audit backend."
SIGNING_KEY_SYNOPSIS = "The public keys that verify the audit log's signed checkpoints."
ROTATE_SYNOPSIS = "Rotate the key that signs the audit log's checkpoints."
CHECKPOINTS_SYNOPSIS = "The newest signed checkpoints of each audit device."

_Path = Annotated[str, msgspec.Meta(description="The name of the backend. Cannot be delimited.")]


class DevicePath(msgspec.Struct, frozen=True, kw_only=True):
    path: _Path


class DeviceEnable(msgspec.Struct, frozen=True, kw_only=True):
    path: _Path
    type: Annotated[str, msgspec.Meta(description="The type of the backend.")] = ""
    description: Annotated[
        str, msgspec.Meta(description="User-friendly description for this audit backend.")
    ] = ""
    options: Annotated[
        dict[str, str], msgspec.Meta(description="Configuration options for the audit backend.")
    ] = msgspec.field(default_factory=dict)
    local: Annotated[
        bool, msgspec.Meta(description="Mark the mount as a local mount (not replicated).")
    ] = False


class HashInput(msgspec.Struct, frozen=True, kw_only=True):
    path: _Path
    input: Annotated[str, msgspec.Meta(description="The input to hash.")] = ""


async def list_devices(core: Core, _req: Request, _f: NoFields) -> Response:
    devices = await core.audit_table.devices()
    return Response({d.path: d.describe() for d in devices}, top_level=True)


async def enable(core: Core, _req: Request, fields: DeviceEnable) -> Response:
    kind = fields.type
    if kind not in _TYPES:
        raise BadRequest("unknown backend type" if kind else "missing audit type")
    options = fields.options
    try:  # open it once here, so a bad path or address is a 400 now, not a dead device later
        sink = open_sink(kind, options, None)
    except (OSError, ValueError) as exc:
        raise BadRequest(f"audit device could not be opened: {type(exc).__name__}") from None
    await sink.close()
    device = AuditDevice(
        path=normalise(fields.path),
        type=kind,
        description=fields.description,
        options=options,
        local=fields.local,
    )
    await core.audit_table.enable(device)
    await core.sync_caches()
    await core.audit.log_event("audit-device-enabled", {"path": device.path, "type": kind})
    return NO_CONTENT


async def disable(core: Core, _req: Request, fields: DevicePath) -> Response:
    path = normalise(fields.path)
    await core.audit.log_event("audit-device-disabled", {"path": path})
    await core.audit_table.disable(path)
    await core.sync_caches()
    return NO_CONTENT


async def audit_hash(core: Core, _req: Request, fields: HashInput) -> Response:
    found = core.audit.hash(normalise(fields.path), fields.input)
    if found is None:
        raise BadRequest("unknown audit backend")
    return Response({"hash": found}, top_level=True)


async def signing_key(core: Core, _req: Request, _f: NoFields) -> Response:
    keys = await core.audit_table.signing_keys()
    listed = [
        {"key_id": k.key_id, "public_key": k.public_b64(), "created": k.created} for k in keys
    ]
    return Response(
        {"key_id": keys[-1].key_id, "public_key": keys[-1].public_b64(), "keys": listed}
    )


async def rotate_signing_key(core: Core, _req: Request, _f: NoFields) -> Response:
    await core.audit_table.rotate_signing_key(core.clock.now())
    await core.sync_caches()
    await core.audit.log_event("audit-signing-key-rotated", {})
    return NO_CONTENT


async def checkpoints(core: Core, _req: Request, _f: NoFields) -> Response:
    """The newest signed checkpoints per device, for an external system to anchor."""
    return Response({"checkpoints": await core.audit_table.checkpoints()})
