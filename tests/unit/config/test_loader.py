"""load_config: HCL and JSON files, directories, and Vault's merge rules."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from strongroom.config import (
    DEFAULT_LEASE_TTL,
    ListenerSettings,
    Settings,
    StorageSettings,
    load_config,
)

Write = Callable[[str, str], Path]

PLAIN_LISTENER = 'listener "tcp" {\n  address = "127.0.0.1:8200"\n  tls_disable = true\n}\n'
SQLITE = 'storage "sqlite" {\n  path = "/var/lib/strongroom/db.sqlite"\n}\n'


def test_minimal_hcl_takes_the_defaults(write: Write) -> None:
    settings = load_config([write("sr.hcl", SQLITE + PLAIN_LISTENER)])
    assert settings == Settings(
        storage=StorageSettings("sqlite", {"path": "/var/lib/strongroom/db.sqlite"}),
        listener=ListenerSettings(address="127.0.0.1:8200", tls_disable=True),
    )
    assert settings.default_lease_ttl == settings.max_lease_ttl == DEFAULT_LEASE_TTL == 2_764_800
    assert (settings.log_level, settings.ui, settings.disable_mlock) == ("info", False, False)
    assert settings.api_addr is None


FULL_HCL = """
# A Vault-style file using every key we support.
storage "postgresql" {
  connection_url = "postgres://strongroom@db/strongroom"
  table          = "kv_store"
}
listener "tcp" {
  address     = "0.0.0.0:8200"
  tls_disable = "1"
}
api_addr          = "https://vault.example.com:8200"
default_lease_ttl = "1h"
max_lease_ttl     = "48h"
log_level         = "Warning"
ui                = true
disable_mlock     = true
"""

FULL_JSON = {
    "storage": {
        "postgresql": {
            "connection_url": "postgres://strongroom@db/strongroom",
            "table": "kv_store",
        }
    },
    "listener": [{"tcp": {"address": "0.0.0.0:8200", "tls_disable": "1"}}],
    "api_addr": "https://vault.example.com:8200",
    "default_lease_ttl": 3600,
    "max_lease_ttl": "48h",
    "log_level": "warn",
    "ui": True,
    "disable_mlock": "true",
}


def test_every_key_in_hcl_and_json_means_the_same(write: Write) -> None:
    from_hcl = load_config([write("full.hcl", FULL_HCL)])
    from_json = load_config([write("full.json", json.dumps(FULL_JSON))])
    assert from_hcl == from_json
    assert from_hcl.storage.kind == "postgresql"
    assert dict(from_hcl.storage.options) == {
        "connection_url": "postgres://strongroom@db/strongroom",
        "table": "kv_store",
    }
    assert from_hcl.listener == ListenerSettings(address="0.0.0.0:8200", tls_disable=True)
    assert from_hcl.api_addr == "https://vault.example.com:8200"
    assert (from_hcl.default_lease_ttl, from_hcl.max_lease_ttl) == (3600, 48 * 3600)
    assert (from_hcl.log_level, from_hcl.ui, from_hcl.disable_mlock) == ("warn", True, True)


def test_postgresql_table_defaults(write: Write) -> None:
    path = write("pg.hcl", 'storage "postgresql" { connection_url = "postgres://db/x" }\n')
    settings = load_config([path, write("l.hcl", PLAIN_LISTENER)])
    assert settings.storage.options["table"] == "strongroom_kv"


def test_inmem_storage(write: Write) -> None:
    settings = load_config([write("m.hcl", 'storage "inmem" {}\n' + PLAIN_LISTENER)])
    assert settings.storage == StorageSettings("inmem", {})


@pytest.mark.parametrize(
    "listener",
    [
        {"tcp": {"address": "127.0.0.1:1", "tls_disable": True}},
        [{"tcp": {"address": "127.0.0.1:1", "tls_disable": True}}],
        {"tcp": [{"address": "127.0.0.1:1", "tls_disable": True}]},
    ],
    ids=["object", "list-of-objects", "label-to-list"],
)
def test_json_block_shapes(write: Write, listener: object) -> None:
    document = {"storage": {"inmem": {}}, "listener": listener}
    settings = load_config([write("c.json", json.dumps(document))])
    assert settings.listener.address == "127.0.0.1:1"


@pytest.mark.parametrize(
    ("raw", "disabled"),
    [
        *[("true", True), ('"true"', True), ('"1"', True), ("1", True), ('"T"', True)],
        *[("false", False), ('"false"', False), ('"0"', False), ("0", False)],
    ],
)
def test_tls_disable_spellings(
    write: Write, tls_files: tuple[Path, Path, Path], raw: str, disabled: bool
) -> None:
    cert, key, _ = tls_files
    text = (
        SQLITE
        + f'listener "tcp" {{\n tls_disable = {raw}\n tls_cert_file = "{cert}"\n'
        + f' tls_key_file = "{key}"\n}}\n'
    )
    assert load_config([write("t.hcl", text)]).listener.tls_disable is disabled


def test_tls_listener(write: Write, tls_files: tuple[Path, Path, Path]) -> None:
    cert, key, ca = tls_files
    text = f"""{SQLITE}
listener "tcp" {{
  address = "[::]:8200"
  tls_cert_file = "{cert}"
  tls_key_file = "{key}"
  tls_client_ca_file = "{ca}"
  tls_min_version = "tls13"
  tls_require_and_verify_client_cert = true
}}
"""
    listener = load_config([write("tls.hcl", text)]).listener
    assert listener == ListenerSettings(
        address="[::]:8200",
        tls_cert_file=cert,
        tls_key_file=key,
        tls_client_ca_file=ca,
        tls_min_version="tls13",
        tls_require_and_verify_client_cert=True,
    )
    assert listener.tls_enabled
    assert not listener.requests_client_certs  # granian's own TLS unless asked


@pytest.mark.parametrize(("raw", "front"), [("false", True), ("0", True), ("true", False)])
def test_client_certificates_are_asked_for_only_when_set(
    write: Write, tls_files: tuple[Path, Path, Path], raw: str, front: bool
) -> None:
    """Vault asks by default; Strongroom only on `tls_disable_client_certs = false` (the TLS
    front that asking needs costs about 4 ms a request)."""
    cert, key, _ = tls_files
    text = (
        SQLITE
        + f'listener "tcp" {{\n tls_cert_file = "{cert}"\n tls_key_file = "{key}"\n'
        + f" tls_disable_client_certs = {raw}\n}}\n"
    )
    assert load_config([write("t.hcl", text)]).listener.requests_client_certs is front


def test_directory_loads_hcl_and_json_in_sorted_order(write: Write, tmp_path: Path) -> None:
    write(
        "20-listener.json",
        json.dumps({"listener": {"tcp": {"address": "127.0.0.1:2", "tls_disable": 1}}}),
    )
    write(
        "10-base.hcl", SQLITE + 'listener "tcp" {\n address = "127.0.0.1:1"\n tls_disable = 1\n}\n'
    )
    write("30-level.hcl", 'log_level = "debug"\n')
    write("README.txt", "not configuration = at all {")
    write("nested/99-ignored.hcl", 'storage "inmem" {}\n')
    settings = load_config([tmp_path])
    assert settings.listener.address == "127.0.0.1:1"  # the first tcp listener, from 10-base
    assert settings.log_level == "debug"
    assert settings.storage.kind == "sqlite"


def test_scalar_merge_follows_vault(write: Write) -> None:
    first = write(
        "a.hcl",
        SQLITE
        + PLAIN_LISTENER
        + 'api_addr = "http://a:8200"\nlog_level = "error"\nui = true\n'
        + 'default_lease_ttl = "2h"\nmax_lease_ttl = "10h"\n',
    )
    second = write(
        "b.hcl",
        'api_addr = "http://b:8200"\nui = false\ndisable_mlock = true\n'
        'default_lease_ttl = "1h"\nmax_lease_ttl = "20h"\n',
    )
    settings = load_config([first, second])
    assert settings.api_addr == "http://b:8200"  # the last file that sets it
    assert settings.log_level == "error"  # b is silent, so a's value stands
    assert settings.ui is True  # Vault ORs booleans across files
    assert settings.disable_mlock is True
    assert settings.default_lease_ttl == 2 * 3600  # Vault keeps the largest TTL
    assert settings.max_lease_ttl == 20 * 3600


def test_listeners_accumulate_and_the_first_tcp_one_is_served(write: Write) -> None:
    first = write("a.hcl", SQLITE)
    second = write("b.hcl", 'listener "tcp" {\n address = "127.0.0.1:7"\n tls_disable = 1\n}\n')
    third = write("c.hcl", 'listener "tcp" {\n address = "127.0.0.1:8"\n tls_disable = 1\n}\n')
    assert load_config([first, second, third]).listener.address == "127.0.0.1:7"
    assert load_config([first, third, second]).listener.address == "127.0.0.1:8"


def test_settings_are_frozen(write: Write) -> None:
    settings = load_config([write("sr.hcl", SQLITE + PLAIN_LISTENER)])
    with pytest.raises(AttributeError):
        settings.ui = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        settings.storage.options["path"] = "/elsewhere"  # type: ignore[index]
