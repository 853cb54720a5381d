"""The Kubernetes route table: Vault's kubernetes path tree (api-docs/auth/kubernetes).
`login` is its one unauthenticated path."""

from __future__ import annotations

from strongroom.auth.kubernetes import path_config, path_login, path_role
from strongroom.auth.kubernetes.context import KubernetesContext
from strongroom.logical import NoFields, Operation, OperationSpec, Path, PathTable

Op = Operation
S = OperationSpec
NAME = r"(?P<name>\w(?:[\w.-]*\w)?)"

TABLE: PathTable[KubernetesContext] = PathTable(
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
                Op.UPDATE: S(path_role.write_role, path_role.RoleWrite),
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
    ]
)
