"""`strongroom audit verify FILE`: check an audit log's hash chain and signed checkpoints offline.

Exit codes: 0 the log verified, 1 tampering found (the first broken line and why), 2 the
caller's mistake (no such file, a malformed --public-key). The public keys are those
`sys/audit-signing-key` returns: base64 raw Ed25519 keys, optionally named `key_id=base64`; an
unnamed key verifies checkpoints of any key_id not named by another --public-key.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from strongroom.audit import Report, verify_file
from strongroom.cli.errors import USAGE, CommandError

__all__ = ["audit_app"]

audit_app = typer.Typer(help="Audit log tools.")

_PROGRESS_ABOVE = 10 * 1024 * 1024  # bytes: smaller files verify in well under a second


class _Keys(Mapping[str, Ed25519PublicKey]):
    """Named keys, and at most one unnamed key that stands for every other key_id."""

    def __init__(
        self, named: dict[str, Ed25519PublicKey], default: Ed25519PublicKey | None
    ) -> None:
        self._named, self._default = named, default

    def __getitem__(self, key_id: str) -> Ed25519PublicKey:
        key = self._named.get(key_id, self._default)
        if key is None:
            raise KeyError(key_id)
        return key

    def __iter__(self) -> Iterator[str]:
        return iter(self._named)

    def __len__(self) -> int:
        return len(self._named)


def _public_keys(specs: list[str]) -> _Keys | None:
    if not specs:
        return None
    named: dict[str, Ed25519PublicKey] = {}
    unnamed: list[Ed25519PublicKey] = []
    for spec in specs:
        key_id, sep, encoded = spec.partition("=")
        if not (sep and key_id and encoded):  # a bare key: its base64 padding is no separator
            key_id, encoded = "", spec
        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(encoded, validate=True))
        except (binascii.Error, ValueError):
            raise CommandError(
                "--public-key: expected a base64 raw Ed25519 public key, or key_id=base64",
                exit_code=USAGE,
            ) from None
        if key_id:
            named[key_id] = key
        else:
            unnamed.append(key)
    if len(unnamed) > 1:
        raise CommandError("--public-key: name all but one key as key_id=base64", exit_code=USAGE)
    return _Keys(named, unnamed[0] if unnamed else None)


@audit_app.command("verify")
def verify(
    file: Annotated[Path, typer.Argument(help="The audit log file.", show_default=False)],
    public_key: Annotated[
        list[str] | None,
        typer.Option(
            "--public-key",
            help="Audit-signing public key (base64, or key_id=base64); repeatable.",
            show_default=False,
        ),
    ] = None,
    prefix: Annotated[str, typer.Option("--prefix", help="The device's prefix option.")] = "",
) -> None:
    """Verify an audit log: every line chained and unaltered up to its last signed checkpoint."""
    keys = _public_keys(public_key or [])
    try:
        size = file.stat().st_size
        report = _verify(file, keys, prefix, size)
    except (FileNotFoundError, IsADirectoryError, PermissionError) as failure:
        raise CommandError(f"cannot read {file}: {failure.strerror}", exit_code=USAGE) from None
    _print_report(file, report, signed=keys is not None)
    if not report.ok:
        raise typer.Exit(1)


def _verify(file: Path, keys: _Keys | None, prefix: str, size: int) -> Report:
    if size <= _PROGRESS_ABOVE:
        return verify_file(file, keys, prefix=prefix)
    columns = (BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("verifying", total=size)
        return verify_file(
            file, keys, prefix=prefix, progress=lambda done: bar.update(task, completed=done)
        )


def _print_report(file: Path, report: Report, *, signed: bool) -> None:
    if report.first_error is not None:
        line, reason = report.first_error
        print(f"TAMPERED: {file}: line {line}: {reason}")
        print(f"{report.entries} entries verified before line {line}.")
        return
    print(f"OK: {file}: {report.entries} entries, {report.checkpoints} checkpoints")
    if not signed:
        print(
            "No --public-key given: the chain is intact but checkpoint signatures were not "
            "checked, so nothing is proven against a deliberate rewrite."
        )
    elif report.unverified_tail:
        print(
            f"{report.unverified_tail} entries after the last signed checkpoint are unverified "
            "(a change or truncation there cannot be proven)."
        )
    else:
        print("Every entry is covered by a signed checkpoint.")
