"""`strongroom server`: load the settings, then hand over to `strongroom.server.serve`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from strongroom.cli.errors import USAGE, CommandError
from strongroom.config import ConfigError, DevOptions, Settings, dev_settings, load_config

__all__ = ["server"]

DEV_ADDRESS = "127.0.0.1:8200"


def server(
    config: Annotated[
        list[Path] | None,
        typer.Option("--config", help="Config file or directory; may be repeated."),
    ] = None,
    dev: Annotated[bool, typer.Option("--dev", help="In-memory, unsealed dev server.")] = False,
    dev_root_token_id: Annotated[
        str | None,
        typer.Option(
            "--dev-root-token-id",
            envvar=["STRONGROOM_DEV_ROOT_TOKEN_ID", "VAULT_DEV_ROOT_TOKEN_ID"],
            help="Root token of the dev server.",
            show_default=False,
        ),
    ] = None,
    dev_listen_address: Annotated[
        str,
        typer.Option(
            "--dev-listen-address",
            envvar=["STRONGROOM_DEV_LISTEN_ADDRESS", "VAULT_DEV_LISTEN_ADDRESS"],
            help="Address the dev server listens on.",
        ),
    ] = DEV_ADDRESS,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Worker processes; default: CPUs.")
    ] = None,
) -> None:
    """Run the server (exit code: the server's; 1 on a configuration error)."""
    if dev == bool(config):
        raise CommandError("give -config (one or more) or -dev, but not both", exit_code=USAGE)
    try:
        settings = dev_settings(dev_listen_address) if dev else load_config(config or [])
    except ConfigError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        raise typer.Exit(1) from None
    options = DevOptions(root_token_id=dev_root_token_id) if dev else None
    raise typer.Exit(_serve(settings, workers, options, config or []))


def _serve(
    settings: Settings, workers: int | None, dev: DevOptions | None, config: list[Path]
) -> int:
    # Imported here: the server pulls in granian and the whole core, which client commands
    # such as `strongroom status` have no use for.
    from strongroom.server import serve  # noqa: PLC0415

    # Workers load the settings again from these paths, maybe from another directory.
    paths = [path.absolute() for path in config]
    return serve(settings, workers=workers, dev=dev, config_paths=paths)
