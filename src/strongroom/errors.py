"""The one error tree of Strongroom; `http/errors.py` maps it to status codes in one place.

    StrongroomError                 base; `public` is the only text a client ever sees
    ├── BadRequest                  400  malformed or invalid input
    │   └── RawRefusal              4xx  a refusal sent as a non-JSON body (an OCSP error)
    │   └── CheckAndSetMismatch     400  an expected-version check failed
    ├── PermissionDenied            403  "permission denied", identical whether or not a path exists
    ├── NotFound                    404  nothing there (bodies may carry data, as KV v2 does)
    ├── UnsupportedOperation        405  the path exists but not for this operation
    ├── PayloadTooLarge             413
    ├── UnsupportedMediaType        415
    ├── RateLimited                 429
    ├── InternalError               500  fixed text; detail only in the operator log
    ├── NotInitialized              501  (hvac: VaultNotInitialized)
    ├── Sealed                      503  "Vault is sealed"
    └── StorageConflict             409  an expected-version check failed in storage; callers
                                         retry or translate it (a CAS mismatch is a 400)

`detail` is for the operator log only and must never contain a secret either; messages never
echo a submitted value.
"""

from __future__ import annotations

from typing import Any, ClassVar


class StrongroomError(Exception):
    """Base class; `public` is the client-safe message, `detail` the operator-log extra."""

    status: ClassVar[int] = 500
    default_message: ClassVar[str] = "internal error"

    def __init__(
        self, public: str | None = None, *, detail: str = "", data: dict[str, Any] | None = None
    ) -> None:
        self.public = self.default_message if public is None else public
        self.detail = detail
        self.data = data
        super().__init__(self.public)


class BadRequest(StrongroomError):
    status = 400
    default_message = "invalid request"


class RawRefusal(BadRequest):
    """A refusal whose protocol answers with its own body rather than Vault's JSON (an OCSP
    error response, RFC 6960 §2.3): `body` is sent as it is, with `content_type`. Like any
    error of a path needing no token, it is masked as the missing namespace's 403 for a caller
    who may not enter the namespace."""

    def __init__(self, public: str, body: bytes, content_type: str) -> None:
        super().__init__(public)
        self.body = body
        self.content_type = content_type


class CheckAndSetMismatch(BadRequest):
    default_message = "check-and-set parameter did not match the current version"


class PermissionDenied(StrongroomError):
    status = 403
    default_message = "permission denied"


class NotFound(StrongroomError):
    status = 404
    default_message = ""


class UnsupportedOperation(StrongroomError):
    status = 405
    default_message = "unsupported operation"


class PayloadTooLarge(StrongroomError):
    status = 413
    default_message = "http: request body too large"


class UnsupportedMediaType(StrongroomError):
    status = 415
    default_message = "unsupported media type"


class RateLimited(StrongroomError):
    status = 429
    default_message = "rate limit exceeded"


class InternalError(StrongroomError):
    status = 500
    default_message = "internal error"


class NotInitialized(StrongroomError):
    status = 501
    default_message = "Vault is not initialized"


class Sealed(StrongroomError):
    status = 503
    default_message = "Vault is sealed"


class StorageConflict(StrongroomError):
    """A storage transaction's expected-version check failed (callers translate it)."""

    status = 409
    default_message = "storage conflict"
