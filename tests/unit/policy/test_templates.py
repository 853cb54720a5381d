"""Templated policies: `{{identity…}}` path placeholders, filled per token or dropped."""

from __future__ import annotations

import pytest

from strongroom.errors import BadRequest
from strongroom.policy import ACL, parse_policy, resolve_templates

# The docs' "Templated policies" example, plus metadata and alias placeholders.
TEMPLATED = """
path "secret/data/{{identity.entity.id}}/*" {
  capabilities = ["create", "update", "patch", "read", "delete"]
}
path "secret/metadata/{{ identity.entity.id }}/*" {
  capabilities = ["list"]
}
path "team/{{identity.entity.metadata.team}}/*" {
  capabilities = ["read"]
}
path "approle/{{identity.entity.aliases.auth_approle_1234.name}}" {
  capabilities = ["read"]
}
path "shared/*" {
  capabilities = ["read"]
}
"""

IDENTITY = {
    "identity.entity.id": "e-1",
    "identity.entity.name": "web",
    "identity.entity.metadata.team": "blue",
    "identity.entity.aliases.auth_approle_1234.name": "web-role",
}


def paths(text: str) -> list[str]:
    return [rule.path for rule in parse_policy("t", text).rules]


def test_fills_every_placeholder() -> None:
    resolved = resolve_templates(TEMPLATED, IDENTITY)
    assert resolved is not None
    assert paths(resolved) == [
        "secret/data/e-1/*",
        "secret/metadata/e-1/*",
        "team/blue/*",
        "approle/web-role",
        "shared/*",
    ]
    compiled = ACL.compile([parse_policy("t", resolved)])
    assert compiled.check("secret/data/e-1/db", "read", {}).allowed
    assert not compiled.check("secret/data/e-2/db", "read", {}).allowed


def test_without_placeholders_there_is_nothing_to_do() -> None:
    assert resolve_templates('path "shared/*" { capabilities = ["read"] }', IDENTITY) is None


@pytest.mark.parametrize(
    ("identity", "kept"),
    [
        ({}, ["shared/*"]),  # no entity: every templated path is dropped
        ({**IDENTITY, "identity.entity.id": ""}, ["team/blue/*", "approle/web-role", "shared/*"]),
        ({**IDENTITY, "identity.entity.id": "a*"}, ["team/blue/*", "approle/web-role", "shared/*"]),
        ({**IDENTITY, "identity.entity.id": "+"}, ["team/blue/*", "approle/web-role", "shared/*"]),
        (
            {**IDENTITY, "identity.entity.id": "{{x}}"},
            ["team/blue/*", "approle/web-role", "shared/*"],
        ),
        ({**IDENTITY, "identity.entity.metadata.team": ""}, None),  # metadata may be empty
    ],
)
def test_unfillable_paths_are_dropped(identity: dict[str, str], kept: list[str] | None) -> None:
    resolved = resolve_templates(TEMPLATED, identity)
    assert resolved is not None
    if kept is None:
        assert "team//*" in paths(resolved)
    else:
        assert paths(resolved) == kept


def test_unfilled_templates_grant_nothing() -> None:
    # Compiling the stored (unfilled) policy must not match the placeholder text literally.
    compiled = ACL.compile([parse_policy("t", TEMPLATED)])
    assert not compiled.check("secret/data/{{identity.entity.id}}/x", "read", {}).allowed
    assert compiled.check("shared/x", "read", {}).allowed


def test_invalid_text_is_a_bad_request() -> None:
    with pytest.raises(BadRequest, match="templating"):
        resolve_templates('path "a/{{identity.entity.id" { capabilities = ["read"] }', IDENTITY)
