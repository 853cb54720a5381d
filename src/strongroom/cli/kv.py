"""`strongroom kv ...`: Vault's KV helper commands over KV version 1 and 2 mounts.

The mount and its version come from `sys/internal/ui/mounts/<path>`, as Vault's CLI finds them:
either `-mount=secret app/db` or `secret/app/db`. On v2 the API path gains `data/`, `metadata/`,
`delete/`, `undelete/` or `destroy/` after the mount.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import typer

from strongroom.cli.client import Client, connect, payload
from strongroom.cli.errors import USAGE, ApiError, CommandError
from strongroom.cli.generic import (
    Field,
    Pairs,
    parse_bool,
    parse_pairs,
    parse_versions,
    path_header,
    print_field,
    print_keys,
    section,
    show,
)
from strongroom.cli.options import Address, Output
from strongroom.cli.output import Format, print_json

__all__ = ["kv_app"]

kv_app = typer.Typer(help="Read, write and manage secrets in KV version 1 and 2 engines.")
metadata_app = typer.Typer(help="Read, write and delete KV v2 secret metadata.")
kv_app.add_typer(metadata_app, name="metadata")

KvPath = Annotated[str, typer.Argument(metavar="PATH", help="secret/app/db, or app/db -mount=")]
Mount = Annotated[
    str | None, typer.Option("--mount", help="KV mount; PATH is then relative to it.")
]
Cas = Annotated[
    int | None, typer.Option("--cas", help="Write only if the current version is this.")
]
Versions = Annotated[
    str | None, typer.Option("--versions", help="Comma-separated versions, e.g. 1,2.")
]


@dataclass(frozen=True)
class Target:
    mount: str  # without slashes; "" when the server could not say
    rel: str
    version: int

    def api(self, prefix: str = "data") -> str:
        """The API path below /v1/: `mount/prefix/rel` on v2, `mount/rel` on v1."""
        parts = (self.mount, prefix, self.rel) if self.version == 2 else (self.mount, self.rel)
        return "/".join(p for p in parts if p)


def _target(client: Client, path: str, mount: str | None) -> Target:
    rel = path.strip().strip("/")
    probe = mount.strip().strip("/") if mount is not None else rel
    if not probe:
        raise CommandError("a path is required", exit_code=USAGE)
    try:
        found = payload(client.get(f"/v1/sys/internal/ui/mounts/{probe}"))
    except ApiError as failure:
        if failure.status != 404:
            raise
        return Target(probe if mount is not None else "", rel, 1)  # no preflight: plain KV v1
    at = str(found.get("path") or "").strip("/")
    options = found.get("options")
    version = 2 if isinstance(options, dict) and str(options.get("version")) == "2" else 1
    if mount is None:
        rel = rel[len(at) :].strip("/") if at and (rel + "/").startswith(at + "/") else rel
    return Target(at or probe, rel, version)


def _v2(target: Target, what: str) -> None:
    if target.version != 2:
        raise CommandError(f"{what} not supported on KV Version 1", exit_code=USAGE)


def _print_write(
    target: Target, response: dict[str, Any] | None, out: Format, field: Field
) -> None:
    """kv put/patch output: the new version's metadata on v2, a success line on v1."""
    data = payload(response or {})
    if field is not None:
        print_field(data, field)
    elif response is None or target.version == 1:
        print(f"Success! Data written to: {target.api()}")
    elif out is Format.json:
        print_json(response)
    else:
        path_header("Secret Path", target.api())
        section("Metadata", data)


@kv_app.command("get")
def kv_get(
    path: KvPath,
    mount: Mount = None,
    version: Annotated[int | None, typer.Option("--version", min=0)] = None,
    field: Field = None,
    address: Address = None,
    output: Output = Format.table,
) -> None:
    """Read a secret (the latest version, or -version=N on KV v2)."""
    with connect(address) as client:
        target = _target(client, path, mount)
        query = f"?version={version}" if version is not None and target.version == 2 else ""
        response = client.read(f"/v1/{target.api()}{query}")
    if target.version == 1 or response is None or output is Format.json:
        show(response, target.api(), output, field)
        return
    body = payload(response)
    data, metadata = body.get("data"), body.get("metadata")
    if field is not None:
        print_field(data if isinstance(data, dict) else {}, field)
        return
    path_header("Secret Path", target.api())
    if isinstance(metadata, dict):
        section("Metadata", metadata)
    if isinstance(data, dict):
        print()
        section("Data", data)


def _write(
    path: str, pairs: Pairs, mount: str | None, cas: int | None, address: str | None, *, patch: bool
) -> tuple[Target, dict[str, Any] | None]:
    data = parse_pairs(pairs)
    if not data:
        raise CommandError("no data given: pass k=v pairs or - for JSON on stdin", exit_code=USAGE)
    with connect(address) as client:
        target = _target(client, path, mount)
        if patch:
            _v2(target, "Patch")
        options = {"options": {"cas": cas}} if cas is not None else {}
        body = {"data": data, **options} if target.version == 2 else data
        url = f"/v1/{target.api()}"
        return target, client.patch(url, body) if patch else client.request("PUT", url, body)


def _write_command(*, patch: bool) -> Callable[..., None]:
    def command(
        path: KvPath,
        pairs: Pairs = None,
        mount: Mount = None,
        cas: Cas = None,
        field: Field = None,
        address: Address = None,
        output: Output = Format.table,
    ) -> None:
        target, response = _write(path, pairs, mount, cas, address, patch=patch)
        _print_write(target, response, output, field)

    return command


kv_app.command("put", help="Write a secret (a new version on KV v2), replacing its data.")(
    _write_command(patch=False)
)
kv_app.command("patch", help="Merge k=v pairs into a KV v2 secret (HTTP PATCH, merge patch).")(
    _write_command(patch=True)
)


@kv_app.command("delete")
def kv_delete(
    path: KvPath, mount: Mount = None, versions: Versions = None, address: Address = None
) -> None:
    """Delete the latest version (or -versions=...) of a secret; v2 keeps it for undelete."""
    wanted = parse_versions(versions, required=False)
    with connect(address) as client:
        target = _target(client, path, mount)
        if wanted and target.version == 2:
            client.request("PUT", f"/v1/{target.api('delete')}", {"versions": wanted})
        else:
            client.request("DELETE", f"/v1/{target.api()}")
    print(f"Success! Data deleted (if it existed) at: {target.api()}")


def _versions_command(action: str) -> Callable[..., None]:
    def command(
        path: KvPath, mount: Mount = None, versions: Versions = None, address: Address = None
    ) -> None:
        wanted = parse_versions(versions, required=True)
        with connect(address) as client:
            target = _target(client, path, mount)
            _v2(target, action.capitalize())
            client.request("PUT", f"/v1/{target.api(action)}", {"versions": wanted})
        print(f"Success! Data written to: {target.api(action)}")

    return command


kv_app.command("undelete", help="Restore deleted -versions of a KV v2 secret.")(
    _versions_command("undelete")
)
kv_app.command("destroy", help="Permanently remove -versions of a KV v2 secret.")(
    _versions_command("destroy")
)


@kv_app.command("list")
def kv_list(
    path: KvPath, mount: Mount = None, address: Address = None, output: Output = Format.table
) -> None:
    """List the keys under PATH."""
    with connect(address) as client:
        target = _target(client, path, mount)
        api = target.api("metadata")
        print_keys(client.list(f"/v1/{api}"), api, output)


@kv_app.command("enable-versioning")
def kv_enable_versioning(path: KvPath, address: Address = None) -> None:
    """Turn the KV v1 mount at PATH into KV v2 (versioned)."""
    mount = path.strip().strip("/")
    with connect(address) as client:
        client.request("POST", f"/v1/sys/mounts/{mount}/tune", {"options": {"version": "2"}})
    print(f"Success! Tuned the secrets engine at: {mount}/")


@metadata_app.command("get")
def metadata_get(
    path: KvPath,
    mount: Mount = None,
    field: Field = None,
    address: Address = None,
    output: Output = Format.table,
) -> None:
    """Print a KV v2 secret's metadata and its versions."""
    with connect(address) as client:
        target = _target(client, path, mount)
        _v2(target, "Metadata")
        api = target.api("metadata")
        response = client.read(f"/v1/{api}")
    if response is None or output is Format.json or field is not None:
        show(response, api, output, field)
        return
    body = payload(response)
    versions = body.get("versions")
    path_header("Metadata Path", api)
    section("Metadata", {k: v for k, v in body.items() if k != "versions"})
    for number, info in sorted((versions or {}).items(), key=lambda item: int(item[0])):
        print()
        section(f"Version {number}", info)


@metadata_app.command("put")
def metadata_put(
    path: KvPath,
    mount: Mount = None,
    max_versions: Annotated[int | None, typer.Option("--max-versions", min=0)] = None,
    cas_required: Annotated[
        str | None, typer.Option("--cas-required", help="true or false.", show_default=False)
    ] = None,
    delete_version_after: Annotated[str | None, typer.Option("--delete-version-after")] = None,
    custom_metadata: Annotated[list[str] | None, typer.Option("--custom-metadata")] = None,
    address: Address = None,
) -> None:
    """Set a KV v2 secret's metadata: only the flags given are sent."""
    fields = {
        "max_versions": max_versions,
        "cas_required": parse_bool("cas-required", cas_required),
        "delete_version_after": delete_version_after,
        "custom_metadata": parse_pairs(custom_metadata) if custom_metadata else None,
    }
    body = {k: v for k, v in fields.items() if v is not None}
    with connect(address) as client:
        target = _target(client, path, mount)
        _v2(target, "Metadata")
        client.request("PUT", f"/v1/{target.api('metadata')}", body)
    print(f"Success! Data written to: {target.api('metadata')}")


@metadata_app.command("delete")
def metadata_delete(path: KvPath, mount: Mount = None, address: Address = None) -> None:
    """Delete a KV v2 secret's metadata and every version."""
    with connect(address) as client:
        target = _target(client, path, mount)
        _v2(target, "Metadata")
        client.request("DELETE", f"/v1/{target.api('metadata')}")
    print(f"Success! Data deleted (if it existed) at: {target.api('metadata')}")
