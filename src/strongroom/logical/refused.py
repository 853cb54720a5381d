"""Why a log-in was refused, for the operator log only (STYLE.md habit 5).

`Refused` never reaches the client: a login handler turns every one of them into its one
answer for bad credentials (AppRole's 400 "invalid role or secret ID", userpass's and LDAP's
"invalid username or password"), so the answer is no oracle for which part was wrong.
"""

from __future__ import annotations


class Refused(Exception):
    """A credential check failed; `reason` goes to `BadRequest.detail`, never to the caller."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
