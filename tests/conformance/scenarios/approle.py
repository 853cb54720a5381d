"""The AppRole auth method: roles, role-id, secret-ids, login, with hvac's and the CLI's
field types."""

from __future__ import annotations

from conformance.harness import Scenario, Step
from conformance.scenarios.steps import delete, get, lst, post

ENABLE = post("sys/auth/{m}", {"type": "approle"})
ROLE = "auth/{m}/role/r"
ROLE_ID = get(ROLE + "/role-id", save={"rid": "data.role_id"})
SECRET_ID = post(
    ROLE + "/secret-id", save={"sid": "data.secret_id", "acc": "data.secret_id_accessor"}
)
LOGIN = post(
    "auth/{m}/login",
    {"role_id": "{rid}", "secret_id": "{sid}"},
    token=None,
    save={"t": "auth.client_token"},
)


def _a(name: str, *steps: Step) -> Scenario:
    return Scenario(f"approle-{name}", [ENABLE, *steps])


SCENARIOS = [
    _a(
        "role-write-read",
        post(ROLE, {"token_policies": "default,a", "token_ttl": "1h"}),
        get(ROLE, values=True),
    ),
    _a(
        "role-weak-types",
        post(
            ROLE,
            {
                "token_ttl": 3600,
                "secret_id_num_uses": "2",
                "bind_secret_id": "true",
                "token_num_uses": "0",
            },
        ),
        get(ROLE, values=True),
    ),
    _a("role-read-missing", get(ROLE)),
    _a("role-list", post(ROLE, {}), lst("auth/{m}/role", values=True)),
    _a("role-list-empty", lst("auth/{m}/role")),
    _a("role-delete", post(ROLE, {}), delete(ROLE), get(ROLE)),
    _a("role-id", post(ROLE, {}), get(ROLE + "/role-id")),
    _a(
        "role-id-set",
        post(ROLE, {}),
        post(ROLE + "/role-id", {"role_id": "fixed-id"}),
        get(ROLE + "/role-id", values=True),
    ),
    _a("secret-id", post(ROLE, {}), SECRET_ID),
    _a("secret-id-metadata", post(ROLE, {}), post(ROLE + "/secret-id", {"metadata": '{"a": "b"}'})),
    _a("secret-id-list", post(ROLE, {}), SECRET_ID, lst(ROLE + "/secret-id")),
    _a(
        "secret-id-lookup",
        post(ROLE, {}),
        SECRET_ID,
        post(ROLE + "/secret-id/lookup", {"secret_id": "{sid}"}),
    ),
    _a(
        "secret-id-accessor-lookup",
        post(ROLE, {}),
        SECRET_ID,
        post(ROLE + "/secret-id-accessor/lookup", {"secret_id_accessor": "{acc}"}),
    ),
    _a(
        "secret-id-destroy",
        post(ROLE, {}),
        SECRET_ID,
        post(ROLE + "/secret-id/destroy", {"secret_id": "{sid}"}),
        post(ROLE + "/secret-id/lookup", {"secret_id": "{sid}"}),
    ),
    _a(
        "custom-secret-id",
        post(ROLE, {}),
        post(ROLE + "/custom-secret-id", {"secret_id": "my-secret-id-value"}),
    ),
    _a(
        "login",
        post(ROLE, {"token_policies": ["default"]}),
        ROLE_ID,
        SECRET_ID,
        LOGIN,
        get("auth/token/lookup-self", token="t", pick="data.policies", values=True),
    ),
    _a(
        "login-bad-secret",
        post(ROLE, {}),
        ROLE_ID,
        post("auth/{m}/login", {"role_id": "{rid}", "secret_id": "wrong"}, token=None),
    ),
    _a(
        "login-unknown-role",
        post("auth/{m}/login", {"role_id": "nobody", "secret_id": "x"}, token=None),
    ),
    _a("login-missing-role-id", post("auth/{m}/login", {}, token=None)),
    _a(
        "login-no-bind",
        post(ROLE, {"bind_secret_id": False, "secret_id_bound_cidrs": "127.0.0.1/32"}),
        ROLE_ID,
        post("auth/{m}/login", {"role_id": "{rid}"}, token=None),
    ),
    _a(
        "secret-id-num-uses",
        post(ROLE, {"secret_id_num_uses": 1}),
        ROLE_ID,
        SECRET_ID,
        LOGIN,
        post("auth/{m}/login", {"role_id": "{rid}", "secret_id": "{sid}"}, token=None),
    ),
    _a("role-field-read", post(ROLE, {"token_ttl": "10m"}), get(ROLE + "/token-ttl", values=True)),
    _a("tidy", post("auth/{m}/tidy/secret-id")),
]
