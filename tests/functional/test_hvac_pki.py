"""The PKI engine through hvac's `secrets.pki` against the real server process (SQLite):
every method, as hvac's documentation calls it, unchanged."""

from __future__ import annotations

import hvac
import hvac.exceptions
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from support.hvac_client import unsealed_client
from support.procs import RunningServer

pytestmark = pytest.mark.slow


def csr_pem(common_name: str) -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    request = x509.CertificateSigningRequestBuilder().subject_name(name).sign(key, hashes.SHA256())
    return request.public_bytes(serialization.Encoding.PEM).decode()


def test_every_pki_method(sqlite_server: RunningServer) -> None:  # noqa: PLR0915 - one walk
    client = unsealed_client(sqlite_server)
    client.sys.enable_secrets_engine("pki", path="pki", config={"max_lease_ttl": "87600h"})
    client.sys.enable_secrets_engine("pki", path="pki_int")
    pki = client.secrets.pki
    root = pki.generate_root("internal", "Root CA", extra_params={"ttl": "8760h"})
    assert root["data"]["issuing_ca"] == root["data"]["certificate"]
    assert pki.read_ca_certificate().strip() == root["data"]["certificate"]
    assert "BEGIN CERTIFICATE" in pki.read_ca_certificate_chain()
    pki.set_urls({"issuing_certificates": ["http://127.0.0.1:8200/v1/pki/ca"]})
    assert pki.read_urls()["data"]["issuing_certificates"] == ["http://127.0.0.1:8200/v1/pki/ca"]
    pki.set_crl_configuration(expiry="48h", disable=False)
    assert pki.read_crl_configuration()["data"]["expiry"] == "48h"
    intermediate = pki.generate_intermediate("internal", "Int CA", mount_point="pki_int")
    signed = pki.sign_intermediate(
        intermediate["data"]["csr"], "Int CA", extra_params={"ttl": "4380h"}
    )
    pki.set_signed_intermediate(signed["data"]["certificate"], mount_point="pki_int")
    pki.create_or_update_role(
        "web",
        {
            "allowed_domains": ["example.com"],
            "allow_subdomains": True,
            "ttl": "1h",
            "key_type": "ec",
        },
        mount_point="pki_int",
    )
    assert pki.read_role("web", mount_point="pki_int")["data"]["allow_subdomains"] is True
    assert pki.list_roles(mount_point="pki_int")["data"]["keys"] == ["web"]
    leaf = pki.generate_certificate("web", "a.example.com", mount_point="pki_int")
    serial = leaf["data"]["serial_number"]
    assert pki.read_certificate(serial, mount_point="pki_int")["data"]["revocation_time"] == 0
    assert serial in pki.list_certificates(mount_point="pki_int")["data"]["keys"]
    signed_leaf = pki.sign_certificate(
        "web", csr_pem("b.example.com"), "b.example.com", mount_point="pki_int"
    )
    assert signed_leaf["data"]["certificate"].startswith("-----BEGIN CERTIFICATE-----")
    verbatim = pki.sign_verbatim(csr_pem("anything"), mount_point="pki_int")
    assert "certificate" in verbatim["data"]
    verbatim_role = pki.sign_verbatim(csr_pem("anything"), name="web", mount_point="pki_int")
    assert "certificate" in verbatim_role["data"]
    revoked = pki.revoke_certificate(serial, mount_point="pki_int")
    assert revoked["data"]["state"] == "revoked"
    crl = x509.load_pem_x509_crl(pki.read_crl(mount_point="pki_int").encode())
    assert crl.get_revoked_certificate_by_serial_number(int(serial.replace(":", ""), 16))
    assert pki.rotate_crl(mount_point="pki_int")["data"]["success"] is True
    pki.tidy({"tidy_cert_store": True, "safety_buffer": "1h"}, mount_point="pki_int")
    issuers = pki.list_issuers()["data"]["keys"]
    assert len(issuers) == 1
    issuer = pki.read_issuer(issuers[0])["data"]
    assert issuer["certificate"] == root["data"]["certificate"]
    pki.update_issuer(issuers[0], extra_params={"issuer_name": "root-2026"})
    assert pki.read_issuer("root-2026")["data"]["issuer_name"] == "root-2026"
    int_issuer = pki.list_issuers(mount_point="pki_int")["data"]["keys"][0]
    assert pki.revoke_issuer(int_issuer, mount_point="pki_int")["data"]["revoked"] is True
    self_signed = pki.generate_root("exported", "Other Root", mount_point="pki_int")
    resigned = pki.sign_self_issued(self_signed["data"]["certificate"])
    resigned_cert = x509.load_pem_x509_certificate(resigned["data"]["certificate"].encode())
    assert resigned_cert.issuer.rfc4514_string() == "CN=Root CA"
    submitted = pki.submit_ca_information(
        self_signed["data"]["private_key"] + "\n" + self_signed["data"]["certificate"]
    )
    assert len(submitted["data"]["imported_issuers"]) == 1
    pki.delete_issuer(submitted["data"]["imported_issuers"][0])
    pki.delete_role("web", mount_point="pki_int")
    with pytest.raises(hvac.exceptions.InvalidPath):
        pki.read_role("web", mount_point="pki_int")
    pki.delete_root()
    with pytest.raises(hvac.exceptions.InvalidPath):
        pki.list_issuers()
