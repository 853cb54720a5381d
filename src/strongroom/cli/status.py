"""`strongroom status` and `strongroom version`: the commands that need no token."""

from __future__ import annotations

from typing import Any

import typer

from strongroom import __version__
from strongroom.cli.client import connect
from strongroom.cli.options import Address, Output
from strongroom.cli.output import Format, emit

__all__ = ["seal_status_rows", "status", "version"]


def seal_status_rows(status: dict[str, Any]) -> list[tuple[str, object]]:
    """`vault status`'s rows for a sys/seal-status response."""
    rows: list[tuple[str, object]] = [
        ("Seal Type", status.get("type")),
        ("Initialized", status.get("initialized")),
        ("Sealed", status.get("sealed")),
        ("Total Shares", status.get("n")),
        ("Threshold", status.get("t")),
    ]
    if status.get("sealed"):
        rows.append(("Unseal Progress", f"{status.get('progress', 0)}/{status.get('t', 0)}"))
        rows.append(("Unseal Nonce", status.get("nonce")))
    rows.append(("Version", status.get("version")))
    rows.extend(
        (label, status[key])
        for label, key in (("Build Date", "build_date"), ("Storage Type", "storage_type"))
        if key in status
    )
    return rows


def status(address: Address = None, output: Output = Format.table) -> None:
    """Print the seal status. Exits 2 while sealed (as `vault status` does), 1 on error."""
    with connect(address) as client:
        data = client.get("/v1/sys/seal-status")
    emit(output, data, seal_status_rows(data))
    if data.get("sealed"):
        raise typer.Exit(2)


def version() -> None:
    """Print the client's version."""
    print(f"Strongroom v{__version__}")
