"""Where a JWT's verifying keys come from (api-docs/auth/jwt "Configure"): the static
`jwt_validation_pubkeys`, a `jwks_url`, or the `jwks_uri` of an OIDC discovery document, the
latter two fetched over HTTPS trusting the configured CA.

Fetched key sets and discovery documents are cached per worker, keyed by URL and CA, for an
hour. A token whose `kid` the cached set lacks makes one refetch (the provider rotated its
keys); such forced refetches are limited to `REFETCH_BUDGET` a minute, so tokens with made-up
key ids cannot turn the server into a flood of requests at the provider.

Only asymmetric keys are ever used (RSA, EC, OKP): a symmetric `oct` key in a JWKS is dropped,
and `none` and the HMAC algorithms are never accepted, so no token can be "signed" with a
public key as an HMAC secret.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import msgspec
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from strongroom.auth.jwt.models import Config
from strongroom.clock import Clock
from strongroom.logical.jose import ASYMMETRIC_ALGS, claims_of, public_key
from strongroom.logical.outbound import Fetch, Unreachable, exchange

OIDC_DEFAULT_ALGS = ("RS256",)  # OIDC providers sign with RS256 unless configured
CACHE_SECONDS = 3600.0
REFETCH_BUDGET = 10  # forced refetches (unknown kid) per REFETCH_WINDOW
REFETCH_WINDOW = 60.0
_KEY_TYPES = ("RSA", "EC", "OKP")


class KeyProblem(Exception):
    """A token or key set could not be used; `reason` is Vault's fixed message, no value."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class Discovery(msgspec.Struct, frozen=True):
    """The parts of an OIDC discovery document (OpenID Connect Discovery 1.0 §3) used here."""

    issuer: str
    jwks_uri: str
    authorization_endpoint: str = ""
    token_endpoint: str = ""


_DISCOVERY = msgspec.json.Decoder(Discovery)


def key_set(document: bytes) -> KeySet:
    """The asymmetric keys of a JWKS document. Raises ValueError if it is not one."""
    try:
        parsed = msgspec.json.decode(document)
        entries = [k for k in parsed["keys"] if isinstance(k, dict) and k.get("kty") in _KEY_TYPES]
        keys = KeySet.import_key_set({"keys": entries})
    except (msgspec.DecodeError, JoseError, KeyError, TypeError, ValueError):
        raise ValueError("not a JWKS document") from None
    if not keys.keys:
        raise ValueError("no usable key")
    return keys


@dataclass
class _Cached:
    value: Any
    fetched: float


def allowed_algs(config: Config) -> tuple[str, ...]:
    if config.jwt_supported_algs:
        return config.jwt_supported_algs
    return OIDC_DEFAULT_ALGS if config.oidc_discovery_url else ASYMMETRIC_ALGS


class KeySource:
    """Key sets and discovery documents for one mount, cached in this worker."""

    def __init__(self, clock: Clock, fetch: Fetch = exchange) -> None:
        self._clock = clock
        self._fetch = fetch
        self._cache: dict[tuple[str, str, str], _Cached] = {}
        self._forced: deque[float] = deque()

    async def _document(self, url: str, ca_pem: str) -> bytes:
        try:
            reply = await self._fetch("GET", url, ca_pem=ca_pem)
        except Unreachable:
            raise KeyProblem("error fetching keys from the provider") from None
        if reply.status != 200:
            raise KeyProblem("error fetching keys from the provider")
        return reply.body

    async def discovery(self, config: Config, *, fresh: bool = False) -> Discovery:
        """The provider's discovery document. Raises KeyProblem."""
        url = config.oidc_discovery_url.rstrip("/") + "/.well-known/openid-configuration"
        key = ("discovery", url, config.oidc_discovery_ca_pem)
        cached = self._cache.get(key)
        if cached is None or fresh or self._stale(cached):
            try:
                found = _DISCOVERY.decode(await self._document(url, config.oidc_discovery_ca_pem))
            except (msgspec.DecodeError, msgspec.ValidationError):
                raise KeyProblem("error parsing the OIDC discovery document") from None
            cached = self._cache[key] = _Cached(found, self._clock.now())
        document: Discovery = cached.value
        return document

    async def _jwks(self, config: Config, *, fresh: bool) -> KeySet:
        if config.jwks_url:
            url, ca_pem = config.jwks_url, config.jwks_ca_pem
        else:
            url = (await self.discovery(config, fresh=fresh)).jwks_uri
            ca_pem = config.oidc_discovery_ca_pem
        key = ("jwks", url, ca_pem)
        cached = self._cache.get(key)
        if cached is None or fresh or self._stale(cached):
            try:
                found = key_set(await self._document(url, ca_pem))
            except ValueError:
                raise KeyProblem("error parsing the JWKS document") from None
            cached = self._cache[key] = _Cached(found, self._clock.now())
        keys: KeySet = cached.value
        return keys

    def _stale(self, cached: _Cached) -> bool:
        return self._clock.now() - cached.fetched >= CACHE_SECONDS

    def _may_refetch(self) -> bool:
        now = self._clock.now()
        while self._forced and now - self._forced[0] >= REFETCH_WINDOW:
            self._forced.popleft()
        if len(self._forced) >= REFETCH_BUDGET:
            return False
        self._forced.append(now)
        return True

    async def verify(self, token: str, config: Config) -> dict[str, Any]:
        """The claims of `token` once its signature verifies under the config's keys with an
        allowed algorithm. Raises KeyProblem."""
        algs = allowed_algs(config)
        try:
            if config.jwt_validation_pubkeys:
                return _with_static_keys(token, config.jwt_validation_pubkeys, algs)
            try:
                return claims_of(token, await self._jwks(config, fresh=False), algs)
            except InvalidKeyIdError:
                if not self._may_refetch():
                    raise
                return claims_of(token, await self._jwks(config, fresh=True), algs)
        except (JoseError, ValueError, TypeError):
            raise KeyProblem("error validating token: error verifying token signature") from None


def _with_static_keys(token: str, pems: tuple[str, ...], algs: tuple[str, ...]) -> dict[str, Any]:
    """Vault tries each configured public key in turn."""
    for pem in pems:
        try:
            return claims_of(token, public_key(pem), algs)
        except (JoseError, ValueError, TypeError):
            continue
    raise KeyProblem("error validating token: error verifying token signature")
