"""Child process of test_sqlite_durability.py: writes under load and acknowledges on stdout.

    durability_child.py DB TAG COUNT TASKS

TASKS asyncio tasks put keys `TAG/000000`, `TAG/000001`, ... (COUNT in all; 0 = until killed)
and print `key version` for each, flushed, only after its put has returned: every printed line
is a write the backend acknowledged, which the parent later demands to find intact. The value
of a key is `expected_value(key)`; the parent repeats that formula rather than importing this
file, so the test does not depend on pytest's import mode.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import sys

from strongroom.storage.sqlite import SqliteBackend


def expected_value(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest() * 64  # 2 KiB: several pages per commit


async def main(db: str, tag: str, count: int, tasks: int) -> None:
    backend = await asyncio.to_thread(SqliteBackend, db)
    numbers = itertools.count()

    async def writer() -> None:
        for n in numbers:
            if count and n >= count:
                return
            key = f"{tag}/{n:06d}"
            version = await backend.put(key, expected_value(key))
            sys.stdout.write(f"{key} {version}\n")  # one short write: atomic on a pipe
            sys.stdout.flush()

    await asyncio.gather(*(writer() for _ in range(tasks)))
    await backend.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
