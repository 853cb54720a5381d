"""AppRole `tidy/secret-id` (Vault's path_tidy_user_id.go; api-docs/auth/approle "Tidy
tokens")."""

from __future__ import annotations

from strongroom.auth.approle.context import AppRole
from strongroom.logical import NoFields, Request, Response

SYNOPSIS = "Trigger the clean-up of expired SecretID entries."


async def tidy(app: AppRole, _req: Request, _fields: NoFields) -> Response:
    """Remove expired secret IDs (and stale lockout counters). Vault answers 202 and tidies in
    the background; here the work is done, a page at a time, before the same 202 answer."""
    removed = await app.secret_ids.tidy()
    swept = await app.lockouts.sweep()
    note = f"Tidy operation completed: {removed} expired secret IDs and {swept} stale lockout"
    return Response(status=202, warnings=[note + " counters removed."])
