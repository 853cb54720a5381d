"""End to end through the HTTP API: a root, an intermediate signed by it, a role, leaves issued
and signed; every certificate checked with `cryptography` and with `openssl verify`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from unit.engines.pki.conftest import Api


def load(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


async def root_and_intermediate(api: Api) -> tuple[str, str]:
    """A root (RSA) and an intermediate (EC P-256) signed by it and made the default."""
    root = await api.data(
        "root/generate/internal", {"common_name": "Root CA", "ttl": "87600h", "issuer_name": "root"}
    )
    csr = await api.data(
        "intermediate/generate/internal", {"common_name": "Int CA", "key_type": "ec"}
    )
    signed = await api.data(
        "root/sign-intermediate", {"csr": csr["csr"], "common_name": "Int CA", "ttl": "43800h"}
    )
    imported = await api.data("intermediate/set-signed", {"certificate": signed["certificate"]})
    (int_id,) = imported["imported_issuers"]
    await api.post("config/issuers", {"default": int_id})
    await api.post(f"issuer/{int_id}", {"issuer_name": "int"})
    return root["certificate"], signed["certificate"]


def openssl_verify(tmp: Path, at: float, root: str, intermediate: str, leaf: str) -> None:
    """`openssl verify` at the server clock's time (a ManualClock)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    for name, text in (("root", root), ("int", intermediate), ("leaf", leaf)):
        (tmp / f"{name}.pem").write_text(text + "\n")
    result = subprocess.run(
        [
            "openssl",
            "verify",
            "-attime",
            str(int(at)),
            "-CAfile",
            tmp / "root.pem",
            "-untrusted",
            tmp / "int.pem",
            tmp / "leaf.pem",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


async def test_root_generate_answers_vaults_fields(api: Api) -> None:
    body = await api.post("root/generate/exported", {"common_name": "R", "key_type": "ec"})
    data = body["data"]
    assert sorted(data) == sorted(
        [
            "certificate",
            "expiration",
            "issuer_id",
            "issuer_name",
            "issuing_ca",
            "key_id",
            "key_name",
            "private_key",
            "private_key_type",
            "serial_number",
        ]
    )
    assert data["private_key"].startswith("-----BEGIN EC PRIVATE KEY-----")
    cert = load(data["certificate"])
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    raw = cert.serial_number.to_bytes((cert.serial_number.bit_length() + 7) // 8, "big")
    assert data["serial_number"] == ":".join(f"{b:02x}" for b in raw)
    assert body["warnings"][0].startswith("This mount hasn't configured any authority")


@pytest.mark.parametrize(
    ("key_type", "key_bits"),
    [("rsa", 2048), ("rsa", 3072), ("ec", 256), ("ec", 384), ("ed25519", 0)],
)
async def test_issue_chain_verifies(api: Api, tmp_path: Path, key_type: str, key_bits: int) -> None:
    root, intermediate = await root_and_intermediate(api)
    await api.post(
        "roles/web",
        {
            "allowed_domains": "example.com",
            "allow_subdomains": True,
            "key_type": key_type,
            "key_bits": key_bits,
            "ttl": "1h",
        },
    )
    data = await api.data(
        "issue/web",
        {"common_name": "a.example.com", "alt_names": "b.example.com", "ip_sans": "10.0.0.1"},
    )
    leaf = load(data["certificate"])
    leaf.verify_directly_issued_by(load(intermediate))
    assert leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "a.example.com"
    sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == ["a.example.com", "b.example.com"]
    eku = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    assert data["private_key_type"] == key_type
    assert data["ca_chain"] == [intermediate, root]
    assert data["issuing_ca"] == intermediate
    openssl_verify(tmp_path, api.server.clock.now(), root, intermediate, data["certificate"])


async def test_sign_csr_and_verbatim(api: Api, tmp_path: Path) -> None:
    root, intermediate = await root_and_intermediate(api)
    await api.post(
        "roles/web", {"allowed_domains": "example.com", "allow_subdomains": True, "key_type": "any"}
    )
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, "c.example.com"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kept"),
                ]
            )
        )
        .sign(key, hashes.SHA256())
        .public_bytes(serialization.Encoding.PEM)
        .decode()
    )
    data = await api.data("sign/web", {"csr": csr, "ttl": "1h"})
    openssl_verify(tmp_path, api.server.clock.now(), root, intermediate, data["certificate"])
    assert "private_key" not in data
    verbatim = load((await api.data("sign-verbatim", {"csr": csr, "ttl": "1h"}))["certificate"])
    assert verbatim.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Kept"
    bad = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "c.evil.com")]))
        .sign(key, hashes.SHA256())
        .public_bytes(serialization.Encoding.PEM)
        .decode()
    )
    assert (
        await api.error("POST", "sign/web", {"csr": bad})
        == "common name c.evil.com not allowed by this role"
    )


async def test_role_rules_refuse_with_the_rule(api: Api) -> None:
    await root_and_intermediate(api)
    await api.post(
        "roles/web",
        {"allowed_domains": "example.com", "allow_subdomains": True, "allow_ip_sans": False},
    )
    assert await api.error("POST", "issue/web", {"common_name": "a.other.com"}) == (
        "common name a.other.com not allowed by this role"
    )
    assert await api.error(
        "POST", "issue/web", {"common_name": "a.example.com", "alt_names": "x.evil.com"}
    ) == ("subject alternate name x.evil.com not allowed by this role")
    message = await api.error(
        "POST", "issue/web", {"common_name": "a.example.com", "ip_sans": "1.2.3.4"}
    )
    assert message.startswith("IP Subject Alternative Names are not allowed in this role")
    assert (
        await api.error("POST", "issue/nope", {"common_name": "a.example.com"})
        == "unknown role: nope"
    )
    assert await api.error("POST", "issue/web", {"common_name": "a.example.com\n<x>"}) == (
        "common name (value withheld) not allowed by this role"
    )
    rsa_key = rsa.generate_private_key(65537, 2048)
    await api.post("roles/ec-only", {"allow_any_name": True, "key_type": "ec"})
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "x")]))
        .sign(rsa_key, hashes.SHA256())
        .public_bytes(serialization.Encoding.PEM)
        .decode()
    )
    assert await api.error("POST", "sign/ec-only", {"csr": csr}) == "role requires keys of type ec"


async def test_ttl_past_the_issuer_is_refused(api: Api) -> None:
    await api.data("root/generate/internal", {"common_name": "R", "ttl": "1h"})
    await api.post("roles/web", {"allow_any_name": True})
    message = await api.error("POST", "issue/web", {"common_name": "a", "ttl": "2h"})
    assert message.startswith("cannot satisfy request, as TTL would result in notAfter of ")


async def test_issuers_keys_and_defaults(api: Api) -> None:
    await root_and_intermediate(api)
    listed = (await api.expect("LIST", "issuers"))["data"]
    assert len(listed["keys"]) == 2
    defaults = [i for i, info in listed["key_info"].items() if info["is_default"]]
    assert [listed["key_info"][d]["issuer_name"] for d in defaults] == ["int"]
    root = (await api.get("issuer/root"))["data"]
    assert root["usage"] == "crl-signing,issuing-certificates,ocsp-signing,read-only"
    assert root["revocation_signature_algorithm"] == "SHA256WithRSA"
    keys = (await api.expect("LIST", "keys"))["data"]
    assert len(keys["keys"]) == 2
    key = (await api.get("key/" + root["key_id"]))["data"]
    assert key["key_type"] == "rsa"
    assert (
        await api.error("DELETE", "key/" + root["key_id"])
        == "Failed to Delete Key.  Key in Use by Issuer"
    )
    resp = await api.server.call("GET", "pki/issuer/root/der", token=None)
    assert resp.headers["content-type"] == "application/pkix-cert"
    assert x509.load_der_x509_certificate(resp.content) == load(root["certificate"])
    pem = await api.server.call("GET", "pki/ca/pem", token=None)
    assert pem.headers["content-type"] == "application/pem-certificate-chain"
    unknown = await api.error("GET", "issuer/nope")
    assert unknown == "1 error occurred:\n\t* unable to find PKI issuer for reference: nope\n\n"
    assert await api.error(
        "POST", "root/generate/internal", {"common_name": "x", "issuer_name": "default"}
    ) == ("reserved keyword 'default' can not be used as issuer name")


async def test_config_ca_imports_a_bundle(api: Api) -> None:
    exported = await api.data("root/generate/exported", {"common_name": "R", "key_type": "ec"})
    await api.ok("DELETE", "root")
    bundle = exported["private_key"] + "\n" + exported["certificate"]
    imported = await api.data("config/ca", {"pem_bundle": bundle})
    assert len(imported["imported_issuers"]) == 1
    assert len(imported["imported_keys"]) == 1
    again = await api.data("config/ca", {"pem_bundle": bundle})
    assert again["imported_issuers"] is None
    assert again["existing_issuers"] == imported["imported_issuers"]


async def test_sign_intermediate_takes_a_subject_key_id(api: Api) -> None:
    await api.data("root/generate/internal", {"common_name": "R", "ttl": "8760h"})
    csr = await api.data("intermediate/generate/internal", {"common_name": "I"})
    signed = await api.data(
        "root/sign-intermediate",
        {"csr": csr["csr"], "common_name": "I", "ttl": "1h", "skid": "01:02:03"},
    )
    ski = load(signed["certificate"]).extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert ski.value.digest == b"\x01\x02\x03"
    assert signed["ca_chain"][0] == signed["certificate"]
    assert (
        await api.error(
            "POST", "root/sign-intermediate", {"csr": csr["csr"], "common_name": "I", "skid": "zz"}
        )
        == "skid must be hex bytes (e.g. 0a:1b:...)"
    )


async def test_remove_roots_from_chain(api: Api) -> None:
    _, intermediate = await root_and_intermediate(api)
    await api.post("roles/web", {"allow_any_name": True, "key_type": "ec"})
    body = {"common_name": "a.example.com", "remove_roots_from_chain": True}
    assert (await api.data("issue/web", body))["ca_chain"] == [intermediate]
