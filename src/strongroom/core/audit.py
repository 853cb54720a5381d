"""Audit hook points (DESIGN.md invariant 5).

Every authenticated request passes `log_request` before it is routed and `log_response` before
it is answered. Devices (file, socket, syslog) and the hash chain plug in here; with none
enabled the broker records nothing, as Vault does.
"""

from __future__ import annotations

from strongroom.core.request import Request, Response
from strongroom.core.token.entry import TokenEntry


class AuditBroker:
    async def log_request(self, request: Request, token: TokenEntry | None) -> None:
        """Write the request entry to the enabled devices (none yet)."""
        del request, token

    async def log_response(
        self, request: Request, token: TokenEntry | None, response: Response
    ) -> None:
        """Write the response entry to the enabled devices (none yet)."""
        del request, token, response
