"""Trusted certificates, CRLs and config: the bodies and status codes real OpenBao 2.7.2
answered (`bao server -dev`, auth/cert, recorded while building this)."""

from __future__ import annotations

from support.cert_pki import crl_pem, make_leaf
from support.inproc import Server
from unit.auth.cert.cert_harness import Pki, trust

DEFAULT_READ = {
    "allowed_common_names": None,
    "allowed_dns_sans": None,
    "allowed_email_sans": None,
    "allowed_metadata_extensions": None,
    "allowed_names": None,
    "allowed_organizational_units": None,
    "allowed_uri_sans": None,
    "display_name": "web",
    "ocsp_ca_certificates": "",
    "ocsp_enabled": False,
    "ocsp_fail_open": False,
    "ocsp_query_all_servers": False,
    "ocsp_servers_override": None,
    "required_extensions": None,
    "token_bound_cidrs": [],
    "token_explicit_max_ttl": 0,
    "token_max_ttl": 0,
    "token_no_default_policy": False,
    "token_num_uses": 0,
    "token_period": 0,
    "token_policies": ["a", "b"],
    "token_strictly_bind_ip": False,
    "token_ttl": 3600,
    "token_type": "default",
    "ttl": 3600,
}


async def test_write_read_list_delete_as_openbao(fronted: Server, pki: Pki) -> None:
    body = {"certificate": pki.root.pem, "token_policies": "a,b", "ttl": 3600}
    resp = await fronted.call("POST", "auth/cert/certs/web", body)
    assert resp.status_code == 204
    read = await fronted.call("GET", "auth/cert/certs/web")
    assert read.json()["data"] == {**DEFAULT_READ, "certificate": pki.root.pem}
    listed = await fronted.call("LIST", "auth/cert/certs")
    assert listed.json()["data"] == {"keys": ["web"]}
    assert (await fronted.call("DELETE", "auth/cert/certs/web")).status_code == 204
    missing = await fronted.call("GET", "auth/cert/certs/web")
    assert (missing.status_code, missing.json()) == (404, {"errors": []})
    empty = await fronted.call("LIST", "auth/cert/certs")
    assert (empty.status_code, empty.json()) == (404, {"errors": []})
    assert (await fronted.call("DELETE", "auth/cert/certs/nope")).status_code == 204


async def test_an_update_changes_only_the_fields_sent(fronted: Server, pki: Pki) -> None:
    await trust(fronted, "web", pki.root, allowed_names="a,b", token_policies="p")
    body = {"display_name": "x", "max_ttl": 7200, "period": 5, "bound_cidrs": "10.0.0.0/8"}
    assert (await fronted.call("POST", "auth/cert/certs/web", body)).status_code == 204
    data = (await fronted.call("GET", "auth/cert/certs/web")).json()["data"]
    assert data["allowed_names"] == ["a", "b"]
    assert data["token_policies"] == ["p"]
    assert data["display_name"] == "x"
    assert (data["max_ttl"], data["token_max_ttl"]) == (7200, 7200)
    assert (data["period"], data["token_period"]) == (5, 5)
    assert (data["bound_cidrs"], data["token_bound_cidrs"]) == (["10.0.0.0/8"], ["10.0.0.0/8"])


async def test_bad_certificates_and_token_fields_are_400s(fronted: Server, pki: Pki) -> None:
    cases = [
        ("certs/new", {}, "failed to parse certificate"),
        ("certs/new", {"certificate": "junk"}, "failed to parse certificate"),
        ("certs/new", {"certificate": pki.root.pem, "token_type": "nope"}, None),
        ("certs/new", {"certificate": pki.root.pem, "ocsp_ca_certificates": "junk"}, None),
    ]
    for path, body, message in cases:
        resp = await fronted.call("POST", "auth/cert/" + path, body)
        assert resp.status_code == 400, (body, resp.text)
        if message is not None:
            assert resp.json() == {"errors": [message]}
    assert (await fronted.call("GET", "auth/cert/certs/new")).status_code == 404


async def test_config_as_openbao(fronted: Server) -> None:
    default = await fronted.call("GET", "auth/cert/config")
    assert default.json()["data"] == {
        "disable_binding": False,
        "enable_identity_alias_metadata": False,
        "ocsp_cache_size": 0,
    }
    body = {"disable_binding": "true", "ocsp_cache_size": "5"}
    assert (await fronted.call("POST", "auth/cert/config", body)).status_code == 204
    after = (await fronted.call("GET", "auth/cert/config")).json()["data"]
    assert (after["disable_binding"], after["ocsp_cache_size"]) == (True, 5)
    bad = await fronted.call("POST", "auth/cert/config", {"ocsp_cache_size": -1})
    assert bad.json() == {"errors": ["invalid cache size, must be >= 2 and <= 100000"]}


async def test_crls_as_openbao(fronted: Server, pki: Pki) -> None:
    leaf = make_leaf(pki.intermediate, "x", pki.now)
    crl = crl_pem(pki.intermediate, [leaf], pki.now)
    assert (await fronted.call("POST", "auth/cert/crls/c1", {"crl": crl})).status_code == 204
    read = await fronted.call("GET", "auth/cert/crls/c1")
    assert read.json()["data"] == {"serials": {str(leaf.cert.serial_number): {}}}
    assert (await fronted.call("LIST", "auth/cert/crls")).json()["data"] == {"keys": ["c1"]}
    assert (await fronted.call("DELETE", "auth/cert/crls/c1")).status_code == 204
    for method in ("GET", "DELETE"):
        gone = await fronted.call(method, "auth/cert/crls/c1")
        assert (gone.status_code, gone.json()) == (400, {"errors": ["no such CRL c1"]})
    junk = await fronted.call("POST", "auth/cert/crls/c1", {"crl": "junk"})
    assert junk.json() == {"errors": ["failed to parse CRL"]}
    none = await fronted.call("POST", "auth/cert/crls/c1", {})
    assert none.json() == {"errors": ["one of 'crl' or 'url' must be provided"]}
