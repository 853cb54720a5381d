"""Building an issuer's CRLs (RFC 5280 §5; Vault's `buildCRLs`, api-docs/secret/pki#read-crl).

Each issuer with a key signs its own CRL of the certificates it issued that are revoked. The
complete and delta CRLs share one CRL number sequence (RFC 5280 §5.2.3); a delta lists the
revocations since its base complete CRL and names that base in its Delta CRL Indicator.
`config/crl` `disable` gives a signed but empty CRL, as in Vault.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from strongroom.engines.pki import certs, keys
from strongroom.engines.pki.context import PkiContext
from strongroom.engines.pki.models import CertEntry, CrlEntry, IssuerEntry


def _time(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(ts), tz=dt.UTC)


async def revoked_by(ctx: PkiContext, issuer_id: str) -> list[tuple[int, CertEntry]]:
    """(serial, entry) of every revoked certificate `issuer_id` issued."""
    found = []
    for stored in await ctx.store.revoked_serials():
        entry = await ctx.store.revocation(stored)
        if entry is not None and entry.issuer_id == issuer_id:
            found.append((int(stored.replace("-", ""), 16), entry))
    return found


def _sign(
    ctx: PkiContext,
    signer: certs.Signer,
    entries: list[tuple[int, CertEntry]],
    number: int,
    next_update: float,
    base: int | None,
) -> bytes:
    assert signer.certificate is not None  # noqa: S101 - an issuer always has one
    now = ctx.now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(signer.certificate.subject)
        .last_update(_time(now))
        .next_update(_time(next_update))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.key.public_key()),
            critical=False,
        )
    )
    if base is not None:
        builder = builder.add_extension(x509.DeltaCRLIndicator(base), critical=True)
    for serial, entry in entries:
        revoked = (
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(_time(entry.revocation_time))
            .build()
        )
        builder = builder.add_revoked_certificate(revoked)
    crl = builder.sign(signer.key, keys.signature_hash(signer.key, 0))
    return crl.public_bytes(serialization.Encoding.DER)


async def rebuild(ctx: PkiContext, issuer: IssuerEntry) -> CrlEntry:
    """A new complete CRL for `issuer` (and a fresh delta when deltas are on)."""
    config = await ctx.store.crl_config()
    signer = await ctx.signer(issuer)
    entries = [] if config.disable else await revoked_by(ctx, issuer.id)

    async def build(previous: CrlEntry) -> CrlEntry:
        now = ctx.now()
        number = max(previous.number, previous.delta_number) + 1
        next_update = now + config.expiry
        der = _sign(ctx, signer, entries, number, next_update, None)
        entry = CrlEntry(
            number=number,
            der=der,
            built=now,
            next_update=next_update,
            delta_number=number,
            delta_built=now,
        )
        return _delta(ctx, entry, signer, [], config.expiry) if config.enable_delta else entry

    return await ctx.store.update_crl(issuer.id, build)


def _delta(
    ctx: PkiContext,
    base: CrlEntry,
    signer: certs.Signer,
    entries: list[tuple[int, CertEntry]],
    expiry: int,
) -> CrlEntry:
    number = max(base.number, base.delta_number) + 1
    der = _sign(ctx, signer, entries, number, ctx.now() + expiry, base.number)
    return msgspec.structs.replace(
        base,
        delta_number=number,
        delta_der=der,
        delta_built=ctx.now(),
        delta_revocations=len(entries),
    )


async def rebuild_delta(ctx: PkiContext, issuer: IssuerEntry) -> CrlEntry:
    """A new delta CRL: the revocations since the base complete CRL was built."""
    if not (await ctx.store.crl(issuer.id)).der:
        return await rebuild(ctx, issuer)
    signer = await ctx.signer(issuer)
    config = await ctx.store.crl_config()
    revoked = [] if config.disable else await revoked_by(ctx, issuer.id)

    async def build(base: CrlEntry) -> CrlEntry:
        entries = [(serial, e) for serial, e in revoked if e.revocation_time >= base.built]
        return _delta(ctx, base, signer, entries, config.expiry)

    return await ctx.store.update_crl(issuer.id, build)


async def current(ctx: PkiContext, issuer: IssuerEntry, *, delta: bool = False) -> bytes:
    """The issuer's CRL DER as last built (built now if it never was)."""
    entry = await ctx.store.crl(issuer.id)
    if not entry.der:
        entry = await rebuild(ctx, issuer)
    if delta and not entry.delta_der:
        entry = await rebuild_delta(ctx, issuer)
    return entry.delta_der if delta else entry.der


async def rebuild_all(ctx: PkiContext) -> None:
    for issuer in await ctx.store.issuers():
        if issuer.key_id:
            await rebuild(ctx, issuer)


async def revoked_changed(ctx: PkiContext, issuer_id: str) -> None:
    """After a revocation: rebuild now, as Vault does unless `auto_rebuild` is set (then the
    next periodic rebuild or delta picks it up)."""
    config = await ctx.store.crl_config()
    issuer = await ctx.store.issuer(issuer_id)
    if issuer is None or not issuer.key_id:
        return
    if not config.auto_rebuild:
        await rebuild(ctx, issuer)


async def periodic(ctx: PkiContext) -> None:
    """The scheduler's round: with `auto_rebuild`, a CRL within its grace period of expiring
    is rebuilt; with `enable_delta`, a delta older than `delta_rebuild_interval` that misses
    revocations is rebuilt."""
    config = await ctx.store.crl_config()
    if not (config.auto_rebuild or config.enable_delta):
        return
    now = ctx.now()
    for issuer in await ctx.store.issuers():
        if not issuer.key_id:
            continue
        entry = await ctx.store.crl(issuer.id)
        if config.auto_rebuild and (
            not entry.der or now >= entry.next_update - config.auto_rebuild_grace_period
        ):
            await rebuild(ctx, issuer)
            continue
        if config.enable_delta and now >= entry.delta_built + config.delta_rebuild_interval:
            pending = [
                e for _, e in await revoked_by(ctx, issuer.id) if e.revocation_time >= entry.built
            ]
            if len(pending) != entry.delta_revocations:
                await rebuild_delta(ctx, issuer)


def pem(der: bytes) -> str:
    return x509.load_der_x509_crl(der).public_bytes(serialization.Encoding.PEM).decode()
