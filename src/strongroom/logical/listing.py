"""A LIST operation's fields and answer: OpenBao's `after`/`limit` paging, and Vault's 404 for
an empty list."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.core.request import Response
from strongroom.errors import NotFound


class ListPage(msgspec.Struct, frozen=True, kw_only=True):
    after: Annotated[
        str, Meta(description="Optional entry to list begin listing after, not required to exist.")
    ] = ""
    limit: Annotated[
        int, Meta(description="Optional number of entries to return; defaults to all entries.")
    ] = 0

    def bounds(self) -> tuple[str | None, int | None]:
        """(`after`, `limit`) as a storage listing takes them: None for "from the start", "all"."""
        return self.after or None, self.limit if self.limit > 0 else None


def keys(names: list[str]) -> Response:
    """Vault's list answer. Raises NotFound (a bare 404, as Vault) when there are none."""
    if not names:
        raise NotFound
    return Response({"keys": names})
