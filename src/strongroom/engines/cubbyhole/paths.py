"""The cubbyhole route table: one catch-all path, as Vault's `cubbyhole/.*`."""

from __future__ import annotations

from strongroom.engines.cubbyhole import path_cubbyhole
from strongroom.logical import Operation, OperationSpec, Path, PathTable, View

Op = Operation
S = OperationSpec

TABLE: PathTable[View] = PathTable(
    [
        Path(
            "(?P<path>.*)",
            {
                Op.READ: S(path_cubbyhole.read, path_cubbyhole.Key),
                Op.LIST: S(path_cubbyhole.list_keys, path_cubbyhole.Key),
                Op.UPDATE: S(path_cubbyhole.write, path_cubbyhole.Key),
                Op.DELETE: S(path_cubbyhole.delete, path_cubbyhole.Key),
            },
            synopsis=path_cubbyhole.SYNOPSIS,
            arbitrary_input=True,  # the request body is the secret
        )
    ]
)
