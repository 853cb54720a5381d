"""Properties of the role's name rules (Vault's validateNames), with hypothesis."""

from __future__ import annotations

import ipaddress

from hypothesis import given
from hypothesis import strategies as st

from strongroom.engines.pki.models import Role
from strongroom.engines.pki.naming import allowed_ip, allowed_name, allowed_uri, is_hostname

LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
DOMAIN = st.lists(LABEL, min_size=1, max_size=4).map(".".join)


@given(DOMAIN, st.lists(LABEL, min_size=1, max_size=3).map(".".join))
def test_subdomains_are_allowed_only_below_a_dot(domain: str, prefix: str) -> None:
    role = Role(allowed_domains=[domain], allow_subdomains=True)
    assert allowed_name(role, f"{prefix}.{domain}")
    assert allowed_name(role, f"{prefix}.{domain}".upper())
    assert not allowed_name(role, f"{prefix}{domain}") or f"{prefix}{domain}".endswith("." + domain)
    assert not allowed_name(role, domain)  # the bare domain needs allow_bare_domains
    assert allowed_name(Role(allowed_domains=[domain], allow_bare_domains=True), domain)


@given(DOMAIN, DOMAIN)
def test_a_name_outside_every_domain_is_refused(domain: str, other: str) -> None:
    role = Role(allowed_domains=[domain], allow_subdomains=True, allow_bare_domains=True)
    inside = other == domain or other.endswith("." + domain)
    assert allowed_name(role, other) == inside or other in ("localhost", "localdomain")


@given(DOMAIN, LABEL)
def test_wildcards_need_their_setting(domain: str, label: str) -> None:
    role = Role(allowed_domains=[domain], allow_subdomains=True)
    assert allowed_name(role, f"*.{label}.{domain}")
    assert allowed_name(role, f"*.{domain}")
    assert not allowed_name(
        Role(allowed_domains=[domain], allow_subdomains=True, allow_wildcard_certificates=False),
        f"*.{domain}",
    )


@given(st.lists(LABEL, min_size=1, max_size=3).map(".".join))
def test_globs_span_labels(prefix: str) -> None:
    role = Role(allowed_domains=["*.example.com"], allow_glob_domains=True)
    assert allowed_name(role, f"{prefix}.example.com")
    assert not allowed_name(role, f"{prefix}.example.org")


@given(st.text(min_size=1, max_size=30))
def test_enforced_hostnames_refuse_anything_else(name: str) -> None:
    role = Role(allow_any_name=True)
    assert allowed_name(role, name) == is_hostname(
        (name.lower().rsplit("@", 1)[1] if "@" in name else name.lower()).removeprefix("*.")
    )


def test_email_names_are_judged_by_their_domain() -> None:
    role = Role(allowed_domains=["example.com"], allow_bare_domains=True)
    assert allowed_name(role, "ops@example.com")
    assert not allowed_name(role, "ops@evil.com")


def test_localhost_and_ip_and_uri_rules() -> None:
    assert allowed_name(Role(), "localhost")
    assert not allowed_name(Role(allow_localhost=False), "localhost")
    ip = ipaddress.ip_address("10.1.2.3")
    assert allowed_ip(Role(allowed_ip_sans_cidr=["10.0.0.0/8"]), ip)
    assert not allowed_ip(Role(allowed_ip_sans_cidr=["192.168.0.0/16"]), ip)
    assert not allowed_ip(Role(allow_ip_sans=False), ip)
    assert allowed_uri(Role(allowed_uri_sans=["spiffe://cluster/*"]), "spiffe://cluster/ns/a")
    assert not allowed_uri(Role(), "spiffe://cluster/ns/a")
