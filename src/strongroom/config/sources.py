"""Finding configuration files and parsing each into a plain dict (HCL or JSON).

This is the only module that touches the disk or the parsers. Parser messages are never passed
on: lark's and json's messages quote the offending source line, which may hold a password, so a
syntax error is reported by file, line and column only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import hcl2
from lark.exceptions import LarkError, UnexpectedInput

from strongroom.config.errors import ConfigError

__all__ = ["expand_paths", "read_document"]

# Vault's `-config` directory rule: every file ending in .hcl or .json, in lexical order.
_CONFIG_SUFFIXES = frozenset({".hcl", ".json"})

_HCL_OPTIONS = hcl2.SerializationOptions(
    with_comments=False,
    explicit_blocks=False,  # blocks become lists of {label: body}, as in python-hcl2 < 8
    strip_string_quotes=True,
    preserve_heredocs=False,
    preserve_scientific_notation=False,
)


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """The files to load, in order: files as given, directories expanded to their sorted
    `*.hcl` and `*.json` entries. Raises ConfigError if there is nothing to load."""
    if not paths:
        raise ConfigError("no configuration file given")
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            entries = [p for p in path.iterdir() if p.suffix in _CONFIG_SUFFIXES and p.is_file()]
            if not entries:
                raise ConfigError(f"no .hcl or .json files in {path}")
            files.extend(sorted(entries))
        else:
            files.append(path)
    return files


def read_document(path: Path) -> dict[str, Any]:
    """The top-level object of `path`: JSON if it ends in `.json`, HCL otherwise.

    Raises ConfigError if the file cannot be read or parsed."""
    text = _read_text(path)
    document = _parse_json(text, path) if path.suffix == ".json" else _parse_hcl(text, path)
    if not isinstance(document, dict):
        raise ConfigError(f"the top level of {path} must be an object")
    return document


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"cannot read {path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or 'I/O error'}") from None


def _parse_json(text: str, path: Path) -> object:
    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        # json would silently keep the last duplicate; a config file should not mean two things.
        obj: dict[str, Any] = {}
        for key, value in pairs:
            if key in obj:
                raise ConfigError(f'duplicate key "{key}" in {path}')
            obj[key] = value
        return obj

    try:
        return json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as exc:
        # exc.msg is a fixed phrase ("Expecting value"); exc.doc would be the whole file.
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ConfigError(f"cannot parse {path}: invalid JSON at {where}") from None


def _parse_hcl(text: str, path: Path) -> object:
    try:
        return hcl2.loads(text, serialization_options=_HCL_OPTIONS)
    except UnexpectedInput as exc:
        where = f"line {exc.line}, column {exc.column}"
        raise ConfigError(f"cannot parse {path}: invalid HCL at {where}") from None
    except (LarkError, ValueError, RuntimeError):
        # python-hcl2 raises these for input that lexes but does not transform (e.g. a bad
        # heredoc); their text may quote the source, so it is dropped.
        raise ConfigError(f"cannot parse {path}: invalid HCL") from None
