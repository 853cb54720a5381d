"""The JWT/OIDC route table: Vault's jwt path tree (api-docs/auth/jwt), served for both mount
types `jwt` and `oidc`. `login`, `oidc/auth_url` and `oidc/callback` need no token."""

from __future__ import annotations

from strongroom.auth.jwt import path_config, path_login, path_oidc, path_role
from strongroom.auth.jwt.context import JwtContext
from strongroom.auth.jwt.role_fields import RoleWrite
from strongroom.logical import NoFields, Operation, OperationSpec, Path, PathTable

Op = Operation
S = OperationSpec
NAME = r"(?P<name>\w(?:[\w.-]*\w)?)"

TABLE: PathTable[JwtContext] = PathTable(
    [
        Path(
            "config",
            {
                Op.READ: S(path_config.read_config, NoFields),
                Op.UPDATE: S(path_config.write_config, path_config.ConfigWrite),
            },
            synopsis=path_config.SYNOPSIS,
        ),
        Path(
            "role/?",
            {Op.LIST: S(path_role.list_roles, NoFields)},
            synopsis=path_role.LIST_SYNOPSIS,
        ),
        Path(
            "role/" + NAME,
            {
                Op.READ: S(path_role.read_role, path_role.RoleOnly),
                Op.UPDATE: S(path_role.write_role, RoleWrite),
                Op.DELETE: S(path_role.delete_role, path_role.RoleOnly),
            },
            synopsis=path_role.ROLE_SYNOPSIS,
            exists=path_role.exists,
        ),
        Path(
            "login",
            {Op.UPDATE: S(path_login.login, path_login.Credentials)},
            synopsis=path_login.SYNOPSIS,
            unauthenticated=True,
        ),
        Path(
            "oidc/auth_url",
            {Op.UPDATE: S(path_oidc.auth_url, path_oidc.AuthUrlRequest)},
            synopsis=path_oidc.AUTH_URL_SYNOPSIS,
            unauthenticated=True,
        ),
        Path(
            "oidc/callback",
            dict.fromkeys((Op.READ, Op.UPDATE), S(path_oidc.callback, path_oidc.Callback)),
            synopsis=path_oidc.CALLBACK_SYNOPSIS,
            unauthenticated=True,
        ),
    ]
)
