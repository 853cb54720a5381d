"""What every PKI handler is given: the mount (clock, TTLs), its store, and the lookups of
issuers and keys by reference (`default`, an id or a name) with Vault's error texts."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509

from strongroom.engines.pki import certs, keys
from strongroom.engines.pki.models import IssuerEntry, KeyEntry
from strongroom.engines.pki.naming import shown
from strongroom.engines.pki.store import PkiStore
from strongroom.errors import BadRequest
from strongroom.logical import MountContext

RESERVED_NAMES = frozenset({"default"})


def _multierror(text: str) -> str:
    """Vault wraps these lookups' errors in go-multierror's text."""
    return f"1 error occurred:\n\t* {text}\n\n"


@dataclass(frozen=True, slots=True)
class PkiContext:
    mount: MountContext
    store: PkiStore

    @classmethod
    def build(cls, mount: MountContext) -> PkiContext:
        return cls(mount, PkiStore(mount.view))

    def now(self) -> float:
        return self.mount.clock.now()

    async def issuer(self, ref: str) -> IssuerEntry:
        """The issuer `ref` names. Raises BadRequest as Vault does for an unknown reference."""
        found_id = await self.store.issuer_id(ref)
        entry = None if not found_id else await self.store.issuer(found_id)
        if entry is None:
            raise BadRequest(_multierror("unable to find PKI issuer for reference: " + shown(ref)))
        return entry

    async def key(self, ref: str) -> KeyEntry:
        """The key `ref` names. Raises BadRequest as Vault does for an unknown reference."""
        found_id = await self.store.key_id(ref)
        entry = None if not found_id else await self.store.key(found_id)
        if entry is None:
            raise BadRequest(_multierror("unable to find PKI key for reference: " + shown(ref)))
        return entry

    async def signer(self, issuer: IssuerEntry, signature_bits: int = 0) -> certs.Signer:
        """The issuer's key and certificate, ready to sign. Raises BadRequest if the mount
        holds no key for it."""
        entry = await self.store.key(issuer.key_id) if issuer.key_id else None
        if entry is None:
            raise BadRequest("unable to sign with this issuer: the mount holds no key for it")
        return certs.Signer(
            keys.load(entry.private_key), certs.load_pem(issuer.certificate), signature_bits
        )

    async def urls(self, issuer: IssuerEntry | None) -> certs.Urls:
        """The AIA and CRL URLs a new certificate carries: the issuer's own where it has
        them, else the mount's `config/urls`."""
        urls = await self.store.urls()
        if issuer is None:
            return certs.Urls(
                urls.issuing_certificates, urls.crl_distribution_points, urls.ocsp_servers
            )
        return certs.Urls(
            issuer.issuing_certificates or urls.issuing_certificates,
            issuer.crl_distribution_points or urls.crl_distribution_points,
            issuer.ocsp_servers or urls.ocsp_servers,
        )

    async def chain(self, issuer: IssuerEntry) -> list[str]:
        """The issuer's certificate and then its parents as far as the mount knows them
        (its `manual_chain` when set), as Vault's `ca_chain`."""
        if issuer.manual_chain:
            found = [await self.store.issuer(i) for i in issuer.manual_chain]
            return [e.certificate for e in found if e is not None]
        others = [(e, certs.load_pem(e.certificate)) for e in await self.store.issuers()]
        chain = [issuer.certificate]
        current = certs.load_pem(issuer.certificate)
        seen = {issuer.id}
        while current.issuer != current.subject:
            parent = _parent(current, others, seen)
            if parent is None:
                break
            seen.add(parent[0].id)
            chain.append(parent[0].certificate)
            current = parent[1]
        return chain


def _parent(
    cert: x509.Certificate, others: list[tuple[IssuerEntry, x509.Certificate]], seen: set[str]
) -> tuple[IssuerEntry, x509.Certificate] | None:
    for entry, candidate in others:
        if entry.id not in seen and certs.signed_by(cert, candidate):
            return entry, candidate
    return None


def checked_name(name: str, kind: str) -> str:
    """Raises BadRequest for a reserved issuer or key name (Vault refuses `default`)."""
    if name in RESERVED_NAMES:
        raise BadRequest(f"reserved keyword 'default' can not be used as {kind} name")
    return name
