"""`strongroom operator rekey`: new unseal key shares from a quorum of the current ones
(sys/rekey/init, sys/rekey/update; flow of Vault's command/operator_rekey.go)."""

from __future__ import annotations

import textwrap
from typing import Annotated, Any

import typer

from strongroom.cli.client import Client, connect
from strongroom.cli.errors import USAGE, CommandError
from strongroom.cli.options import Address, Output, PgpKeys, read_key, read_pgp_keys
from strongroom.cli.output import Format, emit

__all__ = ["rekey"]

INIT = "/v1/sys/rekey/init"
VERIFY = "/v1/sys/rekey/verify"
BACKUP = "/v1/sys/rekey/backup"
_BACKUP_ROWS = (("Nonce", "nonce"), ("Keys", "keys"), ("Keys (base64)", "keys_base64"))


def rekey(  # noqa: PLR0913 (one flag per Vault flag: the command's surface is Vault's)
    key: Annotated[str | None, typer.Argument(help='Unseal key; "-" reads stdin.')] = None,
    *,
    init: Annotated[bool, typer.Option("--init", help="Start a rekey.")] = False,
    cancel: Annotated[bool, typer.Option("--cancel", help="Cancel the rekey.")] = False,
    status: Annotated[bool, typer.Option("--status", help="Show progress only.")] = False,
    key_shares: Annotated[int, typer.Option("--key-shares", min=1, max=255)] = 5,
    key_threshold: Annotated[int, typer.Option("--key-threshold", min=1, max=255)] = 3,
    nonce: Annotated[str | None, typer.Option("--nonce", help="Nonce from -init.")] = None,
    pgp_keys: PgpKeys = None,
    backup: Annotated[bool, typer.Option("--backup", help="Keep the encrypted keys.")] = False,
    verify: Annotated[
        bool, typer.Option("--verify", help="With -init: require verification; else verify.")
    ] = False,
    backup_retrieve: Annotated[bool, typer.Option("--backup-retrieve")] = False,
    backup_delete: Annotated[bool, typer.Option("--backup-delete")] = False,
    address: Address = None,
    output: Output = Format.table,
) -> None:
    """Generate new unseal key shares: -init, then one current key share per run."""
    with connect(address) as client:
        if backup_retrieve or backup_delete:
            _backup(client, output, delete=backup_delete)
        elif cancel:
            client.request("DELETE", INIT, {"nonce": nonce} if nonce else None)
            print("Success! Canceled rekeying (if it was started)")
        elif init:
            body = _init_body(key_shares, key_threshold, pgp_keys, backup=backup, verify=verify)
            started = client.request("PUT", INIT, body) or {}
            emit(output, started, _status_rows(started))
        elif verify:
            _verify(client, key, nonce, output, status=status)
        elif status:
            current = client.get(INIT)
            emit(output, current, _status_rows(current))
        else:
            _provide(client, key, nonce, output)


def _init_body(
    shares: int, threshold: int, pgp_keys: str | None, *, backup: bool, verify: bool
) -> dict[str, object]:
    """sys/rekey/init's body, with only the flags given (as Vault's CLI leaves them unset)."""
    body: dict[str, object] = {"secret_shares": shares, "secret_threshold": threshold}
    if pgp_keys:
        body["pgp_keys"] = read_pgp_keys(pgp_keys)
    if backup:
        body["backup"] = True
    if verify:
        body["require_verification"] = True
    return body


def _backup(client: Client, output: Format, *, delete: bool) -> None:
    """sys/rekey/backup: the PGP-encrypted shares a `-backup` rekey kept."""
    if delete:
        client.request("DELETE", BACKUP)
        print("Success! Deleted backed up keys (if they existed)")
        return
    data = client.get(BACKUP).get("data") or {}
    rows = [(label, data.get(field)) for label, field in _BACKUP_ROWS]
    emit(output, data, rows)


def _verify(
    client: Client, key: str | None, nonce: str | None, output: Format, *, status: bool
) -> None:
    """sys/rekey/verify: a share of the NEW key, under the verification nonce."""
    if status:
        current = client.get(VERIFY)
        emit(output, current, _verify_rows(current))
        return
    share = read_key(key)
    if not nonce:
        raise CommandError("Missing nonce value: specify it via the -nonce flag", exit_code=USAGE)
    result = client.request("PUT", VERIFY, {"key": share, "nonce": nonce}) or {}
    if result.get("complete"):
        print("Success! Rekey verification successful: the new keys are now active.")
    else:
        emit(output, result, _verify_rows(result))


def _verify_rows(status: dict[str, Any]) -> list[tuple[str, object]]:
    return [
        ("Started", status.get("started")),
        ("New Shares", status.get("n")),
        ("New Threshold", status.get("t")),
        ("Verification Nonce", status.get("nonce")),
        ("Verification Progress", f"{status.get('progress', 0)}/{status.get('t', 0)}"),
    ]


def _provide(client: Client, key: str | None, nonce: str | None, output: Format) -> None:
    current = client.get(INIT)
    if not current.get("started"):
        raise CommandError(
            'No rekey is in progress. Start one with "strongroom operator rekey -init".',
            exit_code=USAGE,
        )
    if key is None:
        # Typing the key at the prompt: show the nonce so the operator can check it.
        print(f"Rekey operation nonce: {current.get('nonce', '')}")
        nonce = nonce or current.get("nonce")
    share = read_key(key)
    if not nonce:
        raise CommandError("Missing nonce value: specify it via the -nonce flag", exit_code=USAGE)
    result = client.request("PUT", "/v1/sys/rekey/update", {"key": share, "nonce": nonce}) or {}
    if not result.get("complete"):
        emit(output, result, _status_rows(result))
    elif output is Format.json:
        emit(output, result, [])
    else:
        _print_new_keys(result, current)


def _status_rows(status: dict[str, Any]) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [
        ("Nonce", status.get("nonce")),
        ("Started", status.get("started")),
    ]
    if status.get("started"):
        progress = f"{status.get('progress', 0)}/{status.get('required', 0)}"
        rows += [
            ("Rekey Progress", progress),
            ("New Shares", status.get("n")),
            ("New Threshold", status.get("t")),
            ("Verification Required", status.get("verification_required", False)),
        ]
        optional = (
            ("PGP Fingerprints", "pgp_fingerprints"),
            ("Backup", "backup"),
            ("Verification Nonce", "verification_nonce"),
        )
        rows += [(label, status[field]) for label, field in optional if status.get(field)]
    return rows


def _print_new_keys(result: dict[str, Any], status: dict[str, Any]) -> None:
    keys = result.get("keys_base64") or result.get("keys") or []
    print()
    for number, key in enumerate(keys, start=1):
        print(f"Key {number}: {key}")
    print(f"\nOperation nonce: {result.get('nonce', '')}\n")
    shares, threshold = status.get("n"), status.get("t")
    print(
        textwrap.fill(
            f"Vault rekeyed with {shares} key shares and a key threshold of {threshold}. "
            "Please securely distribute the key shares printed above. When Vault is "
            "re-sealed, restarted, or stopped, you must supply at least "
            f"{threshold} of these keys to unseal it before it can start servicing requests.",
            width=78,
        )
    )
