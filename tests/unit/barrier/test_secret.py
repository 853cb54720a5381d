"""src/strongroom/secret.py: SecretBytes, masked everywhere and revealed only on request; and
`salted_hmac`, the one salted HMAC behind token storage keys, AppRole's indexes and audit
fields (HMAC-SHA256 in hex, strings as UTF-8)."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.audit.format import hmac_value
from strongroom.secret import SecretBytes, salted_hmac

CANARY = b"canary-7f3a9c"


def test_masked_in_every_rendering() -> None:
    secret = SecretBytes(CANARY)
    for text in (repr(secret), str(secret), f"{secret}", f"{secret!r}", repr([secret])):
        assert "canary" not in text
        assert "SecretBytes(***)" in text


def test_reveal_and_len() -> None:
    secret = SecretBytes(CANARY)
    assert secret.reveal() == CANARY
    assert len(secret) == len(CANARY)


def test_equality_by_value_only_between_secrets() -> None:
    assert SecretBytes(CANARY) == SecretBytes(CANARY)
    assert SecretBytes(CANARY) != SecretBytes(CANARY + b"!")
    assert SecretBytes(CANARY) != CANARY  # no silent comparison with plain bytes


def test_not_hashable() -> None:
    with pytest.raises(TypeError):
        hash(SecretBytes(CANARY))
    with pytest.raises(TypeError):
        {SecretBytes(CANARY)}


def test_wraps_bytes_only() -> None:
    with pytest.raises(TypeError):
        SecretBytes("text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        SecretBytes(bytearray(CANARY))  # type: ignore[arg-type]


def test_no_attribute_dict_to_leak_through() -> None:
    assert not hasattr(SecretBytes(CANARY), "__dict__")


def test_records_holding_secrets_mask_them_in_their_repr() -> None:
    from strongroom.core.leases.entry import LeaseEntry  # noqa: PLC0415 - one test's needs
    from strongroom.engines.database.models import DatabaseConfig, StaticAccount  # noqa: PLC0415
    from strongroom.engines.rabbitmq.models import Connection  # noqa: PLC0415

    canary = "c4n4ry-pw"
    records = [
        DatabaseConfig(plugin_name="p", connection_details={"password": canary}),
        StaticAccount(username="app", password=canary),
        Connection(connection_uri="http://mq", username="guest", password=canary),
        LeaseEntry(
            lease_id="db/creds/r/x",
            mount_uuid="m",
            internal={"password": canary},
            issue_time=0,
            expire_time=1,
            max_expire_time=2,
            ttl=1,
            due=1,
        ),
    ]
    for record in records:
        assert canary not in repr(record)
        assert "***" in repr(record)


def test_rfc_4231_test_case_2() -> None:
    digest = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert salted_hmac(b"Jefe", "what do ya want for nothing?") == digest


@given(st.binary(min_size=1, max_size=64), st.text())
def test_a_string_hashes_as_its_utf8_bytes(salt: bytes, value: str) -> None:
    expected = hmac.new(salt, value.encode(), hashlib.sha256).hexdigest()
    assert salted_hmac(salt, value) == expected == salted_hmac(salt, value.encode())
    assert hmac_value(salt, value) == "hmac-sha256:" + expected


def test_a_lone_surrogate_hashes_instead_of_failing() -> None:
    assert salted_hmac(b"salt", "\ud800") == salted_hmac(b"salt", b"\xed\xa0\x80")
