"""`backup/:name` and `restore(/:name)`: a key's plaintext backup out and in (Vault's transit
`path_backup.go`, `path_restore.go`).

DESIGN.md invariant 7: a backup needs both `exportable` and `allow_plaintext_backup` (as Vault).
"""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.transit import events
from strongroom.engines.transit.context import KeyName, TransitContext
from strongroom.engines.transit.models import (
    BACKUP_DECODER,
    KEY_TYPES,
    Backup,
    KeyPolicy,
    Stamp,
    encode,
)
from strongroom.engines.transit.store import Change
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, Request, Response

BACKUP_SYNOPSIS = "Backup the named key"
RESTORE_SYNOPSIS = "Restore the named key"
BACKUP_FORMAT = 1


class Restore(msgspec.Struct, frozen=True, kw_only=True):
    name: Annotated[
        str,
        Meta(
            description="If set, this will be the name of the restored key, instead of the "
            "name in the backup."
        ),
    ] = ""
    backup: Annotated[
        str,
        Meta(
            description="Backed up key data to be restored. This should be the output "
            "from the 'backup/' endpoint."
        ),
    ] = ""
    force: Annotated[
        bool,
        Meta(
            description="If set and a key by the given name exists, force the restore operation "
            "and override the key."
        ),
    ] = False


async def backup(t: TransitContext, _req: Request, fields: KeyName) -> Response:
    """A plaintext backup of every version (base64 JSON); records when it was taken."""
    now = t.now()

    async def mutate(policy: KeyPolicy | None) -> Change:
        if policy is None:
            raise BadRequest("key not found")
        if not policy.exportable:
            raise BadRequest("exporting is disallowed on the policy")
        if not policy.allow_plaintext_backup:
            raise BadRequest("plaintext backup is disallowed on the policy")
        if policy.state != "enabled":
            raise BadRequest(f"cannot back up a key that is {policy.state.replace('_', ' ')}")
        stamp = Stamp(now, policy.latest_version)
        new = msgspec.structs.replace(policy, backup_info=stamp)
        return Change(new, events=[events.backed_up(new)])

    ring = await t.store.update(fields.name, mutate)
    if ring is None:
        raise NotFound
    blob = encode(Backup(BACKUP_FORMAT, ring.policy))
    return Response({"backup": base64.b64encode(blob).decode()})


def _parsed_backup(text: str) -> KeyPolicy:
    try:
        found = BACKUP_DECODER.decode(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError, msgspec.DecodeError):
        raise BadRequest("invalid backup") from None
    policy = found.policy
    coherent = (
        found.format == BACKUP_FORMAT
        and policy.type in KEY_TYPES
        and policy.latest_version in policy.versions
        and (policy.derived or not policy.convergent_encryption)
    )
    if not coherent:
        raise BadRequest("invalid backup")
    return policy


async def restore(t: TransitContext, _req: Request, fields: Restore) -> Response:
    """Restore a backup, under its own name or `restore/:name`; `force` replaces a key."""
    text = fields.backup
    if not text:
        raise BadRequest("'backup' must be supplied")
    name = fields.name
    if "/" in name:
        raise BadRequest("key names cannot be paths")
    restored = _parsed_backup(text)
    name = name or restored.name
    force, now = fields.force, t.now()

    async def mutate(policy: KeyPolicy | None) -> Change:
        if policy is not None and not force:
            raise BadRequest(f'key "{name}" already exists')
        # A new id: this worker's nonce-budget blocks for any old key of this name are void.
        stamp = Stamp(now, restored.latest_version)
        new = msgspec.structs.replace(
            restored, id=secrets.token_hex(8), name=name, restore_info=stamp
        )
        return Change(new, events=[events.restored(new, replaced=policy is not None)])

    await t.store.update(name, mutate)
    return NO_CONTENT
