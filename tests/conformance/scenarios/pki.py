"""The PKI engine: issuer generation, issuers and keys, roles, issuance and its refusals,
revocation and the CRL and URL settings (shapes everywhere, values where both must agree)."""

from __future__ import annotations

from conformance.harness import Scenario, Step
from conformance.scenarios.steps import delete, get, lst, post

MOUNT = post("sys/mounts/{m}", {"type": "pki", "config": {"max_lease_ttl": "87600h"}})
ROOT = post("{m}/root/generate/internal", {"common_name": "Root CA", "ttl": "8760h"})
ROLE = post("{m}/roles/web", {"allowed_domains": "example.com", "allow_subdomains": True})
ISSUE = post(
    "{m}/issue/web",
    {"common_name": "a.example.com", "ttl": "1h"},
    save={"serial": "data.serial_number"},
)


def _p(name: str, *steps: Step) -> Scenario:
    return Scenario(f"pki-{name}", [MOUNT, *steps])


SCENARIOS = [
    _p(
        "root-generate",
        ROOT,
        lst("{m}/issuers", pick="data.keys"),
        get("{m}/config/issuers"),
        lst("{m}/keys", pick="data.keys"),
    ),
    _p(
        "root-generate-exported-ec",
        post("{m}/root/generate/exported", {"common_name": "R", "key_type": "ec"}),
    ),
    _p("root-generate-bad-type", post("{m}/root/generate/bogus", {"common_name": "R"})),
    _p(
        "root-generate-reserved-name",
        post(
            "{m}/root/generate/internal",
            {"common_name": "R", "issuer_name": "default"},
            values=True,
        ),
    ),
    _p("issuer-read", ROOT, get("{m}/issuer/default"), get("{m}/issuer/default/json")),
    _p("issuer-missing", get("{m}/issuer/nope", values=True)),
    _p("intermediate-generate", post("{m}/intermediate/generate/internal", {"common_name": "I"})),
    _p("role-write-read", ROLE, get("{m}/roles/web", values=True), lst("{m}/roles", values=True)),
    _p("role-missing", get("{m}/roles/nope", values=True)),
    _p("issue", ROOT, ROLE, ISSUE, get("{m}/cert/{serial}")),
    _p(
        "issue-forbidden-cn",
        ROOT,
        ROLE,
        post("{m}/issue/web", {"common_name": "a.other.com"}, values=True),
    ),
    _p(
        "issue-forbidden-san",
        ROOT,
        ROLE,
        post(
            "{m}/issue/web",
            {"common_name": "a.example.com", "alt_names": "b.evil.com"},
            values=True,
        ),
    ),
    _p(
        "issue-unknown-role",
        ROOT,
        post("{m}/issue/nope", {"common_name": "a.example.com"}, values=True),
    ),
    _p(
        "revoke",
        ROOT,
        ROLE,
        ISSUE,
        post("{m}/revoke", {"serial_number": "{serial}"}),
        get("{m}/cert/{serial}"),
        lst("{m}/certs/revoked"),
    ),
    _p("revoke-missing", ROOT, post("{m}/revoke", {"serial_number": "00:11"}, values=True)),
    _p("revoke-nothing", ROOT, post("{m}/revoke", {}, values=True)),
    _p("crl-rotate", ROOT, get("{m}/crl/rotate", values=True)),
    _p(
        "crl-config",
        get("{m}/config/crl", values=True),
        post("{m}/config/crl", {"expiry": "48h"}),
        get("{m}/config/crl", values=True),
    ),
    _p(
        "urls",
        post("{m}/config/urls", {"issuing_certificates": "http://x/ca"}),
        get("{m}/config/urls", values=True),
    ),
    _p("crl-delta-off", ROOT, get("{m}/crl/delta", values=True)),
    _p("auto-tidy-nothing", post("{m}/config/auto-tidy", {"enabled": True}, values=True)),
    _p("tidy", post("{m}/tidy", {"tidy_cert_store": True}, values=True)),
    _p("delete-issuer", ROOT, delete("{m}/issuer/default"), get("{m}/config/issuers")),
    _p("delete-root", ROOT, delete("{m}/root", values=True), lst("{m}/issuers", pick="data.keys")),
]
