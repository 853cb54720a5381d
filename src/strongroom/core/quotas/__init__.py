"""Resource quotas (Vault's rate-limit quotas): definitions behind the barrier, a per-worker
cache invalidated by the configuration epoch, and counters shared by the node's workers."""

from strongroom.core.quotas.limiter import Decision, SharedLimiter, limiter_key, node_state_path
from strongroom.core.quotas.models import DEFAULT_EXEMPT_PATHS, QuotaConfig, RateLimitQuota
from strongroom.core.quotas.service import QuotaExceeded, QuotaService, Rules

__all__ = [
    "DEFAULT_EXEMPT_PATHS",
    "Decision",
    "QuotaConfig",
    "QuotaExceeded",
    "QuotaService",
    "RateLimitQuota",
    "Rules",
    "SharedLimiter",
    "limiter_key",
    "node_state_path",
]
