"""`parse_blueprint`: blueprint text (HCL or JSON) or a decoded JSON object, validated."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strongroom.blueprints._model import Blueprint
from strongroom.blueprints._syntax import read_document
from strongroom.blueprints._validate import load_blueprint

__all__ = ["parse_blueprint"]


def parse_blueprint(source: str | Mapping[str, Any]) -> Blueprint:
    """The blueprint in `source`: HCL or JSON text (JSON when it starts with `{`), or a JSON
    object in the canonical form (`to_document`'s).

    Raises BlueprintError (a BadRequest) naming the first invalid field."""
    document = read_document(source) if isinstance(source, str) else source
    return load_blueprint(document)
