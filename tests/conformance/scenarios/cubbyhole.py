"""cubbyhole/: the per-token private store every namespace has (Vault's `cubbyhole` engine)."""

from __future__ import annotations

from conformance.harness import Scenario
from conformance.scenarios.steps import delete, get, lst, post

CHILD = post("auth/token/create", {"policies": ["default"]}, save={"t": "auth.client_token"})

SCENARIOS = [
    Scenario(
        "cubbyhole-write-read",
        [post("cubbyhole/{m}", {"a": 1, "b": "x"}), get("cubbyhole/{m}", values=True)],
    ),
    Scenario("cubbyhole-read-missing", [get("cubbyhole/{m}-none")]),
    Scenario(
        "cubbyhole-list",
        [
            post("cubbyhole/{m}/a", {"v": "1"}),
            post("cubbyhole/{m}/b/c", {"v": "1"}),
            lst("cubbyhole/{m}", values=True),
        ],
    ),
    Scenario("cubbyhole-list-missing", [lst("cubbyhole/{m}-none")]),
    Scenario(
        "cubbyhole-delete",
        [
            post("cubbyhole/{m}", {"a": "1"}),
            delete("cubbyhole/{m}"),
            get("cubbyhole/{m}"),
            delete("cubbyhole/{m}"),
        ],
    ),
    Scenario("cubbyhole-write-empty", [post("cubbyhole/{m}", {})]),
    Scenario("cubbyhole-write-folder", [post("cubbyhole/{m}/", {"a": "b"})]),
    Scenario(
        "cubbyhole-overwrite",
        [
            post("cubbyhole/{m}", {"a": "1"}),
            post("cubbyhole/{m}", {"b": "2"}),
            get("cubbyhole/{m}", values=True),
        ],
    ),
    Scenario(
        "cubbyhole-private-to-token",
        [
            CHILD,
            post("cubbyhole/{m}", {"mine": "yes"}, token="t"),
            get("cubbyhole/{m}", token="t", values=True),
            get("cubbyhole/{m}"),
            lst("cubbyhole/", token="t", values=True),
        ],
    ),
    Scenario(
        "cubbyhole-gone-with-token",
        [
            CHILD,
            post("cubbyhole/{m}", {"mine": "yes"}, token="t"),
            post("auth/token/revoke-self", token="t"),
            get("cubbyhole/{m}", token="t"),
        ],
    ),
    Scenario("cubbyhole-no-token", [get("cubbyhole/{m}", token=None)]),
    Scenario(
        "cubbyhole-batch-token",
        [
            post("auth/token/create", {"type": "batch"}, save={"b": "auth.client_token"}),
            get("cubbyhole/{m}", token="b", values=True),
            post("cubbyhole/{m}", {"a": "b"}, token="b", values=True),
        ],
    ),
    Scenario("cubbyhole-mount-listed", [get("sys/mounts/cubbyhole", values=True)]),
    Scenario("cubbyhole-tune", [get("sys/mounts/cubbyhole/tune", values=True)]),
]
