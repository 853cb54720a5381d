"""Planning: from nothing, every create; from the applied state, nothing; each kind of drift
found, fixed where a write can fix it, reported as a conflict where it cannot."""

from __future__ import annotations

from dataclasses import replace

import pytest

from strongroom.blueprints import (
    Action,
    Drift,
    KeyState,
    MountConfig,
    MountState,
    Plan,
    Rendered,
    RoleState,
    State,
    TokenTtls,
    default_blueprint,
    parse_blueprint,
    plan,
    render,
)

TENANT = render(default_blueprint(), tenant="acme")
SERVICE = render(default_blueprint(), tenant="acme", service="web")


def applied(*parts: Rendered, base: State | None = None) -> State:
    """The state a successful apply of `parts` leaves (what a namespace would read back)."""
    state = base or State()
    mounts, auth = dict(state.mounts), dict(state.auth)
    keys = {m: dict(k) for m, k in state.transit_keys.items()}
    roles = {m: dict(r) for m, r in state.approle_roles.items()}
    policies, token = dict(state.policies), state.token
    for part in parts:
        for mount in part.mounts:
            table = auth if mount.table == "auth" else mounts
            table[mount.path] = MountState(
                mount.type, mount.description, mount.options, mount.config
            )
        for key in part.transit_keys:
            keys.setdefault(key.mount, {})[key.name] = KeyState(
                key.type, key.auto_rotate_period, key.exportable, key.deletion_allowed
            )
        policies.update(part.policies)
        for role in part.approle_roles:
            roles.setdefault(role.mount, {})[role.name] = RoleState(
                role.token_ttl,
                role.token_max_ttl,
                role.token_policies,
                role.secret_id_ttl,
                role.secret_id_num_uses,
            )
        token = part.token or token
    return State(mounts, auth, keys, policies, roles, token)


def kinds(result: Plan) -> list[tuple[str, str, str]]:
    return [(a.kind, a.path, a.reason) for a in result.actions]


def test_from_nothing_everything_is_created_in_order() -> None:
    result = plan(TENANT, State())
    assert kinds(result) == [
        ("enable_mount", "sys/mounts/secret", "missing"),
        ("enable_mount", "sys/mounts/transit", "missing"),
        ("enable_mount", "sys/auth/approle", "missing"),
        ("tune_token", "sys/auth/token/tune", "missing"),
        ("create_key", "transit/keys/tenant", "missing"),
        ("write_policy", "sys/policies/acl/tenant-admin", "missing"),
    ]
    assert result.drift == ()
    assert not result.converged
    assert dict(result.actions[0].data) == {
        "type": "kv",
        "description": "Secrets of tenant acme",
        "config": {"default_lease_ttl": 0, "max_lease_ttl": 0},
        "options": {"version": "2"},
    }
    assert dict(result.actions[3].data) == {"default_lease_ttl": 3600, "max_lease_ttl": 86400}
    assert dict(result.actions[4].data) == {
        "type": "aes256-gcm96",
        "exportable": False,
        "auto_rotate_period": 30 * 86400,
    }
    assert result.actions[5].data["policy"] == TENANT.policies["tenant-admin"]


def test_a_service_on_an_applied_tenant() -> None:
    result = plan(SERVICE, applied(TENANT))
    assert kinds(result) == [
        ("create_key", "transit/keys/service-web", "missing"),
        ("write_policy", "sys/policies/acl/service-web", "missing"),
        ("write_role", "auth/approle/role/web", "missing"),
    ]
    assert dict(result.actions[2].data) == {
        "token_ttl": 3600,
        "token_max_ttl": 86400,
        "token_policies": ["service-web"],
        "secret_id_ttl": 30 * 86400,
        "secret_id_num_uses": 0,
    }


def test_applying_twice_changes_nothing() -> None:
    state = applied(TENANT, SERVICE)
    for rendered in (TENANT, SERVICE):
        result = plan(rendered, state)
        assert result.converged
        assert result == Plan()
        assert result.describe() == {"converged": True, "conflicts": 0, "actions": [], "drift": []}


def test_things_the_blueprint_does_not_name_are_left_alone() -> None:
    extra = State(
        mounts={"other/": MountState("kv")},
        policies={"mine": 'path "x" { capabilities = ["read"] }'},
        approle_roles={"approle/": {"ci": RoleState()}},
    )
    assert plan(TENANT, applied(TENANT, SERVICE, base=extra)).converged


def test_a_policy_laid_out_differently_has_not_drifted() -> None:
    state = applied(TENANT)
    text = TENANT.policies["tenant-admin"]
    relaid = "\n\n".join(line.strip() for line in text.splitlines() if not line.startswith("#"))
    state = replace(state, policies={"tenant-admin": relaid})
    assert plan(TENANT, state).converged


def test_policy_drift_is_fixed_by_writing_it_again() -> None:
    state = replace(
        applied(TENANT), policies={"tenant-admin": 'path "*" { capabilities = ["sudo"] }'}
    )
    result = plan(TENANT, state)
    assert kinds(result) == [("write_policy", "sys/policies/acl/tenant-admin", "drift")]
    (drift,) = result.drift
    assert (drift.kind, drift.field, drift.fixable) == ("policy", "policy", True)
    assert drift.actual == 'path "*" { capabilities = ["sudo"] }'


def test_an_unparsable_policy_has_drifted() -> None:
    state = replace(applied(TENANT), policies={"tenant-admin": "garbage {"})
    assert kinds(plan(TENANT, state)) == [
        ("write_policy", "sys/policies/acl/tenant-admin", "drift")
    ]


def test_key_rotation_drift() -> None:
    state = applied(TENANT)
    state = replace(state, transit_keys={"transit/": {"tenant": KeyState("aes256-gcm96", 3600)}})
    result = plan(TENANT, state)
    assert result.drift == (
        Drift("transit_key", "transit/keys/tenant", "auto_rotate_period", 2592000, 3600),
    )
    assert result.actions == (
        Action(
            "configure_key",
            "transit/keys/tenant/config",
            {"auto_rotate_period": 2592000},
            "drift",
        ),
    )


def test_key_of_another_type_is_a_conflict() -> None:
    state = replace(applied(TENANT), transit_keys={"transit/": {"tenant": KeyState("rsa-2048")}})
    result = plan(TENANT, state)
    assert result.actions == ()
    assert result.conflicts == (
        Drift(
            "transit_key", "transit/keys/tenant", "type", "aes256-gcm96", "rsa-2048", fixable=False
        ),
    )
    assert not result.converged


def test_exportable_is_one_way() -> None:
    base = parse_blueprint(
        {
            "mounts": [{"path": "transit", "type": "transit"}],
            "transit_keys": [{"name": "k", "exportable": True, "deletion_allowed": True}],
        }
    )
    wants_export = render(base, tenant="acme")
    fresh = plan(wants_export, State())
    assert kinds(fresh)[1:] == [
        ("create_key", "transit/keys/k", "missing"),
        ("configure_key", "transit/keys/k/config", "missing"),
    ]
    assert dict(fresh.actions[2].data) == {"deletion_allowed": True}
    mounted = {"transit/": MountState("transit")}
    not_exported = State(mounts=mounted, transit_keys={"transit/": {"k": KeyState("aes256-gcm96")}})
    turned_on = plan(wants_export, not_exported)
    assert dict(turned_on.actions[0].data) == {"exportable": True, "deletion_allowed": True}
    assert all(d.fixable for d in turned_on.drift)
    no_export = render(
        replace(
            base,
            transit_keys=(replace(base.transit_keys[0], exportable=False, deletion_allowed=False),),
        ),
        tenant="acme",
    )
    exported = State(
        mounts=mounted, transit_keys={"transit/": {"k": KeyState("aes256-gcm96", exportable=True)}}
    )
    result = plan(no_export, exported)
    assert result.actions == ()
    assert result.conflicts == (
        Drift(
            "transit_key",
            "transit/keys/k",
            "exportable",
            expected=False,
            actual=True,
            fixable=False,
        ),
    )


def test_a_mount_of_another_type_is_a_conflict_and_blocks_its_keys() -> None:
    state = replace(
        applied(TENANT), mounts={**applied(TENANT).mounts, "transit/": MountState("kv")}
    )
    result = plan(TENANT, state)
    assert result.conflicts == (
        Drift("mount", "sys/mounts/transit", "type", "transit", "kv", fixable=False),
    )
    assert result.actions == ()  # the key on it is not attempted, and not reported twice
    assert len(result.drift) == 1


def test_mount_settings_drift_is_tuned_back() -> None:
    blueprint = parse_blueprint(
        {
            "mounts": [
                {
                    "path": "kv",
                    "type": "kv",
                    "description": "d",
                    "options": {"version": "2"},
                    "config": {"default_lease_ttl": "1h", "max_lease_ttl": "2h"},
                }
            ]
        }
    )
    rendered = render(blueprint, tenant="acme")
    state = State(mounts={"kv": MountState("kv", "old", {}, MountConfig(60, 7200))})
    result = plan(rendered, state)
    assert [(d.field, d.expected, d.actual) for d in result.drift] == [
        ("description", "d", "old"),
        ("config.default_lease_ttl", 3600, 60),
        ("options.version", "2", "1"),
    ]
    assert result.actions == (
        Action(
            "tune_mount",
            "sys/mounts/kv/tune",
            {"description": "d", "default_lease_ttl": 3600, "options": {"version": "2"}},
            "drift",
        ),
    )


def test_kv_v2_cannot_go_back_to_v1() -> None:
    blueprint = parse_blueprint(
        {"mounts": [{"path": "kv", "type": "kv", "options": {"version": "1"}}]}
    )
    state = State(mounts={"kv/": MountState("kv", options={"version": "2"})})
    result = plan(render(blueprint, tenant="acme"), state)
    assert result.actions == ()
    assert result.conflicts == (
        Drift("mount", "sys/mounts/kv", "options.version", "1", "2", fixable=False),
    )


def test_role_drift_rewrites_the_role() -> None:
    state = applied(TENANT, SERVICE)
    state = replace(
        state,
        approle_roles={"approle/": {"web": RoleState(token_ttl=60, token_policies=("root",))}},
    )
    result = plan(SERVICE, state)
    assert [(d.field, d.expected, d.actual) for d in result.drift] == [
        ("token_ttl", 3600, 60),
        ("token_max_ttl", 86400, 0),
        ("token_policies", ["service-web"], ["root"]),
        ("secret_id_ttl", 2592000, 0),
    ]
    assert kinds(result) == [("write_role", "auth/approle/role/web", "drift")]
    assert result.actions[0].data["token_policies"] == ["service-web"]


def test_token_ttl_drift() -> None:
    state = replace(applied(TENANT), token=TokenTtls(60, 86400))
    result = plan(TENANT, state)
    assert result.drift == (Drift("token", "sys/auth/token/tune", "default_ttl", 3600, 60),)
    assert kinds(result) == [("tune_token", "sys/auth/token/tune", "drift")]


@pytest.mark.parametrize(
    ("state", "expected_actual"),
    [
        (State(), None),  # the tenant was never set up
        (State(mounts={"transit/": MountState("kv")}), "kv"),
    ],
)
def test_a_service_needs_its_mounts(state: State, expected_actual: str | None) -> None:
    result = plan(SERVICE, state)
    assert kinds(result) == [("write_policy", "sys/policies/acl/service-web", "missing")]
    conflicts = [(d.kind, d.path, d.field, d.actual) for d in result.conflicts]
    assert conflicts[0] == ("transit_key", "transit/keys/service-web", "mount", expected_actual)
    assert conflicts[1] == ("approle_role", "auth/approle/role/web", "mount", None)


def test_state_from_api_reads() -> None:
    mount = MountState.from_api(
        {
            "type": "kv",
            "description": "d",
            "options": {"version": "2"},
            "config": {"default_lease_ttl": 60, "max_lease_ttl": 0, "force_no_cache": False},
            "accessor": "kv_1234",
        }
    )
    assert mount == MountState("kv", "d", {"version": "2"}, MountConfig(60, 0))
    assert MountState.from_api({"type": "transit", "options": None}) == MountState("transit")
    key = KeyState.from_api(
        {"type": "aes256-gcm96", "auto_rotate_period": 3600, "exportable": True, "keys": {}}
    )
    assert key == KeyState("aes256-gcm96", 3600, exportable=True)
    role = RoleState.from_api(
        {"token_ttl": 60, "token_policies": ["a"], "secret_id_num_uses": 2, "bind_secret_id": True}
    )
    assert role == RoleState(token_ttl=60, token_policies=("a",), secret_id_num_uses=2)
    assert State(mounts={"/secret": mount}).mounts.keys() == {"secret/"}


def test_plans_describe_themselves_as_json() -> None:
    described = plan(SERVICE, State()).describe()
    assert described["converged"] is False
    assert described["actions"][0] == {
        "action": "write_policy",
        "path": "sys/policies/acl/service-web",
        "data": {"policy": SERVICE.policies["service-web"]},
        "reason": "missing",
    }
    assert described["drift"][0] == {
        "kind": "transit_key",
        "path": "transit/keys/service-web",
        "field": "mount",
        "expected": "transit",
        "actual": None,
        "fixable": False,
    }
