"""Zero-downtime static rotation (`rotation_overlap`, a Strongroom extension): alternating users.

PostgreSQL keeps one password per role, so "the previous password stays valid for a while"
needs two login roles. As AWS Secrets Manager's alternating-users strategy: the static role
names `username`; the engine keeps a clone, `username_clone`, and each rotation changes the
password of whichever of the two is *not* handed out, then hands that one out. The other keeps
its password for `rotation_overlap` seconds, after which the engine sets it to a random value it
forgets (retirement). A client holding the old pair keeps working through the overlap, and even
during the rotation itself, since the user it holds is never the one being changed.

The clone acts as the base user: a member of it whose sessions start with `SET ROLE username`
(the plugin's `clone_user`), so it has exactly the same rights and whatever it creates belongs
to `username`. `static-creds` returns the user handed out now, so its `username` alternates.
With `rotation_overlap = 0` (the default) nothing of this happens: Vault's behaviour.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from strongroom.engines.database.models import StaticRole

SUFFIX = "_clone"


@runtime_checkable
class SupportsClones(Protocol):
    """A plugin that can keep a clone of a user (PostgreSQL's)."""

    async def clone_user(self, base: str, clone: str, password: str) -> None: ...


def clone_name(username: str) -> str:
    return username + SUFFIX


def next_target(role: StaticRole) -> str:
    """The user whose password the next rotation changes."""
    if role.rotation_overlap <= 0:
        return role.username
    if role.account.username == role.username:
        return clone_name(role.username)
    return role.username


def has_clone(role: StaticRole) -> bool:
    """Whether a clone may exist in the database for `role`."""
    clone = clone_name(role.username)
    account = role.account
    pending = account.pending.target if account.pending is not None else ""
    return role.rotation_overlap > 0 or clone in (account.username, account.retired, pending)
