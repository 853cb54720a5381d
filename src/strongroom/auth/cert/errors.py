"""Why a log-in was refused, for the operator log only (STYLE.md habit 5).

`Refused` never reaches the client: the login handler turns each into Vault's one 400
"invalid certificate or no client certificate supplied", so the answer is no oracle for which
check failed.
"""

from __future__ import annotations


class Refused(Exception):
    """A certificate check failed; `reason` goes to `BadRequest.detail`, never to the caller."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
