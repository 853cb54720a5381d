"""`strongroom lease lookup|renew|revoke|list`: Vault's lease commands over sys/leases/*."""

from __future__ import annotations

from typing import Annotated

import typer

from strongroom.cli.client import connect
from strongroom.cli.errors import USAGE, CommandError
from strongroom.cli.generic import print_keys, show
from strongroom.cli.options import Address, Output
from strongroom.cli.output import Format

lease_app = typer.Typer(help="Look up, renew, revoke and list leases.", no_args_is_help=True)

LeaseId = Annotated[str, typer.Argument(metavar="ID", help="A lease ID (or prefix).")]


@lease_app.command("lookup")
def lookup(lease_id: LeaseId, address: Address = None, output: Output = Format.table) -> None:
    """Show a lease's issue and expiry times, TTL and whether it is renewable."""
    with connect(address) as client:
        response = client.request("PUT", "/v1/sys/leases/lookup", {"lease_id": lease_id})
    show(response, lease_id, output, None)


@lease_app.command("renew")
def renew(
    lease_id: LeaseId,
    increment: Annotated[
        str, typer.Option("--increment", help="Requested extension, e.g. 1h (default: the TTL).")
    ] = "",
    address: Address = None,
    output: Output = Format.table,
) -> None:
    """Extend a lease, up to its max TTL."""
    body: dict[str, object] = {"lease_id": lease_id}
    if increment:
        body["increment"] = increment
    with connect(address) as client:
        response = client.request("PUT", "/v1/sys/leases/renew", body)
    show(response, lease_id, output, None)


@lease_app.command("revoke")
def revoke(
    lease_id: LeaseId,
    prefix: Annotated[bool, typer.Option("--prefix", help="Treat ID as a prefix.")] = False,
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Forget leases the engine cannot revoke.")
    ] = False,
    address: Address = None,
) -> None:
    """Revoke a lease (and the credential behind it), or every lease under a prefix."""
    if force and not prefix:
        raise CommandError("-force requires -prefix", exit_code=USAGE)
    with connect(address) as client:
        if force:
            client.request("PUT", f"/v1/sys/leases/revoke-force/{lease_id}")
            print(f"Success! Force revoked any leases with prefix: {lease_id}")
        elif prefix:
            client.request("PUT", f"/v1/sys/leases/revoke-prefix/{lease_id}")
            print(f"Success! Revoked any leases with prefix: {lease_id}")
        else:
            client.request("PUT", "/v1/sys/leases/revoke", {"lease_id": lease_id})
            print(f"Success! Revoked lease: {lease_id}")


@lease_app.command("list")
def list_leases(
    prefix: Annotated[str, typer.Argument(metavar="PREFIX", help="e.g. database/creds/app/")],
    address: Address = None,
    output: Output = Format.table,
) -> None:
    """List lease IDs under a prefix (needs sudo)."""
    path = prefix.strip("/") + "/"
    with connect(address) as client:
        print_keys(client.list(f"/v1/sys/leases/lookup/{path}"), prefix, output)
