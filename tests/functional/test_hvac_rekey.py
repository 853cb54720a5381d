"""hvac's documented calls for PGP-encrypted init, rekey with verification and backup, and a
PGP-encrypted generate-root, against the real server process."""

from __future__ import annotations

import hvac
import pytest

from support.pgp_keys import operators
from support.procs import RunningServer


@pytest.mark.slow
def test_hvac_pgp_init_rekey_verify_backup_and_generate_root(sqlite_server: RunningServer) -> None:
    ops, new_ops = operators(3), operators(2)
    client = hvac.Client(url=sqlite_server.address)
    init = client.sys.initialize(
        3, 2, pgp_keys=[op.public for op in ops], root_token_pgp_key=ops[0].public
    )
    shares = [op.decrypt(key) for op, key in zip(ops, init["keys_base64"], strict=True)]
    client.token = ops[0].decrypt(init["root_token"])
    client.sys.submit_unseal_keys(shares[:2])
    assert client.sys.is_sealed() is False

    started = client.sys.start_rekey(
        secret_shares=2,
        secret_threshold=2,
        pgp_keys=[op.public for op in new_ops],
        backup=True,
        require_verification=True,
    )
    assert started["verification_required"] is True
    done = client.sys.rekey_multi(shares[:2], nonce=started["nonce"])
    new = [op.decrypt(key) for op, key in zip(new_ops, done["keys_base64"], strict=True)]
    progress = client.sys.read_rekey_verify_progress()
    assert (progress["started"], progress["nonce"]) == (True, done["verification_nonce"])
    verified = client.sys.rekey_verify_multi(new, nonce=done["verification_nonce"])
    assert verified["complete"] is True

    backup = client.sys.read_backup_keys()["data"]
    assert sorted(backup["keys"]) == sorted(op.fingerprint for op in new_ops)
    client.sys.seal()
    client.sys.submit_unseal_keys(new)
    assert client.sys.is_sealed() is False

    attempt = client.sys.start_root_token_generation(pgp_key=ops[1].public)
    for key in new:
        result = client.sys.generate_root(key=key, nonce=attempt["nonce"])
    token = ops[1].decrypt(result["encoded_token"])
    assert hvac.Client(url=sqlite_server.address, token=token).is_authenticated()
