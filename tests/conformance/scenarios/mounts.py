"""sys/mounts, sys/mounts/:path/tune, sys/remount and sys/internal/ui/mounts, including the
weak typing real clients rely on (hvac sends `options={"version": 2}` with an integer, the
CLI sends `""` for a TTL it leaves alone)."""

from __future__ import annotations

from conformance.harness import Scenario
from conformance.scenarios.steps import cli, delete, get, post

MOUNT = "sys/mounts/{m}"


def _enable(body: object, name: str) -> Scenario:
    return Scenario(
        f"mounts-enable-{name}",
        [post(MOUNT, body), get(MOUNT, values=True), get(MOUNT + "/tune", values=True)],
    )


def _tune(body: object, name: str, kind: str = "kv") -> Scenario:
    return Scenario(
        f"mounts-tune-{name}",
        [
            post(MOUNT, {"type": kind}),
            post(MOUNT + "/tune", body),
            get(MOUNT + "/tune", values=True),
            get(MOUNT, values=True),
        ],
    )


ENABLE = [
    _enable({"type": "kv"}, "kv"),
    _enable({"type": "kv-v2"}, "kv-v2"),
    _enable({"type": "kv", "options": {"version": 2}}, "options-int-version"),
    _enable({"type": "kv", "options": {"version": "2"}}, "options-string-version"),
    _enable({"type": "kv", "options": {"version": 1}}, "options-int-version-1"),
    _enable({"type": "kv", "options": {"version": 2.0}}, "options-float-version"),
    _enable({"type": "kv", "options": {"version": True}}, "options-bool"),
    _enable({"type": "transit"}, "transit"),
    _enable({"type": "transit", "description": "keys"}, "description"),
    _enable({"type": "kv", "config": {"default_lease_ttl": "1h"}}, "config-ttl-string"),
    _enable({"type": "kv", "config": {"default_lease_ttl": 3600}}, "config-ttl-int"),
    _enable({"type": "kv", "config": {"default_lease_ttl": "3600"}}, "config-ttl-digits"),
    _enable({"type": "kv", "config": {"max_lease_ttl": "48h"}}, "config-max-ttl"),
    _enable({"type": "kv", "config": {"default_lease_ttl": ""}}, "config-ttl-empty"),
    _enable({"type": "kv", "config": {"force_no_cache": "true"}}, "config-bool-string"),
    _enable({"type": "kv", "local": "true"}, "local-string"),
    _enable({"type": "kv", "seal_wrap": 1}, "seal-wrap-int"),
    _enable({"type": "kv", "config": {"listing_visibility": "unauth"}}, "listing-visibility"),
    _enable({"type": "kv", "config": {"audit_non_hmac_request_keys": "a,b"}}, "config-comma-list"),
    _enable(
        {"type": "kv", "config": {"passthrough_request_headers": ["X-A"]}}, "config-header-list"
    ),
]

TUNE = [
    _tune({"max_lease_ttl": "48h"}, "max-ttl-string"),
    _tune({"max_lease_ttl": 172800}, "max-ttl-int"),
    _tune({"default_lease_ttl": "", "max_lease_ttl": ""}, "empty-ttls"),
    _tune({"default_lease_ttl": 0}, "zero-ttl"),
    _tune({"default_lease_ttl": "1h", "max_lease_ttl": "2h"}, "both-ttls"),
    _tune({"default_lease_ttl": "3h", "max_lease_ttl": "2h"}, "default-above-max"),
    _tune({"default_lease_ttl": "system"}, "system"),
    _tune({"description": "tuned"}, "description"),
    _tune({"options": {"version": "2"}}, "kv-upgrade"),
    _tune({"options": {"version": 2}}, "kv-upgrade-int"),
    _tune({"default_lease_ttl": "nonsense"}, "bad-duration"),
    _tune({"listing_visibility": "unauth"}, "listing-visibility"),
    _tune({"audit_non_hmac_request_keys": "a,b"}, "comma-list"),
    _tune({"max_lease_ttl": "48h"}, "transit-max-ttl", "transit"),
]

OTHER = [
    Scenario("mounts-list", [get("sys/mounts", pick="data.secret/")]),
    Scenario("mounts-read-secret", [get("sys/mounts/secret", values=True)]),
    Scenario("mounts-read-missing", [get(MOUNT)]),
    Scenario("mounts-tune-missing", [get(MOUNT + "/tune")]),
    Scenario("mounts-enable-twice", [post(MOUNT, {"type": "kv"}), post(MOUNT, {"type": "kv"})]),
    Scenario("mounts-enable-no-type", [post(MOUNT, {})]),
    Scenario("mounts-enable-unknown-type", [post(MOUNT, {"type": "nonesuch"})]),
    Scenario("mounts-enable-reserved-sys", [post("sys/mounts/sys/x", {"type": "kv"})]),
    Scenario("mounts-enable-reserved-cubbyhole", [post("sys/mounts/cubbyhole", {"type": "kv"})]),
    Scenario(
        "mounts-enable-nested", [post(MOUNT, {"type": "kv"}), post(MOUNT + "/x", {"type": "kv"})]
    ),
    Scenario("mounts-disable", [post(MOUNT, {"type": "kv"}), delete(MOUNT), get(MOUNT)]),
    Scenario("mounts-disable-missing", [delete(MOUNT)]),
    Scenario("mounts-disable-cubbyhole", [delete("sys/mounts/cubbyhole")]),
    Scenario(
        "mounts-remount",
        [
            post(MOUNT, {"type": "kv"}),
            post("sys/remount", {"from": "{m}", "to": "{m}-moved"}, save={"id": "migration_id"}),
            get("sys/remount/status/{id}"),
        ],
    ),
    # OpenBao moves in the background, so the moved mount is read after `bao secrets move`,
    # which waits for the move to finish (a GET right after the POST raced it under load).
    Scenario(
        "mounts-remount-then-read",
        [
            post(MOUNT, {"type": "kv"}),
            cli("secrets", "move", "{m}", "{m}-moved"),
            get(MOUNT + "-moved", values=True),
        ],
    ),
    Scenario("mounts-remount-missing-to", [post("sys/remount", {"from": "{m}"})]),
    Scenario("mounts-ui-list", [get("sys/internal/ui/mounts", pick="data.secret.secret/")]),
    Scenario("mounts-ui-list-no-token", [get("sys/internal/ui/mounts", token=None)]),
    Scenario("mounts-ui-read-secret", [get("sys/internal/ui/mounts/secret", values=True)]),
    Scenario("mounts-ui-read-below", [get("sys/internal/ui/mounts/secret/a/b", values=True)]),
    Scenario("mounts-ui-read-missing", [get("sys/internal/ui/mounts/{m}")]),
    Scenario("mounts-ui-read-cubbyhole", [get("sys/internal/ui/mounts/cubbyhole", values=True)]),
    Scenario("auth-list", [get("sys/auth", pick="data.token/")]),
    Scenario("auth-read-token", [get("sys/auth/token", values=True)]),
    Scenario("auth-tune-token", [get("sys/auth/token/tune", values=True)]),
    Scenario(
        "auth-enable-approle",
        [
            post("sys/auth/{m}", {"type": "approle"}),
            get("sys/auth/{m}", values=True),
            post("sys/auth/{m}/tune", {"default_lease_ttl": "1h", "max_lease_ttl": ""}),
            get("sys/auth/{m}/tune", values=True),
            delete("sys/auth/{m}"),
        ],
    ),
    Scenario("auth-enable-kv-as-auth", [post("sys/auth/{m}", {"type": "kv"})]),
]

SCENARIOS = [*ENABLE, *TUNE, *OTHER]
