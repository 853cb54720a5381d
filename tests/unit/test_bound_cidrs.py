"""Bound CIDRs, read one way for tokens and AppRole: membership as `ipaddress` defines it,
bare addresses as single hosts, host bits allowed, IPv4-mapped clients as IPv4."""

from __future__ import annotations

import ipaddress

from hypothesis import given
from hypothesis import strategies as st

from strongroom.bound_cidrs import allows, network

addresses = st.ip_addresses(v=4)
prefixes = st.integers(min_value=0, max_value=32)


@given(addresses, prefixes, addresses)
def test_an_address_is_allowed_iff_it_lies_in_the_block(
    base: ipaddress.IPv4Address, prefix: int, client: ipaddress.IPv4Address
) -> None:
    block = f"{base}/{prefix}"  # host bits set, as Go's ParseCIDR accepts
    inside = client in ipaddress.ip_network(block, strict=False)
    assert allows((block,), str(client)) is inside
    assert allows((block,), f"::ffff:{client}") is inside


@given(addresses)
def test_a_bare_address_is_a_single_host(address: ipaddress.IPv4Address) -> None:
    assert network(f" {address} ") == ipaddress.ip_network(f"{address}/32")
    assert allows((str(address),), str(address))


def test_no_blocks_restrict_nothing_and_an_unknown_client_is_refused() -> None:
    assert allows((), "not an address")
    assert not allows(("10.0.0.0/8",), "")
    assert not allows(("10.0.0.0/8",), "10.0.0.1:8200")
    assert allows(("2001:db8::/32", "10.0.0.0/8"), "2001:db8::1")
