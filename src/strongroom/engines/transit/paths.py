"""The transit route table: Vault's transit path tree, plus the lifecycle paths (`lifecycle.py`).

Patterns are anchored by the Router and tried in order, so the `keys/:name/<action>` paths come
before `keys/:name`. A LIST path always ends in "/" (the HTTP layer adds it). Key names follow
Vault's GenericNameRegex (`routes.named`); optional trailing segments follow its
OptionalParamRegex (`(/(?P<x>.+))?`).
"""

from __future__ import annotations

from strongroom.core.request import Operation as Op
from strongroom.core.routes import Route, Router, named
from strongroom.engines.transit import (
    byok,
    encryption,
    export,
    handlers,
    lifecycle,
    signatures,
    utility,
)
from strongroom.engines.transit.service import Transit

KEY = f"keys/{named('name')}"
VERSION = f"{KEY}/versions/(?P<version>[1-9][0-9]{{0,8}})"

ROUTES: tuple[Route[Transit], ...] = (
    Route("keys/?", {Op.LIST: handlers.list_keys}),
    Route(f"{KEY}/config", {Op.UPDATE: handlers.configure_key}),
    Route(f"{KEY}/rotate", {Op.UPDATE: handlers.rotate_key}),
    Route(f"{KEY}/trim", {Op.UPDATE: handlers.trim_key}),
    Route(f"{KEY}/import", {Op.UPDATE: byok.import_key}),
    Route(f"{KEY}/import_version", {Op.UPDATE: byok.import_version}),
    Route(f"{KEY}/disable", {Op.UPDATE: lifecycle.disable}),
    Route(f"{KEY}/enable", {Op.UPDATE: lifecycle.enable}),
    Route(f"{KEY}/schedule-deletion", {Op.UPDATE: lifecycle.schedule_deletion}),
    Route(f"{KEY}/cancel-deletion", {Op.UPDATE: lifecycle.cancel_deletion}),
    Route(f"{VERSION}/disable", {Op.UPDATE: lifecycle.disable_version}),
    Route(f"{VERSION}/enable", {Op.UPDATE: lifecycle.enable_version}),
    Route(f"{VERSION}/destroy", {Op.UPDATE: lifecycle.destroy_version}),
    Route(
        KEY,
        {
            Op.READ: handlers.read_key,
            Op.UPDATE: handlers.create_key,
            Op.DELETE: handlers.delete_key,
        },
    ),
    Route(f"encrypt/{named('name')}", {Op.UPDATE: encryption.encrypt}),
    Route(f"decrypt/{named('name')}", {Op.UPDATE: encryption.decrypt_data}),
    Route(f"rewrap/{named('name')}", {Op.UPDATE: encryption.rewrap}),
    Route(f"datakey/{named('kind')}/{named('name')}", {Op.UPDATE: encryption.datakey}),
    Route(r"random(?:/(?P<source>[^/]+))?(?:/(?P<bytes>[^/]+))?", {Op.UPDATE: utility.random}),
    Route("hash(?:/(?P<algorithm>.+))?", {Op.UPDATE: utility.hash_data}),
    Route(f"hmac/{named('name')}(?:/(?P<algorithm>.+))?", {Op.UPDATE: signatures.hmac}),
    Route(f"sign/{named('name')}(?:/(?P<algorithm>.+))?", {Op.UPDATE: signatures.sign}),
    Route(f"verify/{named('name')}(?:/(?P<algorithm>.+))?", {Op.UPDATE: signatures.verify}),
    Route(
        f"export/{named('type')}/{named('name')}(?:/(?P<version>.+))?",
        {Op.READ: export.export},
    ),
    Route(f"backup/{named('name')}", {Op.READ: export.backup}),
    Route("restore(?:/(?P<name>.+))?", {Op.UPDATE: export.restore}),
    Route("wrapping_key", {Op.READ: byok.read_wrapping_key}),
    Route(
        "cache-config",
        {Op.READ: handlers.read_cache_config, Op.UPDATE: handlers.write_cache_config},
    ),
    Route(
        "config/keys",
        {Op.READ: handlers.read_keys_config, Op.UPDATE: handlers.write_keys_config},
    ),
)

ROUTER = Router(ROUTES)
