"""Password hashes for userpass: salted scrypt (RFC 7914, `hashlib.scrypt` over OpenSSL),
checked in constant time. Vault stores bcrypt; a memory-hard function costs a guesser with
GPUs or ASICs far more per guess for the same time on the server.

Parameters (OWASP Password Storage Cheat Sheet, "scrypt"): N=2^15, r=8, p=3, one of the rows
it lists as equally strong. Its memory is 128·N·r bytes = 32 MiB per hash, the row with the
least memory per concurrent log-in for a small server, and p=3 makes the work three such
passes; that is 0.1 s on an idle core (0.3 s measured on the shared 2-core test machine). A
16-byte random salt per password, a 32-byte key. The parameters are stored with each hash, so
they can be raised later without breaking the hashes already stored.

Hashing runs off the event loop (hashlib releases the GIL) and at most `parallel` at a time,
so a burst of log-ins queues instead of taking 32 MiB each at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass

import msgspec

SALT_BYTES = 16
KEY_BYTES = 32


class PasswordHash(msgspec.Struct, frozen=True, kw_only=True):
    """What is stored of a password: the scrypt parameters, the salt and the derived key."""

    n: int
    r: int
    p: int
    salt: bytes
    key: bytes


@dataclass(frozen=True, slots=True)
class ScryptCost:
    n: int = 2**15
    r: int = 8
    p: int = 3

    def memory(self) -> int:
        """Bytes one hash needs (RFC 7914: 128·N·r), with room for OpenSSL's bookkeeping."""
        return 128 * self.n * self.r + 2**20


class Hasher:
    """Hashes and checks passwords at `cost`, `parallel` at a time."""

    def __init__(self, cost: ScryptCost | None = None, parallel: int | None = None) -> None:
        self.cost = cost or ScryptCost()
        self._slots = asyncio.Semaphore(parallel or os.cpu_count() or 1)
        # What an unknown user's password is checked against: the same work, never a match.
        self._decoy = PasswordHash(
            n=self.cost.n,
            r=self.cost.r,
            p=self.cost.p,
            salt=secrets.token_bytes(SALT_BYTES),
            key=secrets.token_bytes(KEY_BYTES),
        )

    async def hash(self, password: str) -> PasswordHash:
        salt = secrets.token_bytes(SALT_BYTES)
        c = self.cost
        key = await self._derive(password, salt, c)
        return PasswordHash(n=c.n, r=c.r, p=c.p, salt=salt, key=key)

    async def verify(self, password: str, stored: PasswordHash | None) -> bool:
        """Whether `password` is the one `stored` was made from; with no `stored` (an unknown
        user) the same work is done against a decoy and the answer is False."""
        target = stored or self._decoy
        cost = ScryptCost(target.n, target.r, target.p)
        key = await self._derive(password, target.salt, cost)
        return hmac.compare_digest(key, target.key) and stored is not None

    async def _derive(self, password: str, salt: bytes, cost: ScryptCost) -> bytes:
        secret = password.encode("utf-8", "surrogatepass")
        async with self._slots:
            return await asyncio.to_thread(
                hashlib.scrypt,
                secret,
                salt=salt,
                n=cost.n,
                r=cost.r,
                p=cost.p,
                maxmem=cost.memory(),
                dklen=KEY_BYTES,
            )
