"""`export/:type/:name(/:version)`: key material out (Vault's transit `path_export.go`).

DESIGN.md invariant 7: private material leaves only for keys created or configured
`exportable` (`path_backup.py` also needs `allow_plaintext_backup`). Public keys export freely.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.transit import encoding, events
from strongroom.engines.transit.context import Name, TransitContext
from strongroom.engines.transit.crypto import asymmetric
from strongroom.engines.transit.keyring import Keyring
from strongroom.engines.transit.models import ENCRYPTION, RSA, SIGNING, SYMMETRIC
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import Request, Response

SYNOPSIS = "Export named encryption or signing key"
_EXPORT_TYPES = {"encryption-key", "signing-key", "hmac-key", "public-key"}
_FORMATS = {"", "raw", "der", "pem"}


class Export(msgspec.Struct, frozen=True, kw_only=True):
    type: Annotated[
        str,
        Meta(
            description="Type of key to export (encryption-key, signing-key, hmac-key, public-key)"
        ),
    ]
    name: Name
    version: Annotated[str, Meta(description="Version of the key")] = ""
    format: Annotated[
        str, Meta(description='Format of the key: "" or "raw" for symmetric keys, "der" or "pem"')
    ] = ""


def _version_number(ring: Keyring, text: str) -> int:
    if text == "latest":
        return ring.policy.latest_version
    try:
        number = int(text.removeprefix("v"))
    except ValueError:
        raise BadRequest("invalid key version") from None
    if number < ring.policy.min_decryption_version:
        raise BadRequest("version for export is below minimum decryption version")
    if number not in ring.policy.versions:
        raise BadRequest("version does not exist or cannot be found")
    return number


def _exported(ring: Keyring, version: int, kind: str, fmt: str) -> str:
    entry = ring.entry(version)
    if kind == "hmac-key" or (kind == "encryption-key" and ring.type in SYMMETRIC):
        if fmt not in {"", "raw"}:
            raise BadRequest("unknown format for this key; supported values are `` or `raw`")
        return encoding.b64encode(ring.hmac_key(version) if kind == "hmac-key" else entry.key)
    if ring.type not in SIGNING:
        raise BadRequest(f"unknown key type {ring.type} for export type {kind}")
    try:
        if kind == "public-key":
            return asymmetric.export_public(ring.type, ring.public_key(version, b""), fmt)
        if not entry.key:
            return ""  # a version imported with its public key only
        private = ring.private_key(version, b"")
        return asymmetric.export_private(ring.type, private, entry.key, fmt)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None


async def export(t: TransitContext, _req: Request, fields: Export) -> Response:
    kind, fmt = fields.type, fields.format
    if kind not in _EXPORT_TYPES:
        raise BadRequest("invalid export type")
    if fmt not in _FORMATS:
        raise BadRequest("invalid format")
    ring = await t.store.load(fields.name)
    if ring is None:
        raise NotFound
    ring.require_enabled()
    if not ring.policy.exportable and kind != "public-key":
        raise BadRequest("private key material is not exportable")
    if kind == "encryption-key" and ring.type not in ENCRYPTION:
        raise BadRequest("encryption not supported for the key")
    if kind in {"signing-key", "public-key"} and ring.type not in SIGNING:
        raise BadRequest("signing not supported for the key")
    if kind == "encryption-key" and ring.type in RSA and fmt == "raw":
        raise BadRequest("unknown key format for rsa key")
    wanted = fields.version
    policy = ring.policy
    numbers = (
        [_version_number(ring, wanted)]
        if wanted
        else [n for n in sorted(policy.versions) if n >= policy.min_decryption_version]
    )
    keys = {str(n): _exported(ring, n, kind, fmt) for n in numbers}
    await t.events.send([events.exported(policy, kind, numbers)])
    return Response({"name": policy.name, "type": policy.type, "keys": keys})
