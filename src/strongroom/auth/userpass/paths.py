"""The userpass route table: Vault's userpass path tree (api-docs/auth/userpass).

Patterns are anchored by the table; a LIST path ends in "/" (the HTTP layer adds it).
"""

from __future__ import annotations

from strongroom.auth.userpass import path_login, path_users
from strongroom.auth.userpass.context import USERNAME, UserpassContext
from strongroom.logical import Operation, OperationSpec, Path, PathTable
from strongroom.logical.listing import ListPage

Op = Operation
S = OperationSpec
users = path_users

TABLE: PathTable[UserpassContext] = PathTable(
    [
        Path(
            "login/" + USERNAME,
            {Op.UPDATE: S(path_login.login, path_login.Credentials)},
            synopsis=path_login.SYNOPSIS,
            unauthenticated=True,
        ),
        Path("users/?", {Op.LIST: S(users.list_users, ListPage)}, synopsis=users.LIST_SYNOPSIS),
        Path(
            "users/" + USERNAME,
            {
                Op.READ: S(users.read_user, users.UserOnly),
                Op.UPDATE: S(users.write_user, users.UserWrite),
                Op.DELETE: S(users.delete_user, users.UserOnly),
            },
            synopsis=users.USER_SYNOPSIS,
            exists=users.exists,
        ),
        Path(
            "users/" + USERNAME + "/password",
            {Op.UPDATE: S(users.write_password, users.PasswordWrite)},
            synopsis=users.PASSWORD_SYNOPSIS,
        ),
        Path(
            "users/" + USERNAME + "/policies",
            {Op.UPDATE: S(users.write_policies, users.PoliciesWrite)},
            synopsis=users.POLICIES_SYNOPSIS,
        ),
    ]
)
