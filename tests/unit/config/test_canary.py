"""Canary: a secret planted in a configuration file never reaches an error, a traceback or a
repr (STYLE.md habits 6 and 12)."""

import json
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

from strongroom.config import ConfigError, DevOptions, load_config

Write = Callable[[str, str], Path]

CANARY = "hunter2-Canary-7f3a9c"
URL = f"postgres://strongroom:{CANARY}@db.internal/strongroom"
STORAGE = f'storage "postgresql" {{\n  connection_url = "{URL}"\n}}\n'
LISTENER = 'listener "tcp" {\n  address = "127.0.0.1:8200"\n  tls_disable = true\n}\n'


def assert_no_canary(error: BaseException) -> None:
    rendered = "".join(traceback.format_exception(error))
    for text in (str(error), repr(error), rendered):
        assert CANARY not in text


@pytest.mark.parametrize(
    "text",
    [
        STORAGE.replace("}", f'  pasword = "{CANARY}"\n}}') + LISTENER,
        STORAGE + LISTENER + f'sekret = "{CANARY}"\n',
        f'storage "postgresql" {{\n  connection_url = ["{URL}"]\n}}\n' + LISTENER,
        f'storage "postgresql" {{\n  connection_url = "{URL}"\n  table = "{CANARY}"\n}}\n',
        STORAGE + LISTENER + f'ui = "{CANARY}"\n',
        STORAGE + LISTENER + f'default_lease_ttl = "{CANARY}"\n',
        STORAGE + LISTENER + f'log_level = "{CANARY}"\n',
        STORAGE + LISTENER + f'api_addr = {{ url = "{CANARY}" }}\n',
        STORAGE + f'listener "tcp" {{\n  address = "{CANARY}"\n  tls_disable = 1\n}}\n',
        STORAGE + f'listener "tcp" {{\n  tls_cert_file = "/n/{CANARY}"\n  tls_key_file = "/k"\n}}',
        STORAGE + 'listener "unix" {}\n' + f"# {CANARY}\n",
        STORAGE + LISTENER + STORAGE,
        f'storage "postgresql" {{\n  connection_url = "{URL}\n}}\n' + LISTENER,  # unterminated
        f'storage "postgresql" {{\n  connection_url = {URL}\n}}\n' + LISTENER,  # unquoted
    ],
    ids=[
        "unknown-sibling",
        "unknown-top",
        "wrong-type",
        "bad-table",
        "bad-bool",
        "bad-duration",
        "bad-choice",
        "object-for-string",
        "bad-address",
        "missing-cert",
        "bad-listener",
        "storage-twice",
        "hcl-syntax",
        "hcl-unquoted",
    ],
)
def test_hcl_errors_do_not_echo_the_secret(write: Write, text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config([write("sr.hcl", text)])
    assert_no_canary(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        '{"storage": {"postgresql": {"connection_url": "' + URL + '",}}}',
        '{"storage": {"postgresql": {"connection_url": "' + URL + '"}}, "ui": "' + CANARY + '"}',
        '{"storage": {"postgresql": {"connection_url": "' + URL + '", "connection_url": "x"}}}',
    ],
    ids=["json-syntax", "json-bad-bool", "json-duplicate"],
)
def test_json_errors_do_not_echo_the_secret(write: Write, text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config([write("sr.json", text)])
    assert_no_canary(caught.value)


def test_settings_repr_masks_the_connection_url(write: Write) -> None:
    settings = load_config([write("sr.hcl", STORAGE + LISTENER)])
    assert settings.storage.options["connection_url"] == URL  # the value itself is intact
    for text in (repr(settings), str(settings), repr(settings.storage)):
        assert CANARY not in text
        assert "connection_url': '[secure]'" in text
        assert "'table': 'strongroom_kv'" in text


def test_dev_options_repr_masks_the_root_token() -> None:
    options = DevOptions(root_token_id=CANARY)
    assert options.root_token_id == CANARY
    assert repr(options) == "DevOptions(root_token_id='[secure]')"
    assert repr(DevOptions()) == "DevOptions(root_token_id=None)"


def test_json_round_trip_keeps_the_secret_out_of_errors(write: Write) -> None:
    document = {"storage": {"postgresql": {"connection_url": URL}}, "listener": []}
    with pytest.raises(ConfigError, match='no "listener" block') as caught:
        load_config([write("sr.json", json.dumps(document))])
    assert_no_canary(caught.value)
