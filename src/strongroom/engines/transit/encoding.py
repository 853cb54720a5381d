"""The transit wire encodings: strict base64 and Vault's `vault:v<N>:` envelope.

Base64 fields are decoded strictly (standard alphabet, padding required, as Go's
`base64.StdEncoding`); a bad one is a 400 naming the field, never echoing the value.
"""

from __future__ import annotations

import base64
import binascii

from strongroom.errors import BadRequest

PREFIX = "vault:v"


def b64decode(value: str, field: str) -> bytes:
    """Strict standard base64. Raises BadRequest naming `field`."""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest(f"unable to decode {field} as base64") from None


def b64encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def versioned(version: int, payload: str) -> str:
    """Vault's `vault:v<N>:<payload>` envelope for ciphertexts, signatures and HMACs."""
    return f"{PREFIX}{version}:{payload}"


def split_versioned(value: str) -> tuple[int, str] | None:
    """(version, payload) of a `vault:vN:` string, or None if it is not one."""
    if not value.startswith(PREFIX):
        return None
    number, sep, payload = value[len(PREFIX) :].partition(":")
    if not sep or not number.isascii() or not number.isdigit() or len(number) > 9:
        return None
    return int(number), payload
