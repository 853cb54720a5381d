"""`strongroom blueprint write|read|list|delete`: tenant blueprints over sys/blueprints/*.

Shaped like Vault's `vault policy` commands: `write NAME FILE` uploads HCL or JSON (`-` reads
stdin) and the server validates it; `read NAME` prints the blueprint as it was written
(`-canonical` for its canonical JSON form, `-format=json` for the whole response).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from strongroom.cli.client import connect
from strongroom.cli.errors import USAGE, CommandError
from strongroom.cli.generic import print_keys
from strongroom.cli.options import Address, Output
from strongroom.cli.output import Format, print_json

blueprint_app = typer.Typer(
    help="Write, read, list and delete tenant blueprints.", no_args_is_help=True
)

Name = Annotated[str, typer.Argument(metavar="NAME", help="The blueprint's name.")]


def _path(name: str) -> str:
    clean = name.strip().strip("/")
    if not clean or "/" in clean:
        raise CommandError("a blueprint name is required (no '/')", exit_code=USAGE)
    return f"/v1/sys/blueprints/{clean}"


def _source(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        message = f"{file} is not UTF-8 text"
    except OSError as exc:
        message = f"cannot read {file}: {exc.strerror}"
    raise CommandError(message, exit_code=USAGE)


@blueprint_app.command("write")
def write(
    name: Name,
    file: Annotated[
        str, typer.Argument(metavar="FILE", help='HCL or JSON blueprint; "-" reads stdin.')
    ],
    address: Address = None,
) -> None:
    """Upload a blueprint (HCL or JSON); the server checks it and says what is wrong."""
    path, source = _path(name), _source(file)
    if not source.strip():
        raise CommandError("the blueprint is empty", exit_code=USAGE)
    with connect(address) as client:
        client.request("PUT", path, {"blueprint": source})
    print(f"Success! Uploaded blueprint: {name.strip().strip('/')}")


@blueprint_app.command("read")
def read(
    name: Name,
    canonical: Annotated[
        bool, typer.Option("--canonical", help="Print the canonical JSON form.")
    ] = False,
    address: Address = None,
    output: Output = Format.table,
) -> None:
    """Print a blueprint as it was written (`default` is the one that ships)."""
    path = _path(name)
    with connect(address) as client:
        response = client.read(path)
    data: Any = (response or {}).get("data")
    if not isinstance(data, dict):
        raise CommandError(f"No blueprint named {name}", exit_code=USAGE)
    if output is Format.json:
        print_json(response)
    elif canonical:
        print_json(data.get("blueprint"))
    else:
        source = str(data.get("source", ""))
        print(source, end="" if source.endswith("\n") else "\n")


@blueprint_app.command("list")
def list_blueprints(address: Address = None, output: Output = Format.table) -> None:
    """List the blueprints' names."""
    with connect(address) as client:
        print_keys(client.list("/v1/sys/blueprints"), "sys/blueprints", output)


@blueprint_app.command("delete")
def delete(name: Name, address: Address = None) -> None:
    """Delete a blueprint (tenants made from it keep what they have)."""
    path = _path(name)
    with connect(address) as client:
        client.request("DELETE", path)
    print(f"Success! Deleted blueprint: {name.strip().strip('/')}")
