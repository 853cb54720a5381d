"""Any value for any declared field of a token creation or a role write: a 2xx or a 400 with
Vault's `{"errors": [...]}`, never a 500, and no 400 repeats a submitted string (each random
string carries a canary, which no error may contain)."""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strongroom.auth.token.path_create import CreateFields
from strongroom.auth.token.path_roles import RoleWrite
from strongroom.logical.fields import Schema
from support.inproc import Server

CANARY = "zq7"
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12).map(lambda text: CANARY + text)
    | st.sampled_from(["1h", "-5s", "0", "true", "batch", "service", "default", "a,b", "k=v"])
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=4).map(lambda text: CANARY + text), inner)
    ),
    max_leaves=6,
)


def _bodies(struct: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    names = sorted(set(Schema(struct).fields) - {"role_name"})
    return st.dictionaries(st.sampled_from(names), _values, max_size=5)


def _check(resp: httpx.Response, body: dict[str, Any]) -> None:
    assert resp.status_code in (200, 204, 400), (resp.status_code, resp.text, body)
    if resp.status_code != 400:
        return
    errors = resp.json()["errors"]
    assert len(errors) == 1, errors
    assert CANARY not in errors[0], (errors, body)


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(body=_bodies(CreateFields))
async def test_any_creation_body_is_answered_or_refused(
    server: Server, body: dict[str, Any]
) -> None:
    body.pop("id", None)  # a chosen ID is a real token: covered by the create rules' tests
    _check(await server.call("POST", "auth/token/create", body), body)


@SETTINGS
@given(body=_bodies(RoleWrite))
async def test_any_role_write_is_answered_or_refused(server: Server, body: dict[str, Any]) -> None:
    _check(await server.call("POST", "auth/token/roles/fuzz", body), body)
    created = await server.call("POST", "auth/token/create/fuzz", {})
    _check(created, {})
