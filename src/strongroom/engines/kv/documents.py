"""Operations on a secret's JSON document: RFC 7396 merge patch and Vault's subkeys view."""

from __future__ import annotations

from typing import Any


def merge_patch(target: Any, patch: Any) -> Any:  # noqa: ANN401 - JSON values of any shape
    """RFC 7396 section 2: objects merge recursively, `null` removes a member, anything else
    replaces the target wholesale. Neither argument is modified."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def subkeys(data: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """The key tree of `data` with every leaf replaced by None (Vault's `subkeys` endpoint).

    Only non-empty objects are descended into (lists and `{}` are leaves, as in Vault); with
    `depth` > 0, keys at that depth are leaves too. Depth 0 means no limit.
    """
    return {key: _below(value, depth, 1) for key, value in data.items()}


def _below(value: Any, depth: int, level: int) -> dict[str, Any] | None:  # noqa: ANN401 - JSON
    if not isinstance(value, dict) or not value or level == depth:
        return None
    return {key: _below(item, depth, level + 1) for key, item in value.items()}
