"""The transit secrets engine (Vault `transit`): the platform's KMS."""

from strongroom.engines.transit.backend import TransitBackend

__all__ = ["TransitBackend"]
