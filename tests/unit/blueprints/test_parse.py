"""Reading blueprints: HCL and JSON give the same value, the canonical form reads back equal,
the default blueprint parses, and heredoc policy text arrives exactly as written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.blueprints import (
    DEFAULT_BLUEPRINT,
    TRANSIT_KEY_TYPES,
    AppRoleRole,
    Blueprint,
    Mount,
    MountConfig,
    ServiceTemplate,
    TokenTtls,
    TransitKey,
    default_blueprint,
    parse_blueprint,
    to_document,
)
from strongroom.engines.transit.models import KEY_TYPES
from strongroom.policy import parse_policy

HCL = r"""
description = "Payments"

mount "secret/" {
  type        = "kv"
  description = "KV of {{tenant}}"
  options {
    version = 2
  }
  config {
    default_lease_ttl = "1h"
    max_lease_ttl     = 7200
  }
}

mount "keys" {
  type = "transit"
}

mount "login" {
  type = "approle"
}

transit_key "main" {
  mount              = "keys"
  type               = "ed25519"
  auto_rotate_period = "30d"
  exportable         = true
  deletion_allowed   = true
}

transit_key "svc-{{ service }}" {
  mount = "keys/"
}

policy "admin" {
  text = <<-EOT
    # "quoted" and back\slashed
    path "secret/data/{{tenant}}/*" {
      capabilities = ["read", "list"]
    }
    EOT
}

policy "svc" {
  text = <<EOT
path "secret/data/{{service}}/*" {
  capabilities = ["read"]
}
EOT
}

approle_role "{{service}}" {
  mount              = "login"
  token_ttl          = "10m"
  token_max_ttl      = "1h"
  token_policies     = ["svc-{{service}}", "default"]
  secret_id_ttl      = "24h"
  secret_id_num_uses = 3
}

service {
  policy      = "svc"
  policy_name = "svc-{{service}}"
}

token {
  default_ttl = "1h"
  max_ttl     = "8h"
}
"""

ADMIN = (
    '# "quoted" and back\\slashed\n'
    'path "secret/data/{{tenant}}/*" {\n'
    '  capabilities = ["read", "list"]\n'
    "}"
)
SVC = 'path "secret/data/{{service}}/*" {\n  capabilities = ["read"]\n}'

EXPECTED = Blueprint(
    description="Payments",
    mounts=(
        Mount(
            path="secret/",
            type="kv",
            description="KV of {{tenant}}",
            options={"version": "2"},
            config=MountConfig(default_lease_ttl=3600, max_lease_ttl=7200),
        ),
        Mount(path="keys/", type="transit"),
        Mount(path="login/", type="approle"),
    ),
    transit_keys=(
        TransitKey(
            name="main",
            mount="keys/",
            type="ed25519",
            auto_rotate_period=30 * 86400,
            exportable=True,
            deletion_allowed=True,
        ),
        TransitKey(name="svc-{{service}}", mount="keys/"),
    ),
    policies={"admin": ADMIN, "svc": SVC},
    approle_roles=(
        AppRoleRole(
            name="{{service}}",
            mount="login/",
            token_ttl=600,
            token_max_ttl=3600,
            token_policies=("svc-{{service}}", "default"),
            secret_id_ttl=86400,
            secret_id_num_uses=3,
        ),
    ),
    service=ServiceTemplate(policy="svc", policy_name="svc-{{service}}", role="{{service}}"),
    token=TokenTtls(default_ttl=3600, max_ttl=8 * 3600),
)


def test_hcl_reads_every_field() -> None:
    assert parse_blueprint(HCL) == EXPECTED


def test_json_text_and_object_read_the_same() -> None:
    document = {
        "description": "Payments",
        "mounts": [
            {
                "path": "/secret",
                "type": "kv",
                "description": "KV of {{tenant}}",
                "options": {"version": "2"},
                "config": {"default_lease_ttl": 3600, "max_lease_ttl": "2h"},
            },
            {"path": "keys", "type": "transit"},
            {"path": "login", "type": "approle"},
        ],
        "transit_keys": [
            {
                "name": "main",
                "mount": "keys",
                "type": "ed25519",
                "auto_rotate_period": "720h",
                "exportable": True,
                "deletion_allowed": True,
            },
            {"name": "svc-{{service}}", "mount": "keys"},
        ],
        "policies": {"admin": ADMIN, "svc": SVC},
        "approle_roles": [
            {
                "name": "{{service}}",
                "mount": "login",
                "token_ttl": "10m",
                "token_max_ttl": 3600,
                "token_policies": ["svc-{{service}}", "default"],
                "secret_id_ttl": "24h",
                "secret_id_num_uses": 3,
            }
        ],
        "service": {"policy": "svc", "policy_name": "svc-{{service}}"},
        "token": {"default_ttl": "1h", "max_ttl": "8h"},
    }
    assert parse_blueprint(document) == EXPECTED
    assert parse_blueprint(json.dumps(document, indent=2)) == EXPECTED


def test_canonical_form_reads_back_equal() -> None:
    document = to_document(EXPECTED)
    assert parse_blueprint(document) == EXPECTED
    assert parse_blueprint(json.dumps(document)) == EXPECTED
    # durations are seconds, every field is written
    assert document["transit_keys"][0]["auto_rotate_period"] == 2592000
    assert document["mounts"][1] == {
        "path": "keys/",
        "type": "transit",
        "description": "",
        "options": {},
        "config": {"default_lease_ttl": 0, "max_lease_ttl": 0},
    }


def test_empty_documents_are_empty_blueprints() -> None:
    assert parse_blueprint("") == Blueprint()
    assert parse_blueprint("{}") == Blueprint()
    assert parse_blueprint({}) == Blueprint()
    assert to_document(Blueprint())["service"] is None


def test_json_nulls_count_as_absent() -> None:
    assert parse_blueprint({"mounts": None, "service": None, "token": None}) == Blueprint()


def test_the_default_blueprint() -> None:
    blueprint = default_blueprint()
    assert blueprint is default_blueprint()  # parsed once
    assert blueprint == parse_blueprint(DEFAULT_BLUEPRINT)
    assert [(m.path, m.type, dict(m.options)) for m in blueprint.mounts] == [
        ("secret/", "kv", {"version": "2"}),
        ("transit/", "transit", {}),
        ("approle/", "approle", {}),
    ]
    tenant_key = blueprint.transit_keys[0]
    assert (tenant_key.name, tenant_key.auto_rotate_period) == ("tenant", 30 * 86400)
    assert set(blueprint.policies) == {"tenant-admin", "service"}
    assert blueprint.service == ServiceTemplate(policy="service")
    for text in blueprint.policies.values():
        parse_policy("x", text)
        assert "\\" not in text  # the indented heredocs arrive unescaped


def test_transit_key_types_match_the_engine() -> None:
    assert frozenset(KEY_TYPES) == TRANSIT_KEY_TYPES


@pytest.mark.parametrize(
    ("heredoc", "text"),
    [
        ('<<-EOT\n    # a "b" \\c\n      # d\n    EOT', '# a "b" \\c\n  # d'),
        ('<<EOT\n# a "b" \\c\nEOT', '# a "b" \\c'),
        ('"# a \\"b\\" \\\\c"', '# a "b" \\c'),
    ],
)
def test_policy_text_is_read_verbatim(heredoc: str, text: str) -> None:
    # Comments only: the text must parse as a policy, and comments say nothing.
    source = f'policy "p" {{\n  text = {heredoc}\n}}\n'
    assert parse_blueprint(source).policies["p"] == text


# -- parse(to_document(x)) == x over generated blueprints -------------------------------------

NAMES = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True).filter(
    lambda n: n not in {"sys", "auth", "cubbyhole", "identity", "token", "transit", "approle"}
)
TEXT = st.text(alphabet="ab -", max_size=8)
SECONDS = st.one_of(st.just(0), st.integers(3600, 10**8))


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    extra = draw(st.lists(NAMES, unique=True, max_size=3))
    mounts: list[dict[str, Any]] = [
        {"path": "transit", "type": "transit"},
        {"path": "approle", "type": "approle", "description": draw(TEXT)},
    ]
    for name in extra:
        kind = draw(st.sampled_from(["kv", "database", "rabbitmq"]))
        options = {"version": draw(st.sampled_from(["1", "2"]))} if kind == "kv" else {}
        ttls = sorted(draw(st.lists(SECONDS, min_size=2, max_size=2)))
        config = {"default_lease_ttl": ttls[0], "max_lease_ttl": ttls[1]}
        mounts.append({"path": name, "type": kind, "options": options, "config": config})
    keys = [
        {
            "name": name,
            "type": draw(st.sampled_from(sorted(TRANSIT_KEY_TYPES))),
            "auto_rotate_period": draw(SECONDS),
            "exportable": draw(st.booleans()),
            "deletion_allowed": draw(st.booleans()),
        }
        for name in draw(st.lists(NAMES, unique=True, max_size=3))
    ]
    policies = {
        name: f'path "secret/{{{{tenant}}}}/{name}/*" {{ capabilities = ["read"] }}'
        for name in draw(st.lists(NAMES, unique=True, max_size=3))
    }
    roles = []
    for name in draw(st.lists(NAMES, unique=True, max_size=2)):
        ttls = sorted(draw(st.lists(SECONDS, min_size=2, max_size=2)))
        roles.append(
            {
                "name": name,
                "token_ttl": ttls[0],
                "token_max_ttl": ttls[1],
                "token_policies": draw(st.lists(NAMES, max_size=2)),
                "secret_id_ttl": draw(SECONDS),
                "secret_id_num_uses": draw(st.integers(0, 10)),
            }
        )
    document: dict[str, Any] = {
        "description": draw(TEXT),
        "mounts": mounts,
        "transit_keys": keys,
        "policies": policies,
        "approle_roles": roles,
    }
    if draw(st.booleans()):
        document["policies"]["svc-template"] = 'path "kv/{{service}}" { capabilities = ["read"] }'
        document["approle_roles"].append({"name": "r-{{service}}"})
        document["transit_keys"].append({"name": "{{service}}"})
        document["service"] = {"policy": "svc-template", "role": "r-{{service}}"}
    if draw(st.booleans()):
        ttls = sorted(draw(st.lists(SECONDS, min_size=2, max_size=2)))
        document["token"] = {"default_ttl": ttls[0], "max_ttl": ttls[1]}
    return document


@given(documents())
def test_the_canonical_form_round_trips(document: dict[str, Any]) -> None:
    blueprint = parse_blueprint(document)
    canonical = to_document(blueprint)
    assert parse_blueprint(canonical) == blueprint
    assert parse_blueprint(json.dumps(canonical)) == blueprint
    assert to_document(parse_blueprint(canonical)) == canonical
