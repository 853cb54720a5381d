"""Statement rendering: each value quoted for where it sits, so no value can leave its literal
or identifier. The property is checked by the real PostgreSQL: whatever the value, the server
reads back exactly that value."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strongroom.engines.database.statements import render
from support.inproc import service_missing
from unit.engines.database.db_support import PG_URL

VALUES = {"name": 'we"ird', "username": 'we"ird', "password": "p'w\\d", "expiration": "2027"}


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ('CREATE ROLE "{{name}}"', 'CREATE ROLE "we""ird"'),
        ("CREATE ROLE {{name}}", 'CREATE ROLE "we""ird"'),
        ("PASSWORD '{{password}}'", "PASSWORD 'p''w\\d'"),
        ("PASSWORD {{password}}", "PASSWORD E'p''w\\\\d'"),
        ("PASSWORD E'{{password}}'", "PASSWORD E'p''w\\\\d'"),
        ("VALID UNTIL '{{expiration}}'", "VALID UNTIL '2027'"),
        ("-- {{password}}\nSELECT 1", "-- {{password}}\nSELECT 1"),
        ("/* {{password}} */ SELECT 1", "/* {{password}} */ SELECT 1"),
        ("SELECT '{{other}}', {{other}}", "SELECT '{{other}}', {{other}}"),
        ("SELECT 'it''s {{name}}'", "SELECT 'it''s we\"ird'"),
        ('SELECT "a""{{name}}"', 'SELECT "a""we""ird"'),
        ("SELECT some'{{name}}'", "SELECT some'we\"ird'"),
        ("DO $$ BEGIN DROP ROLE {{name}}; END $$", 'DO $$ BEGIN DROP ROLE "we""ird"; END $$'),
    ],
)
def test_rendering_by_context(statement: str, expected: str) -> None:
    assert render(statement, VALUES) == expected


def test_nul_is_refused() -> None:
    with pytest.raises(ValueError, match="NUL"):
        render("SELECT {{password}}", {"password": "a\x00b"})


@pytest.fixture(scope="module")
def server() -> Iterator[psycopg.Connection[Any]]:
    try:
        conn = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        service_missing(f"PostgreSQL test server unreachable ({type(exc).__name__})")
        raise
    with conn:
        yield conn


def read_back(conn: psycopg.Connection[Any], statement: str, value: str) -> Any:
    cursor = conn.execute(render(statement, {"password": value, "name": value}).encode())
    row = cursor.fetchone()
    assert row is not None
    assert cursor.description is not None
    return row[0], cursor.description[0].name


TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=24)
IDENTIFIER = TEXT.filter(lambda v: 0 < len(v.encode()) <= 63)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_every_literal_form_reads_back_as_the_value(
    server: psycopg.Connection[Any], value: str
) -> None:
    for statement in ("SELECT '{{password}}'", "SELECT E'{{password}}'", "SELECT {{password}}"):
        assert read_back(server, statement, value)[0] == value


@settings(max_examples=150, deadline=None)
@given(IDENTIFIER)
def test_every_identifier_form_reads_back_as_the_value(
    server: psycopg.Connection[Any], value: str
) -> None:
    for statement in ('SELECT 1 AS "{{name}}"', "SELECT 1 AS {{name}}"):
        assert read_back(server, statement, value)[1] == value
