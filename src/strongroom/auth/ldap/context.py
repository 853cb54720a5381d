"""What every LDAP handler is given: the mount's store, its directory client and lockouts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from msgspec import Meta

from strongroom.auth.ldap.directory import Directory
from strongroom.auth.ldap.store import Store
from strongroom.logical.lockout import Lockouts

NAME = r"(?P<name>.+)"  # Vault's groups/ and users/ take any name
USERNAME = r"(?P<username>.+)"  # and so does login/
GroupName = Annotated[str, Meta(description="Name of the LDAP group.")]
UserName = Annotated[str, Meta(description="Name of the LDAP user.")]


@dataclass(frozen=True, slots=True)
class LdapContext:
    store: Store
    directory: Directory
    lockouts: Lockouts
