"""hvac with `namespace=` against the real server: KV, transit, tokens, AppRole and policies
inside a tenant's namespace, and nothing of it visible from a sibling (tenancy issue)."""

from __future__ import annotations

import base64

import hvac
import hvac.exceptions
import pytest

from support.hvac_client import unsealed_client
from support.procs import RunningServer

pytestmark = pytest.mark.slow

APP_POLICY = """
path "secret/data/app/*" { capabilities = ["read"] }
path "transit/encrypt/app" { capabilities = ["update"] }
path "transit/decrypt/app" { capabilities = ["update"] }
"""


def test_a_tenant_namespace_with_hvac(sqlite_server: RunningServer) -> None:
    root = unsealed_client(sqlite_server)
    root.sys.create_namespace("team-a")
    root.sys.create_namespace("team-b")
    assert sorted(root.sys.list_namespaces()["data"]["keys"]) == ["team-a/", "team-b/"]

    admin = hvac.Client(url=sqlite_server.address, token=root.token, namespace="team-a")
    admin.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    admin.sys.enable_secrets_engine("transit")
    admin.sys.enable_auth_method("approle")
    admin.secrets.kv.v2.create_or_update_secret("app/db", secret={"password": "s3cret"})
    admin.secrets.transit.create_key("app")
    admin.sys.create_or_update_policy("app", APP_POLICY)
    assert "app" in admin.sys.list_policies()["data"]["policies"]
    admin.auth.approle.create_or_update_approle("app", token_policies=["app"])
    role_id = admin.auth.approle.read_role_id("app")["data"]["role_id"]
    secret_id = admin.auth.approle.generate_secret_id("app")["data"]["secret_id"]

    service = hvac.Client(url=sqlite_server.address, namespace="team-a")
    service.auth.approle.login(role_id, secret_id)
    read = service.secrets.kv.v2.read_secret_version("app/db", raise_on_deleted_version=True)
    assert read["data"]["data"] == {"password": "s3cret"}
    plaintext = base64.b64encode(b"card 4111").decode()
    sealed = service.secrets.transit.encrypt_data("app", plaintext)["data"]["ciphertext"]
    opened = service.secrets.transit.decrypt_data("app", sealed)["data"]["plaintext"]
    assert opened == plaintext
    assert service.auth.token.lookup_self()["data"]["policies"] == ["app", "default"]

    sibling = hvac.Client(url=sqlite_server.address, token=service.token, namespace="team-b")
    with pytest.raises(hvac.exceptions.Forbidden):
        sibling.secrets.kv.v2.read_secret_version("app/db", raise_on_deleted_version=True)
    with pytest.raises(hvac.exceptions.Forbidden):
        hvac.Client(
            url=sqlite_server.address, token=service.token
        ).sys.list_mounted_secrets_engines()
    assert "secret/" not in root.sys.list_mounted_secrets_engines()["data"]

    child_token = admin.auth.token.create(policies=["app"], ttl="1h")["auth"]["client_token"]
    admin.auth.token.revoke(child_token)
    with pytest.raises(hvac.exceptions.Forbidden):
        hvac.Client(url=sqlite_server.address, token=child_token, namespace="team-a").lookup_token()
