"""Layer 2, the seal: where the barrier's root key comes from.

`ShamirSeal` wraps the root key with an unseal key split into `shamir` shares (Vault's default
seal); `SealConfig` is its plain, non-secret configuration at `core/seal-config`.
"""

from strongroom.seal import shamir
from strongroom.seal.config import SealConfig
from strongroom.seal.shamir_seal import PendingRekey, ShamirSeal

__all__ = ["PendingRekey", "SealConfig", "ShamirSeal", "shamir"]
