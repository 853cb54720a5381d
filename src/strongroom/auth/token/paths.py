"""The route table of `auth/token/` (Vault's token store paths, vault/token_store.go).

Patterns are anchored by the table. A LIST path always ends in "/" (the HTTP layer adds it).
Role names follow Vault's GenericNameRegex.
"""

from __future__ import annotations

from strongroom.auth.token import (
    path_create,
    path_lookup,
    path_renew,
    path_revoke,
    path_roles,
    path_tidy,
)
from strongroom.auth.token.context import TokenContext
from strongroom.logical import NoFields, Operation, OperationSpec, Path, PathTable, named

Op = Operation
S = OperationSpec
ROLE = named("role_name")
lookup, renew, revoke = path_lookup, path_renew, path_revoke

TABLE: PathTable[TokenContext] = PathTable(
    [
        Path(
            "create",
            {Op.UPDATE: S(path_create.create, path_create.CreateFields)},
            synopsis=path_create.CREATE_SYNOPSIS,
        ),
        Path(
            "create-orphan",
            {Op.UPDATE: S(path_create.create_orphan, path_create.CreateFields)},
            synopsis=path_create.ORPHAN_SYNOPSIS,
        ),
        Path(
            "create/" + ROLE,
            {Op.UPDATE: S(path_create.create_with_role, path_create.RoleCreateFields)},
            synopsis=path_create.ROLE_SYNOPSIS,
        ),
        Path(
            "lookup",
            dict.fromkeys((Op.READ, Op.UPDATE), S(lookup.lookup, lookup.TokenField)),
            synopsis=lookup.LOOKUP_SYNOPSIS,
        ),
        Path(
            "lookup-self",
            dict.fromkeys((Op.READ, Op.UPDATE), S(lookup.lookup_self, lookup.SelfField)),
            synopsis=lookup.LOOKUP_SYNOPSIS,
        ),
        Path(
            "lookup-accessor",
            {Op.UPDATE: S(lookup.lookup_accessor, lookup.AccessorField)},
            synopsis=lookup.ACCESSOR_SYNOPSIS,
        ),
        Path(
            "accessors/?",
            {Op.LIST: S(lookup.accessors)},
            synopsis=lookup.ACCESSORS_SYNOPSIS,
            sudo=True,
        ),
        Path(
            "renew",
            {Op.UPDATE: S(renew.renew, renew.RenewToken)},
            synopsis=renew.RENEW_SYNOPSIS,
        ),
        Path(
            "renew-self",
            {Op.UPDATE: S(renew.renew_self, renew.RenewSelf)},
            synopsis=renew.SELF_SYNOPSIS,
        ),
        Path(
            "renew-accessor",
            {Op.UPDATE: S(renew.renew_accessor, renew.RenewAccessor)},
            synopsis=renew.ACCESSOR_SYNOPSIS,
        ),
        Path(
            "revoke",
            {Op.UPDATE: S(revoke.revoke, revoke.RevokeToken)},
            synopsis=revoke.REVOKE_SYNOPSIS,
        ),
        Path(
            "revoke-self",
            {Op.UPDATE: S(revoke.revoke_self, NoFields)},
            synopsis=revoke.SELF_SYNOPSIS,
        ),
        Path(
            "revoke-accessor",
            {Op.UPDATE: S(revoke.revoke_accessor, revoke.RevokeAccessor)},
            synopsis=revoke.ACCESSOR_SYNOPSIS,
        ),
        Path(
            "revoke-orphan",
            {Op.UPDATE: S(revoke.revoke_orphan, revoke.RevokeToken)},
            synopsis=revoke.ORPHAN_SYNOPSIS,
        ),
        Path(
            "roles/?",
            {Op.LIST: S(path_roles.list_roles)},
            synopsis=path_roles.LIST_SYNOPSIS,
        ),
        Path(
            "roles/" + ROLE,
            {
                Op.READ: S(path_roles.read_role, path_roles.RoleOnly),
                Op.UPDATE: S(path_roles.write_role, path_roles.RoleWrite),
                Op.DELETE: S(path_roles.delete_role, path_roles.RoleOnly),
            },
            synopsis=path_roles.ROLE_SYNOPSIS,
            exists=path_roles.exists,
        ),
        Path("tidy", {Op.UPDATE: S(path_tidy.tidy)}, synopsis=path_tidy.SYNOPSIS),
    ]
)
