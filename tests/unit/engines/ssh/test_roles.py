"""ssh/roles/:role: Vault's validation of a write, and the shape OpenBao 2.7.2 reads back
(observed from `bao server -dev`, 2026-12-01)."""

from __future__ import annotations

from typing import Any

import pytest

from unit.engines.ssh.conftest import Api


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "missing key type"),
        ({"key_type": "bad"}, "invalid key type"),
        ({"key_type": "dynamic"}, "dynamic key type roles are no longer supported"),
        ({"key_type": "otp"}, "missing default user"),
        (
            {"key_type": "otp", "default_user": "u", "cidr_list": "nope"},
            "failed to validate cidr_list: invalid CIDR address",
        ),
        (
            {"key_type": "ca"},
            "Either 'allow_user_certificates' or 'allow_host_certificates' must be set to 'true'",
        ),
        (
            {"key_type": "ca", "allow_user_certificates": True, "ttl": "2h", "max_ttl": "1h"},
            '"ttl" value must be less than "max_ttl" when both are specified',
        ),
        (
            {"key_type": "ca", "allow_user_certificates": True, "algorithm_signer": "md5"},
            "unknown algorithm signer",
        ),
        (
            {
                "key_type": "ca",
                "allow_user_certificates": True,
                "allowed_user_key_lengths": {"rsa": "x"},
            },
            "error processing allowed_user_key_lengths: not a number",
        ),
        (
            {"key_type": "ca", "allow_user_certificates": True, "allowed_users_template": True},
            "identity templates in SSH roles are not supported",
        ),
    ],
)
async def test_a_bad_role_is_refused(api: Api, body: dict[str, Any], message: str) -> None:
    assert await api.error("POST", "roles/r", body) == message


async def test_a_ca_role_reads_back_as_openbao_answers(api: Api) -> None:
    await api.role(
        "u",
        key_type="ca",
        allow_user_certificates=True,
        allowed_users="*",
        default_extensions={"permit-pty": ""},
        allowed_user_key_lengths={"rsa": [2048, 4096], "ec": 256},
        ttl="30m",
    )
    assert (await api.get("roles/u"))["data"] == {
        "algorithm_signer": "default",
        "allow_bare_domains": False,
        "allow_commas_in_identity_templates": False,
        "allow_empty_principals": False,
        "allow_host_certificates": False,
        "allow_subdomains": False,
        "allow_user_certificates": True,
        "allow_user_key_ids": False,
        "allow_wildcards_in_identity_templates": False,
        "allowed_critical_options": "",
        "allowed_domains": "",
        "allowed_domains_template": False,
        "allowed_extensions": "",
        "allowed_user_key_lengths": {"ec": [256], "rsa": [2048, 4096]},
        "allowed_users": "*",
        "allowed_users_template": False,
        "default_critical_options": {},
        "default_extensions": {"permit-pty": ""},
        "default_extensions_template": False,
        "default_user": "",
        "default_user_template": False,
        "issuer_ref": "default",
        "key_id_format": "",
        "key_type": "ca",
        "max_ttl": 0,
        "not_before_duration": 30,
        "ttl": 1800,
    }


async def test_an_otp_role_reads_back_and_lists(api: Api) -> None:
    await api.expect("LIST", "roles", status=404)
    await api.role("o", key_type="otp", default_user="root", cidr_list="127.0.0.0/8")
    await api.role("u", key_type="ca", allow_host_certificates=True)
    assert (await api.get("roles/o"))["data"] == {
        "allowed_users": "",
        "cidr_list": "127.0.0.0/8",
        "default_user": "root",
        "exclude_cidr_list": "",
        "key_type": "otp",
        "port": 22,
    }
    assert (await api.expect("LIST", "roles"))["data"] == {
        "keys": ["o", "u"],
        "key_info": {"o": {"key_type": "otp"}, "u": {"issuer_ref": "default", "key_type": "ca"}},
    }
    await api.expect("DELETE", "roles/o", status=204)
    await api.get("roles/o", status=404)
