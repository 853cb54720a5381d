"""KV version 1 and 2: data, metadata, versions, config, subkeys, CAS; each scenario mounts
its own engine at `{m}`."""

from __future__ import annotations

from conformance.harness import Scenario, Step
from conformance.scenarios.steps import delete, get, lst, patch, post

V1 = post("sys/mounts/{m}", {"type": "kv"})
V2 = post("sys/mounts/{m}", {"type": "kv", "options": {"version": 2}})


def _v1(name: str, *steps: Step) -> Scenario:
    return Scenario(f"kv1-{name}", [V1, *steps])


def _v2(name: str, *steps: Step) -> Scenario:
    return Scenario(f"kv2-{name}", [V2, *steps])


WRITE1 = post("{m}/a", {"k": "v", "n": 1})
WRITE2 = post("{m}/data/a", {"data": {"k": "v", "n": 1}})

KV1 = [
    _v1("write-read", WRITE1, get("{m}/a", values=True)),
    _v1("read-missing", get("{m}/nothing")),
    _v1("write-empty", post("{m}/a", {})),
    _v1("write-folder", post("{m}/a/", {"k": "v"})),
    _v1("overwrite", WRITE1, post("{m}/a", {"other": True}), get("{m}/a", values=True)),
    _v1("list", WRITE1, post("{m}/d/b", {"k": "v"}), lst("{m}", values=True)),
    _v1("list-get-query", WRITE1, get("{m}/?list=true", values=True)),
    _v1("list-missing", lst("{m}/none")),
    _v1("delete", WRITE1, delete("{m}/a"), get("{m}/a")),
    _v1("delete-missing", delete("{m}/a")),
    _v1("nested-values", post("{m}/a", {"m": {"x": [1, 2]}}), get("{m}/a", values=True)),
    _v1("ttl-field", post("{m}/a", {"k": "v", "ttl": "1h"}), get("{m}/a")),
    _v1(
        "upgrade",
        WRITE1,
        post("sys/mounts/{m}/tune", {"options": {"version": "2"}}),
        get("sys/mounts/{m}", pick="data.options", values=True),
    ),
]

KV2 = [
    _v2("write", WRITE2),
    _v2("write-read", WRITE2, get("{m}/data/a", values=True)),
    _v2("read-missing", get("{m}/data/nothing")),
    _v2("write-no-data", post("{m}/data/a", {})),
    _v2("write-data-not-map", post("{m}/data/a", {"data": "x"})),
    _v2("write-folder", post("{m}/data/a/", {"data": {"k": "v"}})),
    _v2("versions", WRITE2, WRITE2, get("{m}/data/a?version=1", values=True)),
    _v2("read-version-missing", WRITE2, get("{m}/data/a?version=9")),
    _v2("cas-ok", WRITE2, post("{m}/data/a", {"data": {"k": 2}, "options": {"cas": 1}})),
    _v2("cas-mismatch", WRITE2, post("{m}/data/a", {"data": {"k": 2}, "options": {"cas": 0}})),
    _v2("cas-string", WRITE2, post("{m}/data/a", {"data": {"k": 2}, "options": {"cas": "1"}})),
    _v2("cas-required", post("{m}/config", {"cas_required": True}), WRITE2),
    _v2("config-read", get("{m}/config", values=True)),
    _v2(
        "config-write",
        post("{m}/config", {"max_versions": 5, "delete_version_after": "1h"}),
        get("{m}/config", values=True),
    ),
    _v2(
        "config-weak-types",
        post(
            "{m}/config",
            {"max_versions": "5", "cas_required": "true", "delete_version_after": 3600},
        ),
        get("{m}/config", values=True),
    ),
    _v2("config-bad", post("{m}/config", {"max_versions": "many"})),
    _v2("delete-latest", WRITE2, delete("{m}/data/a"), get("{m}/data/a")),
    _v2(
        "delete-versions",
        WRITE2,
        post("{m}/delete/a", {"versions": [1]}),
        get("{m}/data/a?version=1"),
    ),
    _v2("delete-versions-string", WRITE2, post("{m}/delete/a", {"versions": "1"})),
    _v2(
        "undelete",
        WRITE2,
        delete("{m}/data/a"),
        post("{m}/undelete/a", {"versions": [1]}),
        get("{m}/data/a", values=True),
    ),
    _v2("destroy", WRITE2, post("{m}/destroy/a", {"versions": [1]}), get("{m}/data/a")),
    _v2("destroy-no-versions", WRITE2, post("{m}/destroy/a", {})),
    _v2("metadata-read", WRITE2, get("{m}/metadata/a")),
    _v2("metadata-read-missing", get("{m}/metadata/none")),
    _v2(
        "metadata-write",
        post("{m}/metadata/a", {"max_versions": 3, "custom_metadata": {"owner": "x"}}),
        get("{m}/metadata/a", pick="data.custom_metadata", values=True),
    ),
    _v2("metadata-custom-int", post("{m}/metadata/a", {"custom_metadata": {"n": 1}})),
    _v2(
        "metadata-list",
        WRITE2,
        post("{m}/data/d/b", {"data": {"k": 1}}),
        lst("{m}/metadata", values=True),
    ),
    _v2("metadata-list-missing", lst("{m}/metadata/none")),
    _v2("metadata-delete", WRITE2, delete("{m}/metadata/a"), get("{m}/data/a")),
    _v2(
        "metadata-patch",
        WRITE2,
        patch("{m}/metadata/a", {"max_versions": 4}),
        get("{m}/metadata/a", pick="data.max_versions", values=True),
    ),
    _v2("patch", WRITE2, patch("{m}/data/a", {"data": {"n": 2}}), get("{m}/data/a", values=True)),
    _v2("patch-missing", patch("{m}/data/a", {"data": {"n": 2}})),
    _v2(
        "subkeys",
        post("{m}/data/a", {"data": {"x": {"y": 1}, "z": "v"}}),
        get("{m}/subkeys/a", values=True),
    ),
    _v2(
        "subkeys-depth",
        post("{m}/data/a", {"data": {"x": {"y": {"z": 1}}}}),
        get("{m}/subkeys/a?depth=1", values=True),
    ),
    _v2("invalid-path", get("{m}/nope/a")),
    _v2("v1-path-on-v2", get("{m}/a")),
    _v2("list-data-path", WRITE2, lst("{m}/data")),
    _v2("get-secret-root", get("secret/data/{m}")),
]

SCENARIOS = [*KV1, *KV2]
