"""Access control (DESIGN.md invariant 4): deny by default.

Only the `root` policy exists until the policy engine lands; every other token is denied
everything, through the same call the full ACL will answer.
"""

from __future__ import annotations

from strongroom.core.request import Request
from strongroom.core.token.entry import TokenEntry
from strongroom.errors import PermissionDenied


def check_access(token: TokenEntry, request: Request) -> None:
    """Raises PermissionDenied unless `token` may perform `request`."""
    del request  # the policy engine will consult path and operation
    if not token.is_root:
        raise PermissionDenied
