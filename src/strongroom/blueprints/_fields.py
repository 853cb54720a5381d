"""Reading one object of a blueprint document: typed members, unknown keys refused.

Every message names the member by its place in the canonical JSON form
(`mounts["secret/"].config.max_lease_ttl`) and what was expected, never the value given.
JSON null counts as absent, as in Vault's FieldData.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from strongroom.blueprints._errors import BlueprintError
from strongroom.config.durations import parse_duration

__all__ = ["Fields", "member"]


def member(where: str, name: str) -> str:
    """The place of `name` inside `where` (`where.name`, or `name` at the top)."""
    return f"{where}.{name}" if where else name


def label(where: str, name: str) -> str:
    """The place of the member keyed `name` in a list or map: `where["name"]`."""
    return f"{where}[{json.dumps(name)}]"


class Fields:
    """The members of one object. Raises BlueprintError if it is not an object or has a key
    outside `allowed`."""

    def __init__(self, value: object, where: str, allowed: frozenset[str]) -> None:
        if not isinstance(value, Mapping):
            raise BlueprintError.at(where or "blueprint", "expected an object")
        unknown = sorted(str(key) for key in value if key not in allowed)
        if unknown:
            raise BlueprintError.at(where or "blueprint", f"unknown key {json.dumps(unknown[0])}")
        self._values: Mapping[str, Any] = value
        self.where = where

    def has(self, name: str) -> bool:
        return self._values.get(name) is not None

    def raw(self, name: str) -> Any:  # noqa: ANN401 - a JSON value
        return self._values.get(name)

    def at(self, name: str) -> str:
        return member(self.where, name)

    def error(self, name: str, problem: str) -> BlueprintError:
        return BlueprintError.at(self.at(name), problem)

    def string(self, name: str, default: str | None = None) -> str:
        """A string; required (and non-empty) when there is no `default`."""
        value = self._values.get(name)
        if value is None:
            if default is None:
                raise self.error(name, "required")
            return default
        if not isinstance(value, str):
            raise self.error(name, "expected a string")
        if default is None and not value:
            raise self.error(name, "must not be empty")
        return value

    def boolean(self, name: str) -> bool:
        value = self._values.get(name)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(name, "expected true or false")
        return value

    def count(self, name: str) -> int:
        value = self._values.get(name)
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error(name, "expected a whole number, 0 or more")
        return value

    def duration(self, name: str) -> int:
        """Seconds, from a number or a Vault duration string ("30s", "720h", "30d")."""
        value = self._values.get(name)
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.error(name, "expected a duration such as 3600 or 1h")
        try:
            return parse_duration(value)
        except ValueError:
            raise self.error(name, "expected a duration such as 3600 or 1h") from None

    def strings(self, name: str) -> tuple[str, ...]:
        value = self._values.get(name)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(name, "expected a list of strings")
        return tuple(value)

    def string_map(self, name: str) -> dict[str, str]:
        """An object of strings; numbers are taken as their decimal text (`version = 2`)."""
        value = self._values.get(name)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self.error(name, "expected an object of strings")
        out: dict[str, str] = {}
        for key, item in value.items():
            if isinstance(item, int) and not isinstance(item, bool):
                item = str(item)  # noqa: PLW2901 - the number's text is the value
            if not isinstance(item, str):
                raise BlueprintError.at(label(self.at(name), str(key)), "expected a string")
            out[str(key)] = item
        return out

    def items(self, name: str) -> list[Any]:
        value = self._values.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(name, "expected a list")
        return value
