"""Audit layer, the device seam: the `Sink` protocol and the chain bookkeeping every sink shares.

    Sink                 write(entry) / close(); one conformance suite runs on every one
    ├── FileSink         file_sink.py: one chain per file, shared by worker processes (flock)
    ├── SocketSink       net_sinks.py: tcp / unix stream, udp datagrams; one chain per instance
    └── SyslogSink       net_sinks.py: datagrams to /dev/log; one chain per instance

A sink links each entry into its chain and writes the line before `write` returns; it raises
OSError or TimeoutError when the line may not have arrived, and then its chain is as it was
(except where noted), so the next entry takes the same `seq`. The broker applies its own
timeout across devices and decides fail-closed (DESIGN.md invariant 5). Besides the protocol,
every sink has `checkpoint()`: sign the chain now, for a "every T seconds" job.

Entries of a per-instance chain carry a random `"chain": "<hex>"`, so several workers (or a
restarted server) may ship to one collector and `verify_file` still follows each chain.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from strongroom.audit.chain import ChainState, Signer, checkpoint_entry, link
from strongroom.audit.format import rfc3339

__all__ = ["Sink", "SinkChain", "new_chain_id"]


class Sink(Protocol):
    async def write(self, entry: dict[str, Any]) -> None:
        """Link and write one entry (the caller's dict is not modified). Raises OSError or
        TimeoutError on failure."""

    async def close(self) -> None:
        """Release the device; idempotent. A later `write` raises OSError."""


@runtime_checkable
class ChainedSink(Sink, Protocol):
    """A sink that hash-chains what it writes (every sink this package opens)."""

    chain: SinkChain

    async def checkpoint(self) -> None:
        """Sign the chain's tail now, for an "every T seconds" job (no-op if nothing new)."""


def new_chain_id() -> str:
    return secrets.token_hex(8)


# (seq, prev, at_checkpoint, pending chain_start, last checkpoint): a tuple, as it is taken on
# every write.
_Snapshot = tuple[int, str, bool, dict[str, Any] | None, dict[str, Any] | None]


class SinkChain:
    """One sink's chain: links entries, adds a signed checkpoint after every
    `checkpoint_every`-th `seq`, and can be rolled back when a write fails."""

    def __init__(
        self,
        *,
        signer: Signer | None,
        checkpoint_every: int,
        clock: Callable[[], float],
        chain_id: str | None,
    ) -> None:
        if checkpoint_every < 1:
            raise ValueError("checkpoint_every must be at least 1")
        self.state = ChainState()
        self.at_checkpoint = False  # the chain's last line is a checkpoint
        self._start: dict[str, Any] | None = None  # a chain_start entry due before the next
        # The newest signed checkpoint this process wrote: what sys/audit-checkpoints publishes
        # so an external system can anchor it.
        self.last_checkpoint: dict[str, Any] | None = None
        self._signer = signer
        self._every = checkpoint_every
        self._clock = clock
        self._chain_id = chain_id

    def restart(self, previous_file_hash: str | None) -> None:
        """Begin a new chain (a new or emptied file); its first line will be a `chain_start`
        entry naming the hash of the last line of the file before it, when known."""
        self.state = ChainState()
        self.at_checkpoint = False
        self._start = {
            "time": rfc3339(self._clock()),
            "type": "chain_start",
            "previous_file_hash": previous_file_hash,
        }

    def resume(self, seq: int, prev: str, *, at_checkpoint: bool) -> None:
        """Continue a chain whose last line (written by another process) is known."""
        self.state = ChainState(seq, prev)
        self.at_checkpoint = at_checkpoint
        self._start = None

    def snapshot(self) -> _Snapshot:
        return (
            self.state.seq,
            self.state.prev,
            self.at_checkpoint,
            self._start,
            self.last_checkpoint,
        )

    def restore(self, snapshot: _Snapshot) -> None:
        seq, prev, self.at_checkpoint, self._start, self.last_checkpoint = snapshot
        self.state = ChainState(seq, prev)

    def entry_lines(self, entry: dict[str, Any]) -> list[bytes]:
        """The lines for `entry`: a pending chain_start first, a checkpoint after it when due."""
        lines = []
        if self._start is not None:
            lines.append(self._link(self._start))
            self._start = None
        lines.append(self._link(dict(entry)))
        if self._signer is not None and self.state.seq % self._every == 0:
            lines.append(self._checkpoint(self._signer))
        return lines

    def checkpoint_lines(self) -> list[bytes]:
        """A checkpoint now, or nothing when there is no signer, no entry, or nothing new."""
        if self._signer is None or self.state.seq == 0 or self.at_checkpoint:
            return []
        return [self._checkpoint(self._signer)]

    def _checkpoint(self, signer: Signer) -> bytes:
        entry = checkpoint_entry(self.state, signer, self._clock())
        line = self._link(entry)
        self.at_checkpoint = True
        self.last_checkpoint = {**entry["checkpoint"], "time": entry["time"]}
        return line

    def _link(self, entry: dict[str, Any]) -> bytes:
        if self._chain_id is not None:
            entry["chain"] = self._chain_id
        self.at_checkpoint = False
        return link(entry, self.state)
