"""The shared 204 answer stays what it is: no request can leave a mark on it for the next."""

from __future__ import annotations

import pytest

from strongroom.core.request import NO_CONTENT
from support.inproc import Server


async def test_a_kv_delete_answers_204_and_leaves_no_content_untouched(server: Server) -> None:
    mounted = await server.call("POST", "sys/mounts/kv", {"type": "kv"})
    assert mounted.status_code == 204
    assert (await server.call("PUT", "kv/app", {"k": "v"})).status_code == 204
    deleted = await server.call("DELETE", "kv/app")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert NO_CONTENT.mount_type == ""


def test_no_content_refuses_assignment() -> None:
    with pytest.raises(AttributeError, match="mount_type"):
        NO_CONTENT.mount_type = "kv"
    assert NO_CONTENT.mount_type == ""
