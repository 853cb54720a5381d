"""The identity route table: Vault's identity path tree (api-docs/secret/identity), OIDC
excepted (`backend.py` sends `oidc/…` elsewhere). A LIST path ends in "/" (the HTTP layer
adds it)."""

from __future__ import annotations

import msgspec

from strongroom.engines.identity import (
    path_entity,
    path_entity_alias,
    path_group,
    path_group_alias,
    path_lookup,
    path_merge,
)
from strongroom.engines.identity.context import IdentityContext
from strongroom.logical import Operation, OperationSpec, Path, PathTable
from strongroom.logical.paths import FieldsHandler

Op = Operation
S = OperationSpec
ID = "(?P<id>.+)"
NAME = "(?P<name>.+)"
ent, alias, grp, galias = path_entity, path_entity_alias, path_group, path_group_alias
Handler = FieldsHandler[IdentityContext]


def _one(
    pattern: str,
    read: Handler,
    write: Handler,
    delete: Handler,
    key: type[msgspec.Struct],
    fields: type[msgspec.Struct],
    synopsis: str,
) -> Path[IdentityContext]:
    """The route of one record by its id or name: read, write (its fields) and delete."""
    return Path(
        pattern,
        {Op.READ: S(read, key), Op.UPDATE: S(write, fields), Op.DELETE: S(delete, key)},
        synopsis=synopsis,
    )


def _write(
    pattern: str, handler: Handler, fields: type[msgspec.Struct], synopsis: str
) -> Path[IdentityContext]:
    return Path(pattern, {Op.UPDATE: S(handler, fields)}, synopsis=synopsis)


def _list(pattern: str, handler: Handler, synopsis: str) -> Path[IdentityContext]:
    return Path(pattern, {Op.LIST: S(handler)}, synopsis=synopsis)


TABLE: PathTable[IdentityContext] = PathTable(
    [
        _write("entity/?", ent.write, ent.EntityWrite, ent.SYNOPSIS),
        _list("entity/id/?", ent.list_ids, ent.LIST_SYNOPSIS),
        _one(
            "entity/id/" + ID,
            ent.read_by_id,
            ent.write,
            ent.delete_by_id,
            ent.IdOnly,
            ent.EntityById,
            ent.ID_SYNOPSIS,
        ),
        _list("entity/name/?", ent.list_names, ent.LIST_NAME_SYNOPSIS),
        _one(
            "entity/name/" + NAME,
            ent.read_by_name,
            ent.write,
            ent.delete_by_name,
            ent.NameOnly,
            ent.EntityByName,
            ent.NAME_SYNOPSIS,
        ),
        _write("entity/batch-delete", ent.batch_delete, ent.BatchDelete, ent.BATCH_SYNOPSIS),
        _write("entity/merge/?", path_merge.merge, path_merge.Merge, path_merge.SYNOPSIS),
        _write("entity-alias/?", alias.create, alias.AliasWrite, alias.SYNOPSIS),
        _list("entity-alias/id/?", alias.list_ids, alias.LIST_SYNOPSIS),
        _one(
            "entity-alias/id/" + ID,
            alias.read,
            alias.update,
            alias.delete,
            alias.AliasId,
            alias.AliasById,
            alias.ID_SYNOPSIS,
        ),
        _write("group/?", grp.write, grp.GroupWrite, grp.SYNOPSIS),
        _list("group/id/?", grp.list_ids, grp.LIST_SYNOPSIS),
        _one(
            "group/id/" + ID,
            grp.read_by_id,
            grp.write,
            grp.delete_by_id,
            grp.GroupId,
            grp.GroupById,
            grp.ID_SYNOPSIS,
        ),
        _list("group/name/?", grp.list_names, grp.LIST_NAME_SYNOPSIS),
        _one(
            "group/name/" + NAME,
            grp.read_by_name,
            grp.write,
            grp.delete_by_name,
            grp.GroupNameOnly,
            grp.GroupByName,
            grp.NAME_SYNOPSIS,
        ),
        _write("group-alias/?", galias.write, galias.GroupAliasWrite, galias.SYNOPSIS),
        _list("group-alias/id/?", galias.list_ids, galias.LIST_SYNOPSIS),
        _one(
            "group-alias/id/" + ID,
            galias.read,
            galias.write,
            galias.delete,
            galias.GroupAliasId,
            galias.GroupAliasById,
            galias.ID_SYNOPSIS,
        ),
        _write("lookup/entity", path_lookup.entity, path_lookup.Query, path_lookup.ENTITY_SYNOPSIS),
        _write("lookup/group", path_lookup.group, path_lookup.Query, path_lookup.GROUP_SYNOPSIS),
    ]
)
