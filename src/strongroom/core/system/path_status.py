"""sys/health, sys/leader, sys/key-status, sys/rotate and sys/metrics: what the node says about
itself, and the rotation of its (or a namespace's) barrier key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import msgspec

from strongroom.config.coerce import GO_FALSE, GO_TRUE
from strongroom.core.metrics import PROMETHEUS_CONTENT_TYPE
from strongroom.core.namespaces.registry import ROOT
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.system.seal_status import HEALTH_CODES, health, key_status, leader
from strongroom.errors import BadRequest, NotFound
from strongroom.logical.fields import UNSET, NoFields, StringSlice, UnsetType

if TYPE_CHECKING:
    from strongroom.core.core import Core

HEALTH_SYNOPSIS = "Checks the health status of the node."
LEADER_SYNOPSIS = "Returns the high availability status and current leader instance."
KEY_STATUS_SYNOPSIS = "Provides information about the backend encryption key."
ROTATE_SYNOPSIS = "Rotates the backend encryption key used to persist data."
METRICS_SYNOPSIS = "Export the metrics aggregated for telemetry purpose."

_Code = Annotated[StringSlice | UnsetType, msgspec.Meta(description="A status code to answer.")]


class HealthQuery(msgspec.Struct, frozen=True, kw_only=True):
    """sys/health's query parameters. OpenBao reads each with Go's `strconv.Atoi` and
    `ParseBool` (http/sys_health.go): the first value of a repeated parameter counts, and
    any that does not parse is a 400 with no message, whichever state it was meant for."""

    activecode: _Code = UNSET
    standbycode: _Code = UNSET
    drsecondarycode: _Code = UNSET
    performancestandbycode: _Code = UNSET
    sealedcode: _Code = UNSET
    uninitcode: _Code = UNSET
    standbyok: Annotated[
        StringSlice | UnsetType,
        msgspec.Meta(description="Whether a standby answers with the active status code."),
    ] = UNSET
    perfstandbyok: Annotated[
        StringSlice | UnsetType,
        msgspec.Meta(description="Whether a performance standby answers as an active node."),
    ] = UNSET


class MetricsQuery(msgspec.Struct, frozen=True, kw_only=True):
    format: Annotated[
        str, msgspec.Meta(description='"prometheus" for the text format; else JSON.')
    ] = ""


def _atoi(values: list[str] | UnsetType) -> int | None:
    if values is UNSET or not values:
        return None
    text = values[0]
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isascii() or not digits.isdigit():
        raise BadRequest("")  # OpenBao's empty message for a malformed parameter
    return int(text)


def _parse_bool(values: list[str] | UnsetType) -> bool:
    if values is UNSET or not values:
        return False
    if values[0] not in GO_TRUE | GO_FALSE:
        raise BadRequest("")
    return values[0] in GO_TRUE


async def read_health(core: Core, _req: Request, fields: HealthQuery) -> Response:
    codes = {name: _atoi(getattr(fields, name)) for name in HEALTH_CODES}
    standby_ok = _parse_bool(fields.standbyok)
    _parse_bool(fields.perfstandbyok)  # checked as OpenBao does; no performance standbys here
    state, body = await health(core)
    if state == "standbycode" and standby_ok:
        state = "activecode"
    found = codes[state]
    status = HEALTH_CODES[state] if found is None else found
    if not 100 <= status <= 599:
        raise BadRequest(f"invalid status code for {state}")
    return Response(body, raw=True, status=status)


async def read_leader(core: Core, _req: Request, _f: NoFields) -> Response:
    return Response(leader(core), raw=True)


async def read_key_status(core: Core, _req: Request, _f: NoFields) -> Response:
    if core.namespace is not ROOT:  # inside a namespace: that namespace's own key
        term, _count = await core.tenant_keys().key_status()
        return Response(key_status(term), top_level=True)
    return Response(key_status(core.barrier.key_status()), top_level=True)


async def rotate(core: Core, _req: Request, _f: NoFields) -> Response:
    if core.namespace is not ROOT:
        term = await core.tenant_keys().rotate()
        event = {"namespace": core.namespace.path, "term": term.number}
        await core.audit.log_event("namespace-key-rotated", event)
        return NO_CONTENT
    term = await core.barrier.rotate()
    await core.audit.log_event("barrier-key-rotated", {"term": term.number})
    return NO_CONTENT


async def read_metrics(core: Core, _req: Request, fields: MetricsQuery) -> Response:
    if fields.format == "prometheus":
        text = core.metrics.prometheus(core.sealed)
        return Response(text=text, content_type=PROMETHEUS_CONTENT_TYPE)
    return Response(core.metrics.as_json(core.sealed), raw=True)


async def unsupported_path(_core: Core, _req: Request, _f: NoFields) -> Response:
    """OpenBao answers a LIST of a path that only reads with 404, not 405 (sys/audit), and
    a path it protects but Strongroom does not serve (sys/raw, sys/step-down) after the sudo
    check, as OpenBao does when raw storage access is not enabled."""
    raise NotFound("unsupported path")
