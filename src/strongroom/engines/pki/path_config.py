"""Mount settings and housekeeping: `config/urls`, `config/crl`, `config/auto-tidy`, `tidy`,
`tidy-status` (api-docs/secret/pki#set-urls, #set-revocation-configuration,
#configure-automatic-tidy, #tidy, #tidy-status). Tidy runs in the request (it pages through
the mount's own records) and, when `config/auto-tidy` enables it, from the scheduler's tick.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.clock import rfc3339
from strongroom.engines.pki import certs, crl
from strongroom.engines.pki.context import PkiContext
from strongroom.engines.pki.models import CrlConfig, TidyConfig, TidyStatus, UrlsConfig
from strongroom.errors import BadRequest
from strongroom.logical import UNSET, Duration, Request, Response, UnsetType, duration_text

URLS_SYNOPSIS = "Set the URLs for the issuing CA, CRL distribution points, and OCSP servers."
CRL_SYNOPSIS = "Configure the CRL expiration."
AUTO_TIDY_SYNOPSIS = "Modifies the current configuration for automatic tidy execution."
TIDY_SYNOPSIS = (
    "Tidy up the backend by removing expired certificates, revocation information, or both."
)
TIDY_STATUS_SYNOPSIS = "Returns the status of the tidy operation."
TIDY_WARNING = (
    "Tidy operation successfully started. Any information from the operation will be printed "
    "to OpenBao's server logs."
)
TIDY_OPERATIONS = (
    "tidy_cert_store",
    "tidy_revoked_certs",
    "tidy_invalid_certs",
    "tidy_revoked_cert_issuer_associations",
    "tidy_expired_issuers",
    "tidy_move_legacy_ca_bundle",
    "tidy_acme",
)
NOTHING_TO_TIDY = (
    "Auto-tidy enabled but no tidy operations were requested. Enable at least one tidy "
    "operation to be run (" + " / ".join(TIDY_OPERATIONS) + ")."
)
_CRL_DURATIONS = ("expiry", "ocsp_expiry", "auto_rebuild_grace_period", "delta_rebuild_interval")


def _patch_struct(
    name: str,
    model: type[msgspec.Struct],
    durations: tuple[str, ...],
    skip: tuple[str, ...] = (),
    texts: tuple[str, ...] = (),
) -> type[msgspec.Struct]:
    """Every field of `model` as an optional input (UNSET unless sent)."""
    hints = typing.get_type_hints(model)
    fields: list[tuple[str, Any, Any]] = []
    for info in msgspec.structs.fields(model):
        if info.name in skip:
            continue
        kind: Any = Duration if info.name in durations else hints[info.name]
        if info.name in texts:
            kind = str
        fields.append(
            (
                info.name,
                Annotated[kind, Meta(description=f"The {info.name} setting.")] | UnsetType,
                UNSET,
            )
        )
    return msgspec.defstruct(name, fields, frozen=True, kw_only=True)


UrlsWrite = _patch_struct("UrlsWrite", UrlsConfig, ())
CrlWrite = _patch_struct("CrlWrite", CrlConfig, (), texts=_CRL_DURATIONS)
_TIDY_DURATIONS = (
    "interval_duration",
    "safety_buffer",
    "issuer_safety_buffer",
    "acme_account_safety_buffer",
    "revoked_safety_buffer",
)
AutoTidyWrite = _patch_struct("AutoTidyWrite", TidyConfig, _TIDY_DURATIONS, ("last_run",))
TidyWrite = _patch_struct(
    "TidyWrite", TidyConfig, _TIDY_DURATIONS, ("last_run", "enabled", "interval_duration")
)


def _sent(fields: Any) -> dict[str, Any]:  # noqa: ANN401 - a generated Struct
    return {k: v for k, v in msgspec.structs.asdict(fields).items() if v is not UNSET}


async def read_urls(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    return Response(data=msgspec.structs.asdict(await ctx.store.urls()))


async def write_urls(ctx: PkiContext, _req: Request, fields: Any) -> Response:  # noqa: ANN401
    config = msgspec.structs.replace(await ctx.store.urls(), **_sent(fields))
    await ctx.store.put_urls(config)
    return Response(data=msgspec.structs.asdict(config))


def _crl_body(config: CrlConfig) -> dict[str, Any]:
    body = msgspec.structs.asdict(config)
    for name in _CRL_DURATIONS:
        body[name] = _go_duration(body[name])
    return body


def _go_duration(seconds: int) -> str:
    """Go's time.Duration text for whole seconds, as Vault shows these settings ("72h")."""
    if seconds == 0:
        return "0s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes or (hours and secs) else "")
    return text + (f"{secs}s" if secs else "")


async def read_crl_config(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    return Response(data=_crl_body(await ctx.store.crl_config()))


async def write_crl_config(ctx: PkiContext, _req: Request, fields: Any) -> Response:  # noqa: ANN401
    before = await ctx.store.crl_config()
    values = _sent(fields)
    for name in _CRL_DURATIONS:
        if name in values:
            values[name] = duration_text(name, values[name])
    config = msgspec.structs.replace(before, **values)
    await ctx.store.put_crl_config(config)
    if config != before:
        await crl.rebuild_all(ctx)  # Vault rebuilds when the settings change
    return Response(data=_crl_body(config))


def _tidy_body(config: TidyConfig) -> dict[str, Any]:
    body = msgspec.structs.asdict(config)
    del body["last_run"]
    return body


async def read_auto_tidy(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    return Response(data=_tidy_body(await ctx.store.auto_tidy()))


async def write_auto_tidy(ctx: PkiContext, _req: Request, fields: Any) -> Response:  # noqa: ANN401
    config = msgspec.structs.replace(await ctx.store.auto_tidy(), **_sent(fields))
    if config.enabled and not any(getattr(config, name) for name in TIDY_OPERATIONS):
        raise BadRequest(NOTHING_TO_TIDY)
    await ctx.store.put_auto_tidy(config)
    return Response(data=_tidy_body(config))


async def run_tidy(ctx: PkiContext, settings: TidyConfig) -> TidyStatus:
    """Remove stored certificates (and revocations) expired for longer than `safety_buffer`,
    and, with `tidy_expired_issuers`, issuers expired longer than `issuer_safety_buffer`."""
    now = ctx.now()
    status = TidyStatus(state="Running", started=now, settings=settings)
    await ctx.store.put_tidy_status(status)
    removed_certs = removed_revoked = removed_issuers = 0
    cutoff = now - settings.safety_buffer
    for stored in await ctx.store.cert_serials():
        entry = await ctx.store.cert(stored)
        if entry is None or entry.not_after >= cutoff:
            continue
        if entry.revocation_time and settings.tidy_revoked_certs:
            await ctx.store.delete("revoked/" + stored)
            await ctx.store.delete("certs/" + stored)
            removed_revoked += 1
        elif not entry.revocation_time and settings.tidy_cert_store:
            await ctx.store.delete("certs/" + stored)
            removed_certs += 1
    if settings.tidy_expired_issuers:
        default = (await ctx.store.issuers_config()).default
        for issuer in await ctx.store.issuers():
            expired = certs.not_after(certs.load_pem(issuer.certificate))
            if issuer.id != default and expired < now - settings.issuer_safety_buffer:
                await ctx.store.delete("issuer/" + issuer.id)
                removed_issuers += 1
    if removed_revoked:
        await crl.rebuild_all(ctx)
    done = msgspec.structs.replace(
        status,
        state="Finished",
        finished=ctx.now(),
        cert_store_deleted_count=removed_certs,
        revoked_cert_deleted_count=removed_revoked,
        issuers_deleted_count=removed_issuers,
        current_cert_store_count=len(await ctx.store.cert_serials()),
        current_revoked_cert_count=len(await ctx.store.revoked_serials()),
    )
    await ctx.store.put_tidy_status(done)
    return done


async def tidy(ctx: PkiContext, _req: Request, fields: Any) -> Response:  # noqa: ANN401
    settings = msgspec.structs.replace(TidyConfig(), **_sent(fields))
    await run_tidy(ctx, settings)
    return Response(status=202, warnings=[TIDY_WARNING])


async def tidy_status(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    status = await ctx.store.tidy_status()
    settings = status.settings
    body: dict[str, Any] = {
        "state": status.state,
        "error": None,
        "message": None,
        "time_started": rfc3339(status.started) if status.started else None,
        "time_finished": rfc3339(status.finished) if status.finished else None,
        "cert_store_deleted_count": status.cert_store_deleted_count if settings else None,
        "revoked_cert_deleted_count": status.revoked_cert_deleted_count if settings else None,
        "current_cert_store_count": status.current_cert_store_count if settings else None,
        "current_revoked_cert_count": status.current_revoked_cert_count if settings else None,
    }
    for name in (
        "tidy_cert_store",
        "tidy_revoked_certs",
        "tidy_revoked_cert_issuer_associations",
        "tidy_expired_issuers",
        "safety_buffer",
        "issuer_safety_buffer",
    ):
        body[name] = None if settings is None else getattr(settings, name)
    return Response(data=body)


async def auto_tidy_due(ctx: PkiContext) -> None:
    """The scheduler's round: run tidy when `config/auto-tidy` is on and its interval passed."""
    config = await ctx.store.auto_tidy()
    if not config.enabled or ctx.now() < config.last_run + config.interval_duration:
        return
    await ctx.store.put_auto_tidy(msgspec.structs.replace(config, last_run=ctx.now()))
    await run_tidy(ctx, config)
