"""One-call provisioning: a blueprint applied inside a tenant's namespace, and least-privilege
AppRole credentials for one of its services.

Reads and writes go through the namespace's own routing as internal requests (the operator's
call to `sys/tenants/...` was authorised and audited once, as a whole); each write is one
action of the blueprint's plan, so applying twice changes nothing the second time.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from strongroom.blueprints import (
    KeyState,
    MountState,
    Plan,
    Rendered,
    RoleState,
    State,
    TokenTtls,
    plan,
)
from strongroom.core.request import Operation, Request, Response
from strongroom.core.token.entry import TokenEntry
from strongroom.errors import NotFound

if TYPE_CHECKING:
    from strongroom.core.core import Core


async def internal(
    core: Core,
    operation: Operation,
    path: str,
    data: Mapping[str, Any] | None = None,
    caller: TokenEntry | None = None,
) -> Response:
    """Serve `path` inside `core`'s namespace without another authorisation round."""
    request = Request(
        id=str(uuid.uuid4()),
        operation=operation,
        path=path,
        data=dict(data or {}),
        namespace=core.namespace.path,
        caller=caller,
    )
    return await core.dispatch(request, core.mounts.route(path), None)


async def current_state(core: Core, rendered: Rendered) -> State:
    """What the namespace has of the things `rendered` names."""
    keys: dict[str, dict[str, KeyState]] = {}
    for key in rendered.transit_keys:
        found = await _read(core, f"{key.mount}keys/{key.name}")
        if found is not None:
            keys.setdefault(key.mount, {})[key.name] = KeyState.from_api(found)
    roles: dict[str, dict[str, RoleState]] = {}
    for role in (*rendered.approle_roles, *((rendered.role,) if rendered.role else ())):
        found = await _read(core, f"auth/{role.mount}role/{role.name}")
        if found is not None:
            roles.setdefault(role.mount, {})[role.name] = RoleState.from_api(found)
    policies = {}
    for name in rendered.policies:
        text = await core.policies.text(name)
        if text is not None:
            policies[name] = text
    token = core.mounts.find("auth", "token/")
    return State(
        mounts={e.path: MountState.from_api(e.describe()) for e in core.mounts.entries("mounts")},
        auth={e.path: MountState.from_api(e.describe()) for e in core.mounts.entries("auth")},
        transit_keys=keys,
        policies=policies,
        approle_roles=roles,
        token=TokenTtls()
        if token is None
        else TokenTtls(token.config.default_lease_ttl, token.config.max_lease_ttl),
    )


async def converge(core: Core, rendered: Rendered, caller: TokenEntry | None) -> Plan:
    """Apply the plan that takes the namespace to `rendered`; returns the plan applied."""
    steps = plan(rendered, await current_state(core, rendered))
    for action in steps.actions:
        await internal(core, Operation.UPDATE, action.path, action.data, caller)
    return steps


async def _read(core: Core, path: str) -> Mapping[str, Any] | None:
    try:
        response = await internal(core, Operation.READ, path)
    except NotFound:
        return None
    return response.data
