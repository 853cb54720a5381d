"""Test helpers for the identity OIDC paths: a server with the OIDC harness mounted at
`identity-oidc/` (requests to `identity-oidc/...` reach `OIDC_TABLE` as requests to
`identity/oidc/...` will once the identity backend serves it), entities and their tokens, and
offline verification of ID tokens from the JWKS alone with PyJWT (a library other than the
one that signs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt

from support.api import Api
from support.oidc import Entity, entity_token, harness

MOUNT = "identity-oidc"


@dataclass
class OidcApi(Api):
    mount: str = MOUNT

    async def add_entity(self, entity: Entity, policies: tuple[str, ...] = ("root",)) -> str:
        """Put `entity` in the directory; a token bound to it."""
        (await harness(self.server, f"{self.mount}/")).directory.add(entity)
        return await entity_token(self.server, entity.id, policies)

    async def key(self, name: str, **fields: Any) -> None:
        await self.expect("POST", f"key/{name}", fields, 204)

    async def role(self, name: str, **fields: Any) -> dict[str, Any]:
        await self.expect("POST", f"role/{name}", fields, 204)
        found: dict[str, Any] = (await self.get(f"role/{name}"))["data"]
        return found

    async def token(self, role: str, token: str) -> dict[str, Any]:
        found: dict[str, Any] = (await self.expect("GET", f"token/{role}", token=token))["data"]
        return found

    async def jwks(self) -> dict[str, Any]:
        resp = await self.server.call("GET", f"{self.mount}/.well-known/keys", token=None)
        assert resp.status_code == 200, resp.text
        found: dict[str, Any] = resp.json()
        return found

    async def introspect(self, token: str, client_id: str = "") -> dict[str, Any]:
        body = {"token": token} | ({"client_id": client_id} if client_id else {})
        return await self.post("introspect", body)


def verified(token: str, jwks: dict[str, Any], audience: str, now: float) -> dict[str, Any]:
    """The claims of `token`, its signature verified with PyJWT against `jwks` only, and its
    expiry judged at the test clock's `now` (PyJWT's own check reads the wall clock).

    Raises jwt.PyJWTError, or StopIteration when no key of `jwks` has the token's kid.
    """
    header = jwt.get_unverified_header(token)
    keyset = jwt.PyJWKSet.from_dict(jwks)
    key = next(k for k in keyset.keys if k.key_id == header["kid"])
    claims: dict[str, Any] = jwt.decode(
        token,
        key.key,
        algorithms=[header["alg"]],
        audience=audience,
        options={"verify_exp": False, "verify_iat": False},
    )
    if claims["exp"] <= now:
        raise jwt.ExpiredSignatureError
    return claims
