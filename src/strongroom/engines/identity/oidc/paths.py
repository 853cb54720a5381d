"""The OIDC route table: the paths below `identity/oidc/` (Vault's identity_store_oidc.go
`oidcPaths`), served by the identity backend with `OIDC_TABLE.dispatch(context, request, rest)`.

`OPEN_PATHS` are the identity mount's unauthenticated paths these routes add (relative to the
mount, in the core's syntax: a trailing `*` is a prefix), as Vault's PathsSpecial lists them.
"""

from __future__ import annotations

from strongroom.engines.identity.oidc import (
    path_config,
    path_key,
    path_role,
    path_token,
    path_wellknown,
)
from strongroom.engines.identity.oidc.context import NAME, OidcContext
from strongroom.logical import NoFields, Operation, OperationSpec, Path, PathTable

Op = Operation
S = OperationSpec
OPEN_PATHS = frozenset({"oidc/.well-known/*"})
KEY = f"key/(?P<name>{NAME})"
ROLE = f"role/(?P<name>{NAME})"

OIDC_TABLE: PathTable[OidcContext] = PathTable(
    [
        Path(
            "config/?",
            {
                Op.READ: S(path_config.read_config, NoFields),
                Op.UPDATE: S(path_config.write_config, path_config.ConfigWrite),
            },
            synopsis=path_config.SYNOPSIS,
        ),
        Path(
            f"{KEY}/rotate/?",
            {Op.UPDATE: S(path_key.rotate_key, path_key.KeyRotate)},
            synopsis=path_key.ROTATE_SYNOPSIS,
        ),
        Path(
            KEY,
            {
                Op.READ: S(path_key.read_key, path_key.KeyName),
                Op.UPDATE: S(path_key.write_key, path_key.KeyWrite),
                Op.DELETE: S(path_key.delete_key, path_key.KeyName),
            },
            synopsis=path_key.SYNOPSIS,
        ),
        Path("key/?", {Op.LIST: S(path_key.list_keys, NoFields)}, synopsis=path_key.LIST_SYNOPSIS),
        Path(
            ROLE,
            {
                Op.READ: S(path_role.read_role, path_role.RoleName),
                Op.UPDATE: S(path_role.write_role, path_role.RoleWrite),
                Op.DELETE: S(path_role.delete_role, path_role.RoleName),
            },
            synopsis=path_role.SYNOPSIS,
        ),
        Path(
            "role/?", {Op.LIST: S(path_role.list_roles, NoFields)}, synopsis=path_role.LIST_SYNOPSIS
        ),
        Path(
            f"token/(?P<name>{NAME})",
            {Op.READ: S(path_token.generate, path_token.TokenRead)},
            synopsis=path_token.GENERATE_SYNOPSIS,
        ),
        Path(
            "introspect/?",
            {Op.UPDATE: S(path_token.introspect, path_token.Introspect)},
            synopsis=path_token.INTROSPECT_SYNOPSIS,
        ),
        Path(
            r"\.well-known/openid-configuration/?",
            {Op.READ: S(path_wellknown.discovery, NoFields)},
            synopsis=path_wellknown.DISCOVERY_SYNOPSIS,
            unauthenticated=True,
        ),
        Path(
            r"\.well-known/keys/?",
            {Op.READ: S(path_wellknown.keys, NoFields)},
            synopsis=path_wellknown.KEYS_SYNOPSIS,
            unauthenticated=True,
        ),
    ]
)
