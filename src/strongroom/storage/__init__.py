"""Physical storage backends behind one small interface (see `interface.py`).

Layer 1 of the stack: the barrier above seals every value before it arrives here. Open a
backend with `open_backend(kind, options)`; every backend is released with `await close()`.
"""

from strongroom.storage.factory import open_backend
from strongroom.storage.inmem import InmemBackend
from strongroom.storage.interface import Backend, Check, Delete, Entry, Op, Put
from strongroom.storage.postgresql import PostgresBackend
from strongroom.storage.sqlite import SqliteBackend

__all__ = [
    "Backend",
    "Check",
    "Delete",
    "Entry",
    "InmemBackend",
    "Op",
    "PostgresBackend",
    "Put",
    "SqliteBackend",
    "open_backend",
]
