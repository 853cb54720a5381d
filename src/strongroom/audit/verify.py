"""Audit layer, verification: replay a log's hash chains and check its signed checkpoints.

What a clean `Report` proves (with the public keys of every `key_id` used):
- Every line up to the last valid checkpoint of its chain is exactly as written: an edit,
  deletion, insertion or reordering there breaks `seq`, `prev_hash` or a signature at or right
  after the first changed line, and `first_error` names that line.
- Lines after the last valid checkpoint (`unverified_tail`) are consistent with each other but
  unproven: the chain has no key, so whoever can write the file can rewrite that tail and keep
  it consistent. A random change there is still caught unless it only alters the last line.
- Truncation: a cut inside a line is an error ("truncated line"). A cut between lines leaves a
  shorter, valid log; the lines lost after the last checkpoint show only as a smaller
  `unverified_tail`, and a cut right after a checkpoint is invisible in the file alone. Compare
  `entries` (or the last checkpoint's `seq`) with a checkpoint anchored elsewhere
  (`sys/audit-checkpoints`) to close that gap.
Without public keys, chains and checkpoints are checked for consistency but nothing is proven:
`unverified_tail` is then every entry.

Lines are grouped by their `chain` id (socket and syslog devices; none for a file device); each
chain must start at `seq` 1 with `prev_hash` `"0" * 64`. The file is streamed, one line at a
time, through msgspec and hashlib.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from strongroom.audit.chain import ZERO_HASH, checkpoint_message

__all__ = ["Report", "verify_file"]

_PROGRESS_EVERY = 16384  # lines between two progress callbacks


@dataclass(frozen=True)
class Report:
    """`entries`: lines verified (checkpoints included) before the first error, if any;
    `first_error`: (1-based line number, reason); `unverified_tail`: entries after the last
    valid checkpoint, summed over chains."""

    ok: bool
    entries: int
    checkpoints: int
    first_error: tuple[int, str] | None
    unverified_tail: int


class _Checkpoint(msgspec.Struct):
    seq: int
    hash: str
    key_id: str
    signature: str


class _Entry(msgspec.Struct):
    seq: int
    prev_hash: str
    kind: str = msgspec.field(name="type", default="")
    chain: str | None = None
    checkpoint: _Checkpoint | None = None


_decode = msgspec.json.Decoder(_Entry).decode


@dataclass
class _Cursor:
    seq: int = 0
    prev: str = ZERO_HASH
    unverified: int = 0  # entries since the last valid checkpoint


class _Broken(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Verifier:
    def __init__(self, keys: Mapping[str, Ed25519PublicKey] | None, prefix: bytes) -> None:
        self.keys = keys
        self.prefix = prefix
        self.chains: dict[str | None, _Cursor] = {}
        self.entries = 0
        self.checkpoints = 0

    def run(self, log: Iterable[bytes], progress: Callable[[int], None] | None) -> Report:
        """Verify every line of `log`; stop at the first error."""
        done = 0
        for number, raw in enumerate(log, start=1):
            try:
                self._line(raw)
            except _Broken as broken:
                return self.report((number, broken.reason))
            except msgspec.ValidationError:
                return self.report((number, "not an audit chain entry"))
            except (msgspec.DecodeError, UnicodeDecodeError):  # msgspec's error for bad UTF-8
                return self.report((number, "not JSON"))
            done += len(raw)
            if progress is not None and number % _PROGRESS_EVERY == 0:
                progress(done)
        if progress is not None:
            progress(done)
        return self.report(None)

    def _line(self, raw: bytes) -> None:
        """The hot path: it must keep up with 100k lines a second, hence the lack of helpers."""
        if raw[-1:] != b"\n":
            raise _Broken("truncated line")
        body = raw[:-1]
        if self.prefix:
            if not body.startswith(self.prefix):
                raise _Broken("missing prefix")
            body = body[len(self.prefix) :]
        entry = _decode(body)
        cursor = self.chains.get(entry.chain)
        if cursor is None:
            cursor = self.chains[entry.chain] = _Cursor()
        if entry.seq != cursor.seq + 1:
            raise _Broken("sequence gap")
        if entry.prev_hash != cursor.prev:
            raise _Broken("hash chain broken")
        if entry.kind == "checkpoint" and self._checkpoint(entry.checkpoint, cursor):
            cursor.unverified = 0
        else:
            cursor.unverified += 1
        cursor.seq = entry.seq
        cursor.prev = hashlib.sha256(body).hexdigest()
        self.entries += 1

    def _checkpoint(self, checkpoint: _Checkpoint | None, cursor: _Cursor) -> bool:
        """True if the checkpoint's signature was verified; raises _Broken if it is wrong."""
        if checkpoint is None:
            raise _Broken("not an audit chain entry")
        if checkpoint.seq != cursor.seq or checkpoint.hash != cursor.prev:
            raise _Broken("checkpoint does not match the chain")
        self.checkpoints += 1
        if self.keys is None:
            return False
        key = self.keys.get(checkpoint.key_id)
        if key is None:
            raise _Broken("checkpoint signed by an unknown key_id")
        try:
            signature = base64.b64decode(checkpoint.signature, validate=True)
            key.verify(signature, checkpoint_message(checkpoint.seq, checkpoint.hash))
        except (ValueError, InvalidSignature):  # not base64 (binascii.Error), or not ASCII
            raise _Broken("bad signature") from None
        return True

    def report(self, error: tuple[int, str] | None) -> Report:
        tail = sum(c.unverified for c in self.chains.values())
        return Report(error is None, self.entries, self.checkpoints, error, tail)


def verify_file(
    path: str | Path,
    public_keys: Mapping[str, Ed25519PublicKey] | None = None,
    *,
    prefix: str = "",
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Verify the audit log at `path` (see the module docstring for what a clean report proves).

    `public_keys` maps each checkpoint `key_id` to its key (an unknown `key_id` is an error);
    `prefix` is the device's `prefix` option, required on every line; `progress` is called now
    and then with the number of bytes verified so far. Stops at the first error. Raises OSError
    if the file cannot be read.
    """
    with Path(path).open("rb") as log:
        return _Verifier(public_keys, prefix.encode()).run(log, progress)
