"""`to_document`: a blueprint in its canonical JSON form, which `load_blueprint` reads back
equal. Durations are seconds; every field is written, defaults included, so the document
says exactly what a tenant gets."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from strongroom.blueprints._model import AppRoleRole, Blueprint, Mount, TransitKey

__all__ = ["to_document"]


def to_document(blueprint: Blueprint) -> dict[str, Any]:
    document: dict[str, Any] = {
        "description": blueprint.description,
        "mounts": [_mount(mount) for mount in blueprint.mounts],
        "transit_keys": [_key(key) for key in blueprint.transit_keys],
        "policies": dict(blueprint.policies),
        "approle_roles": [_role(role) for role in blueprint.approle_roles],
        "service": None if blueprint.service is None else asdict(blueprint.service),
        "token": None if blueprint.token is None else asdict(blueprint.token),
    }
    return document


def _mount(mount: Mount) -> dict[str, Any]:
    return {
        "path": mount.path,
        "type": mount.type,
        "description": mount.description,
        "options": dict(mount.options),
        "config": asdict(mount.config),
    }


def _key(key: TransitKey) -> dict[str, Any]:
    return asdict(key)


def _role(role: AppRoleRole) -> dict[str, Any]:
    return {**asdict(role), "token_policies": list(role.token_policies)}
