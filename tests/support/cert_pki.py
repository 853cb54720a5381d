"""X.509 material for the cert auth method's tests, made with `cryptography`: CAs,
intermediates, client leaves (expired, revoked, with SANs, OUs and extensions), CRLs, and a
small real OCSP responder (an HTTP server answering with `cryptography.x509.ocsp`)."""

from __future__ import annotations

import base64
import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Issued:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    def write(self, directory: Path, stem: str) -> tuple[Path, Path]:
        """The certificate and its key as PEM files `stem.pem` and `stem.key`."""
        cert, key = directory / f"{stem}.pem", directory / f"{stem}.key"
        cert.write_text(self.pem)
        key.write_bytes(
            self.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return cert, key


@dataclass(frozen=True)
class Leaf:
    """What a client leaf carries besides its common name."""

    dns: Sequence[str] = ()
    emails: Sequence[str] = ()
    uris: Sequence[str] = ()
    ous: Sequence[str] = ()
    extensions: dict[str, bytes] = field(default_factory=dict)  # OID -> DER value
    ocsp_url: str = ""
    usage: x509.ObjectIdentifier | None = ExtendedKeyUsageOID.CLIENT_AUTH
    valid: tuple[dt.timedelta, dt.timedelta] = (-DAY, DAY)  # around `now`


def _name(common_name: str, ous: Sequence[str] = ()) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou) for ou in ous]
    return x509.Name([*attributes, x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key_ids(
    builder: x509.CertificateBuilder,
    key: ec.EllipticCurvePrivateKey,
    issuer: ec.EllipticCurvePrivateKey,
) -> x509.CertificateBuilder:
    return builder.add_extension(
        x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
    ).add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key()), critical=False
    )


def make_ca(common_name: str, now: dt.datetime, issuer: Issued | None = None) -> Issued:
    """A CA, self-signed or (an intermediate) signed by `issuer`."""
    key = ec.generate_private_key(ec.SECP256R1())
    signer = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer.cert.subject if issuer else _name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - DAY)
        .not_valid_after(now + 30 * DAY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    builder = _key_ids(builder, key, signer)
    return Issued(builder.sign(signer, hashes.SHA256()), key)


def make_leaf(
    issuer: Issued, common_name: str, now: dt.datetime, leaf: Leaf | None = None
) -> Issued:
    spec = leaf or Leaf()
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, spec.ous))
        .issuer_name(issuer.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + spec.valid[0])
        .not_valid_after(now + spec.valid[1])
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    builder = _key_ids(builder, key, issuer.key)
    names: list[x509.GeneralName] = [x509.DNSName(d) for d in spec.dns]
    names += [x509.RFC822Name(e) for e in spec.emails]
    names += [x509.UniformResourceIdentifier(u) for u in spec.uris]
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    if spec.usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([spec.usage]), critical=False)
    for oid, value in spec.extensions.items():
        ext = x509.UnrecognizedExtension(x509.ObjectIdentifier(oid), value)
        builder = builder.add_extension(ext, critical=False)
    if spec.ocsp_url:
        access = x509.AccessDescription(
            AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(spec.ocsp_url)
        )
        builder = builder.add_extension(x509.AuthorityInformationAccess([access]), critical=False)
    return Issued(builder.sign(issuer.key, hashes.SHA256()), key)


def utf8(text: str) -> bytes:
    """`text` as a DER UTF8String (short form), an extension value Vault reads as text."""
    raw = text.encode()
    return bytes([0x0C, len(raw)]) + raw


def crl_pem(issuer: Issued, revoked: Sequence[Issued], now: dt.datetime) -> str:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(now - DAY)
        .next_update(now + DAY)
    )
    for item in revoked:
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(item.cert.serial_number)
            .revocation_date(now - DAY)
            .build()
        )
        builder = builder.add_revoked_certificate(entry)
    crl = builder.sign(issuer.key, hashes.SHA256())
    return crl.public_bytes(serialization.Encoding.PEM).decode()


def chain_header(*certs: Issued) -> str:
    """What our TLS front sets for a client presenting `certs` (leaf first)."""
    return ",".join(base64.b64encode(c.der).decode() for c in certs)


class OcspResponder:
    """A real OCSP responder over HTTP for one issuer: GOOD unless a serial is `revoked`;
    `broken` makes it answer garbage (to test failing closed and open)."""

    def __init__(self, issuer: Issued, now: dt.datetime) -> None:
        self.issuer = issuer
        self.now = now
        self.revoked: set[int] = set()
        self.broken = False
        self.requests = 0
        self.url = ""

    def answer(self, body: bytes) -> bytes:
        self.requests += 1
        if self.broken:
            return b"not an OCSP response"
        request = ocsp.load_der_ocsp_request(body)
        revoked = request.serial_number in self.revoked
        status = ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response_by_hash(
                issuer_name_hash=request.issuer_name_hash,
                issuer_key_hash=request.issuer_key_hash,
                algorithm=request.hash_algorithm,
                serial_number=request.serial_number,
                cert_status=status,
                this_update=self.now - dt.timedelta(hours=1),
                next_update=self.now + DAY,
                revocation_time=self.now - DAY if revoked else None,
                revocation_reason=None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, self.issuer.cert)
        )
        response = builder.sign(self.issuer.key, hashes.SHA256())
        return response.public_bytes(serialization.Encoding.DER)

    @contextmanager
    def serving(self) -> Iterator[OcspResponder]:
        responder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                payload = responder.answer(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/ocsp-response")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_args: object) -> None:
                return

        http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{http.server_address[1]}/ocsp"
        thread = threading.Thread(target=http.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            http.shutdown()
            http.server_close()
