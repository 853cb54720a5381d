"""The cubbyhole secrets engine (Vault `cubbyhole`): each token's private store."""

from strongroom.engines.cubbyhole.backend import CubbyholeBackend, cubbyhole_entry

__all__ = ["CubbyholeBackend", "cubbyhole_entry"]
