"""SealConfig: Vault's validation wording and the stored JSON form."""

from __future__ import annotations

import json

import pytest

from strongroom.errors import BadRequest, InternalError
from strongroom.seal import SealConfig


@pytest.mark.parametrize(
    ("shares", "threshold", "problem"),
    [
        (0, 0, "shares must be at least one"),
        (-1, 1, "shares must be at least one"),
        (3, 0, "threshold must be at least one"),
        (2, 1, "threshold must be greater than one for multiple shares"),
        (256, 3, "shares must be less than 256"),
        (3, 4, "threshold cannot be larger than shares"),
        (255, 256, "threshold must be less than 256"),
    ],
)
def test_validate_uses_vaults_messages(shares: int, threshold: int, problem: str) -> None:
    with pytest.raises(BadRequest) as caught:
        SealConfig.validate(shares, threshold)
    assert caught.value.public == f"invalid seal configuration: {problem}"
    assert caught.value.status == 400


@pytest.mark.parametrize(("shares", "threshold"), [(1, 1), (2, 2), (5, 3), (255, 255), (255, 2)])
def test_validate_accepts(shares: int, threshold: int) -> None:
    SealConfig.validate(shares, threshold)


def test_stored_form_is_vaults_plain_json() -> None:
    config = SealConfig(secret_shares=5, secret_threshold=3)
    assert json.loads(config.encode()) == {
        "type": "shamir",
        "secret_shares": 5,
        "secret_threshold": 3,
    }
    assert SealConfig.decode(config.encode()) == config


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"{",
        b"[]",
        b'{"secret_shares": 5}',
        b'{"secret_shares": "5", "secret_threshold": 3}',
        b'{"type": "awskms", "secret_shares": 5, "secret_threshold": 3}',
        b'{"type": "shamir", "secret_shares": 2, "secret_threshold": 3}',
        b'{"type": "shamir", "secret_shares": 5, "secret_threshold": 3, "x": 1}',
    ],
)
def test_a_corrupt_stored_config_is_an_internal_error(data: bytes) -> None:
    with pytest.raises(InternalError) as caught:
        SealConfig.decode(data)
    assert caught.value.public == "internal error"
