"""The body of a key read (`GET keys/:name`), as Vault's `formatKeyPolicy` renders it.

Only versions from `min_decryption_version` up are shown (Vault archives the older ones out of
the policy's key map). Symmetric and HMAC versions show their creation time as Unix seconds;
asymmetric ones show `creation_time`, curve `name` and `public_key`. Our additions (`state`,
`deletion_date`, per-version `state`) are additive fields.
"""

from __future__ import annotations

from typing import Any

from strongroom.clock import rfc3339
from strongroom.engines.transit.crypto import asymmetric, kdf
from strongroom.engines.transit.keyring import Keyring
from strongroom.engines.transit.models import (
    DERIVATION,
    ENCRYPTION,
    SIGNING,
    KeyPolicy,
    KeyVersion,
    Stamp,
)


def key(ring: Keyring, context: bytes = b"") -> dict[str, Any]:
    policy = ring.policy
    body: dict[str, Any] = {
        "name": policy.name,
        "type": policy.type,
        "derived": policy.derived,
        "deletion_allowed": policy.deletion_allowed,
        "min_available_version": policy.min_available_version,
        "min_decryption_version": policy.min_decryption_version,
        "min_encryption_version": policy.min_encryption_version,
        "latest_version": policy.latest_version,
        "exportable": policy.exportable,
        "allow_plaintext_backup": policy.allow_plaintext_backup,
        "supports_encryption": policy.type in ENCRYPTION,
        "supports_decryption": policy.type in ENCRYPTION,
        "supports_signing": policy.type in SIGNING,
        "supports_derivation": policy.type in DERIVATION,
        "auto_rotate_period": policy.auto_rotate_period,
        "imported_key": policy.imported,
        "keys": _versions(policy, context),
        "state": policy.state,
    }
    if policy.key_size:
        body["key_size"] = policy.key_size
    if policy.imported:
        body["imported_key_allow_rotation"] = policy.allow_rotation
    if policy.state == "pending_deletion":
        body["deletion_date"] = rfc3339(policy.deletion_date)
    for field, stamp in (
        ("backup_info", policy.backup_info),
        ("restore_info", policy.restore_info),
    ):
        if stamp is not None:
            body[field] = _stamp(stamp)
    if policy.derived:
        body["kdf"] = policy.kdf
        body["convergent_encryption"] = policy.convergent_encryption
        if policy.convergent_encryption:
            body["convergent_encryption_version"] = policy.convergent_version
    return body


def _stamp(stamp: Stamp) -> dict[str, Any]:
    return {"time": rfc3339(stamp.time), "version": stamp.version}


def _versions(policy: KeyPolicy, context: bytes) -> dict[str, Any]:
    shown = {n: v for n, v in sorted(policy.versions.items()) if n >= policy.min_decryption_version}
    if policy.type not in SIGNING:
        return {str(n): int(v.created) for n, v in shown.items()}
    return {str(n): _asymmetric(policy, v, context) for n, v in shown.items()}


def _asymmetric(policy: KeyPolicy, version: KeyVersion, context: bytes) -> dict[str, Any]:
    public = version.public_key
    if policy.derived:
        # A derived Ed25519 key has a public key per context; without one there is none to show.
        public = ""
        if context and version.key:
            derived = kdf.derive_ed25519(version.key, context).public_key()
            public = asymmetric.format_public(policy.type, derived)
    return {
        "name": asymmetric.curve_name(policy.type),
        "public_key": public,
        "creation_time": rfc3339(version.created),
        "certificate_chain": "",
        "state": version.state,
    }
