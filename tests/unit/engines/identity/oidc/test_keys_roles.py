"""Keys, roles and the issuer config: the answers real OpenBao 2.7.2 gave to the same requests
(`bao server -dev`, recorded by hand; names are left out of our error texts, as invariant 11
asks, where OpenBao quotes them)."""

from __future__ import annotations

import pytest

from unit.engines.identity.oidc.oidc_api import OidcApi


async def test_the_default_key_and_a_new_keys_shape(api: OidcApi) -> None:
    assert (await api.get("key/default"))["data"] == {
        "algorithm": "RS256",
        "allowed_client_ids": ["*"],
        "rotation_period": 86400,
        "verification_ttl": 86400,
    }
    await api.key("k1", algorithm="ES256")
    assert (await api.get("key/k1"))["data"] == {
        "algorithm": "ES256",
        "allowed_client_ids": [],
        "rotation_period": 86400,
        "verification_ttl": 86400,
    }
    await api.key("k1", allowed_client_ids="*", verification_ttl="2h", rotation_period="1h")
    assert (await api.get("key/k1"))["data"]["verification_ttl"] == 7200
    assert (await api.expect("LIST", "key"))["data"] == {"keys": ["default", "k1"]}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"algorithm": "XX"}, "unknown signing algorithm"),
        ({"rotation_period": "30s"}, "rotation_period must be at least one minute"),
        (
            {"rotation_period": "1m", "verification_ttl": "1h"},
            "verification_ttl cannot be longer than 10x rotation_period",
        ),
    ],
)
async def test_bad_keys_are_400s(api: OidcApi, body: dict[str, str], error: str) -> None:
    assert await api.error("POST", "key/k2", body) == error


async def test_keys_in_use_and_the_default_key_are_not_deleted(api: OidcApi) -> None:
    await api.key("k", verification_ttl="1h", rotation_period="1h")
    await api.role("r", key="k", ttl="30m")
    assert await api.error("DELETE", "key/k") == (
        "unable to delete key because it is currently referenced by these roles: r"
    )
    assert await api.error("DELETE", "key/default") == 'deletion of key "default" not allowed'
    assert (await api.error("POST", "key/k", {"verification_ttl": "10m"})).startswith(
        "unable to update key because it is currently referenced by one or more roles"
    )
    await api.expect("DELETE", "role/r", status=204)
    await api.expect("DELETE", "key/k", status=204)
    await api.expect("DELETE", "key/k", status=204)  # deleting what is gone is a 204
    await api.expect("GET", "key/k", status=404)
    assert await api.error("POST", "key/k/rotate") == "no named key found"


async def test_roles_shape_defaults_and_updates(api: OidcApi) -> None:
    await api.key("k", verification_ttl="1h", rotation_period="1h")
    role = await api.role("r", key="k", ttl=60, template="eyJhIjoxfQ==")  # base64 of {"a":1}
    assert len(role.pop("client_id")) == 26
    assert role == {"key": "k", "template": '{"a":1}', "ttl": 60}
    await api.expect("POST", "role/r", {"client_id": "mine"}, 204)
    assert (await api.get("role/r"))["data"]["client_id"] == "mine"
    assert (await api.expect("LIST", "role"))["data"] == {"keys": ["r"]}
    await api.expect("DELETE", "role/r", status=204)
    await api.expect("LIST", "role", status=404)
    await api.expect("GET", "role/r", status=404)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "the key parameter is required"),
        ({"key": "nokey"}, "cannot find key"),
        (
            {"key": "k", "ttl": "2h"},
            (
                "a role's token ttl cannot be longer than the verification_ttl of the key it "
                "references"
            ),
        ),
        ({"key": "k", "ttl": 60, "template": "[1,2]"}, "error parsing template JSON: "),
        ({"key": "k", "ttl": 60, "template": "{bad"}, "error parsing template JSON: "),
        (
            {"key": "k", "ttl": 60, "template": '{"a": {{identity.entity.nope}}}'},
            "error parsing template: no value could be found for one of the template directives",
        ),
        (
            {"key": "k", "ttl": 60, "template": '{"a": {{identity.entity.id}'},
            "error parsing template: unbalanced templating characters",
        ),
        (
            {"key": "k", "ttl": 60, "template": '{"a": {{time.now.plus.xyz}} }'},
            "error parsing template: invalid duration",
        ),
        (  # schemathesis over our own document: not ASCII, so not base64 either (was a 500)
            {"key": "k", "ttl": 60, "template": "\u00b7\u00f7"},
            "error parsing template JSON",
        ),
        (
            {"key": "k", "ttl": 60, "template": '{"iss": "x"}'},
            (
                'top level key "iss" not allowed. Restricted keys: iat, aud, exp, iss, sub, '
                "namespace, nonce, auth_time, at_hash, c_hash"
            ),
        ),
    ],
)
async def test_bad_roles_are_400s(api: OidcApi, body: dict[str, object], error: str) -> None:
    await api.key("k", verification_ttl="1h", rotation_period="1h")
    assert (await api.error("POST", "role/r", body)).startswith(error)
    await api.expect("GET", "role/r", status=404)


async def test_the_issuer_config(api: OidcApi) -> None:
    assert (await api.get("config"))["data"] == {"issuer": ""}
    answer = await api.post("config", {"issuer": "https://example.com:8200"})
    assert answer["data"] is None
    assert answer["warnings"][0].startswith('If "issuer" is set explicitly')
    assert (await api.get("config"))["data"] == {"issuer": "https://example.com:8200"}
    discovery = await api.get(".well-known/openid-configuration")
    assert discovery["issuer"] == "https://example.com:8200/v1/identity/oidc"
    for bad in ("https://example.com/path", "https://example.com/?x=1", "example.com", "ht!tp:/"):
        assert (await api.error("POST", "config", {"issuer": bad})).startswith(
            "invalid issuer, which must include only a scheme, host, and optional port"
        )
    await api.expect("POST", "config", {"issuer": ""}, 204)
    assert (await api.get("config"))["data"] == {"issuer": ""}


async def test_json_sent_as_a_form_is_json_and_a_form_is_a_form(api: OidcApi) -> None:
    """curl -d labels JSON `application/x-www-form-urlencoded`; Vault sniffs for `{`."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    sent = await api.server.call(
        "POST", f"{api.mount}/key/k", None, content=b'{"algorithm": "ES384"}', headers=form
    )
    assert sent.status_code == 204, sent.text
    sent = await api.server.call(
        "POST",
        f"{api.mount}/key/k",
        None,
        content=b"algorithm=EdDSA&verification_ttl=2h",
        headers=form,
    )
    assert sent.status_code == 204, sent.text
    assert (await api.get("key/k"))["data"]["algorithm"] == "EdDSA"
    assert (await api.get("key/k"))["data"]["verification_ttl"] == 7200
    bad = await api.server.call(
        "POST", f"{api.mount}/key/k", None, content=b"a=%ZZ&&=", headers=form
    )
    assert bad.status_code == 400
