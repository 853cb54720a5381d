"""Physical storage backends behind one small interface (see `interface.py`)."""

from strongroom.storage.interface import Backend, Check, Delete, Entry, Op, Put

__all__ = ["Backend", "Check", "Delete", "Entry", "Op", "Put"]
