"""sys/policies/password: Vault's password policies, and the password source engines are given.

Each policy is one barrier record, `sys/password_policy/<name>` below the namespace's storage
prefix (Vault's `password_policy/<name>` in the system view), holding the document as written
(after an optional base64 decoding, as Vault accepts). Documents are parsed and validated on
write and parsed again on use, so a stored policy is always one that generates.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable

import msgspec

from strongroom.core.view import Store, View
from strongroom.errors import BadRequest, InternalError, NotFound
from strongroom.passwords import PasswordPolicyError, default_password, generate, parse_policy

RECORDS = "sys/password_policy/"


class _Stored(msgspec.Struct, frozen=True):
    policy: str


_DECODER = msgspec.json.Decoder(_Stored)


class PasswordPolicies:
    """The password policies of one namespace."""

    def __init__(self, store: Store, prefix: str = "") -> None:
        self._view = View(store, prefix + RECORDS)

    async def names(self) -> list[str]:
        return await self._view.list("")

    async def read(self, name: str) -> str:
        """The stored document. Raises NotFound."""
        blob = await self._view.get(name)
        if blob is None:
            raise NotFound("policy does not exist")
        return _DECODER.decode(blob).policy

    async def write(self, name: str, text: str) -> None:
        """Store `text` (HCL or JSON, possibly base64). Raises BadRequest if it is invalid."""
        text = _maybe_base64(text)
        try:
            parse_policy(text)
        except PasswordPolicyError as exc:
            raise BadRequest(f"invalid password policy: {exc}") from None
        await self._view.put(name, msgspec.json.encode(_Stored(text)))

    async def delete(self, name: str) -> None:
        await self._view.delete(name)

    async def generate(self, name: str) -> str:
        """A password from policy `name`. Raises NotFound if there is no such policy."""
        text = await self.read(name)
        try:
            return generate(parse_policy(text))
        except PasswordPolicyError as exc:  # stored before a validation rule tightened
            detail = f"password policy {name!r} no longer parses: {exc}"
            raise InternalError(detail=detail) from None

    async def source(self, name: str) -> str:
        """What engines call (`MountContext.passwords`): "" is Vault's default policy, an
        unknown name is a 400 naming it."""
        if not name:
            return await default_password()
        try:
            return await self.generate(name)
        except NotFound:
            raise BadRequest(f'password policy "{name}" does not exist') from None


def password_source(store: Store, prefix: str = "") -> Callable[[str], Awaitable[str]]:
    """The `MountContext.passwords` callable for mounts of the namespace at `prefix`."""
    return PasswordPolicies(store, prefix).source


def _maybe_base64(text: str) -> str:
    """Vault decodes `policy` when it is valid standard base64 (of UTF-8), else keeps it."""
    try:
        return base64.b64decode(text, validate=True).decode()
    except (binascii.Error, ValueError):
        return text
