"""Layer 2's seal configuration: how many unseal key shares exist and how many open the seal.

Stored as plain JSON at `core/seal-config`, outside the barrier (it holds nothing secret and must
be readable while sealed for sys/seal-status), with the field names of Vault's `SealConfig`.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from strongroom.errors import BadRequest, InternalError

MAX_SHARES = 255


class SealConfig(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    secret_shares: int
    secret_threshold: int
    type: str = "shamir"

    @staticmethod
    def validate(shares: int, threshold: int) -> None:
        """Raises BadRequest with Vault's wording (vault/seal_config.go `Validate`)."""
        problem = _problem(shares, threshold)
        if problem:
            raise BadRequest(f"invalid seal configuration: {problem}")

    def encode(self) -> bytes:
        return msgspec.json.encode(self)

    @classmethod
    def decode(cls, data: bytes) -> SealConfig:
        """Parse a stored config. Raises InternalError (detail for the operator log only)."""
        try:
            config = msgspec.json.decode(data, type=cls)
        except msgspec.DecodeError:
            raise InternalError(detail="malformed seal configuration in storage") from None
        if config.type != "shamir" or _problem(config.secret_shares, config.secret_threshold):
            raise InternalError(detail="invalid seal configuration in storage")
        return config


# (broken?, message) in the order of Vault's SealConfig.Validate, so the first message matches.
_RULES: tuple[tuple[Callable[[int, int], bool], str], ...] = (
    (lambda shares, _: shares < 1, "shares must be at least one"),
    (lambda _, threshold: threshold < 1, "threshold must be at least one"),
    (
        lambda shares, threshold: shares > 1 and threshold == 1,
        "threshold must be greater than one for multiple shares",
    ),
    (lambda shares, _: shares > MAX_SHARES, "shares must be less than 256"),
    (lambda _, threshold: threshold > MAX_SHARES, "threshold must be less than 256"),
    (lambda shares, threshold: threshold > shares, "threshold cannot be larger than shares"),
)


def _problem(shares: int, threshold: int) -> str:
    """The first rule `shares`/`threshold` break, or "" if they are valid."""
    return next((message for broken, message in _RULES if broken(shares, threshold)), "")
