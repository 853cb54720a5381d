"""Issue 14's boundary: every engine and auth method sees the core only through the engine
SDK (`strongroom.logical`), so the core can change shape behind it. The catalogue
(`engines/registry.py`), which builds the core's mount types, is the one exception."""

from __future__ import annotations

import ast
from pathlib import Path

import strongroom

PACKAGE = Path(strongroom.__file__).parent
CATALOGUE = PACKAGE / "engines" / "registry.py"


def _imports(module: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
    return found


def test_engines_and_auth_methods_import_nothing_of_the_core() -> None:
    offenders = [
        f"{module.relative_to(PACKAGE)}: {name}"
        for folder in ("engines", "auth")
        for module in sorted((PACKAGE / folder).rglob("*.py"))
        if module != CATALOGUE
        for name in _imports(module)
        if name == "strongroom.core" or name.startswith("strongroom.core.")
    ]
    assert offenders == []
