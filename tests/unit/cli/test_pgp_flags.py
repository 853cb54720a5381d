"""The CLI's PGP, verification and backup flags: what `operator init`, `rekey` and
`generate-root` send (Vault's -pgp-keys reads base64, binary or armored key files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from support.pgp_keys import operators

REKEY = "/v1/sys/rekey/init"


def _key_files(tmp_path: Path) -> tuple[str, list[str]]:
    """Three files holding the same kind of key three ways; the flag value and what is sent."""
    ops = operators(3)
    certs = [op.tsk.extract_certificate() for op in ops]
    (tmp_path / "a.b64").write_text(ops[0].public + "\n")
    (tmp_path / "b.gpg").write_bytes(bytes(certs[1]))
    (tmp_path / "c.asc").write_text(str(certs[2]))
    paths = ",".join(str(tmp_path / name) for name in ("a.b64", "b.gpg", "c.asc"))
    return paths, [op.public for op in ops]


def test_init_sends_each_key_file_as_base64_binary(vault: Any, run: Any, tmp_path: Path) -> None:
    paths, expected = _key_files(tmp_path)
    vault.route("PUT", "/v1/sys/init", body={"keys": [], "keys_base64": [], "root_token": "x"})
    args = (f"-pgp-keys={paths}", f"-root-token-pgp-key={tmp_path / 'b.gpg'}")
    result = run(
        "operator", "init", "-key-shares=3", "-key-threshold=2", *args, f"-address={vault.url}"
    )
    assert result.exit_code == 0, result.stderr
    body = vault.requests[0].body
    assert body["pgp_keys"] == expected
    assert body["root_token_pgp_key"] == expected[1]


def test_a_file_without_a_key_is_a_usage_error(vault: Any, run: Any, tmp_path: Path) -> None:
    (tmp_path / "junk").write_bytes(b"\x00\x01 not a key")
    result = run("operator", "init", f"-pgp-keys={tmp_path / 'junk'}", f"-address={vault.url}")
    assert result.exit_code == 2
    assert "no OpenPGP public key in" in result.stderr
    assert vault.requests == []


def test_rekey_init_with_backup_and_verification(vault: Any, run: Any, tmp_path: Path) -> None:
    paths, expected = _key_files(tmp_path)
    vault.route("PUT", REKEY, body={"started": True, "nonce": "n1", "verification_required": True})
    args = (
        "-init",
        "-key-shares=3",
        "-key-threshold=2",
        f"-pgp-keys={paths}",
        "-backup",
        "-verify",
    )
    assert run("operator", "rekey", *args, f"-address={vault.url}").exit_code == 0
    assert vault.requests[0].body == {
        "secret_shares": 3,
        "secret_threshold": 2,
        "pgp_keys": expected,
        "backup": True,
        "require_verification": True,
    }


def test_rekey_verify_submits_a_new_share(vault: Any, run: Any) -> None:
    vault.route("PUT", "/v1/sys/rekey/verify", body={"nonce": "v1", "complete": True})
    result = run("operator", "rekey", "-verify", "-nonce=v1", f"-address={vault.url}", "qgE=")
    assert result.exit_code == 0
    assert vault.requests[0].body == {"key": "qgE=", "nonce": "v1"}
    assert "the new keys are now active" in result.stdout


def test_rekey_backup_retrieve_and_delete(vault: Any, run: Any) -> None:
    data = {"nonce": "n1", "keys": {"fp": ["c1"]}, "keys_base64": {"fp": ["wQ=="]}}
    vault.route("GET", "/v1/sys/rekey/backup", body={"data": data})
    vault.route("DELETE", "/v1/sys/rekey/backup", 204)
    result = run("operator", "rekey", "-backup-retrieve", "-format=json", f"-address={vault.url}")
    assert result.exit_code == 0
    assert '"keys_base64"' in result.stdout
    result = run("operator", "rekey", "-backup-delete", f"-address={vault.url}")
    assert result.stdout == "Success! Deleted backed up keys (if they existed)\n"


def test_generate_root_init_with_a_pgp_key(vault: Any, run: Any, tmp_path: Path) -> None:
    _paths, expected = _key_files(tmp_path)
    vault.route("PUT", "/v1/sys/generate-root/attempt", body={"started": True, "nonce": "g"})
    args = ("-init", f"-pgp-key={tmp_path / 'c.asc'}", f"-address={vault.url}")
    assert run("operator", "generate-root", *args).exit_code == 0
    assert vault.requests[0].body == {"pgp_key": expected[2]}
