"""Launch, initialise, unseal and audit the two servers under test, both on 127.0.0.1.

Strongroom: SQLite in a temp dir, default worker count (no -workers flag), log_level "warn".
OpenBao: raft storage in a temp dir. OpenBao 2.x warns that `disable_mlock` is an unknown field,
so it is left out; it refuses to enable audit devices through the API unless the config sets
`unsafe_allow_api_audit_creation`, which it does here so both servers get their file audit
device through the same `PUT sys/audit/file` call.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path

from .api import Api, NotAvailable, wait_for_status
from .procs import ROOT, free_port, spawn, stop

__all__ = [
    "AUDIT_NOT_IMPLEMENTED",
    "Server",
    "enable_audit",
    "initialise",
    "relaunch",
    "start_openbao",
    "start_ready",
    "start_strongroom",
    "strongroom_binary",
    "unseal",
]

AUDIT_NOT_IMPLEMENTED = "n/a (not implemented)"
_START_TIMEOUT = 60.0

_STRONGROOM_CONFIG = """\
storage "sqlite" {{
  path = "{workdir}/strongroom.db"
}}
listener "tcp" {{
  address     = "127.0.0.1:{port}"
  tls_disable = true
}}
log_level = "warn"
"""

_OPENBAO_CONFIG = """\
storage "raft" {{
  path    = "{workdir}/raft"
  node_id = "bench"
}}
listener "tcp" {{
  address         = "127.0.0.1:{port}"
  cluster_address = "127.0.0.1:{cluster_port}"
  tls_disable     = true
}}
api_addr     = "http://127.0.0.1:{port}"
cluster_addr = "http://127.0.0.1:{cluster_port}"
log_level    = "warn"
unsafe_allow_api_audit_creation = true
"""


@dataclass(frozen=True)
class Server:
    """One running server: where it listens, its process, and (after init) its root token."""

    name: str
    address: str
    argv: tuple[str, ...]
    workdir: Path
    process: subprocess.Popen[bytes] = field(repr=False)
    token: str = field(default="", repr=False)
    unseal_key: str = field(default="", repr=False)
    audit: str = "off"

    @property
    def pid(self) -> int:
        return self.process.pid

    def api(self, token: str | None = None) -> Api:
        """A client for this server acting as `token` (default: the root token)."""
        return Api(self.address, self.token if token is None else token)

    def log(self) -> str:
        return (self.workdir / "server.log").read_text(errors="replace")


def strongroom_binary() -> Path:
    """The project's own `strongroom` entry point in .venv."""
    return ROOT / ".venv" / "bin" / "strongroom"


def start_strongroom(workdir: Path) -> Server:
    """A fresh Strongroom on a free port, answering (sealed, uninitialised) on sys/health."""
    port = free_port()
    config = workdir / "strongroom.hcl"
    config.write_text(_STRONGROOM_CONFIG.format(workdir=workdir, port=port))
    argv = (str(strongroom_binary()), "server", f"-config={config}")
    return _launch("strongroom", f"http://127.0.0.1:{port}", argv, workdir)


def start_openbao(workdir: Path, bao: Path) -> Server:
    """A fresh single-node raft OpenBao on a free port, answering on sys/health."""
    port, cluster_port = free_port(), free_port()
    (workdir / "raft").mkdir()
    config = workdir / "openbao.hcl"
    text = _OPENBAO_CONFIG.format(workdir=workdir, port=port, cluster_port=cluster_port)
    config.write_text(text)
    argv = (str(bao), "server", f"-config={config}")
    return _launch("openbao", f"http://127.0.0.1:{port}", argv, workdir)


def relaunch(server: Server) -> Server:
    """Stop `server` and start the same command on the same store (sealed again)."""
    stop(server.process)
    fresh = _launch(server.name, server.address, server.argv, server.workdir)
    return replace(server, process=fresh.process)


def initialise(server: Server) -> Server:
    """`sys/init` with one share, unseal, wait until active; the server with its root token."""
    with server.api("") as api:
        answer = api.call("PUT", "sys/init", {"secret_shares": 1, "secret_threshold": 1})
    ready = replace(server, token=answer["root_token"], unseal_key=answer["keys_base64"][0])
    unseal(ready)
    return ready


def unseal(server: Server) -> None:
    """Send the one unseal key and wait for sys/health to answer 200 (active, unsealed)."""
    with server.api("") as api:
        api.call("PUT", "sys/unseal", {"key": server.unseal_key})
        # OpenBao answers 429 (standby) until raft has elected it leader.
        wait_for_status(api, lambda status: status == 200, server.process, _START_TIMEOUT)


def enable_audit(server: Server) -> Server:
    """One `file` audit device; a 4xx answer marks the server's audit as not implemented."""
    path = server.workdir / "audit.log"
    body = {"type": "file", "options": {"file_path": str(path)}}
    try:
        with server.api() as api:
            api.call("PUT", "sys/audit/file", body)
    except NotAvailable:
        return replace(server, audit=AUDIT_NOT_IMPLEMENTED)
    return replace(server, audit=f"file ({path.name})")


def _launch(name: str, address: str, argv: tuple[str, ...], workdir: Path) -> Server:
    process = spawn(argv, log=workdir / "server.log")
    server = Server(name, address, argv, workdir, process)
    with server.api("") as api:
        wait_for_status(api, lambda status: status is not None, process, _START_TIMEOUT)
    return server


def start_ready(name: str, workdir: Path, *, audit: bool, bao: Path | None = None) -> Server:
    """A fresh `name` ("strongroom", or "openbao" with its `bao` binary) in `workdir`:
    initialised, unsealed, and with a file audit device when `audit` (see `enable_audit`)."""
    workdir.mkdir(parents=True, exist_ok=True)
    if name == "strongroom":
        server = start_strongroom(workdir)
    elif bao is not None:
        server = start_openbao(workdir, bao)
    else:
        raise ValueError(f"no binary for server {name!r}")
    server = initialise(server)
    return enable_audit(server) if audit else server
