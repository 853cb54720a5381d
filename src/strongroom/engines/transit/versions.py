"""Creating keys and key versions, and deciding when a key is due for rotation.

New material follows `keysutil.Policy.RotateInMemory`: AES-128 keys are 16 bytes, the other
symmetric keys 32, HMAC keys `key_size` bytes (default 32); every version also gets a random
32-byte HMAC key for `hmac/:name`, except HMAC keys, whose key *is* the HMAC key. RSA key
generation is slow, so it runs in a thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import secrets

import msgspec

from strongroom.engines.transit.crypto import asymmetric
from strongroom.engines.transit.crypto.aead import KEY_SIZES
from strongroom.engines.transit.models import (
    CONVERGENT_VERSION,
    SIGNING,
    KeyPolicy,
    KeyVersion,
)
from strongroom.errors import BadRequest


async def new_version(policy: KeyPolicy, now: float) -> KeyVersion:
    """Fresh material for the next version of `policy`."""
    convergent = CONVERGENT_VERSION if policy.convergent_encryption else 0
    if policy.type in SIGNING:
        stored = await asyncio.to_thread(asymmetric.generate, policy.type)
        public = asymmetric.load_private(policy.type, stored).public_key()
        return KeyVersion(
            created=now,
            key=stored,
            hmac_key=secrets.token_bytes(32),
            public_key=asymmetric.format_public(policy.type, public),
        )
    if policy.type == "hmac":
        return KeyVersion(created=now, key=secrets.token_bytes(policy.key_size or 32))
    return KeyVersion(
        created=now,
        key=secrets.token_bytes(KEY_SIZES[policy.type]),
        hmac_key=secrets.token_bytes(32),
        convergent_version=convergent,
    )


def with_version(policy: KeyPolicy, version: KeyVersion) -> KeyPolicy:
    """`policy` with `version` added as its new latest version."""
    number = policy.latest_version + 1
    return msgspec.structs.replace(
        policy, latest_version=number, versions={**policy.versions, number: version}
    )


async def rotated(policy: KeyPolicy, now: float) -> KeyPolicy:
    """`policy` with a freshly generated latest version. Raises BadRequest if not allowed."""
    if policy.imported and not policy.allow_rotation:
        raise BadRequest(f"imported key {policy.name} does not allow rotation within Vault")
    if policy.state != "enabled":
        raise BadRequest(f"cannot rotate a key that is {policy.state.replace('_', ' ')}")
    # Vault clears `imported` once the engine itself has rotated the key (Policy.Rotate).
    new = with_version(policy, await new_version(policy, now))
    return msgspec.structs.replace(new, imported=False)


def rotation_due(policy: KeyPolicy, now: float) -> bool:
    """Whether `auto_rotate_period` has elapsed since the latest version was created."""
    if policy.auto_rotate_period <= 0 or policy.state != "enabled" or not policy.versions:
        return False
    if policy.imported and not policy.allow_rotation:
        return False
    return now - policy.latest().created >= policy.auto_rotate_period
