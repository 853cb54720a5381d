"""A small real Kubernetes API server for tests: loopback HTTPS speaking the TokenReview API
(`POST /apis/authentication.k8s.io/v1/tokenreviews`, authentication.k8s.io/v1) the way the
API server does, and signing service-account tokens as its token controller does.

The bearer token of a review must itself be a valid service-account token (else 401, with a
`Status` body) whose account may create token reviews (`reviewers`, as the
system:auth-delegator binding grants; else 403). A reviewed token is authenticated when its
RS256 signature verifies under the cluster's key, it has not expired, its account still exists
(`delete()` removes one) and, for `spec.audiences`, it carries one of them. Times come from the
clock it is given.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from support.tls import Pki, serving

ISSUER = "https://kubernetes.default.svc.cluster.local"
LEGACY_ISSUER = "kubernetes/serviceaccount"
API_AUDIENCE = ISSUER  # what a projected token without another audience is for


@dataclass
class Account:
    namespace: str
    name: str
    uid: str = field(default_factory=lambda: str(uuid.uuid4()))


@dataclass
class KubeApi:
    pki: Pki
    clock: Callable[[], float]
    key: RSAKey = field(
        default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8)})
    )
    accounts: dict[tuple[str, str], Account] = field(default_factory=dict)
    reviewers: set[tuple[str, str]] = field(default_factory=set)
    host: str = ""
    reviews: int = 0
    bearer_tokens: list[str] = field(default_factory=list)

    @property
    def ca_pem(self) -> str:
        return self.pki.ca.read_text()

    @property
    def public_pem(self) -> str:
        return self.key.as_pem(private=False).decode()

    def account(self, namespace: str, name: str, *, reviewer: bool = False) -> Account:
        found = self.accounts.setdefault((namespace, name), Account(namespace, name))
        if reviewer:
            self.reviewers.add((namespace, name))
        return found

    def delete(self, namespace: str, name: str) -> None:
        self.accounts.pop((namespace, name), None)

    def projected_token(
        self,
        account: Account,
        audience: str = API_AUDIENCE,
        ttl: int = 3600,
        **extra: Any,
    ) -> str:
        """A bound (projected) token, as the TokenRequest API issues them."""
        now = int(self.clock())
        claims = {
            "iss": ISSUER,
            "sub": f"system:serviceaccount:{account.namespace}:{account.name}",
            "aud": [audience],
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "kubernetes.io": {
                "namespace": account.namespace,
                "serviceaccount": {"name": account.name, "uid": account.uid},
                "pod": {"name": f"{account.name}-0", "uid": str(uuid.uuid4())},
            },
            **extra,
        }
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)

    def legacy_token(self, account: Account) -> str:
        """A secret-based token (no expiry), as the token controller wrote them before 1.24."""
        claims = {
            "iss": LEGACY_ISSUER,
            "sub": f"system:serviceaccount:{account.namespace}:{account.name}",
            "kubernetes.io/serviceaccount/namespace": account.namespace,
            "kubernetes.io/serviceaccount/secret.name": f"{account.name}-token-abcde",
            "kubernetes.io/serviceaccount/service-account.name": account.name,
            "kubernetes.io/serviceaccount/service-account.uid": account.uid,
        }
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)

    def authenticate(self, token: str, audiences: list[str] | None = None) -> Account | None:
        """The account `token` belongs to, if the API server would accept it."""
        try:
            claims = jwt.decode(token, self.key, algorithms=["RS256"]).claims
        except (JoseError, ValueError):
            return None
        if "exp" in claims and claims["exp"] < self.clock():
            return None
        if audiences is not None:
            aud = claims.get("aud", [API_AUDIENCE] if claims.get("iss") == ISSUER else [])
            if not set(audiences) & set(aud):
                return None
        parts = str(claims.get("sub", "")).split(":")
        if len(parts) != 4:
            return None
        return self.accounts.get((parts[2], parts[3]))

    def token_review(self, bearer: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.reviews += 1
        self.bearer_tokens.append(bearer)
        caller = self.authenticate(bearer)
        if caller is None:
            return 401, _status(401, "Unauthorized", "Unauthorized")
        if (caller.namespace, caller.name) not in self.reviewers:
            reason = (
                f'tokenreviews.authentication.k8s.io is forbidden: User "system:serviceaccount:'
                f'{caller.namespace}:{caller.name}" cannot create resource "tokenreviews"'
            )
            return 403, _status(403, "Forbidden", reason)
        spec = body.get("spec", {})
        wanted = spec.get("audiences") or None
        account = self.authenticate(str(spec.get("token", "")), wanted)
        status: dict[str, Any] = {"authenticated": False, "error": "invalid bearer token"}
        if account is not None:
            status = {
                "authenticated": True,
                "user": {
                    "username": f"system:serviceaccount:{account.namespace}:{account.name}",
                    "uid": account.uid,
                    "groups": [
                        "system:serviceaccounts",
                        f"system:serviceaccounts:{account.namespace}",
                    ],
                },
                "audiences": wanted or [API_AUDIENCE],
            }
        answer = {
            "kind": "TokenReview",
            "apiVersion": "authentication.k8s.io/v1",
            "metadata": {"creationTimestamp": None},
            "spec": spec,
            "status": status,
        }
        return 201, answer


def _status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }


class _Handler(BaseHTTPRequestHandler):
    api: KubeApi

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if self.path != "/apis/authentication.k8s.io/v1/tokenreviews":
            status, body = 404, _status(404, "NotFound", "the server could not find the resource")
        else:
            bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = None
            if not isinstance(parsed, dict) or parsed.get("kind") != "TokenReview":
                status, body = 400, _status(400, "BadRequest", "not a TokenReview")
            else:
                status, body = self.api.token_review(bearer, parsed)
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@contextmanager
def running(pki: Pki, clock: Callable[[], float]) -> Iterator[KubeApi]:
    """The API server on a free loopback port until the block ends."""
    api = KubeApi(pki, clock)
    handler = type("Handler", (_Handler,), {"api": api})
    with serving(pki, handler) as url:
        api.host = url
        yield api
