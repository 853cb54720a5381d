"""ssh/sign/:role and ssh/issue/:role: what the certificate says (read back with
`cryptography`, its signature verified), and each refusal of a role's rule, in Vault's words
but without repeating what the caller sent."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.hazmat.primitives.serialization import ssh

from unit.engines.ssh.conftest import Api, public_line

UNSAFE = (
    "refusing to issue unsafe, globally-valid certificate with no principals specified; "
    "set valid_principals or default_user"
)
USER = {"key_type": "ca", "allow_user_certificates": True, "allowed_users": "alice,bob"}


def certificate(answer: dict[str, Any]) -> ssh.SSHCertificate:
    found = ssh.load_ssh_public_identity(answer["signed_key"].encode())
    assert isinstance(found, ssh.SSHCertificate)
    found.verify_cert_signature()
    return found


async def test_a_user_certificate_carries_what_the_role_decided(api: Api) -> None:
    await api.role("u", **USER, default_extensions={"permit-pty": ""}, ttl="30m")
    key = ed25519.Ed25519PrivateKey.generate()
    answer = await api.data(
        "sign/u", {"public_key": public_line(key), "valid_principals": "bob,alice,bob"}
    )
    cert = certificate(answer)
    now = int(api.server.clock.now())
    assert cert.type is ssh.SSHCertificateType.USER
    assert cert.valid_principals == [b"alice", b"bob"]  # sorted, once each (Vault's)
    assert (cert.valid_after, cert.valid_before) == (now - 30, now + 1800)
    assert cert.extensions == {b"permit-pty": b""}
    assert cert.critical_options == {}
    assert answer["serial_number"] == f"{cert.serial:x}"
    wire = public_line(key).split()[1]
    digest = hashlib.sha256(base64.b64decode(wire)).hexdigest()
    assert cert.key_id == f"vault-root-{digest}".encode()
    ca = (await api.get("config/ca"))["data"]["public_key"]
    assert (
        cert.signature_key()
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        .decode()
        + "\n"
        == ca
    )


@pytest.mark.parametrize("signer", ["default", "rsa-sha2-256", "rsa-sha2-512"])
async def test_an_rsa_ca_signs_with_the_roles_algorithm(api: Api, signer: str) -> None:
    await api.post("config/ca", {"key_type": "ssh-rsa", "key_bits": 2048})
    await api.role("u", **USER, algorithm_signer=signer)
    key = ed25519.Ed25519PrivateKey.generate()
    answer = await api.data("sign/u", {"public_key": public_line(key), "valid_principals": "bob"})
    cert = certificate(answer)
    blob = base64.b64decode(answer["signed_key"].split()[1])
    expected = "rsa-sha2-256" if signer == "default" else signer
    assert f"\x00\x00\x00\x0c{expected}".encode() in blob[-300:]
    assert isinstance(cert.signature_key(), rsa.RSAPublicKey)


async def test_host_certificates_name_allowed_domains(api: Api) -> None:
    await api.role(
        "h",
        key_type="ca",
        allow_host_certificates="true",
        allowed_domains="example.com",
        allow_subdomains=1,
    )
    body = {"public_key": public_line(ed25519.Ed25519PrivateKey.generate()), "cert_type": "host"}
    cert = certificate(await api.data("sign/h", {**body, "valid_principals": "db.example.com"}))
    assert cert.type is ssh.SSHCertificateType.HOST
    bare = await api.error("POST", "sign/h", {**body, "valid_principals": "example.com"})
    assert bare == "a requested principal is not a valid value for valid_principals"
    assert await api.error("POST", "sign/h", body) == UNSAFE
    user = await api.error("POST", "sign/h", {**body, "cert_type": "user"})
    assert user == "cert_type 'user' is not allowed by role"


@pytest.mark.parametrize(
    ("extra", "body", "message"),
    [
        ({}, {"cert_type": "host"}, "cert_type 'host' is not allowed by role"),
        ({}, {"cert_type": "bogus"}, "cert_type must be either 'user' or 'host'"),
        (
            {},
            {"valid_principals": "mallory"},
            "a requested principal is not a valid value for valid_principals",
        ),
        ({}, {"valid_principals": ""}, UNSAFE),
        ({}, {"key_id": "mine"}, "setting key_id is not allowed by role"),
        ({"max_ttl": "1h"}, {"ttl": "2h"}, "ttl is larger than maximum allowed 3600"),
        ({}, {"extensions": {"permit-X11-forwarding": ""}}, "extensions are not on allowed list"),
        (
            {"allowed_critical_options": "force-command"},
            {"critical_options": {"source-address": "10.0.0.0/8"}},
            "critical options not on allowed list",
        ),
        (
            {"allowed_user_key_lengths": {"rsa": 4096}},
            {},
            "public_key failed to meet the key requirements: key of type ed25519 is not allowed",
        ),
    ],
)
async def test_a_role_refuses_what_it_does_not_allow(
    api: Api, extra: dict[str, Any], body: dict[str, Any], message: str
) -> None:
    await api.role("u", **USER, default_user="alice", **extra)
    key = public_line(ed25519.Ed25519PrivateKey.generate())
    assert await api.error("POST", "sign/u", {"public_key": key, **body}) == message


async def test_what_a_role_lets_the_caller_choose(api: Api) -> None:
    await api.role(
        "u",
        **USER,
        allow_user_key_ids=True,
        allowed_extensions="*",
        allow_empty_principals=True,
        key_id_format="{{role_name}}-x",
    )
    key = public_line(ed25519.Ed25519PrivateKey.generate())
    chosen = {"public_key": key, "key_id": "mine", "extensions": {"permit-X11-forwarding": ""}}
    cert = certificate(await api.data("sign/u", {**chosen, "valid_principals": "alice"}))
    assert (cert.key_id, cert.extensions) == (b"mine", {b"permit-X11-forwarding": b""})
    empty = certificate(await api.data("sign/u", {"public_key": key, "valid_principals": ""}))
    assert (empty.valid_principals, empty.key_id) == ([], b"u-x")


async def test_a_default_ttl_above_the_maximum_is_cut_not_refused(api: Api) -> None:
    resp = await api.server.call("POST", "sys/mounts/ssh/tune", {"max_lease_ttl": "1h"})
    assert resp.status_code == 204, resp.text
    await api.role("u", **USER)
    key = public_line(ed25519.Ed25519PrivateKey.generate())
    cert = certificate(await api.data("sign/u", {"public_key": key, "valid_principals": "bob"}))
    assert cert.valid_before - int(api.server.clock.now()) == 3600


async def test_a_malformed_public_key_is_refused_without_echo(api: Api) -> None:
    await api.role("u", **USER)
    resp = await api.call("POST", "sign/u", {"public_key": "ssh-ed25519 s3cr3t-not-base64!!"})
    assert resp.status_code == 400
    assert resp.json() == {"errors": ["failed to parse public_key as SSH key"]}
    assert await api.error("POST", "sign/none", {"public_key": "x"}) == "unknown role"


async def test_issue_answers_a_key_pair_and_its_certificate(api: Api) -> None:
    await api.role("u", **USER)
    answer = await api.data("issue/u", {"key_type": "ed25519", "valid_principals": "alice"})
    assert answer["private_key_type"] == "ed25519"
    private = serialization.load_ssh_private_key(answer["private_key"].encode(), password=None)
    assert isinstance(private, ed25519.Ed25519PrivateKey)
    cert = certificate(answer)
    assert public_line(private).split()[1] == public_line_of(cert.public_key())
    rsa_answer = await api.data("issue/u", {"valid_principals": "alice"})  # Vault's default: rsa
    assert rsa_answer["private_key"].startswith("-----BEGIN PRIVATE KEY-----")


def public_line_of(key: ssh.SSHCertPublicKeyTypes) -> str:
    return (
        key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        .decode()
        .split()[1]
    )
