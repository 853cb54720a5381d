"""sys/policy, sys/policies/acl, sys/capabilities*, sys/internal/ui/resultant-acl."""

from __future__ import annotations

from conformance.harness import Scenario
from conformance.scenarios.steps import delete, get, lst, post

RULES = 'path "{m}/*" { capabilities = ["read", "list"] }'
POLICY = "sys/policies/acl/{m}"
TOKEN = post("auth/token/create", {"policies": ["{m}"]}, save={"t": "auth.client_token"})

SCENARIOS = [
    Scenario("policy-write-read", [post(POLICY, {"policy": RULES}), get(POLICY, values=True)]),
    Scenario(
        "policy-legacy-write-read",
        [post("sys/policy/{m}", {"policy": RULES}), get("sys/policy/{m}", values=True)],
    ),
    Scenario("policy-legacy-rules-field", [post("sys/policy/{m}", {"rules": RULES})]),
    Scenario("policy-list", [post(POLICY, {"policy": RULES}), lst("sys/policies/acl")]),
    Scenario("policy-legacy-list", [get("sys/policy")]),
    Scenario("policy-read-missing", [get(POLICY)]),
    Scenario("policy-legacy-read-missing", [get("sys/policy/{m}")]),
    Scenario("policy-read-default", [get("sys/policies/acl/default")]),
    Scenario("policy-read-root", [get("sys/policies/acl/root")]),
    Scenario("policy-delete", [post(POLICY, {"policy": RULES}), delete(POLICY), get(POLICY)]),
    Scenario("policy-delete-missing", [delete(POLICY)]),
    Scenario("policy-delete-default", [delete("sys/policies/acl/default")]),
    Scenario("policy-delete-root", [delete("sys/policies/acl/root")]),
    Scenario("policy-write-root", [post("sys/policies/acl/root", {"policy": RULES})]),
    Scenario("policy-invalid-hcl", [post(POLICY, {"policy": "path {"})]),
    Scenario("policy-empty", [post(POLICY, {"policy": ""})]),
    Scenario("policy-no-body", [post(POLICY, {})]),
    Scenario(
        "policy-bad-capability",
        [post(POLICY, {"policy": 'path "x" { capabilities = ["fly"] }'})],
    ),
    Scenario(
        "policy-json",
        [
            post(POLICY, {"policy": '{"path": {"{m}/*": {"capabilities": ["read"]}}}'}),
            get(POLICY, values=True),
        ],
    ),
    Scenario(
        "policy-uppercase-name",
        [
            post("sys/policies/acl/{m}UP", {"policy": RULES}),
            get("sys/policies/acl/{m}up", values=True),
        ],
    ),
    Scenario(
        "capabilities-root",
        [post("sys/capabilities", {"token": "root", "paths": ["secret/x"]}, values=True)],
    ),
    Scenario(
        "capabilities-self-root",
        [post("sys/capabilities-self", {"paths": ["secret/x", "sys/mounts"]}, values=True)],
    ),
    Scenario(
        "capabilities-self-path-string",
        [post("sys/capabilities-self", {"path": "secret/x"}, values=True)],
    ),
    Scenario(
        "capabilities-scoped",
        [
            post(POLICY, {"policy": RULES}),
            TOKEN,
            post("sys/capabilities", {"token": "{t}", "paths": ["{m}/a", "other/b"]}, values=True),
            post("sys/capabilities-self", {"paths": ["{m}/a"]}, token="t", values=True),
        ],
    ),
    Scenario(
        "capabilities-accessor",
        [
            post(POLICY, {"policy": RULES}),
            post("auth/token/create", {"policies": ["{m}"]}, save={"a": "auth.accessor"}),
            post("sys/capabilities-accessor", {"accessor": "{a}", "paths": ["{m}/x"]}, values=True),
        ],
    ),
    Scenario(
        "capabilities-comma-paths",
        [post("sys/capabilities-self", {"paths": "a/b,c/d"}, values=True)],
    ),
    Scenario(
        "resultant-acl-scoped",
        [
            post(POLICY, {"policy": RULES}),
            TOKEN,
            get("sys/internal/ui/resultant-acl", token="t", pick="data.glob_paths"),
        ],
    ),
    Scenario("resultant-acl-root", [get("sys/internal/ui/resultant-acl", values=True)]),
    Scenario(
        "policy-denies-scoped-token",
        [
            post(POLICY, {"policy": RULES}),
            TOKEN,
            get("sys/mounts", token="t"),
            post("sys/policies/acl/{m}x", {"policy": RULES}, token="t"),
        ],
    ),
]
