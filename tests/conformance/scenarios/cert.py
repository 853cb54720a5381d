"""The TLS certificate auth method's admin paths (certs, crls, config) with hvac's and the
CLI's field types, and a log-in without a client certificate (both dev servers are plain HTTP).
The certificates are made once per run, so both servers see the same PEM."""

from __future__ import annotations

import datetime as dt

from conformance.harness import Scenario, Step
from conformance.scenarios.steps import cli, delete, get, lst, post
from support.cert_pki import crl_pem, make_ca, make_leaf

_NOW = dt.datetime.now(dt.UTC)
_CA = make_ca("conformance-ca", _NOW)
CA = _CA.pem
CRL = crl_pem(_CA, [make_leaf(_CA, "revoked", _NOW)], _NOW)
ENABLE = post("sys/auth/{m}", {"type": "cert"})
CERT = "auth/{m}/certs/web"


def _c(name: str, *steps: Step) -> Scenario:
    return Scenario(f"cert-{name}", [ENABLE, *steps])


SCENARIOS = [
    _c(
        "write-read",
        post(CERT, {"certificate": CA, "token_policies": "a,b", "ttl": 3600}),
        get(CERT, values=True),
    ),
    _c(
        "weak-types",
        post(
            CERT,
            {
                "certificate": CA,
                "allowed_names": "a,b",
                "allowed_common_names": ["*.example.com"],
                "ocsp_enabled": "true",
                "ocsp_servers_override": "http://127.0.0.1:1/ocsp",
                "token_ttl": "1h",
                "token_num_uses": "2",
                "required_extensions": "1.2.3:*",
                "lease": 60,
            },
        ),
        get(CERT, values=True),
    ),
    _c(
        "update-partial",
        post(CERT, {"certificate": CA, "allowed_names": "a"}),
        post(CERT, {"display_name": "x", "max_ttl": 7200, "period": "5s", "policies": "P"}),
        get(CERT, values=True),
    ),
    _c("read-missing", get(CERT)),
    _c("list", post(CERT, {"certificate": CA}), lst("auth/{m}/certs", values=True)),
    _c("list-empty", lst("auth/{m}/certs")),
    _c("delete", post(CERT, {"certificate": CA}), delete(CERT), get(CERT), delete(CERT)),
    _c("no-certificate", post(CERT, {})),
    _c("bad-certificate", post(CERT, {"certificate": "junk"})),
    _c("bad-token-type", post(CERT, {"certificate": CA, "token_type": "nope"})),
    _c(
        "config",
        get("auth/{m}/config", values=True),
        post("auth/{m}/config", {"ocsp_cache_size": "5", "disable_binding": True}),
        get("auth/{m}/config", values=True),
        post("auth/{m}/config", {"ocsp_cache_size": -1}),
    ),
    _c(
        "crl",
        post("auth/{m}/crls/c1", {"crl": CRL}),
        get("auth/{m}/crls/c1", values=True),
        delete("auth/{m}/crls/c1"),
        get("auth/{m}/crls/c1"),
        delete("auth/{m}/crls/c1"),
        post("auth/{m}/crls/c1", {}),
    ),
    _c("login-without-certificate", post("auth/{m}/login", {}, token=None)),
    _c("login-named-without-certificate", post("auth/{m}/login", {"name": "x"}, token=None)),
    _c("cli-read", post(CERT, {"certificate": CA}), cli("read", "-format=json", CERT)),
]
