"""The differential harness: run one scripted scenario against OpenBao and Strongroom, and list
where the two answers differ.

A scenario is data: a list of `Step`s, each an HTTP request (method, path, body, token) or a
real `bao` CLI command. Steps may `save` values from an answer (a scoped token, an accessor)
for later steps to use as `{name}` in paths and bodies or as the step's token; `{m}` is the
scenario's own prefix, so every scenario works on mounts, policies and namespaces of its own.

Answers are compared by status (exit code for the CLI) and by *shape*: the same keys, the
same JSON value types, recursively. A step with `values=True` also compares the values, after
`normalise` has replaced what legitimately differs between two servers (ids, times, tokens,
ciphertexts, accessors).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

__all__ = ["Answer", "Scenario", "Step", "Target", "differences", "run"]


@dataclass(frozen=True)
class Step:
    """One request. `token` names a saved value ("root" is the root token, None sends none)."""

    method: str = "GET"
    path: str = ""
    body: Any = None
    token: str | None = "root"
    namespace: str = ""
    save: Mapping[str, str] = field(default_factory=dict)  # name -> dotted path in the answer
    values: bool = False
    cli: Sequence[str] = ()  # `bao` arguments instead of an HTTP request
    label: str = ""  # how the allowed-differences file names this step; default its index
    pick: str = ""  # compare only this dotted part of the answers (a listing's one entry)
    headers: Mapping[str, str] = field(default_factory=dict)
    stdin: str = ""  # what a CLI step reads from standard input (`bao policy write p -`)


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: Sequence[Step]


@dataclass(frozen=True)
class Target:
    """A running server: its address and root token, the `bao` binary for CLI steps and the
    HOME they run in (empty, so no ~/.vault-token stands in for a missing token)."""

    name: str
    address: str
    root_token: str
    bao: Path
    home: Path


@dataclass(frozen=True)
class Answer:
    status: int  # HTTP status, or the CLI's exit code
    body: Any  # parsed JSON, or None for an empty or non-JSON answer


def run(target: Target, scenario: Scenario, prefix: str) -> list[Answer]:
    """Every step's answer on `target`; a missing saved value is an empty string."""
    saved: dict[str, str] = {"m": prefix, "root": target.root_token}
    answers: list[Answer] = []
    with httpx.Client(base_url=target.address + "/v1/", timeout=30) as client:
        for step in scenario.steps:
            answer = _cli(target, step, saved) if step.cli else _http(client, step, saved)
            for name, dotted in step.save.items():
                saved[name] = str(_dig(answer.body, dotted) or "")
            answers.append(answer)
    return answers


def _fill(value: Any, saved: Mapping[str, str]) -> Any:
    """`value` with `{name}` placeholders in every string replaced by saved values."""
    if isinstance(value, str):
        return re.sub(r"\{(\w+)\}", lambda m: saved.get(m.group(1), m.group(0)), value)
    if isinstance(value, list):
        return [_fill(v, saved) for v in value]
    if isinstance(value, dict):
        return {_fill(k, saved): _fill(v, saved) for k, v in value.items()}
    return value


def _token(step: Step, saved: Mapping[str, str]) -> str | None:
    return None if step.token is None else saved.get(step.token, step.token)


def _http(client: httpx.Client, step: Step, saved: Mapping[str, str]) -> Answer:
    headers = dict(step.headers)
    token = _token(step, saved)
    if token is not None:
        headers["X-Vault-Token"] = token
    if step.namespace:
        headers["X-Vault-Namespace"] = _fill(step.namespace, saved)
    if step.method == "PATCH":  # Vault refuses a PATCH of any other type with a 415
        headers["Content-Type"] = "application/merge-patch+json"
    content = None if step.body is None else json.dumps(_fill(step.body, saved))
    response = client.request(
        step.method, _fill(step.path, saved), content=content, headers=headers
    )
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = None
    return Answer(response.status_code, body)


def _cli(target: Target, step: Step, saved: Mapping[str, str]) -> Answer:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(target.home),
        "VAULT_ADDR": target.address,
        "VAULT_TOKEN": _token(step, saved) or "",
        "VAULT_NAMESPACE": _fill(step.namespace, saved),
    }
    args = [_fill(arg, saved) for arg in step.cli]
    done = subprocess.run(
        [str(target.bao), *args],
        input=_fill(step.stdin, saved),
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    try:
        body = json.loads(done.stdout) if done.stdout.strip() else None
    except ValueError:
        body = None
    return Answer(done.returncode, body)


def _dig(body: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if isinstance(body, dict):
            body = body.get(part)
        elif isinstance(body, list) and part.isdigit() and int(part) < len(body):
            body = body[int(part)]
        else:
            return None
    return body


# Values two correct servers give differently. Keys in this set keep only their type.
VOLATILE = frozenset(
    {
        "accessor",
        "client_token",
        "creation_time",
        "created_time",
        "deletion_time",
        "entity_id",
        "expire_time",
        "id",
        "issue_time",
        "last_renewal_time",
        "lease_id",
        "request_id",
        "token",
        "uuid",
        "wrapped_accessor",
        "secret_id",
        "secret_id_accessor",
        "role_id",
        "ciphertext",
        "hmac",
        "signature",
        "migration_id",
        "creation_path",
        "cubbyhole_response",
        "last_vault_rotation",
        "updated_time",
        "expiration",
        "ttl",
        "creation_ttl",
        "explicit_max_ttl",
        "lease_duration",
        "latest_version",
        "running_plugin_version",
    }
)


def normalise(value: Any, key: str = "") -> Any:
    """`value` with what legitimately differs between two servers reduced to its type."""
    if key in VOLATILE and not isinstance(value, (dict, list)):
        return type(value).__name__
    if isinstance(value, dict):
        return {k: normalise(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v, key) for v in value]
    return value


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted({json.dumps(_shape(v), sort_keys=True) for v in value})
    return (
        "number"
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else (type(value).__name__)
    )


def differences(step: Step, expected: Answer, actual: Answer, prefix: str) -> list[str]:
    """Where `actual` (Strongroom) differs from `expected` (OpenBao): dotted paths, or
    "status" for a different status code or exit code. `prefix` fills `{m}` in `step.pick`."""
    if expected.status != actual.status:
        return [f"status ({expected.status} != {actual.status})"]
    left, right = expected.body, actual.body
    if step.pick:
        pick = step.pick.replace("{m}", prefix)
        left, right = _dig(left, pick), _dig(right, pick)
    if step.values:
        left, right = normalise(left), normalise(right)
    else:
        left, right = _shape(left), _shape(right)
    return list(_walk(left, right, "body"))


def _walk(left: Any, right: Any, path: str) -> Any:
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(left.keys() | right.keys()):
            where = f"{path}.{key}"
            if key not in right:
                yield f"{where} (only in OpenBao)"
            elif key not in left:
                yield f"{where} (only in Strongroom)"
            else:
                yield from _walk(left[key], right[key], where)
    elif left != right:
        yield f"{path} ({_brief(left)} != {_brief(right)})"


def _brief(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "..."
