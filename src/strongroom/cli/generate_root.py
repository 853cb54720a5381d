"""`strongroom operator generate-root`: a new root token from a quorum of unseal key shares
(sys/generate-root/attempt and /update; Vault >= 1.10's OTP scheme).

The server XORs the new token with a one-time password and returns it base64-encoded without
padding (sdk/helper/roottoken/encode.go); `-decode` reverses that locally, as Vault's
`roottoken.DecodeToken` does for a non-zero OTP length.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

import typer

from strongroom.cli.client import Client, connect
from strongroom.cli.errors import USAGE, CommandError
from strongroom.cli.options import Address, Output, read_key, read_pgp_key
from strongroom.cli.output import Format, emit, print_json

__all__ = ["decode_token", "generate_root"]

ATTEMPT = "/v1/sys/generate-root/attempt"


def decode_token(encoded: str, otp: str) -> str:
    """The root token in `encoded` (base64 of token XOR otp). Raises ValueError if `encoded`
    is not base64 or its length differs from the OTP's."""
    try:
        raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except binascii.Error:
        raise ValueError("the encoded token is not base64") from None
    pad = otp.encode()
    if len(raw) != len(pad):
        raise ValueError("the OTP and the encoded token differ in length")
    return bytes(a ^ b for a, b in zip(raw, pad, strict=True)).decode()


def generate_root(  # noqa: PLR0913 (one flag per Vault flag: the command's surface is Vault's)
    key: Annotated[str | None, typer.Argument(help='Unseal key; "-" reads stdin.')] = None,
    *,
    init: Annotated[bool, typer.Option("--init", help="Start an attempt.")] = False,
    cancel: Annotated[bool, typer.Option("--cancel", help="Cancel the attempt.")] = False,
    status: Annotated[bool, typer.Option("--status", help="Show progress only.")] = False,
    decode: Annotated[str | None, typer.Option("--decode", help="Encoded token.")] = None,
    otp: Annotated[str | None, typer.Option("--otp", help="OTP for -decode.")] = None,
    pgp_key: Annotated[
        str | None, typer.Option("--pgp-key", help="Encrypt the new token to this key file.")
    ] = None,
    nonce: Annotated[str | None, typer.Option("--nonce", help="Nonce from -init.")] = None,
    address: Address = None,
    output: Output = Format.table,
) -> None:
    """Generate a new root token: -init, one unseal key share per run, then -decode."""
    if decode is not None:
        _decode(decode, otp, output)
        return
    with connect(address) as client:
        if cancel:
            client.request("DELETE", ATTEMPT)
            print("Success! Root token generation canceled (if it was started)")
        elif init:
            # Vault >= 1.10 makes the OTP itself when none is sent; -otp is the older scheme.
            body = {"otp": otp} if otp else {}
            if pgp_key and not otp:
                body["pgp_key"] = read_pgp_key(pgp_key)
            attempt = client.request("PUT", ATTEMPT, body) or {}
            _print_status(attempt, output)
        elif status:
            _print_status(client.get(ATTEMPT), output)
        else:
            _provide(client, key, nonce, output)


def _decode(encoded: str, otp: str | None, output: Format) -> None:
    if not otp:
        raise CommandError("Missing otp: use -otp to supply it", exit_code=USAGE)
    try:
        token = decode_token(encoded, otp)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot decode the token: {exc}", exit_code=USAGE) from None
    if output is Format.json:
        print_json({"token": token})
    else:
        print(token)


def _provide(client: Client, key: str | None, nonce: str | None, output: Format) -> None:
    current = client.get(ATTEMPT)
    if not current.get("started"):
        raise CommandError(
            "No root generation is in progress. Start one with "
            '"strongroom operator generate-root -init".',
            exit_code=USAGE,
        )
    if key is None:
        print(f"Operation nonce: {current.get('nonce', '')}")
        nonce = nonce or current.get("nonce")
    share = read_key(key)
    if not nonce:
        raise CommandError("Missing nonce value: specify it via the -nonce flag", exit_code=USAGE)
    body = {"key": share, "nonce": nonce}
    _print_status(client.request("PUT", "/v1/sys/generate-root/update", body) or {}, output)


def _print_status(status: dict[str, Any], output: Format) -> None:
    rows: list[tuple[str, object]] = [
        ("Nonce", status.get("nonce")),
        ("Started", status.get("started")),
        ("Progress", f"{status.get('progress', 0)}/{status.get('required', 0)}"),
        ("Complete", status.get("complete")),
    ]
    optional = (
        ("PGP Fingerprint", "pgp_fingerprint"),
        ("Encoded Token", "encoded_token"),
        ("OTP", "otp"),
        ("OTP Length", "otp_length"),
    )
    rows += [(label, status[field]) for label, field in optional if status.get(field)]
    if status.get("otp") and output is Format.table:
        print(
            "A One-Time-Password has been generated for you and is shown in the OTP field. "
            "You will need this value to decode the resulting root token, so keep it safe.\n"
        )
    emit(output, status, rows)
