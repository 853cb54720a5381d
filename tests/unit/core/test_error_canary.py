"""A canary planted in every field of bad requests, over every engine and `sys/`, never comes
back in an error body nor reaches the operational log (DESIGN.md invariant 11, STYLE.md habit 6).

Names of known things may be repeated (a mount path the caller created, a field name); what the
caller submitted as a value, a type, an algorithm or the name of something unknown may not.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from support.inproc import Server

C = "cAnArY-s3cr3t-4f1d"  # secret-looking, yet valid in a path segment
Request = tuple[str, str, Any]

SETUP: list[Request] = [
    ("POST", "sys/mounts/transit", {"type": "transit"}),
    ("POST", "sys/mounts/database", {"type": "database"}),
    ("POST", "sys/mounts/rabbitmq", {"type": "rabbitmq"}),
    ("POST", "sys/mounts/kv", {"type": "kv", "options": {"version": "2"}}),
    ("POST", "sys/auth/approle", {"type": "approle"}),
    ("POST", "transit/keys/aes", {"type": "aes256-gcm96"}),
    ("POST", "transit/keys/rsa", {"type": "rsa-2048"}),
    ("POST", "auth/approle/role/r", {}),
    ("POST", "sys/auth/jwt", {"type": "jwt"}),
    ("POST", "sys/auth/kubernetes", {"type": "kubernetes"}),
]
SYS: list[Request] = [
    ("POST", "sys/mounts/x", {"type": C}),
    ("POST", "sys/mounts/x", {"type": "kv", "options": {"version": C}, "config": C}),
    ("POST", "sys/mounts/x", {"type": "kv", "config": {"default_lease_ttl": C}}),
    ("POST", "sys/auth/x", {"type": C}),
    ("POST", "sys/audit/a", {"type": C, "options": {"file_path": C}}),
    ("POST", "sys/mounts/kv/tune", {"options": {"version": C}}),
    ("POST", "sys/mounts/kv/tune", {"default_lease_ttl": C, "max_lease_ttl": C}),
    ("POST", "sys/remount", {"from": "kv", "to": "sys/" + C}),
    ("POST", "sys/policies/acl/p", {"policy": C}),
    ("POST", "sys/policies/acl/p", {"policy": f'path "a" {{ capabilities = ["{C}"] }}'}),
    ("POST", "sys/policies/acl/p", {"policy": f'path "a" {{ {C} = 1 }}'}),
    ("POST", "sys/policies/password/p", {"policy": f'length = 8\nrule "{C}" {{}}'}),
    ("POST", "sys/policies/password/p", {"policy": f'length = "{C}"'}),
    ("POST", "sys/quotas/rate-limit/q", {"rate": C, "interval": C}),
    ("POST", "sys/quotas/rate-limit/q", {"rate": 1, "path": C + "/"}),
    ("POST", "sys/quotas/rate-limit/q", {"rate": 1, "path": "kv/" + C + "*/x"}),
    ("PUT", "sys/unseal", {"key": C}),
    ("PUT", "sys/init", {"secret_shares": C, "secret_threshold": C}),
    ("POST", "sys/wrapping/unwrap", {"token": C}),
    ("POST", "sys/wrapping/lookup", {"token": C}),
    ("POST", "sys/leases/lookup", {"lease_id": C}),
    ("POST", "sys/leases/renew", {"lease_id": C, "increment": C}),
    ("POST", "sys/capabilities", {"token": C, "paths": [C]}),
    ("POST", "auth/token/lookup", {"token": C}),
    ("POST", "auth/token/create", {"ttl": C, "period": C, "type": C, "num_uses": C}),
    ("POST", "auth/token/create/" + C, {}),
    ("POST", "auth/token/roles/tr", {"token_type": C, "allowed_policies": C}),
]
ENGINES: list[Request] = [
    ("POST", "transit/keys/k", {"type": C}),
    ("POST", "transit/keys/k", {"type": "hmac", "key_size": C}),
    ("POST", "transit/keys/k", {"type": "aes256-gcm96", "auto_rotate_period": C}),
    ("POST", "transit/encrypt/aes", {"plaintext": C, "context": C, "key_version": C}),
    ("POST", "transit/decrypt/aes", {"ciphertext": C}),
    ("POST", "transit/decrypt/aes", {"ciphertext": "vault:v1:" + C}),
    ("POST", "transit/decrypt/aes", {"ciphertext": f"vault:v{C}:AAAA"}),
    ("POST", "transit/rewrap/aes", {"ciphertext": C}),
    ("POST", "transit/hash", {"input": C, "algorithm": C, "format": C}),
    ("POST", "transit/hash/" + C, {"input": "aGk="}),
    ("POST", "transit/hmac/aes", {"input": "aGk=", "algorithm": C}),
    ("POST", "transit/sign/rsa", {"input": C, "hash_algorithm": C}),
    ("POST", "transit/sign/rsa", {"input": "aGk=", "signature_algorithm": C}),
    ("POST", "transit/sign/rsa", {"input": "aGk=", "salt_length": C}),
    ("POST", "transit/verify/rsa", {"input": "aGk=", "signature": C}),
    ("GET", f"transit/export/{C}/aes", None),
    ("GET", f"transit/export/encryption-key/{C}", None),
    ("POST", "transit/keys/aes/config", {"min_decryption_version": C, "exportable": C}),
    ("POST", f"transit/keys/{C}/config", {}),
    ("DELETE", f"transit/keys/{C}", None),
    ("POST", "transit/random", {"format": C, "bytes": C}),
    ("POST", "transit/random/" + C, {}),
    ("POST", "transit/restore", {"backup": C}),
    ("POST", "transit/keys/k/import", {"ciphertext": C, "hash_function": C, "type": C}),
    ("POST", "transit/datakey/plaintext/aes", {"bits": C, "context": C}),
    ("POST", "database/config/db", {"plugin_name": C, "connection_url": C}),
    (
        "POST",
        "database/config/db",
        {
            "plugin_name": "postgresql-database-plugin",
            "connection_url": C,
            "verify_connection": False,
            "username_template": "{{" + C + "}}",
            "max_open_connections": C,
        },
    ),
    ("POST", "database/roles/r", {"db_name": C, "creation_statements": C, "default_ttl": C}),
    ("POST", "database/static-roles/s", {"db_name": C, "username": C, "rotation_period": C}),
    ("POST", "database/static-roles/s", {"db_name": C, "rotation_schedule": C}),
    ("GET", "database/creds/" + C, None),
    ("GET", "database/static-creds/" + C, None),
    ("POST", "rabbitmq/roles/r", {"vhosts": C, "tags": C, "vhost_topics": C}),
    ("POST", "rabbitmq/roles/r", {"vhosts": {C: {"configure": 1}}}),
    ("POST", "rabbitmq/config/lease", {"ttl": C, "max_ttl": C}),
    ("POST", "rabbitmq/config/connection", {"connection_uri": C, "username": C, "password": C}),
    ("GET", "rabbitmq/creds/" + C, None),
    ("POST", "kv/config", {"max_versions": C, "cas_required": C, "delete_version_after": C}),
    ("POST", "kv/data/x", {"data": C}),
    ("POST", "kv/data/x", {"options": {"cas": C}, "data": {"a": "b"}}),
    ("POST", "kv/delete/x", {"versions": C}),
    ("POST", "kv/undelete/x", {"versions": [C]}),
    ("POST", "kv/metadata/x", {"custom_metadata": C, "max_versions": C}),
    ("GET", f"kv/data/x?version={C}", None),
    ("POST", "auth/approle/role/r", {"token_ttl": C, "secret_id_num_uses": C}),
    ("POST", "auth/approle/role/r", {"bind_secret_id": C, "token_type": C}),
    ("POST", "auth/approle/login", {"role_id": C, "secret_id": C}),
    ("POST", f"auth/approle/role/{C}/secret-id", {}),
    ("POST", "auth/approle/role/r/secret-id/lookup", {"secret_id": C}),
    ("POST", "auth/jwt/config", {"jwks_url": C, "jwks_ca_pem": C, "default_role": C}),
    ("POST", "auth/jwt/config", {"jwt_validation_pubkeys": [C], "jwt_supported_algs": C}),
    ("POST", "auth/jwt/config", {"oidc_discovery_url": C, "oidc_client_secret": C}),
    ("POST", "auth/jwt/role/r", {"role_type": C, "bound_claims_type": C, "user_claim": C}),
    ("POST", "auth/jwt/role/r", {"role_type": "jwt", "clock_skew_leeway": C}),
    ("POST", "auth/jwt/login", {"role": C, "jwt": C}),
    ("POST", "auth/jwt/oidc/auth_url", {"role": C, "redirect_uri": C}),
    ("GET", f"auth/jwt/oidc/callback?state={C}&code={C}", None),
    ("POST", "auth/kubernetes/config", {"kubernetes_host": "", "token_reviewer_jwt": C}),
    ("POST", "auth/kubernetes/config", {"kubernetes_host": "h", "kubernetes_ca_cert": C}),
    ("POST", "auth/kubernetes/role/r", {"bound_service_account_names": C, "alias_name_source": C}),
    ("POST", "auth/kubernetes/login", {"role": C, "jwt": C}),
]


@pytest.fixture
async def mounted(server: Server) -> Server:
    for method, path, body in SETUP:
        resp = await server.call(method, path, body)
        assert resp.status_code in (200, 204), (path, resp.text)
    return server


@pytest.mark.parametrize(("method", "path", "body"), SYS + ENGINES)
async def test_no_error_or_log_line_repeats_the_canary(
    mounted: Server, caplog: pytest.LogCaptureFixture, method: str, path: str, body: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    resp = await mounted.call(method, path, body)
    assert resp.status_code < 500, resp.text
    assert C not in resp.text or resp.status_code < 400, resp.text
    # The access log names each request's path, as Vault's request log does; httpx is the client
    logged = [r for r in caplog.records if r.name not in ("strongroom.access", "httpx")]
    assert not [r.getMessage() for r in logged if C in r.getMessage() or C in (r.exc_text or "")]
