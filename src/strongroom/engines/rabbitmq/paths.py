"""The RabbitMQ route table: Vault's `rabbitmq` path tree.

config/connection   POST: the management API and its administrator (write only)
config/lease        POST/GET: the TTLs of generated credentials
roles/:name         POST/GET/DELETE, LIST roles
creds/:name         GET: a new RabbitMQ user with the role's tags and permissions, leased
"""

from __future__ import annotations

from strongroom.engines.rabbitmq import path_config, path_creds, path_roles
from strongroom.engines.rabbitmq.context import ONE, Named, RabbitMqContext
from strongroom.logical import Operation, OperationSpec, Path, PathTable

Op = Operation
S = OperationSpec

TABLE: PathTable[RabbitMqContext] = PathTable(
    [
        Path(
            "config/connection",
            {Op.UPDATE: S(path_config.write_connection, path_config.ConnectionWrite)},
            synopsis=path_config.CONNECTION_SYNOPSIS,
        ),
        Path(
            "config/lease",
            {
                Op.READ: S(path_config.read_lease),
                Op.UPDATE: S(path_config.write_lease, path_config.LeaseWrite),
            },
            synopsis=path_config.LEASE_SYNOPSIS,
        ),
        Path("roles/?", {Op.LIST: S(path_roles.list_names)}, synopsis=path_roles.SYNOPSIS),
        Path(
            f"roles/{ONE}",
            {
                Op.READ: S(path_roles.read, Named),
                Op.UPDATE: S(path_roles.write, path_roles.RoleWrite),
                Op.DELETE: S(path_roles.delete, Named),
            },
            synopsis=path_roles.SYNOPSIS,
        ),
        Path(
            f"creds/{ONE}", {Op.READ: S(path_creds.generate, Named)}, synopsis=path_creds.SYNOPSIS
        ),
    ]
)
