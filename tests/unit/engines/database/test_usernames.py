"""Username templates: Vault's PostgreSQL default, the functions, and the refusals."""

from __future__ import annotations

import contextlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.engines.usernames import (
    POSTGRES_DEFAULT,
    TemplateError,
    UsernameContext,
    render,
)

CTX = UsernameContext("token-abcdefghijk", "readonly-role-long", 1_800_000_000.0)


def test_vaults_default_template_for_postgres() -> None:
    name = render(POSTGRES_DEFAULT, CTX)
    assert re.fullmatch(r"v-token-ab-readonly-[0-9A-Za-z]{20}-1800000000", name)


@given(st.text(max_size=80), st.text(max_size=80))
def test_the_default_is_at_most_63_characters(display: str, role: str) -> None:
    assert len(render(POSTGRES_DEFAULT, UsernameContext(display, role, 1e9))) <= 63


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{.RoleName}}", "readonly-role-long"),
        ('{{ .RoleName | uppercase | replace "-" "_" }}', "READONLY_ROLE_LONG"),
        ("{{ .DisplayName | truncate 5 }}!", "token!"),
        ("{{ truncate_sha256 12 .RoleName }}", "read" + "6b9d3e1a"),
        ('{{ printf "%s-%d-%%" .RoleName unix_time }}', "readonly-role-long-1800000000-%"),
        ("{{ unix_time_millis }}", "1800000000000"),
        ('{{ sha256 "a" | truncate 8 }}', "ca978112"),
        ("plain text", "plain text"),
        ("{{- .RoleName -}}", "readonly-role-long"),
    ],
)
def test_functions(template: str, expected: str) -> None:
    assert render(template, CTX) == expected


def test_uuid_and_random() -> None:
    assert re.fullmatch(r"[0-9a-f-]{36}", render("{{uuid}}", CTX))
    assert re.fullmatch(r"[0-9A-Za-z]{12}", render("{{ random 12 }}", CTX))


@pytest.mark.parametrize(
    "template",
    [
        "{{ nope }}",
        "{{ .Nope }}",
        "{{ (random 3 }}",
        "{{ random 3) }}",
        '{{ truncate "a" 3 }}',
        '{{ printf "%q" 1 }}',
        "{{",
        "{{ index . 1 }}",
        '{{ "a" | "b" }}',
        "{{}}",
        "{{ random 0 }}",
        "{{ truncate 0 .RoleName }}",
        "{{ truncate_sha256 8 .RoleName }}",
        '{{ printf "%s %s" .RoleName }}',
    ],
)
def test_refusals_are_template_errors(template: str) -> None:
    with pytest.raises(TemplateError):
        render(template, CTX)


@given(st.text(max_size=60))
def test_any_template_renders_or_is_a_template_error(template: str) -> None:
    with contextlib.suppress(TemplateError):
        render(template, CTX)
