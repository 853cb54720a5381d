"""What every cert handler is given: the mount's store, its clock and how OCSP is fetched."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.auth.cert.ocsp import Fetch, http_fetch
from strongroom.auth.cert.store import Store
from strongroom.clock import Clock


@dataclass(frozen=True, slots=True)
class CertContext:
    store: Store
    clock: Clock
    fetch: Fetch = http_fetch  # tests hand the real HTTP fetch a responder of their own
