"""Declared request fields: one `msgspec.Struct` per operation, decoded with Vault's weak typing.

A route's fields are the attributes of its Struct (Vault's `framework.FieldSchema` map): the
annotation gives the type, `msgspec.Meta(description=...)` the text `?help=1` and the OpenAPI
document show, and the default what an absent field reads as. A default of `UNSET` keeps
"absent" apart from any value, so a handler changes only the fields that were sent (Vault's
`GetOk`). The pattern's named groups are fields too, as in Vault (`path` of `data/:path`).

Decoding goes through `core/fields.py`'s `CONVERSIONS` (the one table of Vault's weak
typing): the annotation picks the `FieldType`, `Annotated[int, DURATION]` marks a duration.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Union

import msgspec

from strongroom.core.fields import FieldType, convert
from strongroom.errors import BadRequest

__all__ = [
    "DURATION",
    "UNSET",
    "Duration",
    "Field",
    "NoFields",
    "Schema",
    "StringSlice",
    "UnsetType",
    "convert",
    "duration_text",
    "sent",
]

UNSET = msgspec.UNSET
UnsetType = msgspec.UnsetType
DURATION = FieldType.DURATION
Duration = Annotated[int, DURATION]
"""Seconds, from a number or a Go duration string ("1h30m"), as Vault's TypeDurationSecond."""
StringSlice = Annotated[list[str], FieldType.STRING_SLICE]
"""Vault's TypeStringSlice: a list of strings, or one string as one item (not comma-split)."""


class NoFields(msgspec.Struct, frozen=True, kw_only=True):
    """The fields of an operation that takes none."""


_BY_TYPE: Mapping[Any, FieldType] = {
    str: FieldType.STRING,
    bool: FieldType.BOOL,
    int: FieldType.INT,
    list[str]: FieldType.COMMA_STRING_LIST,
    list[int]: FieldType.COMMA_INT_LIST,
    dict[str, str]: FieldType.KV_PAIRS,
    dict[str, Any]: FieldType.MAP,
    list[Any]: FieldType.SLICE,
}


@dataclass(frozen=True, slots=True)
class Field:
    """One declared field: its name, Vault type, description and whether it must be sent.
    `nullable` (an annotation admitting None) keeps an explicit JSON null apart from absence,
    as a merge patch needs; otherwise null reads as absent, as Vault's FieldData does."""

    name: str
    kind: FieldType
    description: str
    required: bool
    nullable: bool = False


def duration_text(name: str, text: str) -> int:
    """Seconds from a Go duration string a field declares as a string (OpenBao's PKI CRL
    settings are TypeString durations). Raises BadRequest naming the field."""
    seconds: int = convert({name: text}, name, FieldType.DURATION, 0)
    return seconds


def sent(fields: msgspec.Struct) -> dict[str, Any]:
    """The fields of a decoded Struct that the request carried (those not `UNSET`)."""
    return {k: v for k, v in msgspec.structs.asdict(fields).items() if v is not UNSET}


def _nullable(hint: Any) -> bool:  # noqa: ANN401 - any annotation
    if typing.get_origin(hint) is Annotated:
        hint = typing.get_args(hint)[0]
    return type(None) in typing.get_args(hint)


def _kind(hint: Any) -> tuple[FieldType, str]:  # noqa: ANN401 - any annotation
    """The FieldType and description of one annotation (Annotated, `X | UnsetType`, ...)."""
    description = ""
    explicit: FieldType | None = None
    if typing.get_origin(hint) is Annotated:
        hint, *extras = typing.get_args(hint)
        for extra in extras:
            if isinstance(extra, FieldType):
                explicit = extra
            elif isinstance(extra, msgspec.Meta) and extra.description:
                description = extra.description
    if typing.get_origin(hint) in (Union, types.UnionType):
        (hint,) = [arg for arg in typing.get_args(hint) if arg not in (UnsetType, type(None))]
        kind, inner = _kind(hint)
        return explicit or kind, description or inner
    found = explicit or _BY_TYPE.get(hint)
    if found is None:
        raise TypeError(f"no Vault field type for the annotation {hint!r}")
    return found, description


class Schema:
    """The decoder of one operation's Struct: request data and path captures to an instance."""

    def __init__(self, struct: type[msgspec.Struct]) -> None:
        self.struct = struct
        hints = typing.get_type_hints(struct, include_extras=True)
        self.fields: dict[str, Field] = {}
        # A field's wire name may differ from its attribute (`from`, a Python keyword).
        self._attributes: dict[str, str] = {}
        for info in msgspec.structs.fields(struct):
            hint = hints[info.name]
            kind, description = _kind(hint)
            name = info.encode_name
            self.fields[name] = Field(name, kind, description, info.required, _nullable(hint))
            self._attributes[name] = info.name
        self._renamed = any(name != attr for name, attr in self._attributes.items())

    def decode(self, data: Mapping[str, Any], captures: Mapping[str, str]) -> Any:  # noqa: ANN401
        """The Struct for `data` plus the pattern's `captures` (which win, as Vault's do).

        Raises BadRequest naming the field and type when a value does not convert; an absent
        or null field takes the Struct's default.
        """
        values: dict[str, Any] = {}
        for name, field in self.fields.items():
            if name in captures:
                values[name] = captures[name]
                continue
            if name not in data:  # most fields are not sent: skip the conversion call
                continue
            if field.nullable and data[name] is None:
                values[name] = None
                continue
            value = convert(data, name, field.kind, UNSET)
            if value is not UNSET:
                values[name] = value
        missing = [name for name, field in self.fields.items() if field.required]
        for name in missing:
            if name not in values:
                raise BadRequest(f'missing required field "{name}"')
        if self._renamed:
            values = {self._attributes[name]: value for name, value in values.items()}
        return self.struct(**values)
