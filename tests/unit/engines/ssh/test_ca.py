"""ssh/config/ca and ssh/public_key: a generated or imported CA key pair, its public half for
sshd without a token, its private half never answered."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from support.inproc import Server
from unit.engines.ssh.conftest import Api, public_line


async def test_the_generated_ca_is_read_back_and_served_without_a_token(api: Api) -> None:
    data = (await api.get("config/ca"))["data"]
    assert set(data) == {"issuer_id", "issuer_name", "public_key"}
    assert data["public_key"].startswith("ssh-ed25519 ")
    assert data["public_key"].endswith("\n")
    resp = await api.call("GET", "public_key", token="")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/plain")
    assert resp.text == data["public_key"]


async def test_an_imported_key_pair_must_match(server: Server) -> None:
    api = Api(server)
    await api.enable("ssh")
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        .decode()
    )
    other = public_line(ed25519.Ed25519PrivateKey.generate())
    mismatch = await api.error("POST", "config/ca", {"private_key": pem, "public_key": other})
    assert mismatch == "public_key does not match private_key"
    half = await api.error("POST", "config/ca", {"private_key": pem})
    assert half == "both public_key and private_key must be provided"
    garbage = await api.error("POST", "config/ca", {"private_key": "x" * 40, "public_key": public})
    assert garbage == "failed to parse private_key: not an unencrypted PEM or OpenSSH key"
    written = await api.data("config/ca", {"private_key": pem, "public_key": public})
    assert written["public_key"] == public + "\n"
    assert pem not in (await api.call("GET", "config/ca")).text


async def test_without_a_ca_every_use_says_so(server: Server) -> None:
    api = Api(server)
    await api.enable("ssh")
    assert await api.error("GET", "public_key") == "no default issuer currently configured"
    await api.role("u", key_type="ca", allow_user_certificates=True, allowed_users="*")
    body = {
        "public_key": public_line(ed25519.Ed25519PrivateKey.generate()),
        "valid_principals": "a",
    }
    assert await api.error("POST", "sign/u", body) == "no default issuer currently configured"


async def test_deleting_the_ca_answers_openbaos_warning(api: Api) -> None:
    answer = await api.expect("DELETE", "config/ca")
    assert answer["warnings"] == ["Deleted 1 issuers, including default issuer if configured."]
    assert await api.error("GET", "config/ca") == "no default issuer currently configured"


async def test_generation_refuses_unknown_types_and_sizes(api: Api) -> None:
    assert (await api.error("POST", "config/ca", {"key_type": "dsa"})).startswith(
        "unknown key_type"
    )
    bad_bits = await api.error("POST", "config/ca", {"key_type": "ec", "key_bits": 123})
    assert bad_bits == "invalid key_bits for an ECDSA key: 256, 384 or 521"
    data = await api.data("config/ca", {"key_type": "ecdsa-sha2-nistp384", "key_bits": "0"})
    assert data["public_key"].startswith("ecdsa-sha2-nistp384 ")
