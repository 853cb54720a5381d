"""Why a log-in was refused, for the operator log only (STYLE.md habit 5).

`Refused` never reaches the client: the login handler turns every one of them into the same
400 "invalid role or secret ID", so the answer is no oracle for which part was wrong.
"""

from __future__ import annotations


class Refused(Exception):
    """A credential check failed; `reason` goes to `BadRequest.detail`, never to the caller."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
