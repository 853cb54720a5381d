"""The transit engine's storage layout, its per-worker key cache, and its one write primitive.

Layout below the mount's view (the barrier seals every value):

    policy/<name>          KeyPolicy, every live version's material (LIST walks this tree)
    counter/<name>/<v>     encryptions reserved for AES-GCM version v (`budget.py`)
    wrapping-key           the mount's RSA-4096 BYOK wrapping key, PKCS#8 DER
    config/keys            KeysConfig
    config/cache           CacheConfig

Every change to a key is one transaction guarded by a Check on the storage version of its
policy record, so concurrent writers (workers, nodes, the rotation scheduler) serialise there and
a loser re-reads and re-decides; the events a Change carries are emitted once it has committed.

Reads go through a per-worker cache of parsed keys keyed by that same storage version: a request
costs one version read (no decryption, no decoding) while the key is unchanged, and the first
request after any change (another worker's rotation, a config write, a delete) reads the new
record, so nothing is ever served from a stale copy.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from strongroom.engines.transit.events import Event, Events
from strongroom.engines.transit.keyring import Keyring
from strongroom.engines.transit.models import (
    CACHE_CONFIG_DECODER,
    KEYS_CONFIG_DECODER,
    POLICY_DECODER,
    CacheConfig,
    KeyPolicy,
    KeysConfig,
    encode,
)
from strongroom.logical import DELETE, UNCHANGED, Verdict, View, Write
from strongroom.storage.interface import Op

POLICY = "policy/"
COUNTER = "counter/"
WRAPPING_KEY = "wrapping-key"
KEYS_CONFIG = "config/keys"
CACHE_CONFIG = "config/cache"


@dataclass(frozen=True, slots=True)
class Change:
    """What a mutation wants written: the new policy (None deletes the key) plus extra ops,
    and the events that report it (emitted only if this Change commits)."""

    policy: KeyPolicy | None
    ops: Sequence[Op] = ()
    events: Sequence[Event] = ()


Mutation = Callable[[KeyPolicy | None], Awaitable[Change | None]]


def counter_path(name: str, version: int) -> str:
    return f"{COUNTER}{name}/{version}"


class TransitStore:
    """Keys of one transit mount, with an LRU of parsed keyrings (`cache-config` sizes it)."""

    def __init__(self, view: View, events: Events) -> None:
        self.view = view
        self.events = events
        self._cache: OrderedDict[str, Keyring] = OrderedDict()
        self._cache_size: int | None = None  # read from storage on first use

    async def exists(self, name: str) -> bool:
        return await self.view.version(POLICY + name) != 0

    async def load(self, name: str) -> Keyring | None:
        """The key as stored now: the parsed copy while its storage version holds, else read."""
        cached = self._cache.get(name)
        if cached is not None and await self.view.version(POLICY + name) == cached.storage_version:
            self._cache.move_to_end(name)
            return cached
        entry = await self.view.get_entry(POLICY + name)
        if entry is None:
            self._cache.pop(name, None)
            return None
        ring = Keyring(POLICY_DECODER.decode(entry.value), entry.version)
        await self._remember(name, ring)
        return ring

    async def _remember(self, name: str, ring: Keyring) -> None:
        self._cache[name] = ring
        self._cache.move_to_end(name)
        size = await self.cache_size()
        while size and len(self._cache) > size:
            self._cache.popitem(last=False)

    async def update(self, name: str, mutate: Mutation) -> Keyring | None:
        """Apply `mutate` to key `name` atomically (`View.update`); returns the key as now
        stored.

        `mutate` sees the current policy (None if absent) and returns the Change to commit, or
        None to write nothing. If another writer commits first the Check fails and `mutate`
        runs again on the fresh state. Errors raised by `mutate` propagate.
        """
        committed: list[Change] = []  # the Change of the attempt that committed, if any

        async def decide(policy: KeyPolicy | None) -> Write[KeyPolicy] | Verdict:
            committed.clear()
            change = await mutate(policy)
            if change is None:
                return UNCHANGED
            committed.append(change)
            return Write(DELETE if change.policy is None else change.policy, also=change.ops)

        await self.view.update(POLICY + name, POLICY_DECODER.decode, decide)
        for change in committed:
            if change.policy is None:
                self._cache.pop(name, None)
            await self.events.send(change.events)
        return await self.load(name)

    async def names(self) -> list[str]:
        return await self.view.list(POLICY)

    async def counters(self, name: str) -> list[str]:
        return await self.view.list(f"{COUNTER}{name}/")

    # -- mount settings ------------------------------------------------------------------------

    async def keys_config(self) -> KeysConfig:
        raw = await self.view.get(KEYS_CONFIG)
        return KeysConfig() if raw is None else KEYS_CONFIG_DECODER.decode(raw)

    async def put_keys_config(self, config: KeysConfig) -> None:
        await self.view.put(KEYS_CONFIG, encode(config))

    async def cache_config(self) -> CacheConfig:
        raw = await self.view.get(CACHE_CONFIG)
        return CacheConfig() if raw is None else CACHE_CONFIG_DECODER.decode(raw)

    async def put_cache_config(self, config: CacheConfig) -> None:
        await self.view.put(CACHE_CONFIG, encode(config))
        self._cache_size = config.size

    async def cache_size(self) -> int:
        # Another worker's change reaches this one on its next restart or unseal: the cache
        # size only bounds memory, never what a request sees (every load checks the version).
        if self._cache_size is None:
            self._cache_size = (await self.cache_config()).size
        return self._cache_size
