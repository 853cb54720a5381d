"""Vault's database secrets engine: dynamic users with leases, static roles rotated on schedule."""
