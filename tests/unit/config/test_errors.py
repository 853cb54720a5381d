"""Every way load_config refuses a configuration, and what the message names."""

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from strongroom.config import ConfigError, load_config

Write = Callable[[str, str], Path]

PLAIN_LISTENER = 'listener "tcp" {\n  address = "127.0.0.1:8200"\n  tls_disable = true\n}\n'
SQLITE = 'storage "sqlite" {\n  path = "/var/lib/strongroom/db.sqlite"\n}\n'
BOOLEAN = "a boolean (true, false, 1, 0)"
DURATION = "a duration such as 768h"


def refuse(paths: list[Path], pattern: str) -> ConfigError:
    with pytest.raises(ConfigError, match=pattern) as caught:
        load_config(paths)
    return caught.value


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (SQLITE + PLAIN_LISTENER + 'telemetry { statsd_address = "x" }\n', "telemetry"),
        (SQLITE + PLAIN_LISTENER + 'cluster_addr = "https://x"\n', "cluster_addr"),
        ('storage "sqlite" { pth = "x" }\n' + PLAIN_LISTENER, "storage.sqlite.pth"),
        ('storage "inmem" { path = "x" }\n' + PLAIN_LISTENER, "storage.inmem.path"),
        (
            'storage "postgresql" {\n connection_url = "postgres://db"\n max_parallel = "4"\n}\n'
            + PLAIN_LISTENER,
            "storage.postgresql.max_parallel",
        ),
        (SQLITE + 'listener "tcp" {\n tls_disable = 1\n adress = "x"\n}\n', "listener.tcp.adress"),
        (SQLITE + 'listener "tcp" "extra" { tls_disable = 1 }\n', "listener.tcp.extra"),
    ],
)
def test_unknown_key_names_key_and_file(write: Write, text: str, key: str) -> None:
    path = write("sr.hcl", text)
    error = refuse([path], "unknown key")
    assert str(error) == f'unknown key "{key}" in {path}'


def test_unknown_key_in_json(write: Write) -> None:
    path = write("sr.json", json.dumps({"storage": {"inmem": {}}, "seal": {"shamir": {}}}))
    assert str(refuse([path], "unknown key")) == f'unknown key "seal" in {path}'


@pytest.mark.parametrize(
    ("line", "key", "expected"),
    [
        ('ui = "yes"', "ui", BOOLEAN),
        ("ui = 2", "ui", BOOLEAN),
        ('disable_mlock = ["x"]', "disable_mlock", BOOLEAN),
        ('default_lease_ttl = "forever"', "default_lease_ttl", DURATION),
        ('default_lease_ttl = "1.5s"', "default_lease_ttl", DURATION),
        ("max_lease_ttl = 1.5", "max_lease_ttl", DURATION),
        ("max_lease_ttl = true", "max_lease_ttl", DURATION),
        ("max_lease_ttl = 0", "max_lease_ttl", "a positive duration"),
        ('log_level = "loud"', "log_level", "one of debug, error, info, trace, warn"),
        ("api_addr = 8200", "api_addr", "a non-empty string"),
        ('api_addr = ""', "api_addr", "a non-empty string"),
    ],
)
def test_wrong_top_level_type(write: Write, line: str, key: str, expected: str) -> None:
    path = write("sr.hcl", SQLITE + PLAIN_LISTENER + line + "\n")
    error = refuse([path], "invalid value")
    assert str(error) == f'invalid value for "{key}" in {path}: expected {expected}'


@pytest.mark.parametrize(
    ("listener", "key", "expected"),
    [
        ("address = 8200", "address", "a non-empty string"),
        ('address = "localhost"', "address", "host:port"),
        ('address = "localhost:99999"', "address", "host:port"),
        ('tls_disable = "yes"', "tls_disable", BOOLEAN),
        ('tls_min_version = "tls10"', "tls_min_version", "one of tls12, tls13"),
        ("tls_cert_file = 1", "tls_cert_file", "a non-empty string"),
    ],
)
def test_wrong_listener_type(write: Write, listener: str, key: str, expected: str) -> None:
    path = write("sr.hcl", SQLITE + f'listener "tcp" {{\n tls_disable = 1\n {listener}\n}}\n')
    if key == "tls_disable":
        path = write("sr.hcl", SQLITE + f'listener "tcp" {{\n {listener}\n}}\n')
    error = refuse([path], "invalid value")
    assert str(error) == f'invalid value for "listener.tcp.{key}" in {path}: expected {expected}'


def test_storage_option_types_and_table_name(write: Write) -> None:
    path = write("a.hcl", 'storage "sqlite" { path = 5 }\n' + PLAIN_LISTENER)
    refuse([path], re.escape(f'"storage.sqlite.path" in {path}: expected a non-empty string'))
    table = 'storage "postgresql" {\n connection_url = "postgres://db"\n table = "kv; drop"\n}\n'
    path = write("b.hcl", table + PLAIN_LISTENER)
    refuse([path], re.escape(f'"storage.postgresql.table" in {path}: expected an SQL identifier'))


@pytest.mark.parametrize(
    ("storage", "message"),
    [
        ('storage "sqlite" {}', 'missing key "storage.sqlite.path"'),
        ('storage "postgresql" { table = "t" }', 'missing key "storage.postgresql.connection_url"'),
        ('storage "consul" { address = "x" }', 'unsupported storage type "consul"'),
        ("storage {}", 'invalid value for "storage"'),
        ('storage = "sqlite"', 'invalid value for "storage"'),
        ('storage "sqlite" "x" { path = "p" }', 'unknown key "storage.sqlite.x"'),
        ('storage "inmem" {}\nstorage "inmem" {}', 'expected exactly one "storage" block'),
    ],
)
def test_bad_storage_blocks(write: Write, storage: str, message: str) -> None:
    path = write("sr.hcl", storage + "\n" + PLAIN_LISTENER)
    assert str(refuse([path], "storage")).startswith(message)


def test_bad_listener_blocks(write: Write) -> None:
    path = write("a.hcl", SQLITE + 'listener "unix" { address = "/run/sr.sock" }\n')
    assert str(refuse([path], "listener")) == f'unsupported listener type "unix" in {path}'
    path = write("b.hcl", SQLITE + 'listener = "tcp"\n')
    refuse([path], 'invalid value for "listener"')
    path = write("c.json", json.dumps({"storage": {"inmem": {}}, "listener": {"tcp": 5}}))
    refuse([path], 'invalid value for "listener.tcp"')


def test_tls_needs_certificate_and_key(write: Write, tls_files: tuple[Path, Path, Path]) -> None:
    cert, _, _ = tls_files
    path = write("a.hcl", SQLITE + 'listener "tcp" { address = "127.0.0.1:8200" }\n')
    error = refuse([path], "TLS is enabled")
    assert '"listener.tcp.tls_cert_file" is not set' in str(error)
    assert 'or "tls_disable = true"' in str(error)
    path = write("b.hcl", SQLITE + f'listener "tcp" {{ tls_cert_file = "{cert}" }}\n')
    refuse([path], '"listener.tcp.tls_key_file" is not set')


def test_tls_files_must_exist(write: Write, tls_files: tuple[Path, Path, Path]) -> None:
    cert, key, _ = tls_files
    missing = cert.parent / "no-such-ca.pem"
    text = (
        SQLITE
        + f'listener "tcp" {{\n tls_cert_file = "{cert}"\n tls_key_file = "{key}"\n'
        + f' tls_client_ca_file = "{missing}"\n}}\n'
    )
    path = write("sr.hcl", text)
    error = refuse([path], "does not name a readable file")
    assert (
        str(error) == f'"listener.tcp.tls_client_ca_file" in {path} does not name a readable file'
    )
    assert str(missing) not in str(error).replace(str(path), "")


def test_client_certificates_need_tls(write: Write) -> None:
    text = (
        SQLITE + 'listener "tcp" {\n tls_disable = 1\n tls_require_and_verify_client_cert = 1\n}\n'
    )
    refuse([write("sr.hcl", text)], 'tls_require_and_verify_client_cert" needs TLS')


def test_merge_errors(write: Write) -> None:
    a = write("a.hcl", SQLITE + PLAIN_LISTENER)
    b = write("b.hcl", 'storage "inmem" {}\n')
    assert str(refuse([a, b], "twice")) == f'"storage" is set twice: in {a} and in {b}'
    listener_only = write("c.hcl", PLAIN_LISTENER)
    assert str(refuse([listener_only], "no")) == f'no "storage" block in {listener_only}'
    storage_only = write("d.hcl", SQLITE)
    level = write("e.hcl", 'log_level = "info"\n')
    error = refuse([storage_only, level], "listener")
    assert str(error) == f'no "listener" block in {storage_only}, {level}'
    ttl = write("f.hcl", SQLITE + PLAIN_LISTENER + 'default_lease_ttl = "800h"\n')
    refuse([ttl], '"default_lease_ttl" is longer than "max_lease_ttl"')


def test_unreadable_and_unparsable_files(write: Write, tmp_path: Path) -> None:
    refuse([], "no configuration file given")
    missing = tmp_path / "missing.hcl"
    assert (
        str(refuse([missing], "cannot read")) == f"cannot read {missing}: No such file or directory"
    )
    binary = tmp_path / "binary.hcl"
    binary.write_bytes(b"\xff\xfe storage")
    refuse([binary], "not UTF-8")
    path = write("bad.hcl", SQLITE + "listener {{{\n")
    assert (
        str(refuse([path], "cannot parse"))
        == f"cannot parse {path}: invalid HCL at line 4, column 11"
    )
    path = write("bad.json", '{"ui": true,\n "log_level": }')
    assert (
        str(refuse([path], "cannot parse"))
        == f"cannot parse {path}: invalid JSON at line 2, column 15"
    )
    path = write("dup.json", '{"ui": true, "ui": false}')
    assert str(refuse([path], "duplicate")) == f'duplicate key "ui" in {path}'
    path = write("list.json", "[1, 2]")
    assert str(refuse([path], "object")) == f"the top level of {path} must be an object"


def test_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert str(refuse([tmp_path], "no .hcl")) == f"no .hcl or .json files in {tmp_path}"
