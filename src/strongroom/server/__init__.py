"""Layer 6's server side: the supervisor process and the worker processes it starts."""

from strongroom.server.supervisor import serve

__all__ = ["serve"]
