"""identity/: entities, aliases, groups, group aliases, lookups and merges (Vault's builtin
`identity` engine), and the entity an AppRole log-in gets."""

from __future__ import annotations

from conformance.harness import Scenario, Step
from conformance.scenarios.steps import delete, get, lst, post

ENTITY = post(
    "identity/entity",
    {"name": "{m}-alice", "policies": ["p1"], "metadata": {"team": "x"}},
    save={"e": "data.id"},
    values=True,
)
APPROLE = post("sys/auth/{m}", {"type": "approle"})
ACCESSOR = get("sys/auth/{m}", save={"acc": "data.accessor"})
EXTERNAL = post(
    "identity/group", {"name": "{m}-ext", "type": "external"}, save={"x": "data.id"}, values=True
)


def _i(name: str, *steps: Step) -> Scenario:
    return Scenario(f"identity-{name}", list(steps))


SCENARIOS = [
    _i("entity-create-read", ENTITY, get("identity/entity/id/{e}")),
    _i(
        "entity-update",
        ENTITY,
        post("identity/entity/id/{e}", {"policies": "p2,p3", "disabled": "true"}),
        post("identity/entity", {"name": "{m}-alice", "metadata": {"a": "b"}}),
        get("identity/entity/name/{m}-alice", pick="data.policies", values=True),
        get("identity/entity/name/{m}-alice", pick="data.disabled", values=True),
        get("identity/entity/name/{m}-alice", pick="data.metadata", values=True),
    ),
    _i("entity-missing", get("identity/entity/id/{m}-none"), get("identity/entity/name/{m}-no")),
    _i(
        "entity-update-missing",
        post("identity/entity/id/{m}-none", {"policies": ["x"]}, values=True),
    ),
    _i("entity-delete-missing", delete("identity/entity/id/{m}-none")),
    _i(
        "entity-by-name",
        post("identity/entity/name/{m}-n", {"policies": ["x"]}, values=True),
        post("identity/entity/name/{m}-n", {"policies": ["y"]}),
        delete("identity/entity/name/{m}-n"),
        get("identity/entity/name/{m}-n"),
    ),
    _i(
        "entity-list",
        ENTITY,
        lst("identity/entity/id", pick="data.keys"),
        lst("identity/entity/name", pick="data.keys"),
    ),
    _i("entity-generated-name", post("identity/entity", {})),
    _i(
        "entity-alias",
        APPROLE,
        ACCESSOR,
        ENTITY,
        post(
            "identity/entity-alias",
            {"name": "{m}-bob", "canonical_id": "{e}", "mount_accessor": "{acc}"},
            save={"a": "data.id"},
        ),
        get("identity/entity-alias/id/{a}"),
        post(
            "identity/entity-alias",
            {"name": "{m}-bob2", "canonical_id": "{e}", "mount_accessor": "{acc}"},
            values=True,
        ),
        post("identity/entity-alias/id/{a}", {"name": "{m}-n2"}),
        get("identity/entity-alias/id/{a}", pick="data.name", values=True),
        get("identity/entity/id/{e}"),
        lst("identity/entity-alias/id", pick="data.keys"),
        delete("identity/entity-alias/id/{a}"),
        get("identity/entity-alias/id/{a}"),
    ),
    _i(
        "entity-alias-errors",
        APPROLE,
        ACCESSOR,
        post("identity/entity-alias", {"name": "n1"}, values=True),
        post(
            "identity/entity-alias",
            {"name": "n", "canonical_id": "nope", "mount_accessor": "{acc}"},
            values=True,
        ),
        post("identity/entity-alias/id/{m}-none", {"name": "x"}, values=True),
        post(
            "identity/entity-alias",
            {"name": "n", "mount_accessor": "{m}-nope"},
            values=True,
            label="unknown-mount",
        ),
        post("identity/entity-alias", {"name": "{m}-new", "mount_accessor": "{acc}"}),
    ),
    _i(
        "groups",
        ENTITY,
        post(
            "identity/group",
            {
                "name": "{m}-g1",
                "policies": "gp1",
                "member_entity_ids": ["{e}"],
                "metadata": {"a": "b"},
            },
            save={"g1": "data.id"},
            values=True,
        ),
        post(
            "identity/group",
            {"name": "{m}-g2", "policies": ["gp2"], "member_group_ids": ["{g1}"]},
            save={"g2": "data.id"},
        ),
        get("identity/group/id/{g1}"),
        get("identity/group/name/{m}-g2"),
        get("identity/entity/id/{e}"),
        post("identity/group/id/{g1}", {"member_group_ids": ["{g2}"]}),
        post("identity/group", {"name": "{m}-g1", "type": "external"}, values=True),
        post("identity/group", {"type": "bogus"}),
        post("identity/group/id/{m}-none", {"name": "z"}, values=True),
        post("identity/group/name/{m}-g3", {"policies": ["x"]}),
        delete("identity/group/name/{m}-g3"),
        delete("identity/group/id/{g2}"),
        get("identity/group/id/{g2}"),
        lst("identity/group/id", pick="data.keys"),
        lst("identity/group/name", pick="data.keys"),
    ),
    _i(
        "group-aliases",
        APPROLE,
        ACCESSOR,
        ENTITY,
        post(
            "identity/group",
            {"name": "{m}-ext", "type": "external", "member_entity_ids": ["{e}"]},
            values=True,
        ),
        EXTERNAL,
        post(
            "identity/group-alias",
            {"name": "{m}-devs", "mount_accessor": "{acc}", "canonical_id": "{x}"},
            save={"ga": "data.id"},
        ),
        get("identity/group-alias/id/{ga}"),
        get("identity/group/id/{x}"),
        post(
            "identity/group-alias",
            {"name": "{m}-devs", "mount_accessor": "{acc}", "canonical_id": "{x}"},
            values=True,
        ),
        post("identity/group-alias/id/{ga}", {"name": "{m}-d3"}, values=True),
        post("identity/lookup/group", {"alias_name": "{m}-devs", "alias_mount_accessor": "{acc}"}),
        lst("identity/group-alias/id", pick="data.keys"),
        delete("identity/group-alias/id/{ga}"),
        get("identity/group/id/{x}", pick="data.alias", values=True),
    ),
    _i(
        "group-alias-on-internal",
        APPROLE,
        ACCESSOR,
        post("identity/group", {"name": "{m}-int"}, save={"g": "data.id"}),
        post(
            "identity/group-alias",
            {"name": "{m}-d", "mount_accessor": "{acc}", "canonical_id": "{g}"},
            values=True,
        ),
    ),
    _i(
        "lookups",
        ENTITY,
        post("identity/lookup/entity", {"name": "{m}-alice"}),
        post("identity/lookup/entity", {"id": "{e}"}),
        post("identity/lookup/entity", {"name": "{m}-nobody"}),
        post("identity/lookup/entity", {}, values=True),
        post("identity/lookup/entity", {"name": "{m}-alice", "id": "{e}"}, values=True),
        post("identity/lookup/entity", {"alias_name": "x"}, values=True),
        post("identity/lookup/group", {"name": "{m}-nope"}),
        get("identity/lookup/entity"),
    ),
    _i(
        "merge-and-batch-delete",
        APPROLE,
        ACCESSOR,
        post("identity/entity", {"name": "{m}-m1", "policies": ["a"]}, save={"e1": "data.id"}),
        post("identity/entity", {"name": "{m}-m2", "policies": ["b"]}, save={"e2": "data.id"}),
        post(
            "identity/entity-alias",
            {"name": "{m}-x2", "canonical_id": "{e2}", "mount_accessor": "{acc}"},
        ),
        post("identity/entity/merge", {"to_entity_id": "{e1}", "from_entity_ids": ["{e2}"]}),
        get("identity/entity/id/{e1}"),
        get("identity/entity/id/{e1}", pick="data.policies", values=True),
        get("identity/entity/id/{e2}"),
        post(
            "identity/entity/merge",
            {"to_entity_id": "{e1}", "from_entity_ids": ["no"]},
            values=True,
        ),
        post("identity/entity/merge", {"from_entity_ids": ["{e1}"]}, values=True),
        post("identity/entity/batch-delete", {}, values=True),
        post("identity/entity/batch-delete", {"entity_ids": ["{e1}", "nope"]}),
        get("identity/entity/id/{e1}"),
    ),
    _i(
        "approle-login-entity",
        APPROLE,
        post("auth/{m}/role/r", {"token_policies": "default,tp"}),
        get("auth/{m}/role/r/role-id", save={"rid": "data.role_id"}),
        post("auth/{m}/role/r/secret-id", save={"sid": "data.secret_id"}),
        post(
            "auth/{m}/login",
            {"role_id": "{rid}", "secret_id": "{sid}"},
            token=None,
            save={"t": "auth.client_token", "e": "auth.entity_id"},
            values=True,
        ),
        get("identity/entity/id/{e}"),
        post("identity/entity/id/{e}", {"policies": ["ep1"]}),
        post(
            "identity/group", {"name": "{m}-lg", "policies": ["gp"], "member_entity_ids": ["{e}"]}
        ),
        get("auth/token/lookup-self", token="t", pick="data.identity_policies", values=True),
        get("auth/token/lookup-self", token="t", pick="data.policies", values=True),
        post("auth/{m}/role/r/secret-id", save={"sid": "data.secret_id"}),
        post("auth/{m}/login", {"role_id": "{rid}", "secret_id": "{sid}"}, token=None, values=True),
        post("identity/entity/id/{e}", {"disabled": True}),
        get("auth/token/lookup-self", token="t"),
        post("auth/{m}/role/r/secret-id", save={"sid": "data.secret_id"}),
        post("auth/{m}/login", {"role_id": "{rid}", "secret_id": "{sid}"}, token=None, values=True),
        post("identity/entity/id/{e}", {"disabled": False}),
        delete("identity/entity/id/{e}"),
        get("auth/token/lookup-self", token="t"),
    ),
    _i("mount-listed", get("sys/mounts/identity", values=True)),
]
