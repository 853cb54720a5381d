"""The database route table: Vault's database secrets engine path tree.

A LIST path always ends in "/" (the HTTP layer adds it), hence the optional slash. The config
write takes arbitrary input: the fields it does not declare are the plugin's (see path_config).
"""

from __future__ import annotations

from strongroom.engines.database import (
    path_config,
    path_creds,
    path_roles,
    path_rotate,
    path_static_roles,
)
from strongroom.engines.database.context import ONE, DatabaseContext, Listing, Named
from strongroom.logical import Operation, OperationSpec, Path, PathTable

Op = Operation
S = OperationSpec

TABLE: PathTable[DatabaseContext] = PathTable(
    [
        Path(
            "config/?",
            {Op.LIST: S(path_config.list_names, Listing)},
            synopsis=path_config.SYNOPSIS,
        ),
        Path(
            f"config/{ONE}",
            {
                Op.READ: S(path_config.read, Named),
                Op.UPDATE: S(path_config.write, path_config.ConfigWrite),
                Op.DELETE: S(path_config.delete, Named),
            },
            synopsis=path_config.SYNOPSIS,
            description=path_config.DESCRIPTION,
            exists=path_config.exists,
            arbitrary_input=True,  # Vault passes the plugin's own fields through
        ),
        Path(
            f"reset/{ONE}",
            {Op.UPDATE: S(path_config.reset, Named)},
            synopsis=path_config.RESET_SYNOPSIS,
        ),
        Path(
            f"rotate-root/{ONE}",
            {Op.UPDATE: S(path_rotate.rotate_root, Named)},
            synopsis=path_rotate.ROOT_SYNOPSIS,
        ),
        Path(
            "roles/?",
            {Op.LIST: S(path_roles.list_names, Listing)},
            synopsis=path_roles.SYNOPSIS,
        ),
        Path(
            f"roles/{ONE}",
            {
                Op.READ: S(path_roles.read, Named),
                Op.UPDATE: S(path_roles.write, path_roles.RoleWrite),
                Op.DELETE: S(path_roles.delete, Named),
            },
            synopsis=path_roles.SYNOPSIS,
            description=path_roles.DESCRIPTION,
            exists=path_roles.exists,
        ),
        Path(
            f"creds/{ONE}",
            {Op.READ: S(path_creds.generate, Named)},
            synopsis=path_creds.SYNOPSIS,
        ),
        Path(
            "static-roles/?",
            {Op.LIST: S(path_static_roles.list_names, Listing)},
            synopsis=path_static_roles.SYNOPSIS,
        ),
        Path(
            f"static-roles/{ONE}",
            {
                Op.READ: S(path_static_roles.read, Named),
                Op.UPDATE: S(path_static_roles.write, path_static_roles.StaticRoleWrite),
                Op.DELETE: S(path_static_roles.delete, Named),
            },
            synopsis=path_static_roles.SYNOPSIS,
            description=path_static_roles.DESCRIPTION,
            exists=path_static_roles.exists,
        ),
        Path(
            f"static-creds/{ONE}",
            {Op.READ: S(path_creds.read_static, Named)},
            synopsis=path_creds.STATIC_SYNOPSIS,
        ),
        Path(
            f"rotate-role/{ONE}",
            {Op.UPDATE: S(path_rotate.rotate_role, Named)},
            synopsis=path_rotate.ROLE_SYNOPSIS,
        ),
    ]
)
