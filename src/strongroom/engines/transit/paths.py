"""The transit route table: Vault's transit path tree, plus the lifecycle paths.

Patterns are anchored by the table and tried in order, so the `keys/:name/<action>` paths come
before `keys/:name`. A LIST path always ends in "/" (the HTTP layer adds it). Key names follow
Vault's GenericNameRegex (`context.NAME`); optional trailing segments follow its
OptionalParamRegex (`(/(?P<x>.+))?`), with Vault's capture names (`urlalgorithm`, `urlbytes`)
where a body field of the same meaning exists.
"""

from __future__ import annotations

from strongroom.engines.transit import (
    path_backup,
    path_byok,
    path_config,
    path_encrypt,
    path_export,
    path_keys,
    path_lifecycle,
    path_sign,
    path_utility,
)
from strongroom.engines.transit.context import NAME, KeyName, TransitContext
from strongroom.logical import NoFields, Operation, OperationSpec, Path, PathTable

Op = Operation
S = OperationSpec
KEY = f"keys/(?P<name>{NAME})"
VERSION = f"{KEY}/versions/(?P<version>[1-9][0-9]{{0,8}})"
OPTIONAL_ALGORITHM = "(?:/(?P<urlalgorithm>.+))?"


def _key_action(action: str, spec: S[TransitContext], synopsis: str) -> Path[TransitContext]:
    return Path(f"{KEY}/{action}", {Op.UPDATE: spec}, synopsis=synopsis)


def _version_action(action: str, spec: S[TransitContext]) -> Path[TransitContext]:
    return Path(f"{VERSION}/{action}", {Op.UPDATE: spec}, synopsis=path_lifecycle.VERSION_SYNOPSIS)


_LIFECYCLE = path_lifecycle.SYNOPSIS

TABLE: PathTable[TransitContext] = PathTable(
    [
        Path("keys/?", {Op.LIST: S(path_keys.list_keys, NoFields)}, synopsis=path_keys.SYNOPSIS),
        _key_action(
            "config", S(path_keys.configure_key, path_keys.KeyConfig), path_keys.CONFIG_SYNOPSIS
        ),
        _key_action("rotate", S(path_keys.rotate_key, KeyName), path_keys.ROTATE_SYNOPSIS),
        _key_action("trim", S(path_keys.trim_key, path_keys.KeyTrim), path_keys.TRIM_SYNOPSIS),
        _key_action("import", S(path_byok.import_key, path_byok.Import), path_byok.IMPORT_SYNOPSIS),
        _key_action(
            "import_version",
            S(path_byok.import_version, path_byok.ImportVersion),
            path_byok.IMPORT_VERSION_SYNOPSIS,
        ),
        _key_action("disable", S(path_lifecycle.disable, KeyName), _LIFECYCLE),
        _key_action("enable", S(path_lifecycle.enable, KeyName), _LIFECYCLE),
        _key_action(
            "schedule-deletion",
            S(path_lifecycle.schedule_deletion, path_lifecycle.ScheduleDeletion),
            _LIFECYCLE,
        ),
        _key_action("cancel-deletion", S(path_lifecycle.cancel_deletion, KeyName), _LIFECYCLE),
        _version_action("disable", S(path_lifecycle.disable_version, path_lifecycle.VersionAction)),
        _version_action("enable", S(path_lifecycle.enable_version, path_lifecycle.VersionAction)),
        _version_action("destroy", S(path_lifecycle.destroy_version, path_lifecycle.VersionAction)),
        Path(
            KEY,
            {
                Op.READ: S(path_keys.read_key, path_keys.KeyRead),
                Op.UPDATE: S(path_keys.create_key, path_keys.KeyCreate),
                Op.DELETE: S(path_keys.delete_key, KeyName),
            },
            synopsis=path_keys.SYNOPSIS,
        ),
        Path(
            f"encrypt/(?P<name>{NAME})",
            {Op.UPDATE: S(path_encrypt.encrypt, path_encrypt.Encrypt)},
            synopsis=path_encrypt.ENCRYPT_SYNOPSIS,
            exists=path_encrypt.exists,
        ),
        Path(
            f"decrypt/(?P<name>{NAME})",
            {Op.UPDATE: S(path_encrypt.decrypt_data, path_encrypt.Decrypt)},
            synopsis=path_encrypt.DECRYPT_SYNOPSIS,
        ),
        Path(
            f"rewrap/(?P<name>{NAME})",
            {Op.UPDATE: S(path_encrypt.rewrap, path_encrypt.Decrypt)},
            synopsis=path_encrypt.REWRAP_SYNOPSIS,
        ),
        Path(
            f"datakey/(?P<plaintext>{NAME})/(?P<name>{NAME})",
            {Op.UPDATE: S(path_encrypt.datakey, path_encrypt.Datakey)},
            synopsis=path_encrypt.DATAKEY_SYNOPSIS,
        ),
        Path(
            r"random(?:/(?P<source>[^/]+))?(?:/(?P<urlbytes>[^/]+))?",
            {Op.UPDATE: S(path_utility.random, path_utility.Random)},
            synopsis=path_utility.RANDOM_SYNOPSIS,
        ),
        Path(
            f"hash{OPTIONAL_ALGORITHM}",
            {Op.UPDATE: S(path_utility.hash_data, path_utility.Hash)},
            synopsis=path_utility.HASH_SYNOPSIS,
        ),
        Path(
            f"hmac/(?P<name>{NAME}){OPTIONAL_ALGORITHM}",
            {Op.UPDATE: S(path_sign.hmac, path_sign.HmacFields)},
            synopsis=path_sign.HMAC_SYNOPSIS,
        ),
        Path(
            f"sign/(?P<name>{NAME}){OPTIONAL_ALGORITHM}",
            {Op.UPDATE: S(path_sign.sign, path_sign.Sign)},
            synopsis=path_sign.SIGN_SYNOPSIS,
        ),
        Path(
            f"verify/(?P<name>{NAME}){OPTIONAL_ALGORITHM}",
            {Op.UPDATE: S(path_sign.verify, path_sign.Verify)},
            synopsis=path_sign.VERIFY_SYNOPSIS,
        ),
        Path(
            f"export/(?P<type>{NAME})/(?P<name>{NAME})(?:/(?P<version>.+))?",
            {Op.READ: S(path_export.export, path_export.Export)},
            synopsis=path_export.SYNOPSIS,
        ),
        Path(
            f"backup/(?P<name>{NAME})",
            {Op.READ: S(path_backup.backup, KeyName)},
            synopsis=path_backup.BACKUP_SYNOPSIS,
        ),
        Path(
            "restore(?:/(?P<name>.+))?",
            {Op.UPDATE: S(path_backup.restore, path_backup.Restore)},
            synopsis=path_backup.RESTORE_SYNOPSIS,
        ),
        Path(
            "wrapping_key",
            {Op.READ: S(path_byok.read_wrapping_key, NoFields)},
            synopsis=path_byok.WRAPPING_KEY_SYNOPSIS,
        ),
        Path(
            "cache-config",
            {
                Op.READ: S(path_config.read_cache_config, NoFields),
                Op.UPDATE: S(path_config.write_cache_config, path_config.CacheConfigWrite),
            },
            synopsis=path_config.CACHE_SYNOPSIS,
        ),
        Path(
            "config/keys",
            {
                Op.READ: S(path_config.read_keys_config, NoFields),
                Op.UPDATE: S(path_config.write_keys_config, path_config.KeysConfigWrite),
            },
            synopsis=path_config.KEYS_SYNOPSIS,
        ),
    ]
)
