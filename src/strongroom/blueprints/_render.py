"""`render`: a blueprint filled in for one tenant, or for one service of a tenant.

A tenant gets the mounts, the token TTLs, and the transit keys, policies and AppRole roles that
are not per-service. A service gets the per-service transit keys and roles (their names hold
`{{service}}`) and the service policy template written under its `policy_name`. Names are
checked with `check_name` before anything is filled in (see `_placeholders.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from strongroom.blueprints._errors import BlueprintError
from strongroom.blueprints._model import (
    SERVICE,
    AppRoleRole,
    Blueprint,
    Mount,
    TokenTtls,
    TransitKey,
)
from strongroom.blueprints._placeholders import check_name, fill

__all__ = ["Rendered", "render"]


@dataclass(frozen=True, slots=True)
class Rendered:
    """What a tenant (`service` None) or one service of it should have; no placeholders left.
    `role` is the service's own AppRole role, whose role_id and secret_id it is handed."""

    tenant: str
    service: str | None = None
    mounts: tuple[Mount, ...] = ()
    transit_keys: tuple[TransitKey, ...] = ()
    policies: Mapping[str, str] = field(default_factory=dict)
    approle_roles: tuple[AppRoleRole, ...] = ()
    token: TokenTtls | None = None
    role: AppRoleRole | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "policies", MappingProxyType(dict(self.policies)))


def render(blueprint: Blueprint, *, tenant: str, service: str | None = None) -> Rendered:
    """`blueprint` for `tenant`, or for its `service`.

    Raises BlueprintError if a name is invalid (1-63 of `a-z`, `0-9`, `-`, not starting with
    `-`), or a service is asked of a blueprint without a service section."""
    check_name(tenant, "tenant")
    if service is None:
        return _tenant(blueprint, tenant)
    check_name(service, "service")
    return _service(blueprint, tenant, service)


def _tenant(blueprint: Blueprint, tenant: str) -> Rendered:
    def text(value: str) -> str:
        return fill(value, tenant, None)

    template = blueprint.service.policy if blueprint.service else None
    return Rendered(
        tenant=tenant,
        mounts=tuple(
            replace(
                m,
                path=text(m.path),
                description=text(m.description),
                options={k: text(v) for k, v in m.options.items()},
            )
            for m in blueprint.mounts
        ),
        transit_keys=tuple(
            _key(k, tenant, None) for k in blueprint.transit_keys if SERVICE not in k.name
        ),
        policies={text(n): text(t) for n, t in blueprint.policies.items() if n != template},
        approle_roles=tuple(
            _role(r, tenant, None) for r in blueprint.approle_roles if SERVICE not in r.name
        ),
        token=blueprint.token,
    )


def _service(blueprint: Blueprint, tenant: str, service: str) -> Rendered:
    template = blueprint.service
    if template is None:
        raise BlueprintError("this blueprint has no service section")
    roles = tuple(_role(r, tenant, service) for r in blueprint.approle_roles if SERVICE in r.name)
    own = fill(template.role, tenant, service)
    return Rendered(
        tenant=tenant,
        service=service,
        transit_keys=tuple(
            _key(k, tenant, service) for k in blueprint.transit_keys if SERVICE in k.name
        ),
        policies={
            fill(template.policy_name, tenant, service): fill(
                blueprint.policies[template.policy], tenant, service
            )
        },
        approle_roles=roles,
        role=next(r for r in roles if r.name == own),
    )


def _key(key: TransitKey, tenant: str, service: str | None) -> TransitKey:
    return replace(key, name=fill(key.name, tenant, service), mount=fill(key.mount, tenant, None))


def _role(role: AppRoleRole, tenant: str, service: str | None) -> AppRoleRole:
    return replace(
        role,
        name=fill(role.name, tenant, service),
        mount=fill(role.mount, tenant, None),
        token_policies=tuple(fill(p, tenant, service) for p in role.token_policies),
    )
