"""Every way a blueprint is refused: a BlueprintError (400) whose message names the field,
never the value given."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.blueprints import BlueprintError, parse_blueprint
from strongroom.errors import BadRequest

POLICY = 'path "secret/data/{{tenant}}/*" { capabilities = ["read"] }'
SERVICE_POLICY = 'path "secret/data/{{service}}/*" { capabilities = ["read"] }'
SECRET = "hunter2-s3cr3t"  # planted where a value could be echoed


def base() -> dict[str, Any]:
    return {
        "description": "test",
        "mounts": [
            {"path": "secret", "type": "kv", "options": {"version": "2"}},
            {"path": "transit", "type": "transit"},
            {"path": "approle", "type": "approle"},
        ],
        "transit_keys": [
            {"name": "tenant", "auto_rotate_period": "720h"},
            {"name": "{{service}}"},
        ],
        "policies": {"admin": POLICY, "service": SERVICE_POLICY},
        "approle_roles": [{"name": "{{service}}", "token_policies": ["service-{{service}}"]}],
        "service": {"policy": "service"},
        "token": {"default_ttl": "1h", "max_ttl": "2h"},
    }


def test_the_base_document_is_valid() -> None:
    parse_blueprint(base())


Mutation = Callable[[dict[str, Any]], None]


def setting(*keys: str | int, value: object) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        target: Any = document
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return mutate


def adding(key: str, item: object) -> Mutation:
    return lambda document: document[key].append(item)


def deleting(*keys: str | int) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        target: Any = document
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]

    return mutate


CASES: list[tuple[str, Mutation, str]] = [
    # the top level
    ("unknown top key", setting("mount", value=[]), 'blueprint: unknown key "mount"'),
    ("description type", setting("description", value=1), "description: expected a string"),
    ("mounts type", setting("mounts", value={}), "mounts: expected a list"),
    ("policies type", setting("policies", value=[]), "policies: expected an object"),
    ("service type", setting("service", value="x"), "service: expected an object"),
    # mounts
    ("mount not object", setting("mounts", 0, value="secret"), "mounts[0]: expected an object"),
    ("mount unknown key", setting("mounts", 0, "local", value=True), 'unknown key "local"'),
    ("mount no path", deleting("mounts", 0, "path"), "mounts[0].path: required"),
    ("mount empty path", setting("mounts", 0, "path", value=""), "mounts[0].path: must not"),
    ("mount path type", setting("mounts", 0, "path", value=5), "mounts[0].path: expected a str"),
    ("mount path dots", setting("mounts", 0, "path", value="a/../b"), "mounts[0].path: not a"),
    ("mount path glob", setting("mounts", 0, "path", value="a*"), "mounts[0].path: not a valid"),
    ("mount path space", setting("mounts", 0, "path", value="a b"), "mounts[0].path: not a"),
    ("mount no type", deleting("mounts", 0, "type"), 'mounts["secret/"].type: required'),
    ("mount bad type", setting("mounts", 0, "type", value="aws"), '"secret/"].type: must be one'),
    ("reserved sys", setting("mounts", 0, "path", value="sys"), '["sys/"]: a reserved path'),
    ("reserved nested", setting("mounts", 0, "path", value="auth/x"), '["auth/x/"]: a reserved'),
    ("reserved token", setting("mounts", 2, "path", value="token"), '["token/"]: a reserved'),
    (
        "duplicate mount",
        adding("mounts", {"path": "/secret/", "type": "kv"}),
        'mounts["secret/"]: defined twice',
    ),
    (
        "overlapping mount",
        adding("mounts", {"path": "secret/team", "type": "kv"}),
        'mounts["secret/team/"]: overlaps mounts["secret/"]',
    ),
    ("options type", setting("mounts", 0, "options", value=["2"]), ".options: expected an object"),
    (
        "option value type",
        setting("mounts", 0, "options", value={"version": True}),
        'options["version"]: expected a string',
    ),
    (
        "kv option unknown",
        setting("mounts", 0, "options", value={"versions": "2"}),
        'kv mount takes only the "version" option',
    ),
    (
        "kv version",
        setting("mounts", 0, "options", value={"version": "3"}),
        'options.version: must be "1" or "2"',
    ),
    (
        "config unknown",
        setting("mounts", 0, "config", value={"ttl": 1}),
        '"secret/"].config: unknown key "ttl"',
    ),
    (
        "config duration",
        setting("mounts", 0, "config", value={"max_lease_ttl": SECRET}),
        "config.max_lease_ttl: expected a duration",
    ),
    (
        "config bool duration",
        setting("mounts", 0, "config", value={"max_lease_ttl": True}),
        "config.max_lease_ttl: expected a duration",
    ),
    (
        "config order",
        setting("mounts", 0, "config", value={"default_lease_ttl": "2h", "max_lease_ttl": "1h"}),
        "config.default_lease_ttl: must not exceed max_lease_ttl",
    ),
    # transit keys
    ("key no name", deleting("transit_keys", 0, "name"), "transit_keys[0].name: required"),
    ("key bad name", setting("transit_keys", 0, "name", value="a/b"), "transit_keys[0].name: not"),
    (
        "key mount missing",
        setting("transit_keys", 0, "mount", value="other"),
        'transit_keys["other/tenant"].mount: names no transit mount of this blueprint',
    ),
    (
        "key mount wrong type",
        setting("transit_keys", 0, "mount", value="secret"),
        "names no transit mount",
    ),
    (
        "key type",
        setting("transit_keys", 0, "type", value=SECRET),
        'transit_keys["transit/tenant"].type: not a transit key type',
    ),
    (
        "key rotation",
        setting("transit_keys", 0, "auto_rotate_period", value="59m"),
        "auto_rotate_period: must be 0 (never) or at least 1h",
    ),
    (
        "key exportable",
        setting("transit_keys", 0, "exportable", value="yes"),
        "exportable: expected true or false",
    ),
    (
        "duplicate key",
        adding("transit_keys", {"name": "tenant", "mount": "transit/"}),
        'transit_keys["transit/tenant"]: defined twice',
    ),
    (
        "key unknown field",
        setting("transit_keys", 0, "derived", value=True),
        'transit_keys[0]: unknown key "derived"',
    ),
    # policies
    (
        "policy not parsing",
        setting("policies", "admin", value='path "x" { capabilities = [ }'),
        'policies["admin"]: failed to parse policy: line 1',
    ),
    (
        "policy bad capability",
        setting("policies", "admin", value='path "x" { capabilities = ["fly"] }'),
        'policies["admin"]: failed to parse policy',
    ),
    ("policy empty", setting("policies", "admin", value=" "), "expected the policy text"),
    ("policy not text", setting("policies", "admin", value=["x"]), "expected the policy text"),
    ("policy root", setting("policies", "root", value=POLICY), 'policies["root"]: a built-in'),
    ("policy default", setting("policies", "default", value=POLICY), "a built-in policy"),
    (
        "policy upper-case",
        setting("policies", "Admin", value=POLICY),
        'policies["Admin"]: not a valid policy name',
    ),
    (
        "policy duplicate after spacing",
        lambda d: d["policies"].update({"a-{{tenant}}": POLICY, "a-{{ tenant }}": POLICY}),
        'policies["a-{{ tenant }}"]: defined twice',
    ),
    # placeholders
    (
        "unknown placeholder",
        setting("policies", "admin", value='path "x/{{team}}" { capabilities = ["read"] }'),
        'policies["admin"]: only the {{tenant}} and {{service}} placeholders are allowed',
    ),
    (
        "unbalanced placeholder",
        setting("policies", "admin", value='path "x/{{tenant" { capabilities = ["read"] }'),
        'policies["admin"]: unbalanced {{ or }}',
    ),
    (
        "stray closing braces",
        setting("mounts", 0, "description", value="a }} b"),
        'mounts["secret/"].description: unbalanced',
    ),
    (
        "placeholder in a name",
        setting("mounts", 0, "path", value="{{identity.entity.id}}"),
        "mounts[0].path: only the {{tenant}} and {{service}}",
    ),
    (
        "service in a tenant policy",
        setting("policies", "admin", value=SERVICE_POLICY),
        'policies["admin"]: {{service}} is only allowed in the service template',
    ),
    (
        "service in a mount path",
        setting("mounts", 0, "path", value="kv-{{service}}"),
        "mounts[0].path: {{service}} is only allowed in the service templates",
    ),
    (
        "service in a policy name",
        setting("policies", "p-{{service}}", value=POLICY),
        'policies["p-{{service}}"]: {{service}} is only allowed',
    ),
    (
        "service in a tenant role's policies",
        adding("approle_roles", {"name": "ci", "token_policies": ["s-{{service}}"]}),
        'approle_roles["approle/ci"].token_policies: {{service}} is only allowed',
    ),
    (
        "per-service key without a service section",
        lambda d: d.pop("service") and d["policies"].pop("service"),
        'transit_keys["transit/{{service}}"]: uses {{service}} but there is no service section',
    ),
    # AppRole roles
    ("role no name", deleting("approle_roles", 0, "name"), "approle_roles[0].name: required"),
    (
        "role mount",
        setting("approle_roles", 0, "mount", value="transit"),
        'approle_roles["transit/{{service}}"].mount: names no approle mount',
    ),
    (
        "role ttl order",
        lambda d: d["approle_roles"][0].update(token_ttl="3h", token_max_ttl="1h"),
        'approle_roles["approle/{{service}}"].token_ttl: must not exceed token_max_ttl',
    ),
    (
        "role policies type",
        setting("approle_roles", 0, "token_policies", value="a,b"),
        "token_policies: expected a list of strings",
    ),
    (
        "role policy name",
        setting("approle_roles", 0, "token_policies", value=["A B"]),
        "token_policies[0]: not a valid policy name",
    ),
    (
        "role uses",
        setting("approle_roles", 0, "secret_id_num_uses", value=-1),
        "secret_id_num_uses: expected a whole number, 0 or more",
    ),
    (
        "duplicate role",
        adding("approle_roles", {"name": "{{ service }}"}),
        'approle_roles["approle/{{service}}"]: defined twice',
    ),
    # the service section
    ("service no policy", deleting("service", "policy"), "service.policy: required"),
    (
        "service unknown policy",
        setting("service", "policy", value="nope"),
        "service.policy: names no policy of this blueprint",
    ),
    (
        "service policy name without service",
        setting("service", "policy_name", value="svc"),
        "service.policy_name: must contain {{service}}",
    ),
    (
        "service role without service",
        setting("service", "role", value="svc"),
        "service.role: must contain {{service}}",
    ),
    (
        "service role unknown",
        setting("service", "role", value="x-{{service}}"),
        "service.role: names no approle_roles entry",
    ),
    ("service unknown key", setting("service", "key", value="x"), 'service: unknown key "key"'),
    # token TTLs
    ("token unknown", setting("token", "ttl", value=1), 'token: unknown key "ttl"'),
    (
        "token order",
        setting("token", "default_ttl", value="3h"),
        "token.default_ttl: must not exceed max_ttl",
    ),
]


@pytest.mark.parametrize(("mutate", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid_documents_name_the_field(mutate: Mutation, message: str) -> None:
    document = base()
    mutate(document)
    with pytest.raises(BlueprintError) as caught:
        parse_blueprint(copy.deepcopy(document))
    assert message in caught.value.public
    assert caught.value.public.startswith("invalid blueprint")
    assert SECRET not in caught.value.public
    assert isinstance(caught.value, BadRequest)  # a 400 on the wire


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('mount "a" {\n  type = \n}', "invalid HCL at line 2, column"),
        ("mount {", "invalid HCL"),
        ('mounts "a" { type = "kv" }', 'unknown key "mounts"'),
        ('mount = "a"', "mount: expected blocks"),
        ('policy "p" { rules = "x" }', 'policies["p"]: unknown key "rules"'),
        ('policy "p" { }', 'policies["p"]: missing "text"'),
        (
            'policy "p" { text = "# a" }\npolicy "p" { text = "# b" }',
            'policies["p"]: defined twice',
        ),
        ('description = "${var.x}"', "description: HCL interpolation"),
        ('mount "a" {\n  type = "kv"\n  description = upper("x")\n}', "HCL interpolation"),
        ("service {\n}\nservice {\n}", "service: expected one block"),
        ('mount "a" {\n  config {\n  }\n  config {\n  }\n}', 'mounts["a"].config: expected one'),
        ('{"mounts": [}', "invalid JSON at line 1, column 13"),
        ('{"a": 1, "a": 2}', 'duplicate key "a"'),
        ('{"description": NaN}', "NaN and Infinity are not JSON"),
        ('{"description": 1e999}', "number out of range"),
        ("[" * 100_000, "invalid HCL"),
        ("{" + '"a":' * 1, "invalid JSON"),
        ("x" * 300_000, "larger than 256 KiB"),
    ],
)
def test_unreadable_text(text: str, message: str) -> None:
    with pytest.raises(BlueprintError) as caught:
        parse_blueprint(text)
    assert message in caught.value.public


def test_top_level_json_must_be_an_object() -> None:
    with pytest.raises(BlueprintError, match="expected an object"):
        parse_blueprint([])  # type: ignore[arg-type]


def test_identity_templates_stay_in_policy_text() -> None:
    document = base()
    document["policies"]["admin"] = (
        'path "secret/data/{{identity.entity.id}}/*" { capabilities = ["read"] }'
    )
    assert "{{identity.entity.id}}" in parse_blueprint(document).policies["admin"]


PIECES = [
    'mount "a" {',
    'transit_key "k" {',
    'policy "p" {',
    'approle_role "r" {',
    "service {",
    "token {",
    "}",
    'type = "kv"',
    "type = 5",
    'text = "path \\"x\\" { capabilities = [\\"read\\"] }"',
    "text = <<-EOT\n  x\n  EOT",
    "config {",
    "options = { version = 2 }",
    'mount = "a"',
    "token_policies = [1]",
    "{{tenant}}",
    '"',
    "[",
    "=",
    "\n",
    "${x}",
    "{",
    '{"mounts": [',
    '{"path": "a", "type": "kv"}',
    "]}",
]


@given(st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join))
def test_any_text_is_a_blueprint_or_a_blueprint_error(text: str) -> None:
    with contextlib.suppress(BlueprintError):
        parse_blueprint(text)


KEYS = ["mounts", "path", "type", "policies", "config", "options", "name", "service", "token"]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner),
    max_leaves=12,
)


@given(JSON)
def test_any_json_is_a_blueprint_or_a_blueprint_error(document: object) -> None:
    with contextlib.suppress(BlueprintError):
        parse_blueprint(document if isinstance(document, dict) else {"mounts": document})
