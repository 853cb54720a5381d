"""Printing command results: `-format=table` (rich, Vault's Key/Value layout) or `-format=json`.

Tables are laid out by rich at the terminal's width; for pipes the width is unbounded, so a key
or token is never wrapped or cut mid-value.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum

from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = ["Format", "emit", "print_json", "print_table", "text"]


class Format(StrEnum):
    table = "table"
    json = "json"


def text(value: object) -> str:
    """A cell the way Vault's CLI prints one: booleans in lower case, missing as n/a."""
    if isinstance(value, bool):
        return str(value).lower()
    if value is None or value == "":
        return "n/a"
    if isinstance(value, list):
        return ", ".join(text(v) for v in value)
    return str(value)


def print_json(data: object) -> None:
    print(json.dumps(data, indent=2))


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A borderless table with Vault's dashed underline beneath the headers."""
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    for header in headers:
        table.add_column(header, overflow="fold")
    table.add_row(*("-" * len(h) for h in headers))
    for row in rows:
        # Text(), not str: a description such as "[red]x" must print as typed, not as markup.
        table.add_row(*(Text(text(cell)) for cell in row))
    print(_render(table))


def emit(fmt: Format, data: object, rows: Iterable[tuple[str, object]]) -> None:
    """`data` as JSON, or `rows` as a Key/Value table."""
    if fmt is Format.json:
        print_json(data)
    else:
        print_table(("Key", "Value"), rows)


def _render(table: Table) -> str:
    terminal = sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if terminal else 100_000
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, force_terminal=terminal, highlight=False, emoji=False
    )
    console.print(table)
    # rich pads every cell to its column's width; trailing blanks only get in the way of grep.
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines())
