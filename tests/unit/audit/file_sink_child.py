"""Child process of test_file_sink.py: one worker appending to a shared audit file.

    file_sink_child.py PATH WORKER COUNT START_AT SIGNING_KEY_HEX WORK_US

Waits until the wall clock reaches START_AT (so that every worker writes at once), then writes
COUNT entries whose request ids are `WORKER-000000`, `WORKER-000001`, ... through a FileSink
that signs a checkpoint every 100 seq with the given Ed25519 key (key_id "k"). Between two
entries it works for WORK_US microseconds, as a worker serves the request between its entries:
the lock is polled, not queued for, so writers with nothing else to do would take it in turns
of hundreds of entries rather than interleave.
"""

from __future__ import annotations

import asyncio
import sys
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from strongroom.audit import FileSink, Signer


async def main(
    path: str, worker: str, count: int, start_at: float, key_hex: str, work: float
) -> None:
    signer = Signer("k", Ed25519PrivateKey.from_private_bytes(bytes.fromhex(key_hex)))
    sink = FileSink(path, signer=signer, checkpoint_every=100)
    await asyncio.sleep(max(0.0, start_at - time.time()))
    for number in range(count):
        busy_until = time.perf_counter() + work
        while time.perf_counter() < busy_until:
            pass
        request = {"id": f"{worker}-{number:06d}", "operation": "update"}
        await sink.write({"time": "2024-05-01T12:00:00Z", "type": "request", "request": request})
    await sink.close()


if __name__ == "__main__":
    path, worker, count, start_at, key_hex, work_us = sys.argv[1:]
    asyncio.run(main(path, worker, int(count), float(start_at), key_hex, float(work_us) / 1e6))
