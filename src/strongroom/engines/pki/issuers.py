"""Adding keys and issuers to a mount, and importing PEM bundles (Vault's `config/ca`,
`intermediate/set-signed`, `keys/import`; api-docs/secret/pki#import-ca-certificates-and-keys).

A key already held (same public key) or an issuer already held (same certificate) is reported
as existing rather than stored twice. An issuer is linked to the mount's key for its public key,
whichever of the two arrived first. The first issuer and key become the mount's defaults.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import msgspec
from cryptography import x509

from strongroom.engines.pki import certs, keys
from strongroom.engines.pki.context import PkiContext
from strongroom.engines.pki.models import IssuerEntry, IssuersConfig, KeyEntry, KeysConfig
from strongroom.errors import BadRequest

_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----.*?-----END \1-----", re.DOTALL)
AIA_WARNING = (
    "This mount hasn't configured any authority information access (AIA) fields; this may "
    "make it harder for systems to find missing certificates in the chain or to validate "
    "revocation status of certificates. Consider updating /config/urls or the newly generated "
    "issuer with this information."
)


def new_id() -> str:
    return str(uuid.uuid4())


async def add_key(ctx: PkiContext, key: keys.PrivateKey, name: str = "") -> tuple[KeyEntry, bool]:
    """The mount's entry for `key`, stored now unless already held; and whether it was new."""
    public = key.public_key()
    for entry in await ctx.store.keys():
        if keys.same_public(keys.load(entry.private_key).public_key(), public):
            return entry, False
    entry = KeyEntry(id=new_id(), name=name, type=keys.type_of(key), private_key=keys.to_pkcs8(key))
    await ctx.store.put_key(entry)
    config = await ctx.store.keys_config()
    if not config.default or await ctx.store.key(config.default) is None:
        await ctx.store.put_keys_config(KeysConfig(default=entry.id))
    for issuer in await ctx.store.issuers():  # an issuer imported before its key
        if not issuer.key_id and keys.same_public(
            certs.load_pem(issuer.certificate).public_key(), public
        ):
            await ctx.store.put_issuer(msgspec.structs.replace(issuer, key_id=entry.id))
    return entry, True


async def add_issuer(
    ctx: PkiContext, cert: x509.Certificate, name: str = ""
) -> tuple[IssuerEntry, bool]:
    """The mount's issuer for `cert`, stored now unless already held; and whether it was new.
    It is linked to the mount's key for its public key, if any."""
    text = certs.pem(cert)
    for entry in await ctx.store.issuers():
        if certs.load_pem(entry.certificate) == cert:
            return entry, False
    key_id = ""
    for key in await ctx.store.keys():
        if keys.same_public(keys.load(key.private_key).public_key(), cert.public_key()):
            key_id = key.id
            break
    entry = IssuerEntry(
        id=new_id(),
        name=name,
        key_id=key_id,
        certificate=text,
        serial_number=certs.serial_text(cert.serial_number),
    )
    await ctx.store.put_issuer(entry)
    config = await ctx.store.issuers_config()
    if (
        not config.default
        or config.default_follows_latest_issuer
        or await ctx.store.issuer(config.default) is None
    ):
        await ctx.store.put_issuers_config(
            IssuersConfig(
                default=entry.id,
                default_follows_latest_issuer=config.default_follows_latest_issuer,
            )
        )
    return entry, True


async def checked_unique_name(ctx: PkiContext, name: str, kind: str) -> None:
    """Raises BadRequest if another issuer (or key) already has `name`."""
    if not name:
        return
    entries: list[Any] = await (ctx.store.issuers() if kind == "issuer" else ctx.store.keys())
    if any(e.name == name for e in entries):
        raise BadRequest(f"{kind} name already in use")


@dataclass
class Imported:
    """What `config/ca` and `intermediate/set-signed` answer (Vault's field names)."""

    issuers: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    existing_issuers: list[str] = field(default_factory=list)
    existing_keys: list[str] = field(default_factory=list)

    def body(self, mapping: dict[str, str]) -> dict[str, Any]:
        return {
            "existing_issuers": self.existing_issuers or None,
            "existing_keys": self.existing_keys or None,
            "imported_issuers": self.issuers or None,
            "imported_keys": self.keys or None,
            "mapping": mapping,
        }


def blocks(bundle: str) -> list[tuple[str, str]]:
    """The PEM blocks of `bundle` as (label, text). Raises BadRequest if it holds none."""
    found = [(m.group(1), m.group(0)) for m in _BLOCK.finditer(bundle)]
    if not found:
        raise BadRequest("no data found in PEM block")
    return found


async def import_bundle(ctx: PkiContext, bundle: str, *, allow_keys: bool = True) -> Imported:
    """Store every key and certificate of a PEM bundle. Raises BadRequest for a block that does
    not parse, a key where none is allowed, or a certificate that is not a CA."""
    result = Imported()
    parsed_keys: list[keys.PrivateKey] = []
    parsed_certs: list[x509.Certificate] = []
    for index, (label, text) in enumerate(blocks(bundle), start=1):
        if label.endswith("PRIVATE KEY"):
            if not allow_keys:
                raise BadRequest("private keys cannot be imported through this path")
            parsed_keys.append(keys.load(text))
        elif label == "CERTIFICATE":
            parsed_certs.append(_load_block(text, index))
        else:
            raise BadRequest(f"error when parsing block {index}: unsupported PEM block type")
    for key in parsed_keys:
        entry, new = await add_key(ctx, key)
        (result.keys if new else result.existing_keys).append(entry.id)
    for cert in parsed_certs:
        if not is_ca(cert):
            raise BadRequest("refusing to import non-CA certificate")
        issuer, new = await add_issuer(ctx, cert)
        (result.issuers if new else result.existing_issuers).append(issuer.id)
    return result


def _load_block(text: str, index: int) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(text.encode())
    except ValueError:
        raise BadRequest(f"error when parsing block {index}: invalid PEM data") from None


def is_ca(cert: x509.Certificate) -> bool:
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    return constraints.ca


async def mapping(ctx: PkiContext, issuer_ids: list[str]) -> dict[str, str]:
    found = {}
    for issuer_id in issuer_ids:
        entry = await ctx.store.issuer(issuer_id)
        if entry is not None:
            found[issuer_id] = entry.key_id
    return found
