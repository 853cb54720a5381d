"""The AppRole route table: Vault's approle path tree (api-docs/auth/approle).

Patterns are anchored by the table. A LIST path always ends in "/" (the HTTP layer adds it).
Role names follow Vault's GenericNameRegex (ASCII word characters, with `-` and `.` inside).
"""

from __future__ import annotations

from strongroom.auth.approle import path_login, path_role, path_secret_id, path_tidy
from strongroom.auth.approle.context import AppRole
from strongroom.auth.approle.role_fields import RoleWrite
from strongroom.auth.approle.secret_id_fields import SecretIdWrite
from strongroom.logical import Operation, OperationSpec, Path, PathTable

Op = Operation
S = OperationSpec
NAME = r"(?P<role_name>[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)"
ROLE = "role/" + NAME
sid = path_secret_id

TABLE: PathTable[AppRole] = PathTable(
    [
        Path(
            "login",
            {Op.UPDATE: S(path_login.login, path_login.Credentials)},
            synopsis=path_login.SYNOPSIS,
            unauthenticated=True,
        ),
        Path(
            "role/?",
            {Op.LIST: S(path_role.list_roles, path_role.RoleList)},
            synopsis=path_role.LIST_SYNOPSIS,
        ),
        Path(
            ROLE,
            {
                Op.READ: S(path_role.read_role, path_role.RoleOnly),
                Op.UPDATE: S(path_role.write_role, RoleWrite),
                Op.DELETE: S(path_role.delete_role, path_role.RoleOnly),
            },
            synopsis=path_role.ROLE_SYNOPSIS,
            exists=path_role.exists,
        ),
        Path(
            ROLE + "/role-id",
            {
                Op.READ: S(path_role.read_role_id, path_role.RoleOnly),
                Op.UPDATE: S(path_role.write_role_id, path_role.RoleIdWrite),
            },
            synopsis=path_role.ROLE_ID_SYNOPSIS,
        ),
        Path(
            ROLE + "/local-secret-ids",
            {Op.READ: S(path_role.read_local_secret_ids, path_role.RoleOnly)},
            synopsis=path_role.LOCAL_SYNOPSIS,
        ),
        Path(
            ROLE + "/secret-id/?",
            {
                Op.UPDATE: S(sid.generate, SecretIdWrite),
                Op.LIST: S(sid.list_accessors, sid.SecretIdList),
            },
            synopsis=sid.GENERATE_SYNOPSIS,
        ),
        Path(
            ROLE + "/custom-secret-id",
            {Op.UPDATE: S(sid.custom, sid.CustomSecretIdWrite)},
            synopsis=sid.CUSTOM_SYNOPSIS,
        ),
        Path(
            ROLE + "/secret-id/lookup/?",
            {Op.UPDATE: S(sid.lookup, sid.SecretIdValue)},
            synopsis=sid.LOOKUP_SYNOPSIS,
        ),
        Path(
            ROLE + "/secret-id/destroy/?",
            dict.fromkeys((Op.UPDATE, Op.DELETE), S(sid.destroy, sid.SecretIdValue)),
            synopsis=sid.DESTROY_SYNOPSIS,
        ),
        Path(
            ROLE + "/secret-id-accessor/lookup/?",
            {Op.UPDATE: S(sid.lookup_accessor, sid.AccessorValue)},
            synopsis=sid.ACCESSOR_LOOKUP_SYNOPSIS,
        ),
        Path(
            ROLE + "/secret-id-accessor/destroy/?",
            dict.fromkeys((Op.UPDATE, Op.DELETE), S(sid.destroy_accessor, sid.AccessorValue)),
            synopsis=sid.ACCESSOR_DESTROY_SYNOPSIS,
        ),
        Path(
            "tidy/secret-id",
            {Op.UPDATE: S(path_tidy.tidy)},
            synopsis=path_tidy.SYNOPSIS,
        ),
    ]
)
