"""Fixtures for the layer-2 seal tests: a Shamir seal over in-memory storage."""

from __future__ import annotations

import pytest

from strongroom.seal import ShamirSeal
from strongroom.storage.inmem import InmemBackend


@pytest.fixture
def physical() -> InmemBackend:
    return InmemBackend()


@pytest.fixture
def seal(physical: InmemBackend) -> ShamirSeal:
    return ShamirSeal(physical)
