"""Layer 4, the Kubernetes auth method's backend (Vault `kubernetes`), built per mount by the
core. Fields, existence checks and help come from `paths.py`."""

from __future__ import annotations

from pathlib import Path

from strongroom.auth.kubernetes.context import LOCAL_ACCOUNT, KubernetesContext
from strongroom.auth.kubernetes.paths import TABLE
from strongroom.auth.kubernetes.store import Store
from strongroom.logical import MountContext, Request, Response
from strongroom.logical.outbound import Fetch, exchange


class KubernetesBackend:
    unauthenticated = TABLE.unauthenticated
    paths = TABLE  # its route table, for sys/internal/specs/openapi

    def __init__(
        self, ctx: MountContext, fetch: Fetch = exchange, local_account: Path = LOCAL_ACCOUNT
    ) -> None:
        self._ctx = KubernetesContext(Store(ctx.view), fetch, local_account, ctx.entry.path)

    async def handle(self, request: Request, path: str) -> Response:
        return await TABLE.dispatch(self._ctx, request, path)

    async def exists(self, path: str) -> bool:
        return await TABLE.exists(self._ctx, path)
