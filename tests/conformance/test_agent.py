"""`bao agent` against both servers: auto-auth from a token file (a scoped token), a file
sink, and one template rendered from a KV v2 secret, then exit (`-exit-after-auth`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from conformance.harness import Target

POLICY = 'path "secret/data/agent-check" { capabilities = ["read"] }'
TEMPLATE = '{{ with secret "secret/data/agent-check" }}{{ .Data.data.greeting }}{{ end }}'


def _scoped_token(target: Target) -> str:
    with httpx.Client(
        base_url=target.address + "/v1/", headers={"X-Vault-Token": target.root_token}
    ) as client:
        client.post("secret/data/agent-check", json={"data": {"greeting": "hello"}})
        client.put("sys/policies/acl/agent-check", json={"policy": POLICY})
        created = client.post("auth/token/create", json={"policies": ["agent-check"]})
    return str(created.json()["auth"]["client_token"])


def _render(target: Target, work: Path) -> tuple[int, str, str]:
    """The agent's exit code, the rendered template and the sink's token."""
    (work / "token").write_text(_scoped_token(target))
    config = work / "agent.hcl"
    config.write_text(
        f'vault {{ address = "{target.address}" }}\n'
        "auto_auth {\n"
        f'  method "token_file" {{ config = {{ token_file_path = "{work / "token"}" }} }}\n'
        f'  sink "file" {{ config = {{ path = "{work / "sink"}" }} }}\n'
        "}\n"
        f"template {{\n  contents = {_hcl(TEMPLATE)}\n"
        f'  destination = "{work / "out"}"\n}}\n'
    )
    done = subprocess.run(
        [str(target.bao), "agent", f"-config={config}", "-exit-after-auth"],
        capture_output=True,
        timeout=60,
        check=False,
        env={"HOME": str(target.home), "PATH": "/usr/bin:/bin"},
    )
    rendered = (work / "out").read_text() if (work / "out").exists() else ""
    sink = (work / "sink").read_text() if (work / "sink").exists() else ""
    return done.returncode, rendered, sink


def _hcl(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.mark.slow
def test_agent_renders_a_template_once_on_both(
    openbao: Target, strongroom: Target, tmp_path: Path
) -> None:
    results = {}
    for target in (openbao, strongroom):
        work = tmp_path / target.name
        work.mkdir()
        code, rendered, sink = _render(target, work)
        results[target.name] = (code, rendered, sink == (work / "token").read_text())
    assert results["strongroom"] == results["openbao"] == (0, "hello", True)
