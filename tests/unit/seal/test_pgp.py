"""strongroom.seal.pgp: what Vault's helper/pgpkeys does, checked against GnuPG itself."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from strongroom.errors import BadRequest
from strongroom.seal import pgp
from support.pgp_keys import operators


def test_shares_are_encrypted_as_hex_to_the_key_in_their_position() -> None:
    ops = operators(2)
    keys = pgp.parse_keys([op.public for op in ops])
    assert [key.fingerprint for key in keys] == [op.fingerprint for op in ops]
    shares = [b"\x01\x02", b"\xff\x00"]
    sealed = pgp.encrypt_shares(shares, keys)
    opened = [
        op.decrypt(base64.b64encode(msg).decode()) for op, msg in zip(ops, sealed, strict=True)
    ]
    assert opened == ["0102", "ff00"]


@pytest.mark.parametrize(
    ("text", "message"),
    [("not base64!", "error decoding given PGP key"), ("aGVsbG8=", "error parsing given PGP key")],
)
def test_bad_keys_give_vaults_message_without_the_input(text: str, message: str) -> None:
    with pytest.raises(BadRequest) as caught:
        pgp.parse_keys([text])
    assert caught.value.public == message


def _gpg() -> str:
    """Debian's gnupg, installed when absent (the brief: tests install what they need)."""
    found = shutil.which("gpg")
    if found is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "gnupg"], check=True, capture_output=True)
        found = shutil.which("gpg")
    assert found is not None
    return found


def _gpg_key(gpg: str, env: dict[str, str], algo: str) -> str:
    """A new key in GnuPG's keyring, exported as Vault's API takes it (base64 of binary)."""
    uid = f"{algo} <{algo}@example.com>"
    command = [gpg, "--batch", "--passphrase", "", "--quick-gen-key", uid, algo, "default", "never"]
    subprocess.run(command, env=env, check=True, capture_output=True)
    public = subprocess.run([gpg, "--export", uid], env=env, check=True, capture_output=True)
    return base64.b64encode(public.stdout).decode()


@pytest.mark.slow
def test_gnupg_decrypts_what_we_encrypt(tmp_path: Path) -> None:
    gpg = _gpg()
    env = {**os.environ, "GNUPGHOME": str(tmp_path)}
    tmp_path.chmod(0o700)
    for algo in ("default", "future-default"):  # RSA and Curve25519 encryption subkeys
        (key,) = pgp.parse_keys([_gpg_key(gpg, env, algo)])
        (sealed,) = pgp.encrypt_shares([b"\xab\xcd"], [key])
        opened = subprocess.run(
            [gpg, "-dq"], input=sealed, env=env, check=True, capture_output=True
        )
        assert opened.stdout == b"abcd"
    sign_only = _gpg_key(gpg, env, "rsa2048")  # a primary key alone: it cannot encrypt
    with pytest.raises(BadRequest, match="error setting up encryption for PGP message"):
        pgp.parse_keys([sign_only])
