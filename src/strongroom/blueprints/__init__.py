"""Tenant blueprints: a declarative document of what a tenant gets, and the plan to get there.

A pure library (no core, no I/O): `sys/blueprints` stores documents, `sys/tenants` renders one
for a tenant and applies the plan inside the tenant's namespace.

    parse_blueprint(text | object) -> Blueprint  _parse.py      HCL or JSON; BlueprintError
    to_document(blueprint) -> dict                 _document.py   canonical JSON; parses back equal
    render(bp, tenant=, service=None) -> Rendered  _render.py     fill {{tenant}} / {{service}}
    check_name(value, what) -> str                 _placeholders  tenant and service names
    plan(rendered, state) -> Plan                  _plan.py       actions to converge, and drift
    State, MountState, KeyState, RoleState         _state.py      what a namespace has now
    Blueprint, Mount, TransitKey, AppRoleRole, …   _model.py      frozen values
    DEFAULT_BLUEPRINT, default_blueprint()         _default.py    the blueprint that ships

A blueprint holds `mounts` (kv, transit, approle, database, rabbitmq), `transit_keys`,
`policies` (ACL text with `{{tenant}}` / `{{service}}`), `approle_roles`, a `service` section
(the per-service policy template and role) and `token` TTLs. HCL spells the lists as blocks:

    mount "secret" { type = "kv"  options = { version = "2" } }
    transit_key "tenant" { mount = "transit"  auto_rotate_period = "720h" }
    policy "tenant-admin" { text = <<-EOT ... EOT }
    approle_role "{{service}}" { token_policies = ["service-{{service}}"] }
    service { policy = "service"  policy_name = "service-{{service}}"  role = "{{service}}" }
    token { default_ttl = "1h"  max_ttl = "24h" }
"""

from strongroom.blueprints._default import DEFAULT_BLUEPRINT, DEFAULT_NAME, default_blueprint
from strongroom.blueprints._document import to_document
from strongroom.blueprints._errors import BlueprintError
from strongroom.blueprints._model import (
    AUTH_TYPES,
    MOUNT_TYPES,
    TRANSIT_KEY_TYPES,
    AppRoleRole,
    Blueprint,
    Mount,
    MountConfig,
    ServiceTemplate,
    TokenTtls,
    TransitKey,
)
from strongroom.blueprints._parse import parse_blueprint
from strongroom.blueprints._placeholders import NAME, check_name
from strongroom.blueprints._plan import Action, ActionKind, Drift, Plan, plan
from strongroom.blueprints._render import Rendered, render
from strongroom.blueprints._state import KeyState, MountState, RoleState, State

__all__ = [
    "AUTH_TYPES",
    "DEFAULT_BLUEPRINT",
    "DEFAULT_NAME",
    "MOUNT_TYPES",
    "NAME",
    "TRANSIT_KEY_TYPES",
    "Action",
    "ActionKind",
    "AppRoleRole",
    "Blueprint",
    "BlueprintError",
    "Drift",
    "KeyState",
    "Mount",
    "MountConfig",
    "MountState",
    "Plan",
    "Rendered",
    "RoleState",
    "ServiceTemplate",
    "State",
    "TokenTtls",
    "TransitKey",
    "check_name",
    "default_blueprint",
    "parse_blueprint",
    "plan",
    "render",
    "to_document",
]
