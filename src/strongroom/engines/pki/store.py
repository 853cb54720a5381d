"""The PKI engine's storage layout below its mount's view (the barrier seals every value):

    key/<id>              KeyEntry (the private key, PKCS#8)      config/keys     default key
    issuer/<id>           IssuerEntry (certificate, settings)      config/issuers  default issuer
    role/<name>           Role
    certs/<serial>        CertEntry of each stored certificate (serial with `-` for `:`)
    revoked/<serial>      the revocation index the CRLs are built from
    crl/<issuer id>       CrlEntry: the issuer's complete and delta CRLs, numbered
    config/urls, config/crl, config/auto-tidy, tidy/status

Names of issuers and keys are looked up by scanning the (few) records; ids are UUIDs.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import msgspec

from strongroom.engines.pki.models import (
    CertEntry,
    CrlConfig,
    CrlEntry,
    IssuerEntry,
    IssuersConfig,
    KeyEntry,
    KeysConfig,
    Role,
    TidyConfig,
    TidyStatus,
    UrlsConfig,
    encode,
)
from strongroom.errors import BadRequest
from strongroom.logical import View
from strongroom.storage.interface import Put

T = TypeVar("T", bound=msgspec.Struct)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SERIAL = re.compile(r"^[0-9a-f]{1,2}(?:[:-][0-9a-f]{1,2})*$")
_DECODERS: dict[type[Any], msgspec.json.Decoder[Any]] = {}


def storage_serial(serial: str) -> str:
    """A serial as stored (`aa-bb`), from Vault's `aa:bb` or `aa-bb`. Raises BadRequest if
    it is not hex bytes."""
    text = serial.strip().lower()
    if not _SERIAL.match(text):
        raise BadRequest("invalid serial number")
    return text.replace(":", "-")


def _decode(kind: type[T], raw: bytes) -> T:
    decoder = _DECODERS.get(kind)
    if decoder is None:
        decoder = _DECODERS[kind] = msgspec.json.Decoder(kind)
    found: T = decoder.decode(raw)
    return found


class PkiStore:
    def __init__(self, view: View) -> None:
        self.view = view

    async def _get(self, kind: type[T], path: str) -> T | None:
        raw = await self.view.get(path)
        return None if raw is None else _decode(kind, raw)

    async def _put(self, path: str, value: msgspec.Struct) -> None:
        await self.view.put(path, encode(value))

    # -- keys and issuers ----------------------------------------------------------------------

    async def key(self, key_id: str) -> KeyEntry | None:
        return await self._get(KeyEntry, "key/" + key_id)

    async def put_key(self, entry: KeyEntry) -> None:
        await self._put("key/" + entry.id, entry)

    async def key_ids(self) -> list[str]:
        return await self.view.list("key/")

    async def issuer(self, issuer_id: str) -> IssuerEntry | None:
        return await self._get(IssuerEntry, "issuer/" + issuer_id)

    async def put_issuer(self, entry: IssuerEntry) -> None:
        await self._put("issuer/" + entry.id, entry)

    async def issuer_ids(self) -> list[str]:
        return await self.view.list("issuer/")

    async def issuers(self) -> list[IssuerEntry]:
        found = [await self.issuer(i) for i in await self.issuer_ids()]
        return [i for i in found if i is not None]

    async def keys(self) -> list[KeyEntry]:
        found = [await self.key(i) for i in await self.key_ids()]
        return [k for k in found if k is not None]

    async def delete(self, path: str) -> None:
        await self.view.delete(path)

    async def issuers_config(self) -> IssuersConfig:
        return await self._get(IssuersConfig, "config/issuers") or IssuersConfig()

    async def put_issuers_config(self, config: IssuersConfig) -> None:
        await self._put("config/issuers", config)

    async def keys_config(self) -> KeysConfig:
        return await self._get(KeysConfig, "config/keys") or KeysConfig()

    async def put_keys_config(self, config: KeysConfig) -> None:
        await self._put("config/keys", config)

    async def resolve(
        self,
        ref: str,
        default: Callable[[], Awaitable[str]],
        by_id: Callable[[str], Awaitable[Any]],
        ids: Callable[[], Awaitable[list[str]]],
    ) -> str:
        """The id `ref` names: `default`, an id, or a name ("" if none)."""
        if ref == "default":
            return await default()
        if UUID.match(ref) and await by_id(ref) is not None:
            return ref
        for found_id in await ids():
            entry = await by_id(found_id)
            if entry is not None and entry.name == ref:
                return found_id
        return ""

    async def issuer_id(self, ref: str) -> str:
        async def default() -> str:
            return (await self.issuers_config()).default

        return await self.resolve(ref, default, self.issuer, self.issuer_ids)

    async def key_id(self, ref: str) -> str:
        async def default() -> str:
            return (await self.keys_config()).default

        return await self.resolve(ref, default, self.key, self.key_ids)

    # -- roles ---------------------------------------------------------------------------------

    async def role(self, name: str) -> Role | None:
        return await self._get(Role, "role/" + name)

    async def put_role(self, name: str, role: Role) -> None:
        await self._put("role/" + name, role)

    async def role_names(self) -> list[str]:
        return await self.view.list("role/")

    # -- certificates and revocation -----------------------------------------------------------

    async def cert(self, serial: str) -> CertEntry | None:
        return await self._get(CertEntry, "certs/" + storage_serial(serial))

    async def put_cert(self, serial: str, entry: CertEntry) -> None:
        await self._put("certs/" + storage_serial(serial), entry)

    async def cert_serials(self) -> list[str]:
        return await self.view.list("certs/")

    async def revoked_serials(self) -> list[str]:
        return await self.view.list("revoked/")

    async def mark_revoked(self, serial: str, entry: CertEntry) -> None:
        """The certificate record and the revocation index, in one transaction."""
        stored = storage_serial(serial)
        await self.view.transact(
            [
                Put("certs/" + stored, encode(entry)),
                Put("revoked/" + stored, encode(entry)),
            ]
        )

    async def revocation(self, serial: str) -> CertEntry | None:
        return await self._get(CertEntry, "revoked/" + storage_serial(serial))

    async def crl(self, issuer_id: str) -> CrlEntry:
        return await self._get(CrlEntry, "crl/" + issuer_id) or CrlEntry()

    async def update_crl(
        self, issuer_id: str, build: Callable[[CrlEntry], Awaitable[CrlEntry]]
    ) -> CrlEntry:
        """Store what `build` makes of the issuer's current CRL record, guarded by its storage
        version: racing rebuilds (workers, nodes, the scheduler) each take the next CRL number
        and none is lost (`View.update` re-runs `build` on a lost race)."""

        async def mutate(current: CrlEntry | None) -> CrlEntry:
            return await build(current or CrlEntry())

        updated = await self.view.update(
            "crl/" + issuer_id, lambda raw: _decode(CrlEntry, raw), mutate
        )
        assert updated.after is not None  # noqa: S101 - `mutate` always writes
        return updated.after

    # -- settings ------------------------------------------------------------------------------

    async def urls(self) -> UrlsConfig:
        return await self._get(UrlsConfig, "config/urls") or UrlsConfig()

    async def put_urls(self, config: UrlsConfig) -> None:
        await self._put("config/urls", config)

    async def crl_config(self) -> CrlConfig:
        return await self._get(CrlConfig, "config/crl") or CrlConfig()

    async def put_crl_config(self, config: CrlConfig) -> None:
        await self._put("config/crl", config)

    async def auto_tidy(self) -> TidyConfig:
        return await self._get(TidyConfig, "config/auto-tidy") or TidyConfig()

    async def put_auto_tidy(self, config: TidyConfig) -> None:
        await self._put("config/auto-tidy", config)

    async def tidy_status(self) -> TidyStatus:
        return await self._get(TidyStatus, "tidy/status") or TidyStatus()

    async def put_tidy_status(self, status: TidyStatus) -> None:
        await self._put("tidy/status", status)
