"""Layer 2's seal arithmetic: Shamir secret sharing over GF(2^8), share-compatible with Vault.

The format is that of Vault's `shamir` package: every byte of the secret is the intercept of its
own random polynomial of degree `threshold - 1`, and a share is the polynomial values for every
byte followed by ONE trailing byte, the share's x-coordinate. The field is GF(2^8) with the AES
reduction polynomial x^8 + x^4 + x^3 + x + 1 (0x11b), as in Vault. X-coordinates are distinct,
random and non-zero (Vault draws a permutation of 1..255 since hashicorp/vault@b4602fc).

Side channels: CPython gives no constant-time guarantee for anything. We avoid the obvious leaks:
no branch depends on a secret byte (multiplication is `EXP[LOG[a] + LOG[b]]` with LOG[0] pointing
into an all-zero region of EXP instead of an `if a == 0`), and the only branches and divisions are
on x-coordinates, which are public (they sit in clear in every share). What remains is the
memory access pattern of two small table lookups, which an attacker could only observe from the
same machine during an unseal or rekey; Vault's Go code replaced its tables with bit-sliced
constant-time arithmetic, which in Python would cost ~10x for no real guarantee.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence

MAX_PARTS = 255
_ZERO_LOG = 510  # LOG[0]: every sum involving it lands in EXP's zero region (510..1020)
_MAX_REJECTIONS = 64  # a healthy RNG is rejected < 1/2 of the time: 2^-64 odds of tripping


def _slow_mul(a: int, b: int) -> int:
    """Shift-and-add multiplication modulo 0x11b; used only to build the tables at import."""
    product = 0
    for _ in range(8):
        product ^= a * (b & 1)
        a = ((a << 1) ^ (0x11B * (a >> 7))) & 0xFF
        b >>= 1
    return product


def _tables() -> tuple[tuple[int, ...], bytes]:
    exp = [0] * (2 * _ZERO_LOG + 1)
    log = [_ZERO_LOG] * 256
    value = 1
    for power in range(255):  # 3 generates the multiplicative group of GF(2^8) mod 0x11b
        exp[power] = exp[power + 255] = value
        log[value] = power
        value = _slow_mul(value, 3)
    return tuple(log), bytes(exp)


_LOG, _EXP = _tables()


def mul(a: int, b: int) -> int:
    """a·b in GF(2^8), without a branch on either operand."""
    return _EXP[_LOG[a] + _LOG[b]]


def div(a: int, b: int) -> int:
    """a/b in GF(2^8). Raises ZeroDivisionError if b is 0 (only ever called on public values)."""
    if b == 0:
        raise ZeroDivisionError("division by zero in GF(2^8)")
    return _EXP[_LOG[a] + 255 - _LOG[b]]


def split(
    secret: bytes,
    parts: int,
    threshold: int,
    token_bytes: Callable[[int], bytes] = secrets.token_bytes,
) -> list[bytes]:
    """`parts` shares of `secret`, any `threshold` of which recover it.

    As Vault's `sys/init` does, a single share (parts == threshold == 1) is the secret itself.
    Raises ValueError with Vault's messages for out-of-range arguments or an empty secret.
    """
    _check_split(secret, parts, threshold)
    if parts == 1:
        return [secret]
    xs = _random_xs(parts, token_bytes)
    degree = threshold - 1
    coefficients = token_bytes(len(secret) * degree)
    ys = [bytearray(len(secret)) for _ in xs]
    for idx, intercept in enumerate(secret):
        poly = coefficients[idx * degree : (idx + 1) * degree]
        for share, x in zip(ys, xs, strict=True):
            share[idx] = _evaluate(intercept, poly, x)
    return [bytes(y) + bytes([x]) for y, x in zip(ys, xs, strict=True)]


def combine(parts: Sequence[bytes]) -> bytes:
    """The secret behind `parts` (at least `threshold` of them, or the answer is noise).

    Raises ValueError if there are fewer than two parts, their lengths differ, or two share an
    x-coordinate. The message never includes share material.
    """
    xs = _check_combine(parts)
    basis = [_lagrange_at_zero(xs, i) for i in range(len(xs))]
    secret = bytearray(len(parts[0]) - 1)
    for idx in range(len(secret)):
        value = 0
        for part, weight in zip(parts, basis, strict=True):
            value ^= mul(part[idx], weight)
        secret[idx] = value
    return bytes(secret)


def _evaluate(intercept: int, poly: bytes, x: int) -> int:
    """intercept + poly[0]·x + poly[1]·x² + … by Horner's rule (addition is XOR)."""
    value = 0
    for coefficient in reversed(poly):
        value = mul(value ^ coefficient, x)
    return value ^ intercept


def _lagrange_at_zero(xs: Sequence[int], i: int) -> int:
    """The weight of sample i when interpolating at x = 0: Π_{j≠i} x_j / (x_i - x_j)."""
    weight = 1
    for j, xj in enumerate(xs):
        if j != i:
            weight = mul(weight, div(xj, xs[i] ^ xj))
    return weight


def _random_xs(parts: int, token_bytes: Callable[[int], bytes]) -> list[int]:
    """`parts` distinct x-coordinates from 1..255: a partial Fisher-Yates shuffle."""
    pool = list(range(1, MAX_PARTS + 1))
    for i in range(parts):
        j = i + _uniform_below(MAX_PARTS - i, token_bytes)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:parts]


def _uniform_below(n: int, token_bytes: Callable[[int], bytes]) -> int:
    """Uniform in [0, n) for 1 <= n <= 256, by rejection sampling (no modulo bias)."""
    limit = 256 - 256 % n
    for _ in range(_MAX_REJECTIONS):
        byte = token_bytes(1)[0]
        if byte < limit:
            return byte % n
    raise RuntimeError("random source keeps returning out-of-range bytes")


def _check_split(secret: bytes, parts: int, threshold: int) -> None:
    # Messages from Vault's shamir.Split.
    if parts == threshold == 1:
        pass
    elif parts < threshold:
        raise ValueError("parts cannot be less than threshold")
    elif parts > MAX_PARTS:
        raise ValueError("parts cannot exceed 255")
    elif threshold < 2:
        raise ValueError("threshold must be at least 2")
    if not secret:
        raise ValueError("cannot split an empty secret")


def _check_combine(parts: Sequence[bytes]) -> list[int]:
    # Messages from Vault's shamir.Combine, plus the zero x-coordinate Split never produces.
    if len(parts) < 2:
        raise ValueError("less than two parts cannot be used to reconstruct the secret")
    size = len(parts[0])
    if size < 2:
        raise ValueError("parts must be at least two bytes")
    if any(len(part) != size for part in parts):
        raise ValueError("all parts must be the same length")
    xs = [part[-1] for part in parts]
    if len(set(xs)) != len(xs):
        raise ValueError("duplicate part detected")
    if 0 in xs:
        raise ValueError("invalid part: x-coordinate is zero")
    return xs
