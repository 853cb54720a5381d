"""CIDR binding for AppRole: `secret_id_bound_cidrs`, a secret ID's `cidr_list`, and the
`token_bound_cidrs` handed on to the token (api-docs/auth/approle, "Create/Update AppRole").

Blocks are kept as the caller wrote them (Vault renders them back unchanged) and parsed with
`ipaddress` whenever used; a bare address counts as a single-host block, as in Vault's
`parseutil.ParseAddrs`, and host bits are allowed ("10.1.2.3/8"), as Go's ParseCIDR allows.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from strongroom.errors import BadRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _network(block: str) -> Network:
    return ipaddress.ip_network(block.strip(), strict=False)


def validated(blocks: Iterable[str], field: str) -> tuple[str, ...]:
    """`blocks`, stripped, once each parses. Raises BadRequest naming `field`, not the value."""
    kept = tuple(b.strip() for b in blocks if b.strip())
    try:
        for block in kept:
            _network(block)
    except ValueError:
        raise BadRequest(f'failed to validate CIDR blocks in field "{field}"') from None
    return kept


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # "::ffff:10.0.0.1" is the IPv4 client 10.0.0.1
    return address


def allows(blocks: tuple[str, ...], remote_addr: str) -> bool:
    """Whether `remote_addr` lies in one of `blocks`; no blocks means no restriction, and an
    unknown or unparsable address is refused whenever there are some."""
    if not blocks:
        return True
    address = _address(remote_addr)
    return address is not None and any(address in _network(b) for b in blocks)


def _within(inner: Network, outer: Network) -> bool:
    return inner.version == outer.version and inner.subnet_of(outer)  # type: ignore[arg-type]


def subset(inner: tuple[str, ...], outer: tuple[str, ...]) -> bool:
    """Whether every block of `inner` lies inside some block of `outer` (Vault's
    `verifyCIDRRoleSecretIDSubset`: a secret ID may narrow its role's blocks, never widen them).
    An empty `outer` restricts nothing."""
    if not outer:
        return True
    parents = [_network(b) for b in outer]
    return all(any(_within(_network(b), p) for p in parents) for b in inner)
