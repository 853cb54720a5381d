"""`strongroom tenant create|show|delete|add-service`: one-call tenant provisioning over
sys/tenants/* (and sys/namespaces/* for deletion)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from strongroom.cli.client import connect
from strongroom.cli.errors import USAGE, CommandError
from strongroom.cli.options import Address, Output
from strongroom.cli.output import Format, emit

tenant_app = typer.Typer(help="Provision tenants and onboard their services.", no_args_is_help=True)

Tenant = Annotated[str, typer.Argument(metavar="TENANT", help="The tenant's name.")]


def _name(raw: str) -> str:
    clean = raw.strip().strip("/")
    if not clean or "/" in clean:
        raise CommandError("a tenant name is required (no '/')", exit_code=USAGE)
    return clean


def _summary(response: dict[str, Any] | None, output: Format) -> None:
    data = (response or {}).get("data") or {}
    rows = [(key, _cell(value)) for key, value in sorted(data.items())]
    emit(output, response, rows)
    for warning in (response or {}).get("warnings") or []:
        print(f"WARNING! {warning}")


def _cell(value: object) -> object:
    if isinstance(value, list):
        return ", ".join(str(v.get("path", v)) if isinstance(v, dict) else str(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{k}:{v}" for k, v in sorted(value.items()))
    return value


@tenant_app.command("create")
def create(
    tenant: Tenant,
    blueprint: Annotated[str, typer.Option("--blueprint", help="Blueprint name.")] = "default",
    metadata: Annotated[
        list[str] | None, typer.Option("--metadata", help="k=v custom metadata; repeatable.")
    ] = None,
    address: Address = None,
    output: Output = Format.table,
) -> None:
    """Create the tenant's namespace and apply its blueprint (again: only what drifted)."""
    custom: dict[str, str] = {}
    for pair in metadata or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CommandError(f"-metadata {pair!r}: expected k=v", exit_code=USAGE)
        custom[key] = value
    body = {"blueprint": blueprint, "custom_metadata": custom}
    with connect(address) as client:
        _summary(client.request("POST", f"/v1/sys/tenants/{_name(tenant)}", body), output)


@tenant_app.command("show")
def show(tenant: Tenant, address: Address = None, output: Output = Format.table) -> None:
    """What the tenant has, and any drift from its blueprint."""
    with connect(address) as client:
        response = client.read(f"/v1/sys/tenants/{_name(tenant)}")
    if response is None:
        raise CommandError(f"No tenant named {tenant}", exit_code=USAGE)
    _summary(response, output)


@tenant_app.command("delete")
def delete(tenant: Tenant, address: Address = None) -> None:
    """Delete the tenant: its tokens and leases are revoked, its key destroyed, its storage
    purged in the background."""
    name = _name(tenant)
    with connect(address) as client:
        client.request("DELETE", f"/v1/sys/namespaces/{name}")
    print(f"Success! Deleted tenant {name} (its storage is purged in the background)")


@tenant_app.command("add-service")
def add_service(
    tenant: Tenant,
    service: Annotated[str, typer.Argument(metavar="SERVICE", help="The service's name.")],
    wrap_ttl: Annotated[
        str, typer.Option("--wrap-ttl", help="Lifetime of the wrapped secret ID.")
    ] = "5m",
    address: Address = None,
    output: Output = Format.table,
) -> None:
    """A least-privilege AppRole for one service: its role ID and a wrapped secret ID."""
    path = f"/v1/sys/tenants/{_name(tenant)}/services/{_name(service)}"
    with connect(address) as client:
        response = client.request("POST", path, {"wrap_ttl": wrap_ttl})
    data = (response or {}).get("data") or {}
    wrap = data.get("secret_id_wrap_info") or {}
    rows = [
        ("role_name", data.get("role_name")),
        ("role_id", data.get("role_id")),
        ("secret_id_wrapping_token", wrap.get("token")),
        ("secret_id_wrapping_ttl", f"{wrap.get('ttl')}s"),
        ("namespace", data.get("namespace")),
    ]
    emit(output, response, rows)
