"""The settings objects themselves: dev settings, defaults and immutability."""

import pytest

from strongroom.config import (
    DEFAULT_LEASE_TTL,
    ListenerSettings,
    Settings,
    StorageSettings,
    dev_settings,
)


def test_dev_settings() -> None:
    settings = dev_settings("127.0.0.1:8201")
    assert settings == Settings(
        storage=StorageSettings("inmem", {}),
        listener=ListenerSettings(address="127.0.0.1:8201", tls_disable=True),
        log_level="info",
    )
    assert not settings.listener.tls_enabled
    assert settings.default_lease_ttl == settings.max_lease_ttl == DEFAULT_LEASE_TTL


def test_listener_defaults_match_vault() -> None:
    listener = ListenerSettings()
    assert listener.address == "127.0.0.1:8200"
    assert listener.tls_enabled  # TLS is on unless disabled, as in Vault
    assert listener.tls_min_version == "tls12"
    assert not listener.tls_require_and_verify_client_cert


def test_storage_options_are_a_read_only_copy() -> None:
    options = {"path": "/a"}
    storage = StorageSettings("sqlite", options)
    options["path"] = "/b"
    assert storage.options["path"] == "/a"
    with pytest.raises(TypeError):
        storage.options["path"] = "/c"  # type: ignore[index]
    assert storage == StorageSettings("sqlite", {"path": "/a"})
    assert repr(storage) == "StorageSettings(kind='sqlite', options={'path': '/a'})"
