"""Layer 4, the Kubernetes auth method (Vault `kubernetes`): service-account tokens, checked by
the cluster's TokenReview API (or locally against `pem_keys`), exchanged for tokens."""

from strongroom.auth.kubernetes.backend import KubernetesBackend

__all__ = ["KubernetesBackend"]
