"""`strongroom operator rekey`: new unseal key shares from a quorum of the current ones
(sys/rekey/init, sys/rekey/update; flow of Vault's command/operator_rekey.go)."""

from __future__ import annotations

import textwrap
from typing import Annotated, Any

import typer

from strongroom.cli.client import Client, connect
from strongroom.cli.errors import USAGE, CommandError
from strongroom.cli.options import Address, Output, read_key
from strongroom.cli.output import Format, emit

__all__ = ["rekey"]

INIT = "/v1/sys/rekey/init"


def rekey(  # noqa: PLR0913 (one flag per Vault flag: the command's surface is Vault's)
    key: Annotated[str | None, typer.Argument(help='Unseal key; "-" reads stdin.')] = None,
    *,
    init: Annotated[bool, typer.Option("--init", help="Start a rekey.")] = False,
    cancel: Annotated[bool, typer.Option("--cancel", help="Cancel the rekey.")] = False,
    status: Annotated[bool, typer.Option("--status", help="Show progress only.")] = False,
    key_shares: Annotated[int, typer.Option("--key-shares", min=1, max=255)] = 5,
    key_threshold: Annotated[int, typer.Option("--key-threshold", min=1, max=255)] = 3,
    nonce: Annotated[str | None, typer.Option("--nonce", help="Nonce from -init.")] = None,
    address: Address = None,
    output: Output = Format.table,
) -> None:
    """Generate new unseal key shares: -init, then one current key share per run."""
    with connect(address) as client:
        if cancel:
            client.request("DELETE", INIT, {"nonce": nonce} if nonce else None)
            print("Success! Canceled rekeying (if it was started)")
        elif init:
            body = {"secret_shares": key_shares, "secret_threshold": key_threshold}
            started = client.request("PUT", INIT, body) or {}
            emit(output, started, _status_rows(started))
        elif status:
            current = client.get(INIT)
            emit(output, current, _status_rows(current))
        else:
            _provide(client, key, nonce, output)


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
