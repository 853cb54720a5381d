"""Revocation: the CRL (parsed and through `openssl crl`), OCSP over GET and POST, delta CRLs,
auto-rebuild and auto-tidy from the backend's tick with the injected clock."""

from __future__ import annotations

import asyncio
import base64
import shutil
import subprocess
from urllib.parse import quote

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from strongroom.engines.pki import PkiBackend
from unit.engines.pki.conftest import Api
from unit.engines.pki.test_issuance import load, root_and_intermediate


async def issued(api: Api) -> tuple[str, str, dict[str, str]]:
    root, intermediate = await root_and_intermediate(api)
    await api.post(
        "roles/web",
        {"allowed_domains": "example.com", "allow_subdomains": True, "key_type": "ec", "ttl": "1h"},
    )
    data = await api.data("issue/web", {"common_name": "a.example.com"})
    return root, intermediate, data


async def crl(api: Api) -> x509.CertificateRevocationList:
    resp = await api.server.call("GET", "pki/crl", token=None)
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/pkix-crl"
    return x509.load_der_x509_crl(resp.content)


def ocsp_request(leaf: str, issuer: str) -> bytes:
    builder = ocsp.OCSPRequestBuilder().add_certificate(load(leaf), load(issuer), hashes.SHA1())  # noqa: S303
    return builder.build().public_bytes(serialization.Encoding.DER)


async def ocsp_get(api: Api, request: bytes) -> ocsp.OCSPResponse:
    path = "pki/ocsp/" + quote(base64.b64encode(request).decode(), safe="")
    resp = await api.server.call("GET", path, token=None)
    assert resp.headers["content-type"] == "application/ocsp-response"
    return ocsp.load_der_ocsp_response(resp.content)


def pki_backend(api: Api) -> PkiBackend:
    routed = api.server.core.mounts.route("pki/x")
    assert routed is not None
    backend = routed[0].backend
    assert isinstance(backend, PkiBackend)
    return backend


async def test_revoked_serial_is_in_the_crl_and_ocsp_says_revoked(api: Api) -> None:
    _, intermediate, leaf = await issued(api)
    serial = leaf["serial_number"]
    request = ocsp_request(leaf["certificate"], intermediate)
    good = await ocsp_get(api, request)
    assert good.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert good.certificate_status == ocsp.OCSPCertStatus.GOOD
    body = (await api.post("revoke", {"serial_number": serial}))["data"]
    assert sorted(body) == ["revocation_time", "revocation_time_rfc3339", "state"]
    assert body["state"] == "revoked"
    again = (await api.post("revoke", {"serial_number": serial}))["data"]
    assert again["revocation_time"] == body["revocation_time"]
    listing = await crl(api)
    listing.is_signature_valid(load(intermediate).public_key())  # type: ignore[arg-type]
    assert listing.get_revoked_certificate_by_serial_number(load(leaf["certificate"]).serial_number)
    resp = await api.server.call(
        "POST",
        "pki/ocsp",
        token=None,
        content=request,
        headers={"Content-Type": "application/ocsp-request"},
    )
    answer = ocsp.load_der_ocsp_response(resp.content)
    assert answer.certificate_status == ocsp.OCSPCertStatus.REVOKED
    answer.public_bytes(serialization.Encoding.DER)
    read = (await api.get("cert/" + serial))["data"]
    assert read["revocation_time"] == body["revocation_time"]
    revoked = (await api.expect("LIST", "certs/revoked"))["data"]["keys"]
    assert revoked == [serial]


def openssl_crl_text(pem: str) -> str:
    return subprocess.run(
        ["openssl", "crl", "-noout", "-text"], input=pem, capture_output=True, text=True, check=True
    ).stdout


async def test_openssl_reads_the_crl(api: Api) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    _, _, leaf = await issued(api)
    await api.post("revoke", {"serial_number": leaf["serial_number"]})
    resp = await api.server.call("GET", "pki/crl/pem", token=None)
    assert resp.headers["content-type"] == "application/x-pem-file"
    text = openssl_crl_text(resp.text)
    assert leaf["serial_number"].replace(":", "").upper() in text.replace(":", "").upper()


async def test_revocation_errors(api: Api) -> None:
    await issued(api)
    assert await api.error("POST", "revoke", {}) == (
        "The serial number or certificate to revoke must be provided."
    )
    assert await api.error("POST", "revoke", {"serial_number": "00:11"}) == (
        "certificate with serial 00:11 not found."
    )


async def test_malformed_ocsp_and_unknown_issuer(api: Api) -> None:
    await issued(api)
    resp = await api.server.call("GET", "pki/ocsp/bm90IGRlcg==", token=None)
    assert resp.status_code == 400
    status = ocsp.load_der_ocsp_response(resp.content).response_status
    assert status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST


async def test_delta_crl_and_auto_rebuild_on_tick(api: Api) -> None:
    _, _, leaf = await issued(api)
    await api.post(
        "config/crl",
        {
            "auto_rebuild": True,
            "enable_delta": True,
            "delta_rebuild_interval": "1m",
            "expiry": "2h",
            "auto_rebuild_grace_period": "30m",
        },
    )
    base = await crl(api)
    await api.post("revoke", {"serial_number": leaf["serial_number"]})
    serial = load(leaf["certificate"]).serial_number
    assert (await crl(api)).get_revoked_certificate_by_serial_number(serial) is None
    backend = pki_backend(api)
    api.server.clock.advance(61)
    await backend.tick()
    resp = await api.server.call("GET", "pki/crl/delta", token=None)
    delta = x509.load_der_x509_crl(resp.content)
    assert delta.get_revoked_certificate_by_serial_number(serial) is not None
    indicator = delta.extensions.get_extension_for_class(x509.DeltaCRLIndicator).value
    assert (
        indicator.crl_number
        == base.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    )
    api.server.clock.advance(2 * 3600 - 30 * 60)
    await backend.tick()
    assert (await crl(api)).get_revoked_certificate_by_serial_number(serial) is not None


async def test_tidy_removes_expired_certificates(api: Api) -> None:
    _, _, leaf = await issued(api)
    await api.post(
        "config/auto-tidy",
        {
            "enabled": True,
            "interval_duration": "1h",
            "tidy_cert_store": True,
            "safety_buffer": "1s",
        },
    )
    backend = pki_backend(api)
    await backend.tick()
    assert leaf["serial_number"] in (await api.expect("LIST", "certs"))["data"]["keys"]
    api.server.clock.advance(2 * 3600)
    await backend.tick()
    keys = (await api.expect("LIST", "certs"))["data"]["keys"]
    assert leaf["serial_number"] not in keys
    status = (await api.get("tidy-status"))["data"]
    assert status["state"] == "Finished"
    assert status["cert_store_deleted_count"] == 1
    resp = await api.call("POST", "tidy", {"tidy_cert_store": True})
    assert resp.status_code == 202


async def test_ocsp_off_answers_unauthorized(api: Api) -> None:
    _, intermediate, leaf = await issued(api)
    await api.post("config/crl", {"ocsp_disable": True})
    request = ocsp_request(leaf["certificate"], intermediate)
    path = "pki/ocsp/" + quote(base64.b64encode(request).decode(), safe="")
    resp = await api.server.call("GET", path, token=None)
    assert resp.status_code == 401
    assert resp.headers["content-type"] == "application/ocsp-response"
    status = ocsp.load_der_ocsp_response(resp.content).response_status
    assert status == ocsp.OCSPResponseStatus.UNAUTHORIZED


async def test_racing_rebuilds_each_take_the_next_crl_number(api: Api) -> None:
    await issued(api)
    first = (await crl(api)).extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    await asyncio.gather(*(api.get("crl/rotate") for _ in range(6)))
    last = (await crl(api)).extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    assert last == first + 6  # each issuer numbers its own CRLs
