"""sys/policies/password: list, write, read, delete and generate from Vault's password
policies (api-docs/system/policies-password), kept by `password_policies.PasswordPolicies`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import msgspec

from strongroom.core.namespaces.registry import storage_prefix
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.system.password_policies import PasswordPolicies
from strongroom.errors import BadRequest, NotFound
from strongroom.logical.fields import NoFields

if TYPE_CHECKING:
    from strongroom.core.core import Core

LIST_SYNOPSIS = "List the existing password policies."
POLICY_SYNOPSIS = "Read, Modify, or Delete a password policy."
GENERATE_SYNOPSIS = "Generate a password from an existing password policy."

_Name = Annotated[str, msgspec.Meta(description="The name of the password policy.")]


class PolicyName(msgspec.Struct, frozen=True, kw_only=True):
    name: _Name


class PolicyWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: _Name
    policy: Annotated[
        str, msgspec.Meta(description="The password policy, in HCL or JSON, optionally base64.")
    ] = ""


def _policies(core: Core) -> PasswordPolicies:
    return PasswordPolicies(core.store, storage_prefix(core.namespace))


async def list_policies(core: Core, _req: Request, _f: NoFields) -> Response:
    names = await _policies(core).names()
    if not names:
        raise NotFound
    return Response({"keys": names})


async def read_policy(core: Core, _req: Request, fields: PolicyName) -> Response:
    return Response({"policy": await _policies(core).read(fields.name)})


async def write_policy(core: Core, _req: Request, fields: PolicyWrite) -> Response:
    if not fields.policy:
        raise BadRequest("missing policy")
    await _policies(core).write(fields.name, fields.policy)
    return NO_CONTENT


async def delete_policy(core: Core, _req: Request, fields: PolicyName) -> Response:
    await _policies(core).delete(fields.name)
    return NO_CONTENT


async def generate_password(core: Core, _req: Request, fields: PolicyName) -> Response:
    return Response({"password": await _policies(core).generate(fields.name)})
