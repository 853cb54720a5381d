"""A real OpenID Connect provider for tests, on loopback HTTPS, built on authlib's OAuth 2.0
authorization server (RFC 6749 code grant, RFC 7636 PKCE, OIDC Core ID tokens).

It serves discovery (`/.well-known/openid-configuration`), its JWKS (`/jwks`), an
authorization endpoint that approves the one test user at once (302 to the redirect URI with
`code` and `state`), and a token endpoint (client_secret_basic) that checks the code, the
redirect URI and the PKCE verifier before it hands out an ID token. `rotate()` replaces the
signing key with one under a new `kid`; `sign()` makes plain JWTs for JWT log-in tests. Times
in the tokens come from the clock it is given, so a test moves them by hand.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from support.tls import Pki, serving

CLIENT_ID = "strongroom-test"
CLIENT_SECRET = "client-secret-canary-5e0c"


@dataclass
class User:
    sub: str = "alice"
    email: str = "alice@example.test"
    groups: tuple[str, ...] = ("engineers", "oncall")


@dataclass
class _Client(ClientMixin):  # type: ignore[misc]
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return scope

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "client_secret_basic" if endpoint == "token" else True

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class _Code(AuthorizationCodeMixin):  # type: ignore[misc]
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str
    code_challenge: str
    code_challenge_method: str
    user: User
    auth_time: int

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


class _Request(OAuth2Request):  # type: ignore[misc]
    def __init__(
        self, method: str, uri: str, data: dict[str, str], headers: dict[str, str]
    ) -> None:
        super().__init__(method, uri, headers=headers)
        self.payload = BasicOAuth2Payload(data)
        self._data = data

    @property
    def args(self) -> dict[str, str]:
        return self._data

    @property
    def form(self) -> dict[str, str]:
        return self._data


def _new_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8)}, auto_kid=False)


@dataclass
class OidcProvider:
    pki: Pki
    clock: Callable[[], float]
    redirect_uris: list[str] = field(default_factory=list)
    user: User = field(default_factory=User)
    key: RSAKey = field(default_factory=_new_key)
    old_keys: list[RSAKey] = field(default_factory=list)
    issuer: str = ""
    ttl: int = 600
    codes: dict[str, _Code] = field(default_factory=dict)
    token_requests: int = 0
    jwks_requests: int = 0
    _server: AuthorizationServer | None = None

    @property
    def ca_pem(self) -> str:
        return self.pki.ca.read_text()

    def rotate(self, *, keep_old: bool = False) -> None:
        """A new signing key under a new kid; the old one stays published if `keep_old`."""
        if keep_old:
            self.old_keys.append(self.key)
        self.key = _new_key()

    def jwks(self) -> dict[str, Any]:
        keys = [k.as_dict(private=False) for k in (self.key, *self.old_keys)]
        return {"keys": keys}

    def claims(self, **extra: Any) -> dict[str, Any]:
        now = int(self.clock())
        base: dict[str, Any] = {
            "iss": self.issuer,
            "sub": self.user.sub,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + self.ttl,
            "email": self.user.email,
            "groups": list(self.user.groups),
        }
        base.update(extra)
        return {k: v for k, v in base.items() if v is not None}

    def sign(self, claims: dict[str, Any], *, key: RSAKey | None = None, **header: Any) -> str:
        used = key or self.key
        return jwt.encode({"alg": "RS256", "kid": used.kid, **header}, claims, used)

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    # -- authlib's server ----------------------------------------------------------------------

    def authorization_server(self) -> AuthorizationServer:
        if self._server is None:
            self._server = _build_server(self)
        return self._server


class _CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    """The code grant over the provider's in-memory codes (authlib's four storage hooks)."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]  # noqa: RUF012 - authlib's API

    @property
    def provider(self) -> OidcProvider:
        found: OidcProvider = self.server.provider
        return found

    def save_authorization_code(self, code: str, request: _Request) -> None:
        data = request.payload.data
        self.provider.codes[code] = _Code(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=data.get("redirect_uri", ""),
            scope=data.get("scope", ""),
            nonce=data.get("nonce", ""),
            code_challenge=data.get("code_challenge", ""),
            code_challenge_method=data.get("code_challenge_method", ""),
            user=request.user,
            auth_time=int(self.provider.clock()),
        )

    def query_authorization_code(self, code: str, client: _Client) -> _Code | None:
        found = self.provider.codes.get(code)
        return found if found and found.client_id == client.client_id else None

    def delete_authorization_code(self, authorization_code: _Code) -> None:
        self.provider.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: _Code) -> User:
        return authorization_code.user


class _IdTokens(OpenIDCode):  # type: ignore[misc]
    """ID tokens signed with the provider's current key, timed by its clock. The arguments
    these hooks ignore are authlib's signatures."""

    def __init__(self, provider: OidcProvider) -> None:
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: _Request) -> bool:  # noqa: ARG002
        return False

    def resolve_client_private_key(self, client: _Client) -> KeySet:  # noqa: ARG002
        return KeySet([self.provider.key])

    def get_client_algorithm(self, client: _Client) -> str:  # noqa: ARG002
        return "RS256"

    def get_encode_header(self, client: _Client) -> dict[str, str]:  # noqa: ARG002
        return {"alg": "RS256", "kid": self.provider.key.kid or ""}

    def get_client_claims(self, client: _Client) -> dict[str, Any]:  # noqa: ARG002
        now = int(self.provider.clock())
        return {
            "iss": self.provider.issuer,
            "aud": [CLIENT_ID],
            "iat": now,
            "exp": now + self.provider.ttl,
            "auth_time": now,
        }

    def generate_user_info(self, user: User, scope: str) -> UserInfo:  # noqa: ARG002
        return UserInfo(sub=user.sub, email=user.email, groups=list(user.groups))


class _Server(AuthorizationServer):  # type: ignore[misc]
    """authlib's server without a web framework: requests are built by the handler."""

    def __init__(self, provider: OidcProvider) -> None:
        super().__init__()
        self.provider = provider
        self.client = _Client(CLIENT_ID, CLIENT_SECRET, provider.redirect_uris)

    def query_client(self, client_id: str) -> _Client | None:
        return self.client if client_id == CLIENT_ID else None

    def save_token(self, token: dict[str, Any], request: _Request) -> None:
        pass

    def create_oauth2_request(self, request: _Request) -> _Request:
        return request  # already built from the HTTP request by the handler

    def handle_response(
        self, status: int, body: Any, headers: list[tuple[str, str]]
    ) -> tuple[int, Any, list[tuple[str, str]]]:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        pass


def _build_server(provider: OidcProvider) -> AuthorizationServer:
    server = _Server(provider)
    access_tokens = BearerTokenGenerator(lambda **_kw: secrets.token_urlsafe(24))
    server.register_token_generator("default", access_tokens)
    server.register_grant(_CodeGrant, [CodeChallenge(required=True), _IdTokens(provider)])
    return server


class _Handler(BaseHTTPRequestHandler):
    provider: OidcProvider

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's
        pass

    def _answer(self, status: int, body: Any, headers: Sequence[tuple[str, str]] = ()) -> None:
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        provider = self.provider
        url = urlsplit(self.path)
        if url.path == "/.well-known/openid-configuration":
            self._answer(200, provider.discovery())
        elif url.path == "/jwks":
            provider.jwks_requests += 1
            self._answer(200, provider.jwks())
        elif url.path == "/authorize":
            query = dict(parse_qsl(url.query))
            request = _Request("GET", provider.issuer + self.path, query, dict(self.headers))
            server = provider.authorization_server()
            grant = server.get_authorization_grant(request)
            status, body, headers = server.create_authorization_response(
                request, grant_user=provider.user, grant=grant
            )
            self._answer(status, body or b"", headers)
        else:
            self._answer(404, {"error": "not_found"})

    def do_POST(self) -> None:
        provider = self.provider
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(parse_qsl(self.rfile.read(length).decode()))
        if urlsplit(self.path).path != "/token":
            self._answer(404, {"error": "not_found"})
            return
        provider.token_requests += 1
        request = _Request("POST", provider.issuer + self.path, form, dict(self.headers))
        status, body, headers = provider.authorization_server().create_token_response(request)
        self._answer(status, body, headers)


@contextmanager
def running(
    pki: Pki, clock: Callable[[], float], redirect_uris: list[str]
) -> Iterator[OidcProvider]:
    """The provider serving on a free loopback port until the block ends."""
    provider = OidcProvider(pki, clock, redirect_uris)
    handler = type("Handler", (_Handler,), {"provider": provider})
    with serving(pki, handler) as url:
        provider.issuer = url
        yield provider
