"""Vault's bound CIDRs: whether a client address lies in one of a list of blocks.

One reading of a block for every place Vault binds to client addresses (a token's
`bound_cidrs`, AppRole's `secret_id_bound_cidrs`, a secret ID's `cidr_list`): a bare address
counts as a single-host block, as in Vault's `parseutil.ParseAddrs`, and host bits are allowed
("10.1.2.3/8"), as Go's ParseCIDR allows. An IPv4-mapped IPv6 client ("::ffff:10.0.0.1") is the
IPv4 client it maps.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from strongroom.errors import BadRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def network(block: str) -> Network:
    """The block as a network. Raises ValueError if it is not an address or a CIDR block."""
    return ipaddress.ip_network(block.strip(), strict=False)


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def allows(blocks: tuple[str, ...], remote_addr: str) -> bool:
    """Whether `remote_addr` lies in one of `blocks`; no blocks means no restriction, and an
    unknown or unparsable address is refused whenever there are some."""
    if not blocks:
        return True
    address = _address(remote_addr)
    return address is not None and any(address in network(b) for b in blocks)


def validated(blocks: Iterable[str], field: str) -> tuple[str, ...]:
    """`blocks`, stripped, once each parses. Raises BadRequest naming `field`, not the value."""
    kept = tuple(b.strip() for b in blocks if b.strip())
    try:
        for block in kept:
            network(block)
    except ValueError:
        raise BadRequest(f'failed to validate CIDR blocks in field "{field}"') from None
    return kept
