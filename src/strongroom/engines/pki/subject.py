"""The subject and SAN fields every certificate-making path shares (Vault's
`addNonCACommonFields`/`addCACommonFields`), and turning them into a subject, SANs and a
validity window with Vault's TTL rules (api-docs/secret/pki, "ttl", "not_after").
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

import msgspec
from cryptography import x509
from msgspec import Meta

from strongroom.clock import rfc3339
from strongroom.engines.pki import certs
from strongroom.errors import BadRequest
from strongroom.logical import Duration

Names = list[str]


class SubjectFields(msgspec.Struct, frozen=True, kw_only=True):
    common_name: Annotated[str, Meta(description="The requested common name.")] = ""
    alt_names: Annotated[
        str, Meta(description="Requested Subject Alternative Names, comma-separated.")
    ] = ""
    ip_sans: Annotated[Names, Meta(description="The requested IP SANs.")] = []
    uri_sans: Annotated[Names, Meta(description="The requested URI SANs.")] = []
    other_sans: Annotated[Names, Meta(description="Requested other SANs: oid;UTF8:value")] = []
    exclude_cn_from_sans: Annotated[
        bool, Meta(description="Do not add the common name to the DNS or email SANs.")
    ] = False
    ttl: Annotated[Duration, Meta(description="The requested Time To Live.")] = 0
    not_after: Annotated[str, Meta(description="Set the not after field (RFC 3339).")] = ""
    not_before: Annotated[str, Meta(description="Set the not before field (RFC 3339).")] = ""
    format: Annotated[str, Meta(description="Format: pem, der or pem_bundle.")] = "pem"
    private_key_format: Annotated[str, Meta(description="der (default) or pkcs8.")] = "der"
    serial_number: Annotated[str, Meta(description="The subject's serialNumber.")] = ""


class SubjectParts(SubjectFields, frozen=True, kw_only=True):
    """The names plus the subject's other attributes (what CA paths take)."""

    ou: Annotated[Names, Meta(description="OU (OrganizationalUnit) values.")] = []
    organization: Annotated[Names, Meta(description="O (Organization) values.")] = []
    country: Annotated[Names, Meta(description="C (Country) values.")] = []
    locality: Annotated[Names, Meta(description="L (Locality) values.")] = []
    province: Annotated[Names, Meta(description="ST (Province) values.")] = []
    street_address: Annotated[Names, Meta(description="Street Address values.")] = []
    postal_code: Annotated[Names, Meta(description="Postal Code values.")] = []


def parts_of(fields: SubjectParts) -> dict[str, Sequence[str]]:
    return {name: getattr(fields, name) for name, _ in certs.SUBJECT_ORDER}


FORMATS = ("pem", "der", "pem_bundle")


def checked_format(fields: SubjectFields) -> None:
    """Raises BadRequest for a `format` or `private_key_format` Vault does not have."""
    if fields.format not in FORMATS:
        raise BadRequest('unknown format for certificate: must be "pem", "der" or "pem_bundle"')
    if fields.private_key_format not in ("", "der", "pem", "pkcs8"):
        raise BadRequest('unknown private_key_format: must be "der" or "pkcs8"')


def parse_ips(values: Sequence[str]) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(v.strip()) for v in values if v.strip()]
    except ValueError:
        raise BadRequest("the value of ip_sans is not a valid IP address") from None


def parse_other(values: Sequence[str]) -> list[tuple[str, str]]:
    """`<oid>;UTF8:<value>` entries. Raises BadRequest for any other shape."""
    found = []
    for entry in values:
        oid, sep, rest = entry.partition(";")
        kind, sep2, value = rest.partition(":")
        if not sep or not sep2 or kind.upper() not in ("UTF8", "UTF-8"):
            raise BadRequest("other_sans must be of the form <oid>;UTF8:<value>")
        try:
            x509.ObjectIdentifier(oid)
        except ValueError:
            raise BadRequest("other_sans must be of the form <oid>;UTF8:<value>") from None
        found.append((oid, value))
    return found


def alt_names(text: str) -> list[str]:
    """`alt_names` is one comma-separated string in Vault (TypeString)."""
    return [n.strip() for n in text.split(",") if n.strip()]


def split_names(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """DNS names and email addresses (those holding an `@`), in order, without repeats."""
    unique = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    return [n for n in unique if "@" not in n], [n for n in unique if "@" in n]


def sans_of(fields: SubjectFields, *, include_cn: bool) -> certs.Sans:
    """The SANs asked for, the common name first among them unless excluded (Vault adds it to
    the DNS or email SANs when it is a hostname or an email)."""
    names = alt_names(fields.alt_names)
    if include_cn and fields.common_name and not fields.exclude_cn_from_sans:
        names.insert(0, fields.common_name)
    dns, emails = split_names(names)
    return certs.Sans(
        dns=dns,
        emails=emails,
        ips=parse_ips(fields.ip_sans),
        uris=[u for u in fields.uri_sans if u],
        other=parse_other(fields.other_sans),
    )


@dataclass(frozen=True, slots=True)
class Validity:
    not_before: float
    not_after: float
    warnings: tuple[str, ...] = ()


def _absolute(text: str) -> float:
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadRequest("not_after and not_before must be RFC 3339 times") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp()


def validity(
    now: float,
    requested: tuple[int, str, str],
    limits: tuple[int, int],
    not_before_duration: int,
    issuer: tuple[x509.Certificate, str] | None,
) -> Validity:
    """The window of a new certificate (Vault's `getCertificateNotAfter`).

    `requested` is (ttl, not_after text, not_before text), `limits` the (default, max) TTL of
    the role or mount, `issuer` the signing certificate and its `leaf_not_after_behavior`. A
    TTL above the max is cut to it with Vault's warning; a window past the issuer's end is
    refused (`err`), cut (`truncate`) or kept (`permit`). Raises BadRequest.
    """
    ttl, not_after_text, not_before_text = requested
    default_ttl, max_ttl = limits
    warnings: list[str] = []
    if not_after_text:
        end = _absolute(not_after_text)
    else:
        ttl = ttl or default_ttl
        if max_ttl and ttl > max_ttl:
            warnings.append(
                f'TTL "{ttl}s" is longer than permitted maxTTL "{max_ttl}s", '
                "so maxTTL is being used"
            )
            ttl = max_ttl
        end = now + ttl
    if issuer is not None:
        parent, behavior = issuer
        limit = certs.not_after(parent)
        if end > limit:
            if behavior == "err":
                raise BadRequest(
                    f"cannot satisfy request, as TTL would result in notAfter of {rfc3339(end)} "
                    f"that is beyond the expiration of the CA certificate at {rfc3339(limit)}"
                )
            if behavior == "truncate":
                end = limit
    start = _absolute(not_before_text) if not_before_text else now - not_before_duration
    if start >= end:
        raise BadRequest("the not_before time must be before the certificate's notAfter")
    return Validity(start, end, tuple(warnings))
