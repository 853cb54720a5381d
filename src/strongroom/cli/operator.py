"""`strongroom operator ...`: init, unseal, seal, key rotation (sys/init, sys/unseal, sys/seal,
sys/rotate, sys/key-status). Rekey and root generation live in `rekey.py` and
`generate_root.py`; their commands are registered on the same group."""

from __future__ import annotations

import textwrap
from typing import Annotated, Any

import typer

from strongroom.cli import generate_root, rekey
from strongroom.cli.client import connect, payload
from strongroom.cli.options import Address, Output, PgpKeys, read_key, read_pgp_key, read_pgp_keys
from strongroom.cli.output import Format, emit, print_json
from strongroom.cli.status import seal_status_rows

__all__ = ["operator_app"]

operator_app = typer.Typer(help="Operator commands: init, unseal, seal, rekey, root tokens.")
operator_app.command("rekey")(rekey.rekey)
operator_app.command("generate-root")(generate_root.generate_root)


@operator_app.command("init")
def init(
    key_shares: Annotated[int, typer.Option("--key-shares", min=1, max=255)] = 5,
    key_threshold: Annotated[int, typer.Option("--key-threshold", min=1, max=255)] = 3,
    status: Annotated[bool, typer.Option("--status", help="Only report; exit 2 if not.")] = False,
    pgp_keys: PgpKeys = None,
    root_token_pgp_key: Annotated[
        str | None, typer.Option("--root-token-pgp-key", help="Encrypt the root token to it.")
    ] = None,
    address: Address = None,
    output: Output = Format.table,
) -> None:
    """Initialise the server: split the root key into unseal key shares."""
    with connect(address) as client:
        if status:
            initialized = bool(client.get("/v1/sys/init").get("initialized"))
            _print_init_status(initialized, output)
            raise typer.Exit(0 if initialized else 2)
        body: dict[str, object] = {"secret_shares": key_shares, "secret_threshold": key_threshold}
        if pgp_keys:
            body["pgp_keys"] = read_pgp_keys(pgp_keys)
        if root_token_pgp_key:
            body["root_token_pgp_key"] = read_pgp_key(root_token_pgp_key)
        result = client.request("PUT", "/v1/sys/init", body) or {}
    if output is Format.json:
        print_json(_machine_init(result, key_shares, key_threshold))
        return
    keys = result.get("keys_base64") or result.get("keys") or []
    for number, key in enumerate(keys, start=1):
        print(f"Unseal Key {number}: {key}")
    print(f"\nInitial Root Token: {result.get('root_token', '')}\n")
    paragraphs = (
        (
            f"Vault initialized with {key_shares} key shares and a key threshold of "
            f"{key_threshold}. Please securely distribute the key shares printed above. When the "
            f"Vault is re-sealed, restarted, or stopped, you must supply at least {key_threshold} "
            "of these keys to unseal it before it can start servicing requests."
        ),
        (
            f"Vault does not store the generated root key. Without at least {key_threshold} keys "
            "to reconstruct the root key, Vault will remain permanently sealed!"
        ),
        (
            "It is possible to generate new unseal keys, provided you have a quorum of existing "
            'unseal keys shares. See "strongroom operator rekey" for more information.'
        ),
    )
    print("\n\n".join(textwrap.fill(p, width=78) for p in paragraphs))


def _machine_init(result: dict[str, Any], shares: int, threshold: int) -> dict[str, Any]:
    """`vault operator init -format=json`'s shape (command/operator_init.go, machineInit)."""
    return {
        "unseal_keys_b64": result.get("keys_base64", []),
        "unseal_keys_hex": result.get("keys", []),
        "unseal_shares": shares,
        "unseal_threshold": threshold,
        "recovery_keys_b64": [],
        "recovery_keys_hex": [],
        "recovery_keys_shares": 0,
        "recovery_keys_threshold": 0,
        "root_token": result.get("root_token", ""),
    }


def _print_init_status(initialized: bool, output: Format) -> None:
    if output is Format.json:
        print_json({"initialized": initialized})
    else:
        print("Vault is initialized" if initialized else "Vault is not initialized")


@operator_app.command("unseal")
def unseal(
    key: Annotated[str | None, typer.Argument(help='Unseal key; "-" reads stdin.')] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Discard the keys given so far.")] = False,
    address: Address = None,
    output: Output = Format.table,
) -> None:
    """Provide one unseal key share (prompted for, unechoed, when KEY is omitted)."""
    body: dict[str, Any] = {"reset": True} if reset else {"key": read_key(key)}
    with connect(address) as client:
        status = client.request("PUT", "/v1/sys/unseal", body) or {}
    emit(output, status, seal_status_rows(status))


@operator_app.command("seal")
def seal(address: Address = None) -> None:
    """Seal the server: forget the root key until it is unsealed again."""
    with connect(address) as client:
        client.request("PUT", "/v1/sys/seal")
    print("Success! Vault is sealed.")


@operator_app.command("rotate")
def rotate(address: Address = None, output: Output = Format.table) -> None:
    """Add a new encryption key to the keyring; new writes use it."""
    with connect(address) as client:
        client.request("PUT", "/v1/sys/rotate")
        status = payload(client.get("/v1/sys/key-status"))
    if output is Format.table:
        print("Success! Rotated key\n")
    emit(output, status, _key_status_rows(status))


@operator_app.command("key-status")
def key_status(address: Address = None, output: Output = Format.table) -> None:
    """Show the current key term and when it was installed."""
    with connect(address) as client:
        status = payload(client.get("/v1/sys/key-status"))
    emit(output, status, _key_status_rows(status))


def _key_status_rows(status: dict[str, Any]) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [
        ("Key Term", status.get("term")),
        ("Install Time", status.get("install_time")),
    ]
    if "encryptions" in status:
        rows.append(("Encryption Count", status["encryptions"]))
    return rows
