"""A real slapd for the LDAP auth tests, one per test module (support/slapd.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.slapd import Directory, run_slapd


@pytest.fixture(scope="module")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Directory]:
    yield from run_slapd(tmp_path_factory.mktemp("slapd"))
