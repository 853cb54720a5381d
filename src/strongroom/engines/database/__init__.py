"""Vault's database secrets engine: dynamic users with leases, static roles rotated on schedule."""

from __future__ import annotations

from strongroom.engines.database.backend import DatabaseBackend

__all__ = ["DatabaseBackend"]
