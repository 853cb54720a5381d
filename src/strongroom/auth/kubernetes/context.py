"""What every Kubernetes handler is given: the mount's store, the outbound HTTPS call (the
TokenReview API), where the pod's own service-account files are, and the mount's path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from msgspec import Meta

from strongroom.auth.kubernetes.store import Store
from strongroom.logical.outbound import Fetch, exchange

RoleName = Annotated[str, Meta(description="Name of the role.")]
# Where a pod finds its own service account (Vault reads them unless disable_local_ca_jwt).
LOCAL_ACCOUNT = Path("/var/run/secrets/kubernetes.io/serviceaccount")


@dataclass(frozen=True, slots=True)
class KubernetesContext:
    store: Store
    fetch: Fetch = exchange
    local_account: Path = LOCAL_ACCOUNT
    mount_path: str = "kubernetes/"

    def local(self, name: str) -> str:
        """The pod's own `ca.crt` or `token`, "" when not running in a pod."""
        try:
            return (self.local_account / name).read_text().strip()
        except OSError:
            return ""
