"""Options every client command takes, declared once (Vault's "HTTP" and "Output" flag sets)."""

from __future__ import annotations

import base64
import binascii
import sys
from pathlib import Path
from typing import Annotated

import pysequoia
import typer

from strongroom.cli.errors import USAGE, CommandError
from strongroom.cli.output import Format

__all__ = ["Address", "Output", "PgpKeys", "read_key", "read_pgp_key", "read_pgp_keys"]

Address = Annotated[
    str | None,
    typer.Option(
        "--address",
        help="Server address; else $STRONGROOM_ADDR, $VAULT_ADDR, http://127.0.0.1:8200.",
        show_default=False,
    ),
]
PgpKeys = Annotated[
    str | None,
    typer.Option(
        "--pgp-keys",
        help="Comma-separated public key files, one per share: the shares come back encrypted.",
        show_default=False,
    ),
]
Output = Annotated[
    Format,
    typer.Option(
        "--format",
        envvar=["STRONGROOM_FORMAT", "VAULT_FORMAT"],
        case_sensitive=False,
        help="Output format.",
    ),
]


def read_key(key: str | None, prompt: str = "Unseal Key (will be hidden)") -> str:
    """An unseal key from the argument, from stdin if it is "-", or typed without echo."""
    if key == "-":
        key = sys.stdin.read()
    elif key is None:
        key = typer.prompt(prompt, hide_input=True)
    key = key.strip()
    if not key:
        raise CommandError("no unseal key given", exit_code=USAGE)
    return key


def read_pgp_keys(spec: str | None) -> list[str]:
    """Vault's `-pgp-keys=FILE,FILE` (helper/pgpkeys/flag.go): each file's public key as the
    base64 of its binary form, whether the file holds base64, binary or ASCII armor."""
    if not spec:
        return []
    return [_read_pgp_file(path.strip()) for path in spec.split(",") if path.strip()]


def read_pgp_key(path: str) -> str:
    """One key file, as `read_pgp_keys` reads each (`-root-token-pgp-key`, `-pgp-key`)."""
    return _read_pgp_file(path.strip())


def _read_pgp_file(path: str) -> str:
    if path.startswith("keybase:"):
        raise CommandError("keybase: keys are not supported; give a key file", exit_code=USAGE)
    try:
        data = Path(path.removeprefix("@")).read_bytes()
    except OSError as exc:
        raise CommandError(
            f"cannot read PGP key file {path}: {exc.strerror}", exit_code=USAGE
        ) from None
    try:
        base64.b64decode(data.strip(), validate=True)
        return data.strip().decode()
    except (binascii.Error, ValueError):
        pass
    try:
        return base64.b64encode(bytes(pysequoia.Cert.from_bytes(data))).decode()
    except (RuntimeError, ValueError):
        raise CommandError(f"no OpenPGP public key in {path}", exit_code=USAGE) from None
