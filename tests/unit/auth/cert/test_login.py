"""Certificate log-in (api-docs/auth/cert "Authenticate with the TLS certificate method"):
the chain the connection presented, verified against a role's trusted certificate at the
injected clock, its constraints, CRLs and OCSP; Vault's 400s; tenants kept apart."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from strongroom.auth.cert import CertBackend
from strongroom.core.mounts import MountContext, new_entry
from strongroom.core.request import Operation, Request
from strongroom.core.view import View
from strongroom.http.app import CLIENT_CHAIN_HEADER
from support.cert_pki import (
    DAY,
    Leaf,
    OcspResponder,
    chain_header,
    crl_pem,
    make_ca,
    make_leaf,
    utf8,
)
from support.inproc import Server
from unit.auth.cert.cert_harness import Pki, login, trust

INVALID = {"errors": ["invalid certificate or no client certificate supplied"]}


async def test_a_leaf_of_a_trusted_root_via_its_intermediate_logs_in(
    fronted: Server, pki: Pki
) -> None:
    await trust(fronted, "web", pki.root, token_policies="a,b", token_ttl="1h", display_name="w")
    resp = await login(fronted, pki.leaf, pki.intermediate)
    assert resp.status_code == 200, resp.text
    auth = resp.json()["auth"]
    assert auth["policies"] == ["a", "b", "default"]
    assert auth["lease_duration"] == 3600
    assert auth["renewable"] is True
    leaf = pki.leaf.cert
    ski = leaf.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    assert auth["metadata"] == {
        "cert_name": "web",
        "common_name": "app.example.com",
        "serial_number": str(leaf.serial_number),
        "subject_key_id": ":".join(f"{b:02x}" for b in ski),
        "authority_key_id": auth["metadata"]["authority_key_id"],
    }
    assert len(auth["metadata"]["authority_key_id"].split(":")) == 20
    looked = await fronted.call("GET", "auth/token/lookup-self", token=auth["client_token"])
    assert looked.json()["data"]["meta"]["cert_name"] == "web"


async def test_trusting_the_intermediate_is_enough(fronted: Server, pki: Pki) -> None:
    await trust(fronted, "mid", pki.intermediate)
    assert (await login(fronted, pki.leaf)).status_code == 200


async def test_without_the_intermediate_a_root_role_refuses(fronted: Server, pki: Pki) -> None:
    await trust(fronted, "web", pki.root)
    resp = await login(fronted, pki.leaf)
    assert (resp.status_code, resp.json()) == (400, INVALID)


async def test_a_trusted_leaf_matches_only_itself(fronted: Server, pki: Pki) -> None:
    await trust(fronted, "me", pki.leaf)
    assert (await login(fronted, pki.leaf)).status_code == 200
    sibling = make_leaf(pki.intermediate, "app.example.com", pki.now)
    assert (await login(fronted, sibling, pki.intermediate)).json() == INVALID


async def test_no_certificate_is_vaults_400(fronted: Server, pki: Pki) -> None:
    await trust(fronted, "web", pki.root)
    resp = await login(fronted)
    assert (resp.status_code, resp.json()) == (400, {"errors": ["no client certificate found"]})


async def test_a_chain_header_is_ignored_unless_the_front_is_the_way_in(
    server: Server, pki: Pki
) -> None:
    """The plain app (no TLS front) never believes the header a client could forge."""
    await server.call("POST", "sys/auth/cert", {"type": "cert"})
    await trust(server, "web", pki.root)
    headers = {CLIENT_CHAIN_HEADER: chain_header(pki.leaf, pki.intermediate)}
    resp = await server.call("POST", "auth/cert/login", {}, token=None, headers=headers)
    assert (resp.status_code, resp.json()) == (400, {"errors": ["no client certificate found"]})


@pytest.mark.parametrize(
    ("when", "valid"),
    [
        ("expired", (-2 * DAY, -dt.timedelta(seconds=1))),
        ("not yet valid", (dt.timedelta(seconds=1), DAY)),
    ],
)
async def test_validity_is_judged_at_the_injected_clock(
    fronted: Server, pki: Pki, when: str, valid: tuple[dt.timedelta, dt.timedelta]
) -> None:
    await trust(fronted, "web", pki.root)
    leaf = make_leaf(pki.intermediate, when, pki.now, Leaf(valid=valid))
    assert (await login(fronted, leaf, pki.intermediate)).json() == INVALID, when


async def test_the_clock_moving_past_expiry_refuses(fronted: Server, pki: Pki) -> None:
    await trust(fronted, "web", pki.root)
    assert (await login(fronted, pki.leaf, pki.intermediate)).status_code == 200
    fronted.clock.advance(2 * DAY.total_seconds())
    assert (await login(fronted, pki.leaf, pki.intermediate)).json() == INVALID


async def test_a_wrong_ca_and_a_self_made_chain_are_refused(fronted: Server, pki: Pki) -> None:
    await trust(fronted, "web", pki.root)
    stranger = make_leaf(pki.other_root, "app.example.com", pki.now)
    assert (await login(fronted, stranger, pki.other_root)).json() == INVALID
    # The right names, the wrong keys: an "intermediate" of the same subject, self-made.
    forged_mid = make_ca("intermediate-ca", pki.now)
    forged = make_leaf(forged_mid, "app.example.com", pki.now)
    assert (await login(fronted, forged, forged_mid, pki.root)).json() == INVALID


async def test_a_server_only_certificate_is_not_for_client_auth(fronted: Server, pki: Pki) -> None:
    await trust(fronted, "web", pki.root)
    server_only = Leaf(usage=ExtendedKeyUsageOID.SERVER_AUTH)
    leaf = make_leaf(pki.intermediate, "srv", pki.now, server_only)
    assert (await login(fronted, leaf, pki.intermediate)).json() == INVALID
    no_usage = make_leaf(pki.intermediate, "any", pki.now, Leaf(usage=None))
    assert (await login(fronted, no_usage, pki.intermediate)).status_code == 200


async def test_a_crl_revokes_the_leaf_or_its_intermediate(fronted: Server, pki: Pki) -> None:
    await trust(fronted, "web", pki.root)
    revoked = make_leaf(pki.intermediate, "gone", pki.now)
    crl = crl_pem(pki.intermediate, [revoked], pki.now)
    assert (await fronted.call("POST", "auth/cert/crls/mid", {"crl": crl})).status_code == 204
    assert (await login(fronted, revoked, pki.intermediate)).json() == INVALID
    assert (await login(fronted, pki.leaf, pki.intermediate)).status_code == 200
    root_crl = crl_pem(pki.root, [pki.intermediate], pki.now)
    await fronted.call("POST", "auth/cert/crls/root", {"crl": root_crl})
    assert (await login(fronted, pki.leaf, pki.intermediate)).json() == INVALID
    await fronted.call("DELETE", "auth/cert/crls/root")
    assert (await login(fronted, pki.leaf, pki.intermediate)).status_code == 200


async def test_name_picks_the_role_and_an_unknown_name_refuses(fronted: Server, pki: Pki) -> None:
    await trust(fronted, "a", pki.root, token_policies="pa")
    await trust(fronted, "b", pki.intermediate, token_policies="pb")
    resp = await login(fronted, pki.leaf, pki.intermediate, name="b")
    assert resp.json()["auth"]["metadata"]["cert_name"] == "b"
    assert resp.json()["auth"]["token_policies"] == ["default", "pb"]
    assert (await login(fronted, pki.leaf, pki.intermediate, name="nope")).json() == INVALID
    first = await login(fronted, pki.leaf, pki.intermediate)
    assert first.json()["auth"]["metadata"]["cert_name"] == "a"  # name order, as Vault lists


async def test_constraints_pick_which_leaves_a_role_takes(fronted: Server, pki: Pki) -> None:
    await trust(
        fronted,
        "web",
        pki.root,
        allowed_common_names="*.example.com",
        allowed_dns_sans=["api-*.example.com"],
        allowed_organizational_units="pay*",
        required_extensions="1.2.3.4:team-*",
        allowed_metadata_extensions="1.2.3.4,1.2.3.5",
    )
    good = Leaf(dns=["api-1.example.com"], ous=["payments"], extensions={"1.2.3.4": utf8("team-a")})
    leaf = make_leaf(pki.intermediate, "svc.example.com", pki.now, good)
    resp = await login(fronted, leaf, pki.intermediate)
    assert resp.status_code == 200, resp.text
    assert resp.json()["auth"]["metadata"]["1-2-3-4"] == "team-a"
    assert "1-2-3-5" not in resp.json()["auth"]["metadata"]
    for bad in (
        Leaf(dns=["web.example.com"], ous=["payments"], extensions={"1.2.3.4": utf8("team-a")}),
        Leaf(dns=["api-1.example.com"], ous=["hr"], extensions={"1.2.3.4": utf8("team-a")}),
        Leaf(dns=["api-1.example.com"], ous=["payments"], extensions={"1.2.3.4": utf8("ops")}),
        Leaf(dns=["api-1.example.com"], ous=["payments"]),
    ):
        leaf = make_leaf(pki.intermediate, "svc.example.com", pki.now, bad)
        assert (await login(fronted, leaf, pki.intermediate)).json() == INVALID, bad
    other_cn = make_leaf(pki.intermediate, "svc.example.org", pki.now, good)
    assert (await login(fronted, other_cn, pki.intermediate)).json() == INVALID


async def test_allowed_names_match_common_name_dns_or_email(fronted: Server, pki: Pki) -> None:
    await trust(fronted, "web", pki.root, allowed_names="ops@*,*.svc")
    cases = {
        "by-email": (Leaf(emails=["ops@example.com"]), 200),
        "x.svc": (Leaf(), 200),
        "by-dns": (Leaf(dns=["db.svc"]), 200),
        "nobody": (Leaf(dns=["db.example"], uris=["spiffe://x.svc"]), 400),
    }
    for cn, (spec, status) in cases.items():
        leaf = make_leaf(pki.intermediate, cn, pki.now, spec)
        assert (await login(fronted, leaf, pki.intermediate)).status_code == status, cn


async def test_allowed_uri_sans(fronted: Server, pki: Pki) -> None:
    await trust(fronted, "web", pki.root, allowed_uri_sans="spiffe://prod/*")
    ok = make_leaf(pki.intermediate, "a", pki.now, Leaf(uris=["spiffe://prod/api"]))
    no = make_leaf(pki.intermediate, "b", pki.now, Leaf(uris=["spiffe://dev/api"]))
    assert (await login(fronted, ok, pki.intermediate)).status_code == 200
    assert (await login(fronted, no, pki.intermediate)).status_code == 400


async def test_ocsp_from_the_leafs_aia_good_and_revoked(fronted: Server, pki: Pki) -> None:
    with OcspResponder(pki.intermediate, pki.now).serving() as responder:
        await trust(fronted, "web", pki.root, ocsp_enabled=True)
        good = make_leaf(pki.intermediate, "good", pki.now, Leaf(ocsp_url=responder.url))
        bad = make_leaf(pki.intermediate, "bad", pki.now, Leaf(ocsp_url=responder.url))
        responder.revoked.add(bad.cert.serial_number)
        assert (await login(fronted, good, pki.intermediate)).status_code == 200
        assert (await login(fronted, bad, pki.intermediate)).json() == INVALID
        assert responder.requests == 2


async def test_ocsp_fails_closed_unless_fail_open(fronted: Server, pki: Pki) -> None:
    with OcspResponder(pki.intermediate, pki.now).serving() as responder:
        responder.broken = True
        await trust(
            fronted, "web", pki.root, ocsp_enabled=True, ocsp_servers_override=responder.url
        )
        assert (await login(fronted, pki.leaf, pki.intermediate)).json() == INVALID
        await fronted.call("POST", "auth/cert/certs/web", {"ocsp_fail_open": True})
        assert (await login(fronted, pki.leaf, pki.intermediate)).status_code == 200
        responder.broken = False
        responder.revoked.add(pki.leaf.cert.serial_number)
        assert (await login(fronted, pki.leaf, pki.intermediate)).json() == INVALID


async def test_ocsp_signed_by_a_stranger_is_no_answer(fronted: Server, pki: Pki) -> None:
    with OcspResponder(pki.other_root, pki.now).serving() as liar:
        await trust(fronted, "web", pki.root, ocsp_enabled=True, ocsp_servers_override=liar.url)
        assert (await login(fronted, pki.leaf, pki.intermediate)).json() == INVALID
        await fronted.call(
            "POST", "auth/cert/certs/web", {"ocsp_ca_certificates": pki.other_root.pem}
        )
        assert (await login(fronted, pki.leaf, pki.intermediate)).status_code == 200


async def test_ocsp_query_all_servers_refuses_when_any_says_revoked(
    fronted: Server, pki: Pki
) -> None:
    with (
        OcspResponder(pki.intermediate, pki.now).serving() as yes,
        OcspResponder(pki.intermediate, pki.now).serving() as no,
    ):
        no.revoked.add(pki.leaf.cert.serial_number)
        servers = [yes.url, no.url]
        await trust(fronted, "web", pki.root, ocsp_enabled=True, ocsp_servers_override=servers)
        assert (await login(fronted, pki.leaf, pki.intermediate)).status_code == 200
        assert no.requests == 0  # the first good answer decided
        await fronted.call("POST", "auth/cert/certs/web", {"ocsp_query_all_servers": True})
        assert (await login(fronted, pki.leaf, pki.intermediate)).json() == INVALID


async def test_alias_metadata_follows_the_config(fronted: Server, pki: Pki) -> None:
    """The log-in's alias is the common name; with enable_identity_alias_metadata its metadata
    is the token's: what the identity engine makes entities from."""
    backend = CertBackend(
        MountContext(
            View(fronted.core.barrier, "auth/t/"), fronted.clock, new_entry(path="t/", type_="cert")
        )
    )
    write = Request("w", Operation.UPDATE, "certs/web", {"certificate": pki.root.pem})
    await backend.handle(write, "certs/web")
    chain = (pki.leaf.der, pki.intermediate.der)
    attempt = Request("l", Operation.UPDATE, "login", {}, client_chain=chain)
    granted = (await backend.handle(attempt, "login")).login
    assert granted is not None
    assert granted.alias_name == "app.example.com"
    assert granted.alias_metadata == {}
    config = Request("c", Operation.UPDATE, "config", {"enable_identity_alias_metadata": "true"})
    await backend.handle(config, "config")
    granted = (await backend.handle(attempt, "login")).login
    assert granted is not None
    assert granted.alias_metadata == granted.metadata
    assert granted.alias_metadata["cert_name"] == "web"


async def test_a_tenant_cannot_log_in_with_another_tenants_certs(fronted: Server, pki: Pki) -> None:
    for ns in ("ns-a", "ns-b"):
        assert (await fronted.call("POST", f"sys/namespaces/{ns}")).status_code == 200
        headers = {"X-Vault-Namespace": ns}
        resp = await fronted.call("POST", "sys/auth/cert", {"type": "cert"}, headers=headers)
        assert resp.status_code == 204, resp.text
    await fronted.call(
        "POST",
        "auth/cert/certs/b-only",
        {"certificate": pki.root.pem},
        headers={"X-Vault-Namespace": "ns-b"},
    )
    ok = await login(fronted, pki.leaf, pki.intermediate, namespace="ns-b")
    assert ok.status_code == 200, ok.text
    assert ok.json()["auth"]["metadata"]["cert_name"] == "b-only"
    # A refused log-in inside a namespace is the core's masked 403 (DESIGN.md invariant 6).
    denied = {"errors": ["permission denied"]}
    refused = await login(fronted, pki.leaf, pki.intermediate, namespace="ns-a")
    assert (refused.status_code, refused.json()) == (403, denied)
    named = await login(fronted, pki.leaf, pki.intermediate, name="b-only", namespace="ns-a")
    assert (named.status_code, named.json()) == (403, denied)
    assert (await login(fronted, pki.leaf, pki.intermediate)).json() == INVALID  # root ns
