"""Issuers and keys of a mount: `issuers` (LIST), `issuer/:ref` (read, update, patch, delete),
`issuer/:ref/pem|der|json`, `config/issuers`, `keys` (LIST), `key/:ref`, `keys/import`,
`config/keys`, `config/ca` and `intermediate/set-signed` (api-docs/secret/pki, "Issuer
management", "Key management").
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.pki import keys, render
from strongroom.engines.pki.context import PkiContext, checked_name
from strongroom.engines.pki.issuers import (
    AIA_WARNING,
    add_key,
    checked_unique_name,
    import_bundle,
    mapping,
)
from strongroom.engines.pki.models import ALL_USAGES, IssuerEntry, IssuersConfig, KeysConfig
from strongroom.engines.pki.naming import shown
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, UNSET, Request, Response, UnsetType

ISSUERS_SYNOPSIS = "Fetch a list of CA certificates."
ISSUER_SYNOPSIS = "Fetch a single issuer certificate."
CONFIG_ISSUERS_SYNOPSIS = "Read and set the default issuer certificate for signing."
KEYS_SYNOPSIS = "Fetch a list of all issuer keys."
KEY_SYNOPSIS = "Fetch a single issuer key."
IMPORT_KEY_SYNOPSIS = "Import the specified key."
CONFIG_CA_SYNOPSIS = "Set the CA certificate and private key used for generated credentials."
SET_SIGNED_SYNOPSIS = "Provide the signed intermediate CA cert."
BEHAVIORS = ("err", "truncate", "permit")
Ref = Annotated[str, Meta(description="Reference to an issuer: its name, id or `default`.")]


class IssuerRef(msgspec.Struct, frozen=True, kw_only=True):
    issuer_ref: Ref


class IssuerForm(IssuerRef, frozen=True, kw_only=True):
    form: Annotated[str, Meta(description="pem, der or json.")]


class IssuerWrite(msgspec.Struct, frozen=True, kw_only=True):
    issuer_ref: Ref
    issuer_name: Annotated[str, Meta(description="Provide a name to the issuer.")] = ""
    leaf_not_after_behavior: Annotated[str, Meta(description="err, truncate or permit.")] = "err"
    manual_chain: Annotated[list[str], Meta(description="Issuer references of the chain.")] = []
    usage: Annotated[list[str], Meta(description="Allowed usages of this issuer.")] = msgspec.field(
        default_factory=lambda: list(ALL_USAGES)
    )
    revocation_signature_algorithm: Annotated[str, Meta(description="CRL signature.")] = ""
    issuing_certificates: Annotated[list[str], Meta(description="AIA issuing URLs.")] = []
    crl_distribution_points: Annotated[list[str], Meta(description="CRL URLs.")] = []
    delta_crl_distribution_points: Annotated[list[str], Meta(description="Delta CRLs.")] = []
    ocsp_servers: Annotated[list[str], Meta(description="OCSP server URLs.")] = []
    enable_aia_url_templating: Annotated[bool, Meta(description="Template AIA URLs.")] = False


class IssuerPatch(msgspec.Struct, frozen=True, kw_only=True):
    issuer_ref: Ref
    issuer_name: str | UnsetType = UNSET
    leaf_not_after_behavior: str | UnsetType = UNSET
    manual_chain: list[str] | UnsetType = UNSET
    usage: list[str] | UnsetType = UNSET
    revocation_signature_algorithm: str | UnsetType = UNSET
    issuing_certificates: list[str] | UnsetType = UNSET
    crl_distribution_points: list[str] | UnsetType = UNSET
    delta_crl_distribution_points: list[str] | UnsetType = UNSET
    ocsp_servers: list[str] | UnsetType = UNSET
    enable_aia_url_templating: bool | UnsetType = UNSET


class KeyRef(msgspec.Struct, frozen=True, kw_only=True):
    key_ref: Annotated[str, Meta(description="Reference to a key: its name, id or `default`.")]


class KeyWrite(KeyRef, frozen=True, kw_only=True):
    key_name: Annotated[str, Meta(description="Human-readable name for this key.")] = ""


class KeyImport(msgspec.Struct, frozen=True, kw_only=True):
    pem_bundle: Annotated[str, Meta(description="PEM-format, unencrypted private key.")] = ""
    key_name: Annotated[str, Meta(description="Optional name for the key.")] = ""


class Bundle(msgspec.Struct, frozen=True, kw_only=True):
    pem_bundle: Annotated[str, Meta(description="PEM-format, concatenated keys and certs.")] = ""


class SignedIntermediate(msgspec.Struct, frozen=True, kw_only=True):
    certificate: Annotated[str, Meta(description="PEM-format certificate (and chain).")] = ""


class DefaultIssuer(msgspec.Struct, frozen=True, kw_only=True):
    default: Annotated[str, Meta(description="Reference to the default issuer.")] = ""
    default_follows_latest_issuer: Annotated[
        bool, Meta(description="Whether the default follows the newest issuer.")
    ] = False


class DefaultKey(msgspec.Struct, frozen=True, kw_only=True):
    default: Annotated[str, Meta(description="Reference to the default key.")] = ""


# -- issuers --------------------------------------------------------------------------------


async def list_issuers(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    default = (await ctx.store.issuers_config()).default
    entries = sorted(await ctx.store.issuers(), key=lambda e: e.id)
    if not entries:
        raise NotFound
    info = {
        e.id: {
            "is_default": e.id == default,
            "issuer_name": e.name,
            "key_id": e.key_id,
            "serial_number": e.serial_number,
        }
        for e in entries
    }
    return Response(data={"key_info": info, "keys": [e.id for e in entries]})


async def read_issuer(ctx: PkiContext, _req: Request, fields: IssuerRef) -> Response:
    return await issuer_answer(ctx, await ctx.issuer(fields.issuer_ref))


async def issuer_answer(ctx: PkiContext, entry: IssuerEntry) -> Response:
    """An issuer's read body (also what its update and revocation answer)."""
    key = await ctx.store.key(entry.key_id) if entry.key_id else None
    return Response(data=render.issuer(entry, await ctx.chain(entry), key))


def _checked_settings(values: dict[str, Any]) -> None:
    behavior = values.get("leaf_not_after_behavior")
    if behavior is not None and behavior not in BEHAVIORS:
        raise BadRequest("Unknown value for field `leaf_not_after_behavior`")
    usage = values.get("usage")
    if usage is not None and set(usage) - set(ALL_USAGES):
        raise BadRequest("Unknown usage; must be one of " + ", ".join(ALL_USAGES))


async def _update(ctx: PkiContext, ref: str, values: dict[str, Any]) -> Response:
    entry = await ctx.issuer(ref)
    _checked_settings(values)
    name = values.pop("issuer_name", entry.name)
    if name != entry.name:
        checked_name(name, "issuer")
        await checked_unique_name(ctx, name, "issuer")
    chain = values.pop("manual_chain", entry.manual_chain)
    if chain:
        resolved = [(await ctx.issuer(r)).id for r in chain]
        chain = resolved
        if chain[0] != entry.id:
            raise BadRequest("manual_chain must begin with the issuer itself (or be empty)")
    updated = msgspec.structs.replace(entry, name=name, manual_chain=chain or None, **values)
    await ctx.store.put_issuer(updated)
    return await issuer_answer(ctx, updated)


async def write_issuer(ctx: PkiContext, _req: Request, fields: IssuerWrite) -> Response:
    """Vault's POST replaces every setting: one not sent takes its default."""
    values = msgspec.structs.asdict(fields)
    del values["issuer_ref"]
    return await _update(ctx, fields.issuer_ref, values)


async def patch_issuer(ctx: PkiContext, _req: Request, fields: IssuerPatch) -> Response:
    values = {k: v for k, v in msgspec.structs.asdict(fields).items() if v is not UNSET}
    del values["issuer_ref"]
    return await _update(ctx, fields.issuer_ref, values)


async def delete_issuer(ctx: PkiContext, _req: Request, fields: IssuerRef) -> Response:
    found = await ctx.store.issuer_id(fields.issuer_ref)
    if not found:
        return NO_CONTENT
    await ctx.store.delete("issuer/" + found)
    await ctx.store.delete("crl/" + found)
    config = await ctx.store.issuers_config()
    if config.default == found:
        await ctx.store.put_issuers_config(msgspec.structs.replace(config, default=""))
        warning = (
            f"Deleted issuer {found} (via issuer_ref {shown(fields.issuer_ref)}); this was "
            "configured as the default issuer. Operations without an explicit issuer will "
            "not work until a new default is configured."
        )
        return Response(warnings=[warning])
    return NO_CONTENT


async def issuer_form(ctx: PkiContext, _req: Request, fields: IssuerForm) -> Response:
    """`issuer/:ref/pem` and `/der` answer the bare certificate; `/json` a JSON body."""
    entry = await ctx.issuer(fields.issuer_ref)
    if fields.form == "pem":
        return render.raw(entry.certificate + "\n", render.PEM_CHAIN)
    if fields.form == "der":
        return render.raw(render.der(entry.certificate), render.PKIX_CERT)
    body = {
        "ca_chain": await ctx.chain(entry),
        "certificate": entry.certificate,
        "issuer_id": entry.id,
        "issuer_name": entry.name,
    }
    return Response(data=body)


async def read_default_issuer(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    config = await ctx.store.issuers_config()
    return Response(data=msgspec.structs.asdict(config))


async def write_default_issuer(ctx: PkiContext, _req: Request, fields: DefaultIssuer) -> Response:
    default = ""
    if fields.default:
        found = await ctx.store.issuer_id(fields.default)
        if not found:
            raise BadRequest(
                "Error resolving issuer reference: unable to find PKI issuer for reference: "
                + shown(fields.default)
            )
        default = found
    config = IssuersConfig(
        default=default, default_follows_latest_issuer=fields.default_follows_latest_issuer
    )
    await ctx.store.put_issuers_config(config)
    return Response(data=msgspec.structs.asdict(config))


# -- keys -----------------------------------------------------------------------------------


async def list_keys(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    default = (await ctx.store.keys_config()).default
    entries = sorted(await ctx.store.keys(), key=lambda e: e.id)
    if not entries:
        raise NotFound
    info = {e.id: {"is_default": e.id == default, "key_name": e.name} for e in entries}
    return Response(data={"key_info": info, "keys": [e.id for e in entries]})


async def read_key(ctx: PkiContext, _req: Request, fields: KeyRef) -> Response:
    entry = await ctx.key(fields.key_ref)
    return Response(data=render.key(entry, render.subject_key_id(entry)))


async def write_key(ctx: PkiContext, _req: Request, fields: KeyWrite) -> Response:
    entry = await ctx.key(fields.key_ref)
    if fields.key_name != entry.name:
        checked_name(fields.key_name, "key")
        await checked_unique_name(ctx, fields.key_name, "key")
        entry = msgspec.structs.replace(entry, name=fields.key_name)
        await ctx.store.put_key(entry)
    return Response(data={"key_id": entry.id, "key_name": entry.name, "key_type": entry.type})


async def delete_key(ctx: PkiContext, _req: Request, fields: KeyRef) -> Response:
    found = await ctx.store.key_id(fields.key_ref)
    if not found:
        return NO_CONTENT
    if any(i.key_id == found for i in await ctx.store.issuers()):
        raise BadRequest("Failed to Delete Key.  Key in Use by Issuer")
    await ctx.store.delete("key/" + found)
    config = await ctx.store.keys_config()
    if config.default == found:
        await ctx.store.put_keys_config(KeysConfig())
    return NO_CONTENT


async def import_key(ctx: PkiContext, _req: Request, fields: KeyImport) -> Response:
    if not fields.pem_bundle:
        raise BadRequest("'pem_bundle' parameter is required")
    checked_name(fields.key_name, "key")
    await checked_unique_name(ctx, fields.key_name, "key")
    entry, new = await add_key(ctx, keys.load(fields.pem_bundle), fields.key_name)
    warnings = None if new else ["Key already imported, use key/ endpoint to update name."]
    body = {"key_id": entry.id, "key_name": entry.name, "key_type": entry.type}
    return Response(data=body, warnings=warnings)


async def read_default_key(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    return Response(data={"default": (await ctx.store.keys_config()).default})


async def write_default_key(ctx: PkiContext, _req: Request, fields: DefaultKey) -> Response:
    entry = await ctx.key(fields.default)
    await ctx.store.put_keys_config(KeysConfig(default=entry.id))
    return Response(data={"default": entry.id})


# -- imports --------------------------------------------------------------------------------


async def config_ca(ctx: PkiContext, _req: Request, fields: Bundle) -> Response:
    if not fields.pem_bundle:
        raise BadRequest("'pem_bundle' must be present")
    result = await import_bundle(ctx, fields.pem_bundle)
    return await _imported(ctx, result)


async def set_signed(ctx: PkiContext, _req: Request, fields: SignedIntermediate) -> Response:
    if not fields.certificate:
        raise BadRequest("no certificate provided in the 'certificate' parameter")
    result = await import_bundle(ctx, fields.certificate, allow_keys=False)
    return await _imported(ctx, result)


async def _imported(ctx: PkiContext, result: Any) -> Response:  # noqa: ANN401 - Imported
    body = result.body(await mapping(ctx, result.issuers + result.existing_issuers))
    body["mapping"] = await mapping(ctx, result.issuers)
    warnings = None if (await ctx.store.urls()).issuing_certificates else [AIA_WARNING]
    return Response(data=body, warnings=warnings)
