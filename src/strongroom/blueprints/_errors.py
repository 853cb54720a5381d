"""`BlueprintError`: a blueprint that cannot be read or is not valid (a 400 on the wire)."""

from __future__ import annotations

from strongroom.errors import BadRequest

__all__ = ["BlueprintError"]


class BlueprintError(BadRequest):
    """The message names the field (`mounts["secret/"].type`), never the value it rejects."""

    default_message = "invalid blueprint"

    @classmethod
    def at(cls, where: str, problem: str) -> BlueprintError:
        return cls(
            f"invalid blueprint: {where}: {problem}" if where else f"invalid blueprint: {problem}"
        )
