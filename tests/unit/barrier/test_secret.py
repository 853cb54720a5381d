"""SecretBytes (src/strongroom/secret.py): masked everywhere, revealed only on request."""

from __future__ import annotations

import pytest

from strongroom.secret import SecretBytes

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
