"""Response wrapping (Vault's `X-Vault-Wrap-TTL` and `sys/wrapping/*`).

A wrapped response is stored behind the barrier under the salted key of a fresh single-use
token whose only policy is `response-wrapping`; the caller receives that token in `wrap_info`
instead of the secret. Unwrapping claims the stored response with a storage Check, so of two
racing unwraps exactly one gets it; the second answers like an unknown token. This is how
onboarding hands a new service its first credential without anyone in between seeing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from strongroom.clock import rfc3339
from strongroom.config.durations import parse_duration
from strongroom.core.request import Response
from strongroom.core.token import scoped
from strongroom.core.token.issue import TokenRequest, issue
from strongroom.core.view import View
from strongroom.errors import BadRequest, StorageConflict
from strongroom.storage.interface import Check, Delete

if TYPE_CHECKING:
    from strongroom.core.core import Core

WRAPPING_POLICY = "response-wrapping"
INVALID = "wrapping token is not valid or does not exist"
_MAX_WRAP_TTL = 768 * 3600


class Wrapped(msgspec.Struct, frozen=True):
    creation_path: str
    creation_time: float
    creation_ttl: int
    data: dict[str, Any] | None = None
    auth: dict[str, Any] | None = None
    warnings: list[str] | None = None
    mount_type: str = ""
    lease_id: str = ""
    lease_duration: int = 0
    renewable: bool = False


def requested_ttl(headers: Mapping[str, str]) -> int | None:
    """The wrap TTL a request asked for, if any. Raises BadRequest for a malformed one."""
    raw = headers.get("x-vault-wrap-ttl")
    if not raw:
        return None
    try:
        ttl = parse_duration(raw)
    except ValueError:
        raise BadRequest("error parsing wrap TTL") from None
    if ttl <= 0 or ttl > _MAX_WRAP_TTL:
        raise BadRequest("invalid wrap TTL")
    return ttl


def _view(core: Core) -> View:
    return View(core.barrier, "sys/wrapping/")


async def wrap(core: Core, response: Response, ttl: int, path: str) -> Response:
    """Store `response` and answer with a wrapping token in its place."""
    now = core.clock.now()
    token_request = TokenRequest(
        policies=(WRAPPING_POLICY,),
        no_default_policy=True,
        ttl=ttl,
        num_uses=1,
        orphan=True,
        renewable=False,
        path=path,
        policies_vetted=True,
        ttls=(ttl, ttl),
    )
    issued = await issue(core, token_request, None)
    wrapped = Wrapped(
        creation_path=path,
        creation_time=now,
        creation_ttl=ttl,
        data=dict(response.data) if response.data is not None else None,
        auth=dict(response.auth) if response.auth is not None else None,
        warnings=response.warnings,
        mount_type=response.mount_type,
        lease_id=response.lease_id,
        lease_duration=response.lease_duration,
        renewable=response.renewable,
    )
    await _view(core).put(f"responses/{issued.entry.key}", msgspec.json.encode(wrapped))
    info: dict[str, Any] = {
        "token": issued.token,
        "accessor": issued.entry.accessor,
        "ttl": ttl,
        "creation_time": rfc3339(now),
        "creation_path": path,
    }
    if response.auth is not None:
        info["wrapped_accessor"] = response.auth.get("accessor", "")
    return Response(wrap_info=info)


async def _wrapping_entry(core: Core, token: str) -> tuple[str, Wrapped, int]:
    entry = await scoped.resolve(core, token)  # another namespace's: as if it did not exist
    if entry is None or WRAPPING_POLICY not in entry.policies:
        raise BadRequest(INVALID)
    stored = await _view(core).get_entry(f"responses/{entry.key}")
    if stored is None:
        raise BadRequest(INVALID)
    return entry.key, msgspec.json.decode(stored.value, type=Wrapped), stored.version


async def lookup(core: Core, token: str) -> Wrapped:
    """What `token` wraps, left in place. Raises BadRequest for an invalid token."""
    return (await _wrapping_entry(core, token))[1]


async def unwrap(core: Core, token: str) -> Response:
    """Take the wrapped response out (exactly once) and retire its wrapping token. Raises
    BadRequest for an invalid token, or one that a concurrent unwrap claimed first."""
    key, wrapped, version = await _wrapping_entry(core, token)
    try:
        await _view(core).transact([Check(f"responses/{key}", version), Delete(f"responses/{key}")])
    except StorageConflict:
        raise BadRequest(INVALID) from None
    entry = await core.tokens.store.by_key(key)
    if entry is not None:
        await core.tokens.store.revoke_one(entry)
    return Response(
        wrapped.data,
        auth=wrapped.auth,
        warnings=wrapped.warnings,
        mount_type=wrapped.mount_type,
        lease_id=wrapped.lease_id,
        lease_duration=wrapped.lease_duration,
        renewable=wrapped.renewable,
    )


async def rewrap(core: Core, token: str) -> Response:
    """The response `token` wraps, wrapped again under a new token with the same TTL."""
    wrapped = await lookup(core, token)
    return await wrap(core, await unwrap(core, token), wrapped.creation_ttl, wrapped.creation_path)


async def tidy(core: Core) -> None:
    """Drop wrapped responses whose token is gone (expired, or spent on another path)."""
    view = _view(core)
    after: str | None = None
    while page := await view.list("responses/", after=after, limit=500):
        for key in page:
            if await core.tokens.store.by_key(key) is None:
                await view.delete(f"responses/{key}")
        after = page[-1]
