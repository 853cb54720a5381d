"""The LDAP route table: Vault's ldap path tree (api-docs/auth/ldap).

Patterns are anchored by the table; a LIST path ends in "/" (the HTTP layer adds it).
"""

from __future__ import annotations

from strongroom.auth.ldap import path_config, path_login, path_mappings
from strongroom.auth.ldap.context import NAME, USERNAME, LdapContext
from strongroom.logical import NoFields, Operation, OperationSpec, Path, PathTable
from strongroom.logical.listing import ListPage

Op = Operation
S = OperationSpec
maps = path_mappings

TABLE: PathTable[LdapContext] = PathTable(
    [
        Path(
            "login/" + USERNAME,
            {Op.UPDATE: S(path_login.login, path_login.Credentials)},
            synopsis=path_login.SYNOPSIS,
            unauthenticated=True,
        ),
        Path(
            "config",
            {
                Op.READ: S(path_config.read_config, NoFields),
                Op.UPDATE: S(path_config.write_config, path_config.ConfigWrite),
            },
            synopsis=path_config.SYNOPSIS,
        ),
        Path(
            "groups/?",
            {Op.LIST: S(maps.list_groups, ListPage)},
            synopsis=maps.GROUP_SYNOPSIS,
        ),
        Path(
            "groups/" + NAME,
            {
                Op.READ: S(maps.read_group, maps.GroupOnly),
                Op.UPDATE: S(maps.write_group, maps.GroupWrite),
                Op.DELETE: S(maps.delete_group, maps.GroupOnly),
            },
            synopsis=maps.GROUP_SYNOPSIS,
        ),
        Path(
            "users/?",
            {Op.LIST: S(maps.list_users, ListPage)},
            synopsis=maps.USER_SYNOPSIS,
        ),
        Path(
            "users/" + NAME,
            {
                Op.READ: S(maps.read_user, maps.UserOnly),
                Op.UPDATE: S(maps.write_user, maps.UserWrite),
                Op.DELETE: S(maps.delete_user, maps.UserOnly),
            },
            synopsis=maps.USER_SYNOPSIS,
        ),
    ]
)
