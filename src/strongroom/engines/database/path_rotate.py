"""database/rotate-root/:name and rotate-role/:name: rotations on demand (Vault's
`path_rotate_credentials.go`).

rotate-root changes the connection's own password (write-ahead, `root.py`) and drops this
worker's pool, whose sessions logged in with the old one; rotate-role rotates a static role's
password now (`rotation.py`).
"""

from __future__ import annotations

from strongroom.engines.database import root
from strongroom.engines.database.context import DatabaseContext, Named
from strongroom.logical import NO_CONTENT, Request, Response

ROOT_SYNOPSIS = "Request to rotate the root credentials for a certain database connection."
ROLE_SYNOPSIS = "Request to rotate the credentials for a static user account."


async def rotate_root(ctx: DatabaseContext, _req: Request, fields: Named) -> Response:
    db, name = ctx.db, fields.name
    config, plugin = await db.plugin(name)
    await root.rotate(db.store, name, await db.password_for(config), plugin)
    await db.connections.drop(name)
    await db.emit("database-root-rotated", {"connection": name})
    return NO_CONTENT


async def rotate_role(ctx: DatabaseContext, _req: Request, fields: Named) -> Response:
    await ctx.rotations.rotate_now(fields.name)
    return NO_CONTENT
