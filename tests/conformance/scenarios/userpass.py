"""The userpass auth method: users, password, policies and login, with hvac's and the CLI's
field types (OpenBao 2.7.2 has no LDAP method to compare with)."""

from __future__ import annotations

from conformance.harness import Scenario, Step
from conformance.scenarios.steps import delete, get, lst, post

ENABLE = post("sys/auth/{m}", {"type": "userpass"})
USER = "auth/{m}/users/alice"
CREATE = post(USER, {"password": "pw1", "token_policies": "a,b", "token_ttl": "1h"})


def _u(name: str, *steps: Step) -> Scenario:
    return Scenario(f"userpass-{name}", [ENABLE, *steps])


SCENARIOS = [
    _u("user-write-read", CREATE, get(USER, values=True), get("auth/{m}/users/ALICE")),
    _u(
        "user-legacy-policies",
        post(USER, {"password": "p", "policies": "X, y"}),
        get(USER, values=True),
    ),
    _u("user-without-password", post(USER, {"token_ttl": 60}), get(USER)),
    _u("user-read-missing", get(USER)),
    _u("user-list", CREATE, lst("auth/{m}/users", values=True)),
    _u("user-list-empty", lst("auth/{m}/users")),
    _u("user-delete", CREATE, delete(USER), delete(USER), get(USER)),
    _u(
        "user-password-and-policies",
        CREATE,
        post(USER + "/password", {"password": "pw2"}),
        post(USER + "/password", {}),
        post(USER + "/policies", {"policies": "z"}),
        get(USER, values=True),
    ),
    _u(
        "login",
        CREATE,
        post("auth/{m}/login/alice", {"password": "pw1"}, token=None),
        post("auth/{m}/login/ALICE", {"password": "pw1"}, token=None),
        post("auth/{m}/login/alice", {"password": "bad"}, token=None, values=True),
        post("auth/{m}/login/nobody", {"password": "bad"}, token=None, values=True),
    ),
    _u(
        "missing-user-password",
        post("auth/{m}/users/nobody/password", {"password": "x"}, label="password"),
        post("auth/{m}/users/nobody/policies", {"policies": "x"}, label="policies"),
    ),
    _u(
        "login-missing-password",
        CREATE,
        post("auth/{m}/login/alice", {}, token=None, values=True),
    ),
]
