"""`strongroom secrets ...` and `strongroom auth ...`: mounting engines and auth methods
(sys/mounts and sys/auth, as Vault's `secrets` and `auth` commands use them)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from strongroom.cli.client import connect, payload
from strongroom.cli.errors import USAGE, CommandError
from strongroom.cli.options import Address, Output
from strongroom.cli.output import Format, print_json, print_table
from strongroom.config.durations import parse_duration, render_duration

__all__ = ["auth_app", "secrets_app"]

secrets_app = typer.Typer(help="Enable, disable, list and tune secrets engines.")
auth_app = typer.Typer(help="Enable, disable and list auth methods.")

MountPath = Annotated[str, typer.Argument(help="Mount path, e.g. secret/.", show_default=False)]
Description = Annotated[str, typer.Option("--description", help="Human-friendly description.")]
MountAt = Annotated[
    str | None, typer.Option("--path", help="Mount path; defaults to the type.", show_default=False)
]


def _mount_path(path: str) -> str:
    """`path` without surrounding slashes; Vault prints mount paths with one trailing slash."""
    clean = path.strip().strip("/")
    if not clean:
        raise CommandError("the mount path cannot be empty", exit_code=USAGE)
    return clean


@secrets_app.command("enable")
def secrets_enable(
    engine: Annotated[str, typer.Argument(metavar="TYPE", help="Engine type, e.g. kv.")],
    path: MountAt = None,
    description: Description = "",
    version: Annotated[int | None, typer.Option("--version", min=1, help="KV version.")] = None,
    address: Address = None,
) -> None:
    """Mount a secrets engine of TYPE at -path (default: TYPE)."""
    mount = _mount_path(path or engine)
    if engine == "kv-v2":  # Vault's shorthand for kv with options.version = 2
        engine, version = "kv", 2
    options = {"version": str(version)} if version is not None else {}
    body = {"type": engine, "description": description, "options": options}
    with connect(address) as client:
        client.request("POST", f"/v1/sys/mounts/{mount}", body)
    print(f"Success! Enabled the {engine} secrets engine at: {mount}/")


@secrets_app.command("disable")
def secrets_disable(path: MountPath, address: Address = None) -> None:
    """Unmount the secrets engine at PATH, deleting its data."""
    mount = _mount_path(path)
    with connect(address) as client:
        client.request("DELETE", f"/v1/sys/mounts/{mount}")
    print(f"Success! Disabled the secrets engine (if it existed) at: {mount}/")


@secrets_app.command("list")
def secrets_list(address: Address = None, output: Output = Format.table) -> None:
    """List the mounted secrets engines."""
    with connect(address) as client:
        mounts = _mounts(client.get("/v1/sys/mounts"))
    _print_mounts(mounts, output)


@secrets_app.command("tune")
def secrets_tune(
    path: MountPath,
    default_lease_ttl: Annotated[str | None, typer.Option("--default-lease-ttl")] = None,
    max_lease_ttl: Annotated[str | None, typer.Option("--max-lease-ttl")] = None,
    description: Annotated[str | None, typer.Option("--description")] = None,
    address: Address = None,
) -> None:
    """Change the TTLs or description of the secrets engine at PATH."""
    mount = _mount_path(path)
    body: dict[str, Any] = {}
    for field, raw in (("default_lease_ttl", default_lease_ttl), ("max_lease_ttl", max_lease_ttl)):
        if raw is not None:
            body[field] = _duration(field, raw)
    if description is not None:
        body["description"] = description
    if not body:
        raise CommandError(
            "nothing to tune: give -default-lease-ttl, -max-lease-ttl or -description",
            exit_code=USAGE,
        )
    with connect(address) as client:
        client.request("POST", f"/v1/sys/mounts/{mount}/tune", body)
    print(f"Success! Tuned the secrets engine at: {mount}/")


def _duration(flag: str, raw: str) -> str:
    try:
        return render_duration(parse_duration(raw))
    except ValueError:
        message = f"-{flag.replace('_', '-')}: expected a duration such as 1h or 30m"
        raise CommandError(message, exit_code=USAGE) from None


@auth_app.command("enable")
def auth_enable(
    method: Annotated[str, typer.Argument(metavar="TYPE", help="Auth method, e.g. userpass.")],
    path: MountAt = None,
    description: Description = "",
    address: Address = None,
) -> None:
    """Enable an auth method of TYPE at -path (default: TYPE)."""
    mount = _mount_path(path or method)
    with connect(address) as client:
        body = {"type": method, "description": description}
        client.request("POST", f"/v1/sys/auth/{mount}", body)
    print(f"Success! Enabled {method} auth method at: {mount}/")


@auth_app.command("disable")
def auth_disable(path: MountPath, address: Address = None) -> None:
    """Disable the auth method at PATH, revoking the tokens it issued."""
    mount = _mount_path(path)
    with connect(address) as client:
        client.request("DELETE", f"/v1/sys/auth/{mount}")
    print(f"Success! Disabled the auth method (if it existed) at: {mount}/")


@auth_app.command("list")
def auth_list(address: Address = None, output: Output = Format.table) -> None:
    """List the enabled auth methods."""
    with connect(address) as client:
        mounts = _mounts(client.get("/v1/sys/auth"))
    _print_mounts(mounts, output)


def _mounts(response: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """path -> mount entry; Vault repeats the entries at the top level and under `data`."""
    return {k: v for k, v in payload(response).items() if isinstance(v, dict) and "type" in v}


def _print_mounts(mounts: dict[str, dict[str, Any]], output: Format) -> None:
    if output is Format.json:
        print_json(mounts)
        return
    rows = [
        (path, m.get("type"), m.get("accessor"), m.get("description"))
        for path, m in sorted(mounts.items())
    ]
    print_table(("Path", "Type", "Accessor", "Description"), rows)
