"""The cubbyhole route table: one catch-all path, as Vault's `cubbyhole/.*`."""

from __future__ import annotations

from strongroom.core.request import Operation as Op
from strongroom.core.routes import Route, Router
from strongroom.core.view import View
from strongroom.engines.cubbyhole import handlers

ROUTER: Router[View] = Router(
    [
        Route(
            "(?P<path>.*)",
            {
                Op.READ: handlers.read,
                Op.LIST: handlers.list_keys,
                Op.UPDATE: handlers.write,
                Op.DELETE: handlers.delete,
            },
        )
    ]
)
