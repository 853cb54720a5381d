"""Which names a role allows, as Vault's `validateNames` (builtin/logical/pki/cert_util.go).

A name (the common name or a DNS/email SAN) is allowed when, after lower-casing and taking the
domain of an email address:
- `allow_any_name` is set, or
- `allow_localhost` and it is `localhost` or `localdomain`, or
- for some entry of `allowed_domains`: it *is* the entry and `allow_bare_domains` is set; it
  ends in `.` + entry and `allow_subdomains` is set; or the entry holds a `*` and
  `allow_glob_domains` is set and the glob (`*` spans any characters) matches.
A wildcard name (`*.example.com`) needs `allow_wildcard_certificates`; its base is checked as a
subdomain of an entry (Vault treats `*.d` as standing for the subdomains of `d`).
With `enforce_hostnames` the name must also be a valid DNS hostname.
"""

from __future__ import annotations

import ipaddress
import re

from strongroom.engines.pki.models import Role

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SAFE = re.compile(r"^[A-Za-z0-9_.*@:/+-]{1,253}$")


def shown(name: str) -> str:
    """`name` as an error may show it (Vault names the rejected value); anything outside a
    conservative character set is not repeated, so no control or markup characters reach a
    client or a log."""
    return name if _SAFE.match(name) else "(value withheld)"


def is_hostname(name: str) -> bool:
    """A DNS hostname: dot-separated labels of letters, digits and inner hyphens (an IDN in its
    punycode form), at most 253 characters; a trailing dot is not allowed."""
    if not name or len(name) > 253:
        return False
    return all(_LABEL.match(label) for label in name.lower().split("."))


def hostname_like(common_name: str) -> bool:
    """Whether a CA's common name also goes into its SANs (an email or a hostname)."""
    return "@" in common_name or is_hostname(common_name.removeprefix("*."))


def _glob(pattern: str, name: str) -> bool:
    # Vault's ryanuber/go-glob: only `*` is special and it matches any run of characters.
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, name, re.DOTALL) is not None


def _domain_match(role: Role, name: str, *, wildcard: bool) -> bool:
    for entry in role.allowed_domains:
        domain = entry.lower()
        if wildcard:
            # `*.d` stands for d's subdomains: allowed as d's own subdomains, or below them.
            if role.allow_subdomains and (name == domain or name.endswith("." + domain)):
                return True
        else:
            if role.allow_bare_domains and name == domain:
                return True
            if role.allow_subdomains and name.endswith("." + domain) and domain:
                return True
        if role.allow_glob_domains and "*" in domain:
            candidate = ("*." + name) if wildcard else name
            if _glob(domain, candidate) or _glob(domain, name):
                return True
    return False


def allowed_name(role: Role, raw: str) -> bool:
    """Whether `role` lets a certificate carry the DNS or email name `raw`."""
    name = raw.lower()
    if "@" in name:  # an email: its domain part is what the role judges
        name = name.rsplit("@", 1)[1]
    wildcard = name.startswith("*.")
    base = name[2:] if wildcard else name
    if wildcard and not role.allow_wildcard_certificates:
        return False
    if role.enforce_hostnames and not is_hostname(base):
        return False
    if role.allow_any_name:
        return True
    if role.allow_localhost and not wildcard and name in ("localhost", "localdomain"):
        return True
    return _domain_match(role, base, wildcard=wildcard)


def allowed_uri(role: Role, uri: str) -> bool:
    """Whether a URI SAN matches one of `allowed_uri_sans` (globs)."""
    return any(_glob(pattern, uri) for pattern in role.allowed_uri_sans)


def allowed_ip(role: Role, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """`allow_ip_sans`, narrowed by `allowed_ip_sans_cidr` when that is set."""
    if not role.allow_ip_sans:
        return False
    if not role.allowed_ip_sans_cidr:
        return True
    return any(ip in ipaddress.ip_network(c, strict=False) for c in role.allowed_ip_sans_cidr)


def allowed_other(role: Role, oid: str, value: str) -> bool:
    """`allowed_other_sans` entries are `<oid>;UTF8:<glob>`, or `*` for any."""
    for entry in role.allowed_other_sans:
        if entry == "*":
            return True
        want_oid, _, rest = entry.partition(";")
        kind, _, pattern = rest.partition(":")
        if want_oid == oid and kind.upper() in ("UTF8", "UTF-8") and _glob(pattern, value):
            return True
    return False
