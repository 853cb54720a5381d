"""CIDR binding for AppRole: `secret_id_bound_cidrs`, a secret ID's `cidr_list`, and the
`token_bound_cidrs` handed on to the token (api-docs/auth/approle, "Create/Update AppRole").

Blocks are kept as the caller wrote them (Vault renders them back unchanged) and read the one
way every bound CIDR is (`strongroom.bound_cidrs`) whenever used.
"""

from __future__ import annotations

from strongroom.bound_cidrs import Network, allows, network
from strongroom.logical.tokenutil import validated_cidrs as validated

__all__ = ["allows", "subset", "validated"]


def _within(inner: Network, outer: Network) -> bool:
    return inner.version == outer.version and inner.subnet_of(outer)  # type: ignore[arg-type]


def subset(inner: tuple[str, ...], outer: tuple[str, ...]) -> bool:
    """Whether every block of `inner` lies inside some block of `outer` (Vault's
    `verifyCIDRRoleSecretIDSubset`: a secret ID may narrow its role's blocks, never widen them).
    An empty `outer` restricts nothing."""
    if not outer:
        return True
    parents = [network(b) for b in outer]
    return all(any(_within(network(b), p) for p in parents) for b in inner)
