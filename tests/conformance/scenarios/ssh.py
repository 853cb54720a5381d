"""The SSH engine: CA configuration, roles (read back field for field), signing refusals, and
one-time passwords. Certificates themselves differ in every byte (keys, serials, times), so
their shape is compared, and their content is checked by the unit tests and a real sshd."""

from __future__ import annotations

from conformance.harness import Scenario, Step
from conformance.scenarios.steps import delete, get, lst, post

MOUNT = post("sys/mounts/{m}", {"type": "ssh"})
CA = post("{m}/config/ca", {"key_type": "ssh-ed25519"})
# An Ed25519 public key (any valid key; the scenarios never use its private half).
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC6MHA4WuA02p69O70wf4Dykk3+wHVfu3CQjuhoKjexp"
USER_ROLE = post(
    "{m}/roles/u",
    {
        "key_type": "ca",
        "allow_user_certificates": True,
        "allowed_users": "alice,bob",
        "default_user": "alice",
        "default_extensions": {"permit-pty": ""},
        "ttl": "30m",
    },
)
OTP_ROLE = post(
    "{m}/roles/o", {"key_type": "otp", "default_user": "root", "cidr_list": "127.0.0.0/8"}
)


def _s(name: str, *steps: Step) -> Scenario:
    return Scenario(f"ssh-{name}", [MOUNT, *steps])


def _sign(body: dict[str, object], *, values: bool = False) -> Step:
    return post("{m}/sign/u", {"public_key": KEY, **body}, values=values)


SCENARIOS = [
    _s("ca-generate", CA, get("{m}/config/ca")),
    _s("ca-missing", get("{m}/config/ca"), _sign({"valid_principals": "alice"})),
    _s("ca-delete", CA, delete("{m}/config/ca", values=True), get("{m}/config/ca", values=True)),
    _s("role-ca-read", USER_ROLE, get("{m}/roles/u", values=True)),
    _s("role-otp-read", OTP_ROLE, get("{m}/roles/o", values=True)),
    _s("role-list", USER_ROLE, OTP_ROLE, lst("{m}/roles", values=True)),
    _s("role-list-empty", lst("{m}/roles", values=True)),
    _s("role-read-missing", get("{m}/roles/none", values=True)),
    _s("role-missing-type", post("{m}/roles/r", {}, values=True)),
    _s("role-bad-type", post("{m}/roles/r", {"key_type": "bad"}, values=True)),
    _s("role-otp-no-user", post("{m}/roles/r", {"key_type": "otp"}, values=True)),
    _s("role-ca-no-kind", post("{m}/roles/r", {"key_type": "ca"}, values=True)),
    _s(
        "role-ttl-above-max",
        post(
            "{m}/roles/r",
            {"key_type": "ca", "allow_user_certificates": True, "ttl": "2h", "max_ttl": "1h"},
            values=True,
        ),
    ),
    _s("sign-user", CA, USER_ROLE, _sign({"valid_principals": "bob"})),
    _s("sign-default-user", CA, USER_ROLE, _sign({})),
    _s("sign-host-refused", CA, USER_ROLE, _sign({"cert_type": "host"}, values=True)),
    _s("sign-bogus-type", CA, USER_ROLE, _sign({"cert_type": "bogus"}, values=True)),
    _s("sign-key-id-refused", CA, USER_ROLE, _sign({"key_id": "mine"}, values=True)),
    _s("sign-ttl-above-max", CA, USER_ROLE, _sign({"ttl": "1000h"}, values=True)),
    _s("sign-empty-principals", CA, USER_ROLE, _sign({"valid_principals": ""}, values=True)),
    _s(
        "sign-extension-refused",
        CA,
        USER_ROLE,
        _sign({"extensions": {"permit-X11-forwarding": ""}}, values=True),
    ),
    _s("issue-ed25519", CA, USER_ROLE, post("{m}/issue/u", {"key_type": "ed25519"})),
    _s(
        "otp-creds-verify",
        OTP_ROLE,
        post("{m}/creds/o", {"ip": "127.0.0.1"}, save={"otp": "data.key"}),
        post("{m}/verify", {"otp": "{otp}"}, token=None, values=True),
        post("{m}/verify", {"otp": "{otp}"}, token=None, values=True),
    ),
    _s("otp-echo", post("{m}/verify", {"otp": "verify-echo-request"}, token=None, values=True)),
    _s("otp-missing-ip", OTP_ROLE, post("{m}/creds/o", {}, values=True)),
    _s("otp-outside-cidr", OTP_ROLE, post("{m}/creds/o", {"ip": "10.0.0.1"}, values=True)),
    _s("otp-lookup", OTP_ROLE, post("{m}/lookup", {"ip": "127.0.0.1"}, values=True)),
    _s(
        "otp-zero-address",
        OTP_ROLE,
        get("{m}/config/zeroaddress", values=True),
        post("{m}/config/zeroaddress", {}, values=True),
        post("{m}/config/zeroaddress", {"roles": "o"}, values=True),
        get("{m}/config/zeroaddress", values=True),
        post("{m}/lookup", {"ip": "10.1.1.1"}, values=True),
        delete("{m}/config/zeroaddress", values=True),
        get("{m}/config/zeroaddress", values=True),
    ),
    _s("otp-lookup-none", post("{m}/lookup", {"ip": "127.0.0.1"}, values=True)),
]
