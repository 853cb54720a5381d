"""The identity route table: Vault's identity path tree (api-docs/secret/identity), OIDC
excepted (`backend.py` sends `oidc/…` elsewhere). A LIST path ends in "/" (the HTTP layer
adds it)."""

from __future__ import annotations

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

Op = Operation
S = OperationSpec
ID = "(?P<id>.+)"
NAME = "(?P<name>.+)"
ent, alias, grp, galias = path_entity, path_entity_alias, path_group, path_group_alias

TABLE: PathTable[IdentityContext] = PathTable(
    [
        Path("entity/?", {Op.UPDATE: S(ent.write, ent.EntityWrite)}, synopsis=ent.SYNOPSIS),
        Path("entity/id/?", {Op.LIST: S(ent.list_ids)}, synopsis=ent.LIST_SYNOPSIS),
        Path(
            "entity/id/" + ID,
            {
                Op.READ: S(ent.read_by_id, ent.IdOnly),
                Op.UPDATE: S(ent.write_by_id, ent.EntityById),
                Op.DELETE: S(ent.delete_by_id, ent.IdOnly),
            },
            synopsis=ent.ID_SYNOPSIS,
        ),
        Path("entity/name/?", {Op.LIST: S(ent.list_names)}, synopsis=ent.LIST_NAME_SYNOPSIS),
        Path(
            "entity/name/" + NAME,
            {
                Op.READ: S(ent.read_by_name, ent.NameOnly),
                Op.UPDATE: S(ent.write_by_name, ent.EntityByName),
                Op.DELETE: S(ent.delete_by_name, ent.NameOnly),
            },
            synopsis=ent.NAME_SYNOPSIS,
        ),
        Path(
            "entity/batch-delete",
            {Op.UPDATE: S(ent.batch_delete, ent.BatchDelete)},
            synopsis=ent.BATCH_SYNOPSIS,
        ),
        Path(
            "entity/merge/?",
            {Op.UPDATE: S(path_merge.merge, path_merge.Merge)},
            synopsis=path_merge.SYNOPSIS,
        ),
        Path(
            "entity-alias/?",
            {Op.UPDATE: S(alias.create, alias.AliasWrite)},
            synopsis=alias.SYNOPSIS,
        ),
        Path("entity-alias/id/?", {Op.LIST: S(alias.list_ids)}, synopsis=alias.LIST_SYNOPSIS),
        Path(
            "entity-alias/id/" + ID,
            {
                Op.READ: S(alias.read, alias.AliasId),
                Op.UPDATE: S(alias.update, alias.AliasById),
                Op.DELETE: S(alias.delete, alias.AliasId),
            },
            synopsis=alias.ID_SYNOPSIS,
        ),
        Path("group/?", {Op.UPDATE: S(grp.write, grp.GroupWrite)}, synopsis=grp.SYNOPSIS),
        Path("group/id/?", {Op.LIST: S(grp.list_ids)}, synopsis=grp.LIST_SYNOPSIS),
        Path(
            "group/id/" + ID,
            {
                Op.READ: S(grp.read_by_id, grp.GroupId),
                Op.UPDATE: S(grp.write_by_id, grp.GroupById),
                Op.DELETE: S(grp.delete_by_id, grp.GroupId),
            },
            synopsis=grp.ID_SYNOPSIS,
        ),
        Path("group/name/?", {Op.LIST: S(grp.list_names)}, synopsis=grp.LIST_NAME_SYNOPSIS),
        Path(
            "group/name/" + NAME,
            {
                Op.READ: S(grp.read_by_name, grp.GroupNameOnly),
                Op.UPDATE: S(grp.write_by_name, grp.GroupByName),
                Op.DELETE: S(grp.delete_by_name, grp.GroupNameOnly),
            },
            synopsis=grp.NAME_SYNOPSIS,
        ),
        Path(
            "group-alias/?",
            {Op.UPDATE: S(galias.write, galias.GroupAliasWrite)},
            synopsis=galias.SYNOPSIS,
        ),
        Path("group-alias/id/?", {Op.LIST: S(galias.list_ids)}, synopsis=galias.LIST_SYNOPSIS),
        Path(
            "group-alias/id/" + ID,
            {
                Op.READ: S(galias.read, galias.GroupAliasId),
                Op.UPDATE: S(galias.write_by_id, galias.GroupAliasById),
                Op.DELETE: S(galias.delete, galias.GroupAliasId),
            },
            synopsis=galias.ID_SYNOPSIS,
        ),
        Path(
            "lookup/entity",
            {Op.UPDATE: S(path_lookup.entity, path_lookup.Query)},
            synopsis=path_lookup.ENTITY_SYNOPSIS,
        ),
        Path(
            "lookup/group",
            {Op.UPDATE: S(path_lookup.group, path_lookup.Query)},
            synopsis=path_lookup.GROUP_SYNOPSIS,
        ),
    ]
)
