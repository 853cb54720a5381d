"""SCRAM-SHA-256 verifiers (RFC 5802, RFC 7677) in PostgreSQL's stored form.

With `password_authentication = "scram-sha-256"` (as Vault's plugin) the engine sends
`ALTER ROLE ... PASSWORD 'SCRAM-SHA-256$...'` instead of the password, so the plaintext never
reaches the server, its statement log or `pg_stat_statements`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

ITERATIONS = 4096  # PostgreSQL's default scram_iterations


def verifier(password: str, *, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    """`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` for `password`.

    PostgreSQL SASLprep-normalises passwords; for ASCII that is the identity, so callers send
    non-ASCII passwords in clear instead (the server then normalises them itself)."""
    salt = secrets.token_bytes(16) if salt is None else salt
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.digest(salted, b"Server Key", "sha256")
    return f"SCRAM-SHA-256${iterations}:{_b64(salt)}${_b64(stored_key)}:{_b64(server_key)}"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
