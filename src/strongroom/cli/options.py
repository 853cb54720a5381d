"""Options every client command takes, declared once (Vault's "HTTP" and "Output" flag sets)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from strongroom.cli.errors import USAGE, CommandError
from strongroom.cli.output import Format

__all__ = ["Address", "Output", "read_key"]

Address = Annotated[
    str | None,
    typer.Option(
        "--address",
        help="Server address; else $STRONGROOM_ADDR, $VAULT_ADDR, http://127.0.0.1:8200.",
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
