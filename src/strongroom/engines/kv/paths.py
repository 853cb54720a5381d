"""The KV route tables: Vault's kv-v2 path tree, and kv-v1's single catch-all path.

Patterns are anchored by the table; a LIST path always ends in "/" (the HTTP layer adds it), so
`metadata/(?P<path>.*)` receives folder names such as "" or "app/".
"""

from __future__ import annotations

from strongroom.engines.kv import path_config, path_data, path_metadata, path_v1, path_versions
from strongroom.engines.kv.context import KvContext
from strongroom.logical import NoFields, Operation, OperationSpec, Path, PathTable

Op = Operation
S = OperationSpec

V2: PathTable[KvContext] = PathTable(
    [
        Path(
            "config",
            {
                Op.READ: S(path_config.read, summary="Read the backend level settings."),
                Op.UPDATE: S(path_config.write, path_config.ConfigWrite),
            },
            synopsis=path_config.SYNOPSIS,
            description=path_config.DESCRIPTION,
        ),
        Path(
            "data/(?P<path>.*)",
            {
                Op.READ: S(path_data.read, path_data.DataRead),
                Op.UPDATE: S(path_data.write, path_data.DataWrite),
                Op.PATCH: S(path_data.patch, path_data.DataWrite),
                Op.DELETE: S(path_data.delete, path_data.KeyOnly),
            },
            synopsis=path_data.SYNOPSIS,
            description=path_data.DESCRIPTION,
            exists=path_data.exists,
        ),
        *(
            Path(
                f"{verb}/(?P<path>.+)",
                {Op.UPDATE: S(handler, path_versions.Versions)},
                synopsis=text,
            )
            for verb, handler, text in path_versions.ACTIONS
        ),
        Path(
            "metadata/(?P<path>.*)",
            {
                Op.READ: S(path_metadata.read, path_data.KeyOnly),
                Op.LIST: S(path_metadata.list_keys, path_metadata.MetadataList),
                Op.UPDATE: S(path_metadata.write, path_metadata.MetadataWrite),
                Op.PATCH: S(path_metadata.patch, path_metadata.MetadataWrite),
                Op.DELETE: S(path_metadata.delete, path_data.KeyOnly),
            },
            synopsis=path_metadata.SYNOPSIS,
            description=path_metadata.DESCRIPTION,
        ),
        Path(
            "subkeys/(?P<path>.*)",
            {Op.READ: S(path_data.read_subkeys, path_data.SubkeysRead)},
            synopsis=path_data.SUBKEYS_SYNOPSIS,
        ),
        Path(
            ".*",
            dict.fromkeys(
                (Op.READ, Op.LIST, Op.UPDATE, Op.CREATE, Op.PATCH, Op.DELETE),
                S(path_data.invalid_path, NoFields),
            ),
            arbitrary_input=True,  # Vault answers the warning below whatever was sent
        ),
    ]
)

V1: PathTable[KvContext] = PathTable(
    [
        Path(
            "(?P<path>.*)",
            {
                Op.READ: S(path_v1.read, path_data.KeyOnly),
                Op.LIST: S(path_v1.list_keys, path_metadata.MetadataList),
                Op.UPDATE: S(path_v1.write, path_data.KeyOnly),
                Op.DELETE: S(path_v1.delete, path_data.KeyOnly),
            },
            synopsis=path_v1.SYNOPSIS,
            exists=path_v1.exists,
            arbitrary_input=True,  # the request body is the secret
        ),
    ]
)
