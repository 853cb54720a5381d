"""`strongroom read|write|list|delete PATH`: any API path, as Vault's generic commands.

Also the pieces `kv.py` shares: `k=v` argument parsing (`k=@file`, `k=-`, a lone `-` for a JSON
object on stdin), `-field` printing and Vault's secret tables.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from strongroom.cli.client import connect
from strongroom.cli.errors import USAGE, CommandError
from strongroom.cli.options import Address, Output
from strongroom.cli.output import Format, emit, print_json, print_table

__all__ = [
    "Field",
    "Pairs",
    "delete",
    "list_command",
    "parse_bool",
    "parse_pairs",
    "parse_versions",
    "path_header",
    "print_field",
    "print_keys",
    "read",
    "secret_rows",
    "section",
    "show",
    "write",
]

ApiPath = Annotated[str, typer.Argument(metavar="PATH", help="API path, e.g. secret/foo.")]
Pairs = Annotated[
    list[str] | None,
    typer.Argument(metavar="K=V...", help="k=v, k=@file, k=- (stdin), or - for JSON on stdin."),
]
Field = Annotated[
    str | None, typer.Option("--field", help="Print only this field.", show_default=False)
]


def parse_pairs(args: list[str] | None) -> dict[str, Any]:
    """Vault's `k=v` arguments as a JSON object; a repeated key collects its values in a list."""
    args = args or []
    if args == ["-"]:
        return _json_object(sys.stdin.read(), "stdin")
    data: dict[str, Any] = {}
    for arg in args:
        key, sep, raw = arg.partition("=")
        if not sep or not key:
            raise CommandError(f"invalid key/value pair {arg!r}: expected k=v", exit_code=USAGE)
        value = _value(key, raw)
        if key in data:
            old = data[key]
            data[key] = [*old, value] if isinstance(old, list) else [old, value]
        else:
            data[key] = value
    return data


def parse_versions(raw: str | None, *, required: bool) -> list[int]:
    try:
        versions = [int(v) for v in (raw or "").split(",") if v.strip()]
    except ValueError:
        raise CommandError("-versions: expected numbers such as 1,2", exit_code=USAGE) from None
    if required and not versions:
        raise CommandError('no versions given: use "-versions=1,2"', exit_code=USAGE)
    return versions


def parse_bool(flag: str, raw: str | None) -> bool | None:
    if raw is None:
        return None
    if raw.lower() not in ("true", "false", "1", "0", "t", "f"):
        raise CommandError(f"-{flag}: expected true or false", exit_code=USAGE)
    return raw.lower() in ("true", "1", "t")


def _value(key: str, raw: str) -> str:
    if raw == "-":
        return sys.stdin.read()
    if raw.startswith("@"):
        try:
            return Path(raw[1:]).read_text()
        except UnicodeDecodeError:
            message = f"{key}: {raw[1:]} is not UTF-8 text"
        except OSError as exc:
            message = f"{key}: cannot read {raw[1:]}: {exc.strerror}"
        raise CommandError(message, exit_code=USAGE)
    return raw


def _json_object(raw: str, source: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise CommandError(f"{source}: expected a JSON object", exit_code=USAGE)
    return data


def print_field(data: dict[str, Any], field: str) -> None:
    """One value, raw: no newline when piped, so `$(strongroom read -field=x p)` is exact."""
    if field not in data:
        raise CommandError(f'Field "{field}" not present in secret')
    value = data[field]
    shown = value if isinstance(value, str) else json.dumps(value)
    sys.stdout.write(shown + ("\n" if sys.stdout.isatty() else ""))


def secret_rows(response: dict[str, Any], data: dict[str, Any]) -> list[tuple[str, object]]:
    """Vault's OutputSecret rows: lease fields when there is a lease, then the data, sorted."""
    rows: list[tuple[str, object]] = []
    duration = response.get("lease_duration") or 0
    if response.get("lease_id"):
        rows += [("lease_id", response["lease_id"]), ("lease_duration", f"{duration}s")]
        rows.append(("lease_renewable", bool(response.get("renewable"))))
    elif duration:
        rows.append(("refresh_interval", f"{duration}s"))
    return rows + [(k, _cell(v)) for k, v in sorted(data.items())]


def _cell(value: object) -> object:
    return json.dumps(value) if isinstance(value, dict) else value


def show(response: dict[str, Any] | None, path: str, output: Format, field: str | None) -> None:
    if response is None:
        raise CommandError(f"No value found at {path}", exit_code=USAGE)
    data = response.get("data")
    data = data if isinstance(data, dict) else {}
    if field is not None:
        print_field(data, field)
        return
    emit(output, response, secret_rows(response, data))


def print_keys(response: dict[str, Any] | None, path: str, output: Format) -> None:
    data = (response or {}).get("data")
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list):
        raise CommandError(f"No value found at {path}", exit_code=USAGE)
    if output is Format.json:
        print_json(keys)
    else:
        print_table(("Keys",), [(k,) for k in keys])


def header(title: str, width: int) -> str:
    """Vault's padEqualSigns: the title centred in `=` signs, at least two either side."""
    signs = width - len(title) - 2
    signs = 4 if signs <= 0 else signs + signs % 2
    return f"{'=' * (signs // 2)} {title} {'=' * (signs // 2)}"


def section(title: str, data: dict[str, Any]) -> None:
    print(header(title, max((len(k) for k in data), default=0) + 9))
    print_table(("Key", "Value"), [(k, _map_cell(v)) for k, v in sorted(data.items())])


def _map_cell(value: object) -> object:
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{v}" for k, v in sorted(value.items())) + "]"
    return value


def path_header(title: str, path: str) -> None:
    print(header(title, len(path)))
    print(path + "\n")


def _clean(path: str) -> str:
    clean = path.strip().strip("/")
    if not clean:
        raise CommandError("a path is required", exit_code=USAGE)
    return clean


def read(
    path: ApiPath, field: Field = None, address: Address = None, output: Output = Format.table
) -> None:
    """Read PATH (GET) and print its data."""
    clean = _clean(path)
    with connect(address) as client:
        show(client.read(f"/v1/{clean}"), clean, output, field)


def write(
    path: ApiPath,
    pairs: Pairs = None,
    field: Field = None,
    address: Address = None,
    output: Output = Format.table,
) -> None:
    """Write k=v data to PATH (PUT) and print the response, if any."""
    clean, body = _clean(path), parse_pairs(pairs)
    with connect(address) as client:
        response = client.request("PUT", f"/v1/{clean}", body)
    if response is None and field is None:
        print(f"Success! Data written to: {clean}")
        return
    show(response, clean, output, field)


def list_command(path: ApiPath, address: Address = None, output: Output = Format.table) -> None:
    """List the keys under PATH (LIST)."""
    clean = _clean(path)
    with connect(address) as client:
        print_keys(client.list(f"/v1/{clean}"), clean, output)


def delete(path: ApiPath, address: Address = None) -> None:
    """Delete the data at PATH (DELETE)."""
    clean = _clean(path)
    with connect(address) as client:
        client.request("DELETE", f"/v1/{clean}")
    print(f"Success! Data deleted (if it existed) at: {clean}")
