"""sys/tenants: one call to provision a tenant (its namespace, with a blueprint applied) and one
to onboard a service of it (a least-privilege AppRole, its secret ID handed over wrapped)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from strongroom.blueprints import Blueprint, check_name, plan, render
from strongroom.core import wrapping
from strongroom.core.namespaces import lifecycle
from strongroom.core.namespaces.provision import converge, current_state, internal
from strongroom.core.namespaces.registry import NamespaceEntry
from strongroom.core.request import Operation, Request, Response
from strongroom.core.system.blueprints import BlueprintStore
from strongroom.errors import BadRequest, NotFound
from strongroom.logical.fields import Duration

if TYPE_CHECKING:
    from strongroom.core.core import Core

BLUEPRINT_KEY = "strongroom.blueprint"  # the namespace metadata naming the tenant's blueprint
SECRET_ID_WRAP_TTL = 300  # seconds: long enough to hand over, short enough to be worthless later
MAX_WRAP_TTL = 3600

TENANT_SYNOPSIS = "Provision a tenant (its namespace, converged to its blueprint), or show it."
SERVICE_SYNOPSIS = "Onboard a service of a tenant: an AppRole and a wrapped secret ID."

_Name = Annotated[str, msgspec.Meta(description="The name of the tenant (its namespace).")]


class TenantName(msgspec.Struct, frozen=True, kw_only=True):
    name: _Name


class TenantProvision(msgspec.Struct, frozen=True, kw_only=True):
    name: _Name
    blueprint: Annotated[
        str, msgspec.Meta(description="The blueprint to apply (the tenant's own, else default).")
    ] = ""
    custom_metadata: Annotated[
        dict[str, str], msgspec.Meta(description="Metadata of a namespace this call creates.")
    ] = msgspec.field(default_factory=dict)


class ServiceAdd(msgspec.Struct, frozen=True, kw_only=True):
    name: _Name
    service: Annotated[str, msgspec.Meta(description="The name of the service.")]
    wrap_ttl: Annotated[
        Duration, msgspec.Meta(description="The TTL of the wrapped secret ID (default 5m).")
    ] = SECRET_ID_WRAP_TTL


async def provision(core: Core, req: Request, fields: TenantProvision) -> Response:
    """Create the tenant's namespace if needed and converge it to its blueprint."""
    name = check_name(fields.name, "tenant")
    found = core.namespaces.by_path(name + "/")
    if found is not None and found.deleting:
        raise BadRequest(f'tenant "{name}" is being deleted')
    chosen = fields.blueprint or (
        found.custom_metadata.get(BLUEPRINT_KEY, "default") if found else "default"
    )
    blueprint = await BlueprintStore(core.barrier).blueprint(chosen)
    created = found is None
    if found is None:
        metadata = {**fields.custom_metadata, BLUEPRINT_KEY: chosen}
        found = await lifecycle.create(core, name + "/", metadata)
    scoped = await core.scope(found)
    applied = await converge(scoped, render(blueprint, tenant=name), req.caller)
    changed = created or bool(applied.actions)
    await core.audit.log_event(
        "tenant-provisioned", {"tenant": name, "blueprint": chosen, "changed": changed}
    )
    body = {
        "tenant": name,
        "namespace": found.describe(),
        "blueprint": chosen,
        "created": created,
        "changed": changed,
        **applied.describe(),
    }
    warnings = None if changed else ["nothing to change: the tenant already matches its blueprint"]
    return Response(body, warnings=warnings)


async def show(core: Core, _req: Request, fields: TenantName) -> Response:
    """What the tenant has, and what differs from its blueprint (nothing is changed)."""
    name, found, blueprint = await _tenant(core, fields.name)
    scoped = await core.scope(found)
    rendered = render(blueprint, tenant=name)
    pending = plan(rendered, await current_state(scoped, rendered))
    mounts = sorted(e.path for e in scoped.mounts.entries("mounts"))
    auth = sorted(e.path for e in scoped.mounts.entries("auth"))
    return Response(
        {
            "tenant": name,
            "namespace": found.describe(),
            "blueprint": found.custom_metadata.get(BLUEPRINT_KEY, "default"),
            "mounts": mounts,
            "auth": auth,
            "policies": await scoped.policies.names(),
            **pending.describe(),
        }
    )


async def add_service(core: Core, req: Request, fields: ServiceAdd) -> Response:
    """A least-privilege AppRole for one service: its role ID, and a response-wrapped,
    single-use secret ID that only the onboarding workflow's recipient can unwrap."""
    name, found, blueprint = await _tenant(core, fields.name)
    service = check_name(fields.service, "service")
    wrap_ttl = fields.wrap_ttl
    if not 0 < wrap_ttl <= MAX_WRAP_TTL:
        raise BadRequest(f"wrap_ttl must be between 1s and {MAX_WRAP_TTL}s")
    scoped = await core.scope(found)
    rendered = render(blueprint, tenant=name, service=service)
    if rendered.role is None:
        raise BadRequest(f'blueprint of tenant "{name}" has no service section')
    applied = await converge(scoped, rendered, req.caller)
    role_path = f"auth/{rendered.role.mount}role/{rendered.role.name}"
    role_id = await internal(scoped, Operation.READ, role_path + "/role-id")
    secret_id = await internal(scoped, Operation.UPDATE, role_path + "/secret-id", {}, req.caller)
    wrapped = await wrapping.wrap(scoped, secret_id, wrap_ttl, role_path + "/secret-id")
    await core.audit.log_event("tenant-service-added", {"tenant": name, "service": service})
    data: dict[str, Any] = {
        "tenant": name,
        "service": service,
        "namespace": found.path,
        "role_name": rendered.role.name,
        "role_id": (role_id.data or {}).get("role_id"),
        "secret_id_wrap_info": dict(wrapped.wrap_info or {}),
        **applied.describe(),
    }
    return Response(data)


async def _tenant(core: Core, raw_name: str) -> tuple[str, NamespaceEntry, Blueprint]:
    name = check_name(raw_name, "tenant")
    found = core.namespaces.live(name + "/")
    if found is None:
        raise NotFound(f'no tenant "{name}"')
    chosen = found.custom_metadata.get(BLUEPRINT_KEY, "default")
    return name, found, await BlueprintStore(core.barrier).blueprint(chosen)
