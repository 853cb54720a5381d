"""The OIDC authorization-code flow (Vault's path_oidc.go; api-docs/auth/jwt "OIDC
Authorization URL Request", "OIDC Callback"), with PKCE (RFC 7636, S256) and a nonce.

`oidc/auth_url` starts a log-in: it keeps a pending record (role, redirect URI, nonce, PKCE
verifier) under the hash of a fresh 256-bit `state` for five minutes, in the mount's storage,
so any worker can finish it and a state begun in one namespace means nothing in another.
`oidc/callback` (GET, or POST for `form_post`) spends the state once, exchanges the code at the
provider's token endpoint with the verifier and the client secret, verifies the ID token
(signature, issuer, audience = client ID, nonce, times) and the role's bounds.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import secrets
from typing import Annotated
from urllib.parse import urlencode, urlsplit

import msgspec
from msgspec import Meta

from strongroom.auth.jwt.claims import Expected
from strongroom.auth.jwt.context import JwtContext, missing_role
from strongroom.auth.jwt.keys import Discovery, KeyProblem
from strongroom.auth.jwt.login import granted, verified
from strongroom.auth.jwt.models import Config, PendingLogin, Role
from strongroom.errors import BadRequest
from strongroom.logical import Request, Response
from strongroom.logical.outbound import Unreachable

AUTH_URL_SYNOPSIS = "Request an authorization URL to start an OIDC login flow."
CALLBACK_SYNOPSIS = "Callback endpoint to complete an OIDC login."
STATE_SECONDS = 300.0  # Vault's oidcRequestTimeout
NOT_CONFIGURED = "OIDC login is not configured for this mount"
_BAD_STATE = "OpenBao login failed. Expired or missing OAuth state."
_LOOPBACK = ("localhost",)


class AuthUrlRequest(msgspec.Struct, frozen=True, kw_only=True):
    role: Annotated[
        str, Meta(description="The role to issue an OIDC authorization URL against.")
    ] = ""
    redirect_uri: Annotated[
        str, Meta(description="The OAuth redirect_uri to use in the authorization URL.")
    ] = ""
    client_nonce: Annotated[
        str,
        Meta(
            description=(
                "Optional client-provided nonce that must match during callback, if present."
            )
        ),
    ] = ""


class Callback(msgspec.Struct, frozen=True, kw_only=True):
    state: Annotated[str, Meta(description="The state the authorization URL carried.")] = ""
    code: Annotated[str, Meta(description="The authorization code from the provider.")] = ""
    id_token: Annotated[str, Meta(description="ID token of the form_post response mode.")] = ""
    client_nonce: Annotated[str, Meta(description="The client_nonce given to auth_url.")] = ""
    error: Annotated[str, Meta(description="An error the provider reported.")] = ""
    error_description: Annotated[str, Meta(description="The provider's error text.")] = ""


def _loopback(host: str) -> bool:
    if host in _LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_redirect(uri: str, allowed: tuple[str, ...]) -> bool:
    """Exact match, except that a loopback URI may use any port (RFC 8252 §7.3, as Vault)."""
    if uri in allowed:
        return True
    given = urlsplit(uri)
    if not _loopback(given.hostname or ""):
        return False
    for candidate in allowed:
        want = urlsplit(candidate)
        same = (want.scheme, want.hostname, want.path) == (given.scheme, given.hostname, given.path)
        if same and want.query == given.query:
            return True
    return False


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


async def _oidc_role(ctx: JwtContext, name: str) -> tuple[Config, str, Role]:
    config = await ctx.store.config()
    if config is None or not config.oidc_ready():
        raise BadRequest(NOT_CONFIGURED)
    chosen, role = await ctx.login_role(name, config)
    if role.role_type != "oidc":
        raise BadRequest("role is not an OIDC role")
    return config, chosen, role


async def _discovery(ctx: JwtContext, config: Config) -> Discovery:
    try:
        return await ctx.keys.discovery(config)
    except KeyProblem:
        raise BadRequest("error fetching the OIDC discovery document") from None


async def auth_url(ctx: JwtContext, _req: Request, fields: AuthUrlRequest) -> Response:
    """Raises BadRequest: not configured, no such OIDC role, a redirect URI not allowed."""
    config, name, role = await _oidc_role(ctx, fields.role)
    if not fields.redirect_uri:
        raise BadRequest("missing redirect_uri")
    if not allowed_redirect(fields.redirect_uri, role.allowed_redirect_uris):
        raise BadRequest("unauthorized redirect_uri")
    provider = await _discovery(ctx, config)
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    pending = PendingLogin(
        role=name,
        redirect_uri=fields.redirect_uri,
        nonce=nonce,
        code_verifier=verifier,
        client_nonce=fields.client_nonce,
        expires=ctx.clock.now() + STATE_SECONDS,
    )
    await ctx.store.put_pending(state, pending)
    query = {
        "client_id": config.oidc_client_id,
        "code_challenge": _challenge(verifier),
        "code_challenge_method": "S256",
        "nonce": nonce,
        "redirect_uri": fields.redirect_uri,
        "response_type": "code",
        "scope": " ".join(["openid", *(s for s in role.oidc_scopes if s != "openid")]),
        "state": state,
    }
    if config.oidc_response_mode:
        query["response_mode"] = config.oidc_response_mode
    if role.max_age:
        query["max_age"] = str(role.max_age)
    return Response({"auth_url": f"{provider.authorization_endpoint}?{urlencode(query)}"})


async def _pending(ctx: JwtContext, fields: Callback) -> PendingLogin:
    pending = await ctx.store.take_pending(fields.state) if fields.state else None
    if pending is None or pending.expires <= ctx.clock.now():
        raise BadRequest(_BAD_STATE)
    if pending.client_nonce and not secrets.compare_digest(
        pending.client_nonce.encode(), fields.client_nonce.encode()
    ):
        raise BadRequest("invalid client_nonce")
    return pending


async def _id_token(
    ctx: JwtContext, config: Config, provider: Discovery, pending: PendingLogin, code: str
) -> str:
    """Exchange `code` at the token endpoint (client_secret_basic, with the PKCE verifier).
    Raises BadRequest."""
    basic = f"{config.oidc_client_id}:{config.oidc_client_secret}".encode()
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": pending.redirect_uri,
        "code_verifier": pending.code_verifier,
    }
    headers = {"Authorization": "Basic " + base64.b64encode(basic).decode()}
    try:
        reply = await ctx.fetch(
            "POST",
            provider.token_endpoint,
            ca_pem=config.oidc_discovery_ca_pem,
            headers=headers,
            form=form,
        )
        body = msgspec.json.decode(reply.body) if reply.status == 200 else None
    except (Unreachable, msgspec.DecodeError):
        body = None
    if not isinstance(body, dict):
        raise BadRequest("Error exchanging oidc code")
    token = body.get("id_token")
    if not isinstance(token, str) or not token:
        raise BadRequest("No id_token found in response.")
    return token


async def callback(ctx: JwtContext, _req: Request, fields: Callback) -> Response:
    """Raises BadRequest: a missing, spent or expired state, a provider error, a failed code
    exchange, or an ID token the role refuses."""
    pending = await _pending(ctx, fields)
    if fields.error:
        raise BadRequest("OpenBao login failed. Error from provider.")
    config = await ctx.store.config()
    role = await ctx.store.role(pending.role)
    if config is None or not config.oidc_ready():
        raise BadRequest(NOT_CONFIGURED)
    if role is None or role.role_type != "oidc":
        raise missing_role(pending.role)
    provider = await _discovery(ctx, config)
    if fields.code:
        token = await _id_token(ctx, config, provider, pending, fields.code)
    elif fields.id_token:
        token = fields.id_token
    else:
        raise BadRequest("OAuth code parameter not provided")
    claims = await verified(ctx, token, config)
    expected = Expected(
        issuer=provider.issuer, audiences=(config.oidc_client_id,), nonce=pending.nonce
    )
    return Response(login=granted(ctx, pending.role, role, claims, expected))
