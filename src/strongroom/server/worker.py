"""A worker process: the ASGI app that granian imports (`create_app`, a factory).

The supervisor hands each worker its settings source, the keeper socket and the keeper secret in
one environment variable; the worker opens storage, joins the node's seal state and serves.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from pathlib import Path

from strongroom.config import dev_settings, load_config
from strongroom.core import scheduler
from strongroom.core.core import Core
from strongroom.core.keeper_ipc import RemoteKeeper
from strongroom.http.app import App
from strongroom.server.assembly import build_core, dev_bootstrap
from strongroom.server.hygiene import harden_process
from strongroom.server.logs import configure_logging

ENV = "STRONGROOM_WORKER"
BACKGROUND_INTERVAL = 5.0  # seconds between rounds of expiry and scheduled rotation
log = logging.getLogger("strongroom.background")


def create_app() -> App:
    spec = json.loads(os.environ[ENV])
    harden_process()
    keeper: RemoteKeeper | None = None
    core: Core | None = None
    background: asyncio.Task[None] | None = None

    async def startup() -> Core:
        nonlocal keeper, core, background
        if spec["dev"] is not None:
            settings = dev_settings(spec["dev"]["listen"])
        else:
            settings = load_config([Path(p) for p in spec["config"]])
        configure_logging(settings.log_level)
        keeper = await RemoteKeeper.connect(spec["keeper"], spec["secret"])
        core = await build_core(settings, keeper)
        if spec["dev"] is not None and not await core.initialized():
            creds = await dev_bootstrap(core, spec["dev"]["root_token_id"])
            _banner(spec["dev"]["listen"], creds.unseal_key, creds.root_token)
        background = asyncio.get_running_loop().create_task(run_background(core))
        return core

    async def shutdown() -> None:
        if background is not None:
            background.cancel()
        if keeper is not None:
            await keeper.close()
        if core is not None:
            await core.physical.close()

    return App(
        startup=startup,
        shutdown=shutdown,
        client_chain_header=bool(spec.get("client_chain_header")),
    )


async def run_background(core: Core, interval: float = BACKGROUND_INTERVAL) -> None:
    """The worker's background loop: `scheduler.tick` every `interval` seconds, forever.

    A failed round is logged and retried on the next one, never allowed to end the loop.
    """
    while True:
        await asyncio.sleep(interval)
        try:
            await scheduler.tick(core)
        except Exception:
            log.exception("background round failed")


def _banner(address: str, unseal_key: str, root_token: str) -> None:
    """What `vault server -dev` prints: the operator needs these once, on the terminal."""
    sys.stdout.write(
        "WARNING! dev mode is enabled! In this mode, Strongroom runs entirely in-memory\n"
        "and starts unsealed with a single unseal key. The root token is already\n"
        "authenticated to the CLI, so you can immediately begin using Strongroom.\n\n"
        "You may need to set the following environment variables:\n\n"
        f"    $ export STRONGROOM_ADDR='http://{address}'\n\n"
        "The unseal key and root token are displayed below in case you want to\n"
        "seal/unseal the Vault or re-authenticate.\n\n"
        f"Unseal Key: {unseal_key}\n"
        f"Root Token: {root_token}\n\n"
        "Development mode should NOT be used in production installations!\n"
    )
    sys.stdout.flush()
