"""Filling in a blueprint for a tenant or a service: what each gets, and placeholder safety."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from strongroom.blueprints import (
    NAME,
    AppRoleRole,
    Blueprint,
    BlueprintError,
    TokenTtls,
    check_name,
    default_blueprint,
    parse_blueprint,
    render,
)
from strongroom.policy import parse_policy


def test_a_tenant_gets_everything_but_the_service_templates() -> None:
    rendered = render(default_blueprint(), tenant="acme")
    assert (rendered.tenant, rendered.service, rendered.role) == ("acme", None, None)
    assert [m.description for m in rendered.mounts] == [
        "Secrets of tenant acme",
        "Encryption keys of tenant acme",
        "Log-in for the services of tenant acme",
    ]
    assert [(k.mount, k.name) for k in rendered.transit_keys] == [("transit/", "tenant")]
    assert list(rendered.policies) == ["tenant-admin"]
    assert rendered.approle_roles == ()
    assert rendered.token == TokenTtls(default_ttl=3600, max_ttl=86400)


def test_a_service_gets_its_key_policy_and_role() -> None:
    rendered = render(default_blueprint(), tenant="acme", service="web")
    assert rendered.mounts == ()
    assert rendered.token is None
    assert [(k.mount, k.name) for k in rendered.transit_keys] == [("transit/", "service-web")]
    assert list(rendered.policies) == ["service-web"]
    policy = parse_policy("service-web", rendered.policies["service-web"])
    assert sorted(r.path for r in policy.rules) == [
        "secret/data/web",
        "secret/data/web/*",
        "transit/decrypt/service-web",
        "transit/encrypt/service-web",
    ]
    assert all(r.capabilities in ({"read"}, {"update"}) for r in policy.rules)
    role = AppRoleRole(
        name="web",
        mount="approle/",
        token_ttl=3600,
        token_max_ttl=86400,
        token_policies=("service-web",),
        secret_id_ttl=30 * 86400,
    )
    assert rendered.approle_roles == (role,)
    assert rendered.role == role


def test_placeholders_may_be_spaced() -> None:
    blueprint = parse_blueprint(
        {
            "mounts": [{"path": "kv-{{ tenant }}", "type": "kv"}],
            "policies": {"p": 'path "kv-{{  tenant}}/*" { capabilities = ["read"] }'},
        }
    )
    rendered = render(blueprint, tenant="acme")
    assert rendered.mounts[0].path == "kv-acme/"
    assert rendered.policies["p"] == 'path "kv-acme/*" { capabilities = ["read"] }'


def test_a_service_needs_a_service_section() -> None:
    with pytest.raises(BlueprintError, match="no service section"):
        render(Blueprint(), tenant="acme", service="web")


@pytest.mark.parametrize(
    "name",
    [
        "",
        "-a",
        "A",
        "a_b",
        "a.b",
        "a/b",
        "..",
        "a*",
        "a+",
        "{{tenant}}",
        "a b",
        "é",
        "a\n",
        "a" * 64,
    ],
)
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(BlueprintError, match="invalid tenant name"):
        render(default_blueprint(), tenant=name)
    with pytest.raises(BlueprintError, match="invalid service name"):
        render(default_blueprint(), tenant="acme", service=name)
    with pytest.raises(BlueprintError, match="invalid blueprint name"):
        check_name(name, "blueprint")


@pytest.mark.parametrize("name", ["a", "0", "acme", "team-42", "a" * 63, "9-"])
def test_good_names(name: str) -> None:
    assert check_name(name) == name


def test_a_name_must_be_a_string() -> None:
    with pytest.raises(BlueprintError):
        check_name(None)


# Policies that put the tenant and service at every position a path may hold them.
SAFETY = parse_blueprint(
    {
        "mounts": [
            {"path": "secret", "type": "kv"},
            {"path": "transit", "type": "transit"},
            {"path": "approle", "type": "approle"},
        ],
        "transit_keys": [{"name": "k-{{service}}"}],
        "policies": {
            "admin": (
                'path "secret/data/{{tenant}}/*" { capabilities = ["read"] }\n'
                'path "secret/data/{{tenant}}" { capabilities = ["read"] }\n'
                'path "transit/encrypt/{{tenant}}-key" { capabilities = ["update"] }\n'
            ),
            "service": (
                'path "secret/data/{{tenant}}/{{service}}/*" { capabilities = ["read"] }\n'
                'path "secret/data/{{tenant}}/{{service}}" { capabilities = ["read"] }\n'
            ),
        },
        "approle_roles": [{"name": "{{service}}"}],
        "service": {"policy": "service"},
    }
)

NASTY = ["..", "../x", "a/../b", "*", "a*", "+", "a/+", "x/", "/", "{{tenant}}", '"', "a\nb", ""]


@given(
    tenant=st.one_of(st.text(), st.from_regex(NAME, fullmatch=True), st.sampled_from(NASTY)),
    service=st.one_of(st.text(), st.from_regex(NAME, fullmatch=True), st.sampled_from(NASTY)),
)
@example(tenant="acme", service="web")
@example(tenant="../other", service="web")
@example(tenant="acme", service="*")
def test_rendered_paths_stay_under_the_tenants_prefix(tenant: str, service: str) -> None:
    try:
        tenant_side = render(SAFETY, tenant=tenant)
        service_side = render(SAFETY, tenant=tenant, service=service)
    except BlueprintError:
        assert not (NAME.fullmatch(tenant) and NAME.fullmatch(service))
        return
    assert NAME.fullmatch(tenant)
    assert NAME.fullmatch(service)
    for name, text in {**tenant_side.policies, **service_side.policies}.items():
        for rule in parse_policy(name, text).rules:
            path = rule.path
            inside = path.startswith((f"secret/data/{tenant}", f"transit/encrypt/{tenant}-key"))
            assert inside
            assert ".." not in path
            assert "+" not in path
            assert path.count("*") == path.endswith("*")  # only the template's own glob
            assert path.count("/") in (2, 3, 4)
            if name.startswith("service-"):
                assert path.removeprefix(f"secret/data/{tenant}/").split("/")[0] == service
    assert service_side.role is not None
    assert service_side.role.name == service
    assert service_side.transit_keys[0].name == f"k-{service}"
