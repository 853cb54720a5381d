"""The provider's authorization code flow (api-docs/secret/identity/oidc-provider
"Authorization endpoint", "Token endpoint", "UserInfo endpoint"; OpenID Connect Core 1.0 §3.1,
RFC 7636 PKCE).

`authorize` needs the user's Vault token (its entity is the subject) and answers a code;
`token` is called by the client, authenticated with its secret (HTTP Basic or the body) or, for
a public client, by the PKCE verifier alone, and redeems the code once; `userinfo` answers the
scopes' claims for a bearer access token. Errors are OAuth's `{"error", "error_description"}`
raw bodies. Codes and access tokens are stored only as SHA-256 digests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.identity.oidc.context import OidcContext
from strongroom.engines.identity.oidc.directory import EntityFacts
from strongroom.engines.identity.oidc.models import Client, Grant, Provider
from strongroom.engines.identity.oidc.template import claims
from strongroom.errors import BadRequest
from strongroom.logical import Request, Response

AUTHORIZE_SYNOPSIS = "Provides the OIDC Authorization Endpoint."
TOKEN_SYNOPSIS = "Provides the OIDC Token Endpoint."  # noqa: S105 - a synopsis
USERINFO_SYNOPSIS = "Provides the OIDC UserInfo Endpoint."
CODE_TTL = 300  # seconds a code may wait to be redeemed (Vault's code cache: 5 minutes)
_HASHES = {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}
Name = Annotated[str, Meta(description="Name of the provider")]


class OAuthError(BadRequest):
    """An OAuth error answer (RFC 6749 §5.2), rendered as its raw JSON body."""

    def __init__(self, code: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.code, self.http_status = code, status

    def response(self, state: str = "") -> Response:
        """The raw answer; the authorization endpoint echoes the client's `state` (RFC 6749
        §4.1.2.1), as Vault does."""
        body = {"error": self.code, "error_description": self.public}
        if state:
            body["state"] = state
        return Response(data=body, raw=True, status=self.http_status)


# Vault's answer to a bearer token userinfo does not accept, whatever the reason.
_INVALID_TOKEN = OAuthError("invalid_token", "permission denied", 401)


class Authorize(msgspec.Struct, frozen=True, kw_only=True):
    name: Name
    client_id: Annotated[str, Meta(description="The ID of the requesting client.")] = ""
    scope: Annotated[
        str,
        Meta(
            description="A space-delimited, case-sensitive list of scopes "
            "to be requested. The 'openid' scope is required."
        ),
    ] = ""
    redirect_uri: Annotated[
        str, Meta(description="The redirection URI to which the response will be sent.")
    ] = ""
    response_type: Annotated[
        str,
        Meta(
            description="The OIDC authentication flow to be "
            "used. The following response types are supported: "
            "'code'"
        ),
    ] = ""
    state: Annotated[
        str,
        Meta(
            description="A value used to maintain state between the "
            "authentication request and client callback."
        ),
    ] = ""
    nonce: Annotated[
        str,
        Meta(
            description="The value that will be returned in the ID token "
            "nonce claim after a token exchange."
        ),
    ] = ""
    max_age: Annotated[
        int,
        Meta(
            description="The allowable elapsed time in seconds since "
            "the last time the end-user was actively authenticated."
        ),
    ] = -1
    code_challenge: Annotated[
        str, Meta(description="The code challenge derived from the code verifier.")
    ] = ""
    code_challenge_method: Annotated[
        str,
        Meta(
            description="The method that was used to "
            "derive the code challenge. The following "
            "methods are supported: 'S256', 'plain'. "
            "Defaults to 'plain'."
        ),
    ] = "plain"


class TokenExchange(msgspec.Struct, frozen=True, kw_only=True):
    name: Name
    code: Annotated[
        str,
        Meta(
            description="The authorization code received from the "
            "provider's authorization endpoint."
        ),
    ] = ""
    grant_type: Annotated[
        str,
        Meta(
            description="The authorization grant type. The following "
            "grant types are supported: 'authorization_code'."
        ),
    ] = ""
    redirect_uri: Annotated[
        str, Meta(description="The callback location where the authentication response was sent.")
    ] = ""
    code_verifier: Annotated[
        str, Meta(description="The code verifier associated with the authorization code.")
    ] = ""
    client_id: Annotated[str, Meta(description="The ID of the requesting client.")] = ""
    client_secret: Annotated[str, Meta(description="The secret of the requesting client.")] = ""
    scope: Annotated[
        str, Meta(description="The scopes of a client credentials grant (not served).")
    ] = ""


class UserInfo(msgspec.Struct, frozen=True, kw_only=True):
    name: Name


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


async def _assigned(ctx: OidcContext, client: Client, entity: EntityFacts) -> bool:
    for name in client.assignments:
        found = await ctx.store.assignments.get(name)
        if found is not None and found.admits(entity.id, entity.group_ids):
            return True
    return False


async def _client_for(ctx: OidcContext, provider: Provider, client_id: str) -> Client:
    client = await ctx.store.client_by_id(client_id) if client_id else None
    if client is None:
        raise OAuthError("invalid_client_id", "client with client_id not found")
    if not provider.allows(client.client_id):
        raise OAuthError("unauthorized_client", "client is not authorized to use the provider")
    return client


async def _provider(ctx: OidcContext, name: str) -> Provider:
    await ctx.ensure_provider_defaults()
    found = await ctx.store.providers.get(name)
    if found is None:
        raise OAuthError("invalid_request", "provider not found")
    return found


def _check_request(fields: Authorize, client: Client, provider: Provider) -> tuple[str, ...]:
    if not client.authorization_code:
        raise OAuthError("unauthorized_client", "client may not use the authorization code grant")
    scopes = tuple(fields.scope.split())
    if "openid" not in scopes:
        raise OAuthError("invalid_request", 'scope parameter must contain the "openid" value')
    if fields.response_type != "code":
        raise OAuthError("unsupported_response_type", "unsupported response_type value")
    if fields.redirect_uri not in client.redirect_uris:
        raise OAuthError("invalid_redirect_uri", "redirect_uri is not allowed for the client")
    if fields.code_challenge_method not in ("plain", "S256"):
        raise OAuthError("invalid_request", "invalid code_challenge_method")
    if client.client_type == "public" and not fields.code_challenge:
        raise OAuthError("invalid_request", "PKCE is required for public clients")
    return tuple(s for s in scopes if s == "openid" or s in provider.scopes_supported)


async def authorize(ctx: OidcContext, request: Request, fields: Authorize) -> Response:
    try:
        return await _authorization(ctx, request, fields)
    except OAuthError as refused:
        return refused.response(fields.state)


async def _authorization(ctx: OidcContext, request: Request, fields: Authorize) -> Response:
    """The code for a valid request. Raises OAuthError."""
    provider = await _provider(ctx, fields.name)
    client = await _client_for(ctx, provider, fields.client_id)
    scopes = _check_request(fields, client, provider)
    try:
        entity = await ctx.entity(request)
    except BadRequest:
        raise OAuthError(
            "access_denied", "identity entity must be associated with the request"
        ) from None
    if not await _assigned(ctx, client, entity):
        raise OAuthError("access_denied", "identity entity not authorized by client assignment")
    auth_time = 0  # claimed only when the client asks with max_age (OIDC Core §3.1.2.1)
    if fields.max_age >= 0:
        auth_time = int(request.caller.creation_time) if request.caller else 0
        if ctx.now() - auth_time > fields.max_age:
            raise OAuthError("login_required", "the end-user authentication is older than max_age")
    code = secrets.token_urlsafe(32)
    grant = Grant(
        provider=provider.name,
        client_id=client.client_id,
        entity_id=entity.id,
        scopes=scopes,
        expires_at=ctx.now() + CODE_TTL,
        redirect_uri=fields.redirect_uri,
        nonce=fields.nonce,
        auth_time=auth_time,
        code_challenge=fields.code_challenge,
        code_challenge_method=fields.code_challenge_method if fields.code_challenge else "",
    )
    await ctx.store.put_code(code, grant)
    return Response(data={"code": code, "state": fields.state}, raw=True)


def _credentials(request: Request, fields: TokenExchange) -> tuple[str, str]:
    """The client's ID and secret: HTTP Basic (RFC 6749 §2.3.1) or the body's fields."""
    header = request.headers.get("authorization", "")
    if header[:6].lower() != "basic ":
        return fields.client_id, fields.client_secret
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except ValueError:  # not base64 (binascii.Error), not ASCII, or not UTF-8 inside
        raise OAuthError("invalid_client", "client failed to authenticate", 401) from None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


def _pkce_ok(grant: Grant, verifier: str) -> bool:
    if not grant.code_challenge:
        return not verifier
    if grant.code_challenge_method == "S256":
        derived = _b64url(hashlib.sha256(verifier.encode()).digest())
    else:
        derived = verifier
    return hmac.compare_digest(derived.encode(), grant.code_challenge.encode())


async def _authenticated(
    ctx: OidcContext, provider: Provider, request: Request, fields: TokenExchange
) -> Client:
    client_id, secret = _credentials(request, fields)
    client = await ctx.store.client_by_id(client_id) if client_id else None
    failed = OAuthError("invalid_client", "client failed to authenticate", 401)
    if client is None:
        raise failed
    if client.client_type == "confidential" and not hmac.compare_digest(
        secret.encode(), client.client_secret.encode()
    ):
        raise failed
    if not provider.allows(client.client_id):
        raise OAuthError("unauthorized_client", "client is not authorized to use the provider")
    return client


async def token(ctx: OidcContext, request: Request, fields: TokenExchange) -> Response:
    try:
        return Response(data=await _exchange(ctx, request, fields), raw=True)
    except OAuthError as refused:
        return refused.response()


async def _exchange(ctx: OidcContext, request: Request, fields: TokenExchange) -> dict[str, Any]:
    """The tokens a valid code earns; the code is spent. Raises OAuthError."""
    provider = await _provider(ctx, fields.name)
    client = await _authenticated(ctx, provider, request, fields)
    if fields.grant_type != "authorization_code":
        raise OAuthError("unsupported_grant_type", "grant_type must be authorization_code")
    if not fields.code:
        raise OAuthError("invalid_request", "the code parameter is required")
    grant = await ctx.store.redeem(fields.code)
    invalid = OAuthError("invalid_grant", "authorization grant is invalid or expired")
    if grant is None or grant.expires_at <= ctx.now() or grant.provider != provider.name:
        raise invalid
    if grant.client_id != client.client_id or grant.redirect_uri != fields.redirect_uri:
        raise invalid
    if not _pkce_ok(grant, fields.code_verifier):
        raise OAuthError("invalid_grant", "invalid code_verifier for token exchange")
    return await _tokens(ctx, request, (provider, client, grant), fields.code)


def _half_hash(algorithm: str, value: str) -> str:
    """OIDC Core §3.1.3.6 at_hash / c_hash: the left half of the hash the JWS alg uses,
    base64url (Ed25519 goes with SHA-512)."""
    digest = _HASHES.get(algorithm[-3:], hashlib.sha512)(value.encode()).digest()
    return _b64url(digest[: len(digest) // 2])


async def _tokens(
    ctx: OidcContext, request: Request, granted: tuple[Provider, Client, Grant], code: str
) -> dict[str, Any]:
    provider, client, grant = granted
    entity = await ctx.directory.facts(grant.entity_id)
    if entity is None or entity.disabled:
        raise OAuthError(
            "invalid_grant", "identity entity associated with the request is disabled or missing"
        )
    key = await ctx.store.keys.get(client.key)
    if key is None or key.signing is None:
        raise OAuthError("server_error", "the client's key was not found", 500)
    access_token = secrets.token_urlsafe(32)
    now = int(ctx.now())
    payload = await _scope_claims(ctx, grant.scopes, entity, now)
    payload |= {
        "iss": await ctx.provider_issuer(request, provider),
        "sub": entity.id,
        "aud": client.client_id,
        "iat": now,
        "exp": now + client.id_token_ttl,
        "namespace": ctx.namespace_id,
        "at_hash": _half_hash(key.algorithm, access_token),
        "c_hash": _half_hash(key.algorithm, code),
    }
    if grant.nonce:
        payload["nonce"] = grant.nonce
    if grant.auth_time:
        payload["auth_time"] = grant.auth_time
    id_token = ctx.sign(key, payload)
    access = msgspec.structs.replace(grant, expires_at=now + client.access_token_ttl)
    await ctx.store.put_access(access_token, access)
    return {
        "access_token": access_token,
        "expires_in": client.access_token_ttl,
        "id_token": id_token,
        "token_type": "Bearer",
    }


async def _scope_claims(
    ctx: OidcContext, scopes: tuple[str, ...], entity: EntityFacts, now: int
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in scopes:
        scope = await ctx.store.scopes.get(name)
        if scope is not None:
            found |= claims(scope.template, entity, now)
    return found


async def userinfo(ctx: OidcContext, request: Request, fields: UserInfo) -> Response:
    header = request.headers.get("authorization", "")
    bearer = header[7:].strip() if header[:7].lower() == "bearer " else ""
    grant = await ctx.store.access(bearer) if bearer else None
    if grant is None or grant.expires_at <= ctx.now() or grant.provider != fields.name:
        return _INVALID_TOKEN.response()
    entity = await ctx.directory.facts(grant.entity_id)
    if entity is None or entity.disabled:
        return _INVALID_TOKEN.response()
    answer = await _scope_claims(ctx, grant.scopes, entity, int(ctx.now()))
    return Response(data=answer | {"sub": entity.id}, raw=True)
