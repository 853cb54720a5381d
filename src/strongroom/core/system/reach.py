"""What a system route adds to a `Path`: who reaches it, from where, and while sealed or not.

Vault's system backend is one `framework.Backend`, but some of its paths are served before
the token is checked (the HTTP handlers of sys/health, sys/init, sys/unseal, ... that answer
while sealed), and Vault Enterprise keeps the node's own sys APIs out of namespaces
(`restrictedSysAPIs`). A `SysPath` says which of those a route is, and `unauthenticated`
follows from it, so the table alone decides where a request to `sys/` goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from strongroom.logical.paths import Path

if TYPE_CHECKING:
    from strongroom.core.core import Core  # noqa: F401 - named as a string in the base

__all__ = ["Reach", "SysPath"]


class Reach(Enum):
    """Where a system route answers, and whether it needs a token."""

    NAMESPACE = "namespace"  # a token, in the root namespace and in every namespace
    ROOT = "root"  # a token, the root namespace only: 404 inside a namespace
    NODE = "node"  # no token, the root namespace only, sealed or not (health, init, unseal)
    WRAPPING = "wrapping"  # no token (the wrapping token is the credential), unsealed, anywhere
    # No token in the root namespace: the handler answers what any caller may see; with a
    # token (and inside a namespace, where an anonymous answer would tell that it exists)
    # the request goes through the pipeline like any other.
    ANONYMOUS = "anonymous"

    @property
    def unauthenticated(self) -> bool:
        return self in (Reach.NODE, Reach.WRAPPING, Reach.ANONYMOUS)

    @property
    def root_only(self) -> bool:
        return self in (Reach.ROOT, Reach.NODE)


@dataclass(frozen=True, slots=True)
class SysPath(Path["Core"]):
    """A `Path` of the system backend; `unauthenticated` is set from `reach`."""

    reach: Reach = Reach.NAMESPACE

    def __post_init__(self) -> None:
        if self.unauthenticated and not self.reach.unauthenticated:
            raise TypeError("a system route says how it is reached with `reach`")
        object.__setattr__(self, "unauthenticated", self.reach.unauthenticated)
