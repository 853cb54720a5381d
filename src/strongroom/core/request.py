"""The logical request and response that flow between `http/` and the core and engines.

Nothing here knows about HTTP: `http/` builds a `Request` from the wire and renders a
`Response` back, so engines stay pure over these two types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from strongroom.core.login import Login
from strongroom.core.token.entry import TokenEntry


class Operation(StrEnum):
    READ = "read"
    LIST = "list"
    UPDATE = "update"  # POST and PUT; Vault's existence check may turn it into "create"
    CREATE = "create"
    PATCH = "patch"
    DELETE = "delete"
    HELP = "help"  # `GET ?help=1`: the path's help text and OpenAPI fragment (needs `read`)


@dataclass(frozen=True, slots=True)
class Request:
    """One logical request. `path` is relative to `namespace` and has no leading slash."""

    id: str
    operation: Operation
    path: str
    data: Mapping[str, Any] = field(repr=False)  # may hold secrets (a secret_id, a password)
    namespace: str = ""
    token: str | None = field(default=None, repr=False)
    remote_addr: str = ""
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    caller: TokenEntry | None = field(default=None, repr=False)  # set once authenticated
    sudo: bool = False  # the caller holds root or sudo on this path (Vault's SudoPrivilege)
    # The client's TLS certificate chain (DER, leaf first) as the connection presented it; set
    # only by `http/` from the TLS layer, never from anything a client sends (Vault's
    # req.Connection.ConnState.PeerCertificates). Empty over plain HTTP or without a cert.
    client_chain: tuple[bytes, ...] = field(default=(), repr=False)

    def with_caller(self, caller: TokenEntry, *, sudo: bool = False) -> Request:
        """This request, authenticated."""
        return self._copy(self.data, caller, sudo)

    def with_data(self, data: Mapping[str, Any]) -> Request:
        """This request with other `data` (the path table hands handlers a sealed one)."""
        return self._copy(data, self.caller, self.sudo)

    def _copy(self, data: Mapping[str, Any], caller: TokenEntry | None, sudo: bool) -> Request:
        # A direct copy: `dataclasses.replace` costs more on this path.
        return Request(
            self.id,
            self.operation,
            self.path,
            data,
            self.namespace,
            self.token,
            self.remote_addr,
            self.headers,
            caller,
            sudo,
            self.client_chain,
        )


@dataclass(frozen=True, slots=True)
class LeaseRequest:
    """What an engine asks for when its answer grants something that must be taken back later
    (a database user): the core turns it into a lease with a `lease_id`, stores `internal`
    behind the barrier and, when the lease ends, hands `internal` to the engine's `revoke_lease`.

    `ttl`/`max_ttl` of 0 mean the mount's (or the system's) defaults; the core caps both by the
    mount's max TTL. `internal` never reaches the client or the audit log in clear.
    """

    internal: Mapping[str, Any] = field(repr=False)
    ttl: int = 0
    max_ttl: int = 0
    renewable: bool = True


@dataclass(slots=True)
class Response:
    """What a handler returns.

    `raw` bodies (sys/health, sys/init, ...) are sent as they are, without the Vault envelope.
    A response with nothing in it becomes a 204.
    """

    data: Mapping[str, Any] | None = None
    status: int = 200
    raw: bool = False
    warnings: list[str] | None = None
    auth: Mapping[str, Any] | None = None
    mount_type: str = ""
    top_level: bool = False  # also copy `data` to the top level (Vault's legacy sys/mounts shape)
    text: str | bytes | None = None  # a non-JSON body (metrics, a DER certificate), as it is
    content_type: str = "application/json"
    login: Login | None = None  # set by auth methods' log-in handlers; the core mints the token
    wrap_info: Mapping[str, Any] | None = None  # set when the response was wrapped
    secret: LeaseRequest | None = None  # set by engines that grant leased credentials
    lease_id: str = ""  # the core's answer to `secret`: Vault's top-level lease fields
    lease_duration: int = 0
    renewable: bool = False

    @property
    def empty(self) -> bool:
        return (
            self.data is None
            and self.text is None
            and not self.warnings
            and self.auth is None
            and self.login is None
            and self.wrap_info is None
            and not self.lease_id
        )


class _SharedResponse(Response):
    """A response every request may be answered with at once: setting a field on it would
    change the answer to every other request, so it refuses."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(
            f"NO_CONTENT is shared by every request: build a Response to set {name}"
        )


def _shared_no_content() -> Response:
    answer = Response()
    answer.__class__ = _SharedResponse  # read-only once built (Response.__init__ assigns)
    return answer


NO_CONTENT = _shared_no_content()
"""The 204 answer, read-only: the pipeline leaves it as it is (it sets `mount_type` on others)."""
