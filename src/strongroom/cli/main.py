"""The `strongroom` command: the Typer app, Vault's single-dash flags, and error reporting.

Commands raise `CommandError` (see `errors.py`); `_Group.invoke` is the one place that prints
it and picks the exit code: 0 ok, 2 for the caller's mistakes (usage, 4xx), 1 otherwise.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

import typer
from typer._click import Context  # typer vendors click and exports no alias for its Context
from typer.core import TyperGroup

from strongroom.cli.audit import audit_app
from strongroom.cli.blueprint import blueprint_app
from strongroom.cli.errors import CommandError
from strongroom.cli.generic import delete, list_command, read, write
from strongroom.cli.kv import kv_app
from strongroom.cli.lease import lease_app
from strongroom.cli.mounts import auth_app, secrets_app
from strongroom.cli.operator import operator_app
from strongroom.cli.serve import server
from strongroom.cli.status import status, version
from strongroom.cli.tenant import tenant_app

__all__ = ["app", "main", "rewrite_argv"]

# `-word` or `-word=value`: a Vault-style long flag. One letter (`-h`), a bare `-` (stdin) and
# negative numbers are left alone.
_VAULT_FLAG = re.compile(r"-[A-Za-z][A-Za-z0-9_-]+(=.*)?", re.DOTALL)


class _Group(TyperGroup):
    def invoke(self, ctx: Context) -> object:
        try:
            return super().invoke(ctx)
        except CommandError as failure:
            print(failure.render(), file=sys.stderr)
            raise typer.Exit(failure.exit_code) from None


app = typer.Typer(
    cls=_Group,
    name="strongroom",
    help="Strongroom: a secrets server speaking the Vault v1 API.",
    no_args_is_help=True,
    add_completion=False,
    # Tracebacks with locals would print unseal keys and tokens held in local variables.
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command("server")(server)
app.command("status")(status)
app.command("version")(version)
app.add_typer(operator_app, name="operator")
app.add_typer(secrets_app, name="secrets")
app.add_typer(auth_app, name="auth")
app.add_typer(audit_app, name="audit")
app.command("read")(read)
app.command("write")(write)
app.command("list")(list_command)
app.command("delete")(delete)
app.add_typer(kv_app, name="kv")
app.add_typer(lease_app, name="lease")
app.add_typer(tenant_app, name="tenant")
app.add_typer(blueprint_app, name="blueprint")


def rewrite_argv(argv: Sequence[str]) -> list[str]:
    """Vault's `-config=x` / `-dev` spelled as `--config=x` / `--dev` for Typer; nothing after
    a `--` separator is touched."""
    rewritten: list[str] = []
    for index, arg in enumerate(argv):
        if arg == "--":
            return rewritten + list(argv[index:])
        rewritten.append("-" + arg if _VAULT_FLAG.fullmatch(arg) else arg)
    return rewritten


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point (`strongroom = "strongroom.cli.main:main"`)."""
    app(args=rewrite_argv(sys.argv[1:] if argv is None else argv), prog_name="strongroom")
