"""auth/token/*: create (with the CLI's and hvac's field types), lookup, renew, revoke,
roles, accessors."""

from __future__ import annotations

from conformance.harness import Scenario
from conformance.scenarios.steps import delete, get, lst, post

CREATE = "auth/token/create"


def _create(body: object, name: str) -> Scenario:
    """Create a token, then look it up: the shape of both answers, and the lookup's values."""
    return Scenario(
        f"token-create-{name}",
        [
            post(CREATE, body, save={"t": "auth.client_token"}),
            post("auth/token/lookup", {"token": "{t}"}, pick="data.policies", values=True),
        ],
    )


CREATES = [
    _create({}, "plain"),
    _create({"policies": ["default"]}, "policies-list"),
    _create({"policies": "default,foo"}, "policies-comma-string"),
    _create({"ttl": "1h"}, "ttl-string"),
    _create({"ttl": 3600}, "ttl-int"),
    _create({"ttl": "3600"}, "ttl-digits"),
    _create({"explicit_max_ttl": "2h"}, "explicit-max-ttl"),
    _create({"num_uses": 3}, "num-uses"),
    _create({"num_uses": "3"}, "num-uses-string"),
    _create({"renewable": False}, "not-renewable"),
    _create({"renewable": "false"}, "renewable-string"),
    _create({"no_default_policy": True, "policies": ["foo"]}, "no-default-policy"),
    _create({"display_name": "ci"}, "display-name"),
    _create({"meta": {"team": "a", "n": 1}}, "meta-int-value"),
    _create({"period": "1h"}, "period"),
    _create({"type": "batch", "policies": ["default"]}, "batch"),
    _create({"no_parent": True}, "orphan-flag"),
]

OTHER = [
    Scenario(
        "token-lookup-self", [get("auth/token/lookup-self", values=True, pick="data.policies")]
    ),
    Scenario("token-lookup-self-shape", [get("auth/token/lookup-self")]),
    Scenario("token-lookup-self-no-token", [get("auth/token/lookup-self", token=None)]),
    Scenario("token-lookup-self-bad-token", [get("auth/token/lookup-self", token="hvs.nonsense")]),
    Scenario(
        "token-lookup-by-get",
        [post(CREATE, {}, save={"t": "auth.client_token"}), get("auth/token/lookup?token={t}")],
    ),
    Scenario("token-lookup-missing", [post("auth/token/lookup", {"token": "hvs.nothing"})]),
    Scenario("token-lookup-empty", [post("auth/token/lookup", {})]),
    Scenario(
        "token-lookup-accessor",
        [
            post(CREATE, {}, save={"a": "auth.accessor"}),
            post("auth/token/lookup-accessor", {"accessor": "{a}"}),
        ],
    ),
    Scenario(
        "token-lookup-accessor-missing", [post("auth/token/lookup-accessor", {"accessor": "x"})]
    ),
    Scenario(
        "token-renew-self",
        [
            post(CREATE, {"ttl": "1h"}, save={"t": "auth.client_token"}),
            post("auth/token/renew-self", {"increment": "2h"}, token="t"),
        ],
    ),
    Scenario(
        "token-renew",
        [
            post(CREATE, {"ttl": "1h"}, save={"t": "auth.client_token"}),
            post("auth/token/renew", {"token": "{t}", "increment": 7200}),
        ],
    ),
    Scenario(
        "token-renew-not-renewable",
        [
            post(CREATE, {"ttl": "1h", "renewable": False}, save={"t": "auth.client_token"}),
            post("auth/token/renew", {"token": "{t}"}),
        ],
    ),
    Scenario(
        "token-renew-accessor",
        [
            post(CREATE, {"ttl": "1h"}, save={"a": "auth.accessor"}),
            post("auth/token/renew-accessor", {"accessor": "{a}"}),
        ],
    ),
    Scenario(
        "token-revoke",
        [
            post(CREATE, {}, save={"t": "auth.client_token"}),
            post("auth/token/revoke", {"token": "{t}"}),
            get("auth/token/lookup-self", token="t"),
        ],
    ),
    Scenario(
        "token-revoke-self",
        [
            post(CREATE, {}, save={"t": "auth.client_token"}),
            post("auth/token/revoke-self", token="t"),
            get("auth/token/lookup-self", token="t"),
        ],
    ),
    Scenario(
        "token-revoke-accessor",
        [
            post(CREATE, {}, save={"t": "auth.client_token", "a": "auth.accessor"}),
            post("auth/token/revoke-accessor", {"accessor": "{a}"}),
            get("auth/token/lookup-self", token="t"),
        ],
    ),
    Scenario(
        "token-revoke-parent-revokes-child",
        [
            post(CREATE, {}, save={"p": "auth.client_token"}),
            post(CREATE, {}, token="p", save={"c": "auth.client_token"}),
            post("auth/token/revoke", {"token": "{p}"}),
            get("auth/token/lookup-self", token="c"),
        ],
    ),
    Scenario(
        "token-revoke-orphan",
        [
            post(CREATE, {}, save={"p": "auth.client_token"}),
            post(CREATE, {}, token="p", save={"c": "auth.client_token"}),
            post("auth/token/revoke-orphan", {"token": "{p}"}),
            get("auth/token/lookup-self", token="c", pick="data.orphan", values=True),
        ],
    ),
    Scenario("token-revoke-missing", [post("auth/token/revoke", {"token": "hvs.nothing"})]),
    Scenario(
        "token-create-orphan",
        [
            post("auth/token/create-orphan", {}, save={"t": "auth.client_token"}),
            get("auth/token/lookup-self", token="t", pick="data.orphan", values=True),
        ],
    ),
    Scenario(
        "token-num-uses-exhausted",
        [
            post(CREATE, {"num_uses": 1}, save={"t": "auth.client_token"}),
            get("auth/token/lookup-self", token="t"),
            get("auth/token/lookup-self", token="t"),
        ],
    ),
    Scenario(
        "token-child-policies-not-subset",
        [
            post(CREATE, {"policies": ["default"]}, save={"t": "auth.client_token"}),
            post(CREATE, {"policies": ["other"]}, token="t"),
        ],
    ),
    Scenario("token-accessors-list", [lst("auth/token/accessors", pick="data.keys.0")]),
    Scenario(
        "token-role-write-read",
        [
            post("auth/token/roles/{m}", {"allowed_policies": "default,foo", "orphan": "true"}),
            get("auth/token/roles/{m}", values=True),
        ],
    ),
    Scenario(
        "token-role-create-with",
        [
            post("auth/token/roles/{m}", {"allowed_policies": ["default"]}),
            post("auth/token/create/{m}", {}, save={"t": "auth.client_token"}),
            get("auth/token/lookup-self", token="t", pick="data.role", values=True),
        ],
    ),
    Scenario("token-role-missing", [get("auth/token/roles/{m}")]),
    Scenario(
        "token-role-list",
        [post("auth/token/roles/{m}", {}), lst("auth/token/roles", pick="data")],
    ),
    Scenario(
        "token-role-delete",
        [
            post("auth/token/roles/{m}", {}),
            delete("auth/token/roles/{m}"),
            get("auth/token/roles/{m}"),
        ],
    ),
    Scenario(
        "token-create-ttl-30m",
        [post(CREATE, {"ttl": "30m"}, pick="auth.lease_duration", values=True, label="ttl")],
    ),
    Scenario("token-create-bad-ttl", [post(CREATE, {"ttl": "soon"})]),
    Scenario(
        "token-create-root-by-non-root",
        [
            post(CREATE, {"policies": ["default"]}, save={"t": "auth.client_token"}),
            post(CREATE, {"policies": ["root"]}, token="t"),
        ],
    ),
]

# What the declarative table adds: Vault's unknown-parameter warning, field conversion before
# the handler, the deprecated role field names, and hvac's create-orphan body.
TABLE = [
    Scenario(
        "token-create-unknown-parameter",
        [post(CREATE, {"zz": 1, "B": 2}, pick="warnings", values=True)],
    ),
    Scenario(
        "token-create-orphan-hvac-role-name",
        [
            post(
                "auth/token/create-orphan",
                {"role_name": "x", "display_name": "token", "num_uses": 0},
                pick="warnings",
                values=True,
            )
        ],
    ),
    Scenario("token-create-bad-bool", [post(CREATE, {"renewable": "maybe"})]),
    Scenario("token-create-bad-num-uses", [post(CREATE, {"num_uses": "many"})]),
    Scenario(
        "token-lookup-accessor-unknown-parameter",
        [
            post(CREATE, {}, save={"a": "auth.accessor"}),
            post(
                "auth/token/lookup-accessor",
                {"accessor": "{a}", "zz": 1},
                pick="warnings",
                values=True,
            ),
        ],
    ),
    Scenario(
        "token-role-deprecated-names",
        [
            post(
                "auth/token/roles/{m}",
                {"period": "1h", "explicit_max_ttl": "2h", "bound_cidrs": "10.0.0.0/8"},
            ),
            get("auth/token/roles/{m}", pick="data.token_period", values=True),
            get("auth/token/roles/{m}", pick="data.token_explicit_max_ttl", values=True),
            get("auth/token/roles/{m}", pick="data.token_bound_cidrs", values=True),
        ],
    ),
    Scenario("token-role-bad-name", [post("auth/token/roles/-x", {})]),
    Scenario("token-tidy", [post("auth/token/tidy", {})]),
]

SCENARIOS = [*CREATES, *OTHER, *TABLE]
