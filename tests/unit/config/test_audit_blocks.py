"""`audit "<type>" "<path>" { ... }` blocks: OpenBao's declarative audit devices."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from strongroom.config import ConfigError, load_config
from strongroom.config.settings import AuditSettings

Write = Callable[[str, str], Path]

BASE = (
    'storage "inmem" {}\nlistener "tcp" {\n  address = "127.0.0.1:8200"\n  tls_disable = true\n}\n'
)
AUDIT_HCL = """
audit "file" "to-file" {
  description = "the main log"
  options {
    file_path = "/var/log/strongroom/audit.log"
    log_raw   = false
  }
}
audit "socket" "collector" {
  options = { address = "127.0.0.1:9090", socket_type = "tcp" }
  local   = true
}
"""


def test_hcl_audit_blocks(write: Write) -> None:
    settings = load_config([write("sr.hcl", BASE + AUDIT_HCL)])
    assert settings.audit == (
        AuditSettings(
            type="file",
            path="to-file/",
            description="the main log",
            options={"file_path": "/var/log/strongroom/audit.log", "log_raw": "false"},
        ),
        AuditSettings(
            type="socket",
            path="collector/",
            options={"address": "127.0.0.1:9090", "socket_type": "tcp"},
            local=True,
        ),
    )


def test_json_audit_blocks_as_in_openbaos_docs(write: Write) -> None:
    document = {
        "storage": {"inmem": {}},
        "listener": {"tcp": {"address": "127.0.0.1:8200", "tls_disable": True}},
        "audit": [{"file": {"to-stdout": {"options": {"file_path": "stdout", "log_raw": "true"}}}}],
    }
    settings = load_config([write("sr.json", json.dumps(document))])
    assert settings.audit == (
        AuditSettings(
            type="file", path="to-stdout/", options={"file_path": "stdout", "log_raw": "true"}
        ),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('audit "tape" "x" {}', 'unsupported audit device type "tape"'),
        ('audit "file" "x" {\n  colour = "red"\n}', "audit.file.x.colour"),
        ('audit "file" "x" {\n  options = "file_path"\n}', "audit.file.x.options"),
    ],
)
def test_bad_audit_blocks_are_refused(write: Write, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config([write("sr.hcl", BASE + text + "\n")])


def test_the_same_path_in_two_files_is_refused(write: Write) -> None:
    first = write("a.hcl", BASE + 'audit "file" "log" {\n  options { file_path = "a" }\n}\n')
    second = write("b.hcl", 'audit "file" "log" {\n  options { file_path = "b" }\n}\n')
    with pytest.raises(ConfigError, match='"log/" is declared twice'):
        load_config([first, second])
