"""JWT/OIDC `config` and `role/:name`: OpenBao's read shapes (taken from `bao server -dev`
2.7.2), clear 400s for bad configuration, and the client secret never read back."""

from __future__ import annotations

from typing import Any

import pytest

from support.inproc import Server
from support.oidc_provider import CLIENT_SECRET, OidcProvider
from unit.auth.jwt.conftest import configure_oidc, mount

# OpenBao 2.7.2's read of a role made with {"role_type": "jwt", "user_claim": "sub",
# "bound_audiences": "a1"} (token fields at their defaults).
OPENBAO_ROLE = {
    "allowed_redirect_uris": None,
    "bound_audiences": ["a1"],
    "bound_claims": None,
    "bound_claims_type": "string",
    "bound_subject": "",
    "callback_mode": "client",
    "claim_mappings": None,
    "clock_skew_leeway": 0,
    "expiration_leeway": 0,
    "groups_claim": "",
    "max_age": 0,
    "not_before_leeway": 0,
    "oidc_scopes": None,
    "role_type": "jwt",
    "token_bound_cidrs": [],
    "token_explicit_max_ttl": 0,
    "token_max_ttl": 0,
    "token_no_default_policy": False,
    "token_num_uses": 0,
    "token_period": 0,
    "token_policies": [],
    "token_ttl": 0,
    "token_type": "default",
    "user_claim": "sub",
    "user_claim_json_pointer": False,
    "verbose_oidc_logging": False,
}
# OpenBao reads these too; Strongroom does not implement them.
NOT_IMPLEMENTED = {
    "token_policies_template_claims",
    "token_strictly_bind_ip",
    "oidc_disable_confirmation",
    "oauth2_metadata",
}


async def test_role_read_has_openbaos_shape(server: Server) -> None:
    await mount(server)
    body = {"role_type": "jwt", "user_claim": "sub", "bound_audiences": "a1"}
    assert (await server.call("POST", "auth/jwt/role/r1", body)).status_code == 204
    resp = await server.call("GET", "auth/jwt/role/r1")
    assert resp.json()["data"] == OPENBAO_ROLE
    listed = await server.call("LIST", "auth/jwt/role")
    assert listed.json()["data"] == {"keys": ["r1"]}
    assert (await server.call("DELETE", "auth/jwt/role/r1")).status_code == 204
    assert (await server.call("GET", "auth/jwt/role/r1")).status_code == 404
    assert (await server.call("LIST", "auth/jwt/role")).status_code == 404


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            {"user_claim": "sub"},
            "'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified.",
        ),
        ({"role_type": "jwt", "bound_audiences": "a"}, "a user claim must be defined on the role"),
        (
            {"role_type": "jwt", "user_claim": "sub"},
            "must have at least one bound constraint when creating/updating a role",
        ),
        ({"role_type": "canary-type", "user_claim": "sub"}, "invalid 'role_type'"),
        (
            {
                "role_type": "jwt",
                "user_claim": "sub",
                "bound_subject": "a",
                "bound_claims_type": "canary",
            },
            "invalid 'bound_claims_type'",
        ),
        (
            {
                "role_type": "jwt",
                "user_claim": "sub",
                "bound_claims": {"e": 5},
                "bound_claims_type": "glob",
            },
            "claim is not a string",
        ),
        (
            {
                "role_type": "jwt",
                "user_claim": "sub",
                "bound_subject": "a",
                "claim_mappings": {"a": "x", "b": "x"},
            },
            "multiple keys are mapped to the same metadata key",
        ),
        (
            {
                "role_type": "jwt",
                "user_claim": "sub",
                "bound_subject": "a",
                "clock_skew_leeway": "-2",
            },
            'error converting input for field "clock_skew_leeway": expected duration',
        ),
        (
            {"role_type": "jwt", "user_claim": "sub", "bound_subject": "a", "token_type": "canary"},
            "invalid 'token_type' value",
        ),
    ],
)
async def test_bad_roles_are_clear_400s(server: Server, body: dict[str, Any], reason: str) -> None:
    await mount(server)
    resp = await server.call("POST", "auth/jwt/role/r", body)
    assert (resp.status_code, resp.json()) == (400, {"errors": [reason]})


async def test_role_type_defaults_to_oidc_on_every_write(server: Server) -> None:
    """OpenBao's quirk, kept: a write that leaves role_type out makes the role an OIDC one."""
    await mount(server)
    body = {"role_type": "jwt", "user_claim": "sub", "bound_subject": "a"}
    assert (await server.call("POST", "auth/jwt/role/r", body)).status_code == 204
    resp = await server.call("POST", "auth/jwt/role/r", {"expiration_leeway": 30})
    assert resp.status_code == 400
    resp = await server.call(
        "POST", "auth/jwt/role/r", {"role_type": "jwt", "expiration_leeway": "30s"}
    )
    assert resp.status_code == 204
    assert (await server.call("GET", "auth/jwt/role/r")).json()["data"]["expiration_leeway"] == 30


async def test_config_read_never_shows_the_client_secret(
    server: Server, provider: OidcProvider
) -> None:
    await mount(server)
    await configure_oidc(server, provider)
    resp = await server.call("GET", "auth/jwt/config")
    assert resp.status_code == 200
    data = resp.json()["data"]
    assert "oidc_client_secret" not in data
    assert CLIENT_SECRET not in resp.text
    assert data["oidc_discovery_url"] == provider.issuer
    assert data["status"] == "valid"
    assert data["namespace_in_state"] is True


async def test_unconfigured_reads_are_404(server: Server) -> None:
    await mount(server)
    assert (await server.call("GET", "auth/jwt/config")).status_code == 404
    resp = await server.call("POST", "auth/jwt/login", {"role": "r", "jwt": "a.b.c"}, token=None)
    assert resp.json() == {"errors": ["could not load configuration"]}


ONE_SOURCE = (
    "exactly one of 'jwt_validation_pubkeys', 'jwks_url', 'jwks_pairs', 'oidc_discovery_url', "
    "or 'provider_config' must be set"
)


async def test_bad_configs_are_clear_400s(server: Server, provider: OidcProvider) -> None:
    await mount(server)
    other_ca = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"
    cases: list[tuple[dict[str, Any], str]] = [
        ({}, ONE_SOURCE),
        ({"jwks_url": provider.issuer + "/jwks", "jwt_validation_pubkeys": ["x"]}, ONE_SOURCE),
        (
            {"jwt_validation_pubkeys": ["canary-not-a-key"]},
            "error parsing public key: data does not contain any valid public keys",
        ),
        (
            {"jwks_url": provider.issuer + "/jwks"},
            "error checking jwks URL",
        ),  # system CAs: untrusted
        (
            {"jwks_url": provider.issuer + "/nope", "jwks_ca_pem": provider.ca_pem},
            "error checking jwks URL",
        ),
        (
            {"jwks_url": "https://127.0.0.1:1/jwks", "jwks_ca_pem": provider.ca_pem},
            "error checking jwks URL",
        ),
        (
            {"jwks_url": provider.issuer + "/jwks", "jwks_ca_pem": other_ca},
            "could not parse 'jwks_ca_pem': no PEM certificate found",
        ),
        ({"oidc_discovery_url": provider.issuer}, "error checking oidc discovery URL"),
        (
            {
                "oidc_discovery_url": provider.issuer,
                "oidc_discovery_ca_pem": provider.ca_pem,
                "oidc_client_id": "c",
            },
            "both 'oidc_client_id' and 'oidc_client_secret' must be set for OIDC",
        ),
        (
            {
                "jwks_url": provider.issuer + "/jwks",
                "jwks_ca_pem": provider.ca_pem,
                "jwt_supported_algs": ["HS256"],
            },
            "invalid 'jwt_supported_algs'",
        ),
        (
            {
                "jwks_url": provider.issuer + "/jwks",
                "jwks_ca_pem": provider.ca_pem,
                "jwt_supported_algs": "none",
            },
            "invalid 'jwt_supported_algs'",
        ),
    ]
    for body, reason in cases:
        resp = await server.call("POST", "auth/jwt/config", body)
        assert (resp.status_code, resp.json()) == (400, {"errors": [reason]}), body
    skipped = {"jwks_url": "https://127.0.0.1:1/jwks", "skip_jwks_validation": True}
    assert (await server.call("POST", "auth/jwt/config", skipped)).status_code == 204
