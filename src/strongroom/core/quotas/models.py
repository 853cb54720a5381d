"""Rate-limit quotas and the quota configuration as stored behind the barrier.

Shapes follow Vault's `sys/quotas/rate-limit/:name` and `sys/quotas/config`. A quota's `key` is
its path as Vault sanitises it (no leading slash, one trailing slash unless global), which is
what requests are matched against; `path` is what `GET` shows (Vault's `ns + mount + suffix`).
"""

from __future__ import annotations

import math
from typing import Any

import msgspec

QUOTA_TYPE = "rate-limit"
# Vault's default exempt paths (vault/quotas/quotas.go `defaultExemptPaths`), in force until an
# operator writes sys/quotas/config.
DEFAULT_EXEMPT_PATHS = (
    "sys/generate-recovery-token/attempt",
    "sys/generate-recovery-token/update",
    "sys/generate-root/attempt",
    "sys/generate-root/update",
    "sys/health",
    "sys/seal-status",
    "sys/unseal",
)


class RateLimitQuota(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    key: str  # sanitised path: "" (global), "team-a/", "secret/", "secret/data/app/*/"
    path: str  # as Vault shows it: "", "team-a/", "secret/", "secret/data/app/*"
    namespace: str = ""
    role: str = ""
    rate: float
    interval: int = 1  # seconds
    block_interval: int = 0  # seconds
    inheritable: bool = False
    state_id: str  # new on every write, so a changed quota starts with fresh counters

    @property
    def limit(self) -> int:
        """Requests admitted per interval: `rate` rounded half up, as Vault's
        `uint64(math.Round(rate))`, but at least one (a positive rate never refuses all)."""
        return max(1, math.floor(self.rate + 0.5))

    def describe(self) -> dict[str, Any]:
        """Vault's read shape (plus `namespace`)."""
        return {
            "type": QUOTA_TYPE,
            "name": self.name,
            "path": self.path,
            "namespace": self.namespace,
            "role": self.role,
            "rate": self.rate,
            "interval": self.interval,
            "block_interval": self.block_interval,
            "inheritable": self.inheritable,
        }


class QuotaConfig(msgspec.Struct, frozen=True, kw_only=True):
    # None: never configured, Vault's defaults apply; after a write, exactly what was written.
    rate_limit_exempt_paths: tuple[str, ...] | None = None
    enable_rate_limit_audit_logging: bool = False
    enable_rate_limit_response_headers: bool = False

    @property
    def exempt_paths(self) -> tuple[str, ...]:
        paths = self.rate_limit_exempt_paths
        return DEFAULT_EXEMPT_PATHS if paths is None else paths

    def describe(self) -> dict[str, Any]:
        return {
            "enable_rate_limit_audit_logging": self.enable_rate_limit_audit_logging,
            "enable_rate_limit_response_headers": self.enable_rate_limit_response_headers,
            "rate_limit_exempt_paths": list(self.exempt_paths),
        }


QUOTAS_DECODER = msgspec.json.Decoder(dict[str, RateLimitQuota])
CONFIG_DECODER = msgspec.json.Decoder(QuotaConfig)
