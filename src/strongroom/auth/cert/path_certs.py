"""Trusted certificate paths: `certs/` and `certs/:name` (Vault's path_certs.go;
api-docs/auth/cert "Create CA certificate role", "Read CA certificate role", "List
certificate roles", "Delete certificate role")."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from strongroom.auth.cert import render
from strongroom.auth.cert.context import CertContext
from strongroom.auth.cert.models import CertRole
from strongroom.auth.cert.role_fields import CertName, CertWrite, apply_cert
from strongroom.errors import NotFound
from strongroom.logical import NO_CONTENT, Request, Response

LIST_SYNOPSIS = "Manage trusted certificates used for authentication."
CERT_SYNOPSIS = "Manage trusted certificates used for authentication."


class CertOnly(msgspec.Struct, frozen=True, kw_only=True):
    name: CertName


def _name(captured: str) -> str:
    return captured.lower()  # Vault stores certificate names lower-cased


async def exists(ctx: CertContext, captures: Mapping[str, str]) -> bool:
    return await ctx.store.role(_name(captures["name"])) is not None


async def list_certs(ctx: CertContext, _req: Request, _fields: msgspec.Struct) -> Response:
    names = await ctx.store.role_names()
    if not names:
        raise NotFound  # Vault's empty list is a 404 with no errors
    return Response({"keys": names})


async def read_cert(ctx: CertContext, _req: Request, fields: CertOnly) -> Response:
    role = await ctx.store.role(_name(fields.name))
    if role is None:
        raise NotFound
    return Response(render.role(role))


async def write_cert(ctx: CertContext, _req: Request, fields: CertWrite) -> Response:
    """Create or update; only the fields sent change. Raises BadRequest for a certificate that
    does not parse (also when a new role sends none) and Vault's token-field refusals."""
    name = _name(fields.name)
    found = await ctx.store.role(name)
    role, warnings = apply_cert(found or CertRole(name=name, certificate=""), fields)
    await ctx.store.put_role(role)
    return Response(warnings=warnings) if warnings else NO_CONTENT


async def delete_cert(ctx: CertContext, _req: Request, fields: CertOnly) -> Response:
    await ctx.store.delete_role(_name(fields.name))
    return NO_CONTENT
