"""A fake Vault API on 127.0.0.1: canned JSON answers, and a record of every request."""

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from strongroom.cli.main import app, rewrite_argv

ENV_VARS = (
    "STRONGROOM_ADDR",
    "VAULT_ADDR",
    "STRONGROOM_TOKEN",
    "VAULT_TOKEN",
    "STRONGROOM_CACERT",
    "VAULT_CACERT",
    "STRONGROOM_FORMAT",
    "VAULT_FORMAT",
    "STRONGROOM_DEV_ROOT_TOKEN_ID",
    "VAULT_DEV_ROOT_TOKEN_ID",
    "STRONGROOM_DEV_LISTEN_ADDRESS",
    "VAULT_DEV_LISTEN_ADDRESS",
)
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    token: str | None
    body: Any


@dataclass
class FakeVault:
    """routes: (method, path) -> (status, JSON body or None); requests: what arrived, in order."""

    url: str = ""
    routes: dict[tuple[str, str], tuple[int, Any]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def route(self, method: str, path: str, status: int = 200, body: Any = None) -> None:
        self.routes[method, path] = (status, body)

    def calls(self) -> list[tuple[str, str, Any]]:
        return [(r.method, r.path, r.body) for r in self.requests]


def _handler(vault: FakeVault) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            token = self.headers.get("X-Vault-Token")
            vault.requests.append(Request(self.command, self.path, token, body))
            status, answer = vault.routes.get((self.command, self.path), (404, {"errors": []}))
            data = b"" if answer is None else json.dumps(answer).encode()
            if isinstance(answer, str):
                data = answer.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_DELETE = _answer  # noqa: N815 (http.server's names)

        def log_message(self, *args: object) -> None:
            pass  # keep test output quiet

    return Handler


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No address, token or proxy leaks in from the developer's shell."""
    for name in ENV_VARS + PROXY_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def listing(monkeypatch: pytest.MonkeyPatch, vault: FakeVault) -> FakeVault:
    """The fake server taught the LIST verb (http.server knows only the standard ones)."""

    def answer(self: Any) -> None:
        self._answer()

    monkeypatch.setattr(BaseHTTPRequestHandler, "do_LIST", answer, raising=False)
    return vault


@pytest.fixture
def vault() -> Iterator[FakeVault]:
    fake = FakeVault()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    # A short poll interval: shutdown() waits for the next poll, 0.5 s by default.
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()
    thread.join()


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """run("operator", "init", "-key-shares=3", input=...) with Vault's single-dash flags."""
    runner = CliRunner()

    def _run(*args: str, stdin: str | None = None) -> Result:
        return runner.invoke(app, rewrite_argv(args), input=stdin)

    return _run
