"""Keys (`keys/import`, `key/:ref`, `config/keys`), issuance below `issuer/:ref/`,
`revoke-with-key`, `root/generate/existing` and the unauthenticated paths."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from unit.engines.pki.conftest import Api
from unit.engines.pki.test_issuance import load, root_and_intermediate


def pkcs8(key: ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


async def test_import_a_key_and_make_a_root_with_it(api: Api) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    imported = await api.data("keys/import", {"pem_bundle": pkcs8(key), "key_name": "mine"})
    assert imported["key_type"] == "ed25519"
    again = await api.post("keys/import", {"pem_bundle": pkcs8(key)})
    assert again["data"]["key_id"] == imported["key_id"]
    assert again["warnings"] == ["Key already imported, use key/ endpoint to update name."]
    root = await api.data(
        "root/generate/existing", {"common_name": "R", "key_ref": "mine", "ttl": "1h"}
    )
    assert root["key_id"] == imported["key_id"]
    public = load(root["certificate"]).public_key()
    assert public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) == (
        key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    assert (await api.get("config/keys"))["data"]["default"] == imported["key_id"]
    renamed = await api.data("key/mine", {"key_name": "ours"})
    assert renamed["key_name"] == "ours"
    assert await api.error("POST", "keys/import", {"pem_bundle": "not a key"}) == (
        "unable to parse the private key"
    )


async def test_issue_below_a_named_issuer(api: Api) -> None:
    root, intermediate = await root_and_intermediate(api)
    await api.post("roles/web", {"allowed_domains": "example.com", "allow_subdomains": True})
    by_root = await api.data("issuer/root/issue/web", {"common_name": "a.example.com"})
    load(by_root["certificate"]).verify_directly_issued_by(load(root))
    by_default = await api.data("issue/web", {"common_name": "a.example.com"})
    load(by_default["certificate"]).verify_directly_issued_by(load(intermediate))


async def test_revoke_with_key_needs_the_matching_key(api: Api) -> None:
    await root_and_intermediate(api)
    await api.post("roles/web", {"allow_any_name": True, "key_type": "ec"})
    leaf = await api.data("issue/web", {"common_name": "a.example.com"})
    other = pkcs8(ec.generate_private_key(ec.SECP256R1()))
    body = {"serial_number": leaf["serial_number"], "private_key": other}
    assert await api.error("POST", "revoke-with-key", body) == (
        "failed to validate private key match with certificate's public key"
    )
    body["private_key"] = leaf["private_key"]
    assert (await api.data("revoke-with-key", body))["state"] == "revoked"


async def test_open_paths_need_no_token_and_the_rest_do(api: Api) -> None:
    await root_and_intermediate(api)
    for path in ("ca", "ca/pem", "ca_chain", "crl", "crl/pem", "cert/ca", "issuer/root/json"):
        resp = await api.server.call("GET", "pki/" + path, token=None)
        assert resp.status_code == 200, path
    listed = await api.server.call("LIST", "pki/issuers", token=None)
    assert listed.status_code == 200
    for method, path in (("GET", "pki/issuer/root"), ("LIST", "pki/keys"), ("LIST", "pki/certs")):
        resp = await api.server.call(method, path, token=None)
        assert resp.status_code == 403, path
