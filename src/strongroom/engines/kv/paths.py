"""The KV route tables: Vault's kv-v2 path tree, and kv-v1's single catch-all path.

Patterns are anchored by the Router; a LIST path always ends in "/" (the HTTP layer adds it), so
`metadata/(?P<path>.*)` receives folder names such as "" or "app/".
"""

from __future__ import annotations

from strongroom.core.request import Operation as Op
from strongroom.core.routes import Route, Router
from strongroom.engines.kv import handlers, metadata, v1, versions
from strongroom.engines.kv.store import KvStore

V2_ROUTES: tuple[Route[KvStore], ...] = (
    Route("config", {Op.READ: handlers.read_config, Op.UPDATE: handlers.write_config}),
    Route(
        "data/(?P<path>.*)",
        {
            Op.READ: handlers.read_data,
            Op.UPDATE: handlers.write_data,
            Op.PATCH: handlers.patch_data,
            Op.DELETE: handlers.delete_latest,
        },
    ),
    Route("delete/(?P<path>.+)", {Op.UPDATE: versions.delete_versions}),
    Route("undelete/(?P<path>.+)", {Op.UPDATE: versions.undelete_versions}),
    Route("destroy/(?P<path>.+)", {Op.UPDATE: versions.destroy_versions}),
    Route(
        "metadata/(?P<path>.*)",
        {
            Op.READ: metadata.read_metadata,
            Op.LIST: metadata.list_keys,
            Op.UPDATE: metadata.write_metadata,
            Op.PATCH: metadata.patch_metadata,
            Op.DELETE: metadata.delete_metadata,
        },
    ),
    Route("subkeys/(?P<path>.*)", {Op.READ: handlers.read_subkeys}),
    Route(".*", dict.fromkeys(Op, handlers.invalid_path)),
)

V1_ROUTES: tuple[Route[KvStore], ...] = (
    Route(
        "(?P<path>.*)",
        {Op.READ: v1.read, Op.LIST: v1.list_keys, Op.UPDATE: v1.write, Op.DELETE: v1.delete},
    ),
)

V2 = Router(V2_ROUTES)
V1 = Router(V1_ROUTES)
