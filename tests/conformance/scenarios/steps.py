"""Shorthands that keep scenario tables readable: one call per request or CLI command."""

from __future__ import annotations

from typing import Any

from conformance.harness import Step

__all__ = ["cli", "delete", "get", "lst", "patch", "post"]


def get(path: str, **kw: Any) -> Step:
    return Step("GET", path, **kw)


def lst(path: str, **kw: Any) -> Step:
    return Step("LIST", path, **kw)


def post(path: str, body: Any = None, **kw: Any) -> Step:
    return Step("POST", path, {} if body is None else body, **kw)


def patch(path: str, body: Any, **kw: Any) -> Step:
    return Step("PATCH", path, body, **kw)


def delete(path: str, **kw: Any) -> Step:
    return Step("DELETE", path, **kw)


def cli(*args: str, **kw: Any) -> Step:
    """A `bao` command; output shapes compare only with `-format=json` among `args`."""
    return Step(cli=args, **kw)
