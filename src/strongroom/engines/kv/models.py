"""What the KV engine stores behind the barrier: mount config and per-key version metadata.

Every record is a msgspec Struct encoded as JSON and sealed by the barrier like any other value.
Timestamps are seconds since the epoch from the injected clock; 0 means "not set", which renders
as Vault's empty string.
"""

from __future__ import annotations

import msgspec

DEFAULT_MAX_VERSIONS = 10  # Vault's default when neither the key nor the mount sets one


class Config(msgspec.Struct, frozen=True, kw_only=True):
    """The mount-wide settings of `<mount>/config` (0 means "Vault's default")."""

    max_versions: int = 0
    cas_required: bool = False
    delete_version_after: int = 0  # seconds


class VersionMeta(msgspec.Struct, frozen=True, kw_only=True):
    """One version of a key, as listed in its metadata."""

    created: float
    # When the version counts as deleted: set by a soft delete, or scheduled at write time from
    # `delete_version_after` (Vault stores the computed time too, so later config changes do not
    # move it). 0 = never.
    deletion: float = 0.0
    destroyed: bool = False

    def deleted(self, now: float) -> bool:
        return self.deletion != 0.0 and self.deletion <= now

    def readable(self, now: float) -> bool:
        return not self.destroyed and not self.deleted(now)


class KeyMeta(msgspec.Struct, frozen=True, kw_only=True):
    """Everything about one secret except its data; stored at `meta/<path>`.

    `id` names where the version blobs live (`ver/<id>/<n>`): a random name per lifetime of the
    key, so deleting the metadata and writing the path again never meets an old blob.
    """

    id: str
    created: float
    updated: float
    current: int = 0
    oldest: int = 0
    max_versions: int = 0
    cas_required: bool = False
    delete_version_after: int = 0
    custom_metadata: dict[str, str] | None = None
    versions: dict[int, VersionMeta] = {}

    def keep(self, config: Config) -> int:
        """How many versions survive a write: the key's setting, else the mount's, else 10."""
        return self.max_versions or config.max_versions or DEFAULT_MAX_VERSIONS

    def expiry(self, config: Config) -> int:
        """Seconds after which a new version counts as deleted (0 = never).

        Vault's kv-v2 docs: a key's `delete_version_after` cannot exceed the mount's, so when
        both are set the shorter one applies.
        """
        spans = [s for s in (self.delete_version_after, config.delete_version_after) if s]
        return min(spans, default=0)


CONFIG_DECODER = msgspec.json.Decoder(Config)
META_DECODER = msgspec.json.Decoder(KeyMeta)
encode = msgspec.json.Encoder().encode
