"""The operational log: one configuration, set once per process at start (STYLE.md habit 12).

Every record goes through one formatter that escapes control characters (DESIGN.md invariant
11): a request path with `%0a`, a header or a body with `\\r` or `\\x1b` logs as `\\n`, `\\r`,
`\\x1b`, so no caller can forge a line of its own or send escape sequences to an operator's
terminal. A record's first line alone starts at column 0; the lines of a traceback are indented.

The audit log is a separate, fail-closed sink and never goes through here.
"""

from __future__ import annotations

import logging
import re
import sys
from types import TracebackType
from typing import Any

_LEVELS = {
    "trace": logging.DEBUG,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "error": logging.ERROR,
}
# C0 controls, DEL, C1 controls (NEL among them) and the Unicode line and paragraph separators:
# every character that a terminal or a line-based log reader may take for a line break or a
# control sequence
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTINUATION = "    "
_FORMATTER = f"{__name__}.EscapingFormatter"
# granian's own records (its supervisor and workers, Rust side included), in granian's formats
GRANIAN_LOGGING: dict[str, Any] = {
    "formatters": {
        "generic": {"()": _FORMATTER, "fmt": "[%(levelname)s] %(message)s"},
        "access": {"()": _FORMATTER, "fmt": "%(message)s"},
    },
}
_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def escape_controls(text: str) -> str:
    """`text` with each control character written as its Python escape (`\\n`, `\\x1b`)."""
    return _CONTROL.sub(lambda found: found.group().encode("unicode_escape").decode(), text)


def _indented(block: str) -> str:
    return "\n".join(_CONTINUATION + escape_controls(line) for line in block.split("\n"))


class EscapingFormatter(logging.Formatter):
    """A formatter whose records each start one line and hold no raw control character."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's API
        record.message = escape_controls(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: _ExcInfo) -> str:  # noqa: N802 - logging's API
        return _indented(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 - logging's API
        return _indented(super().formatStack(stack_info))


def configure_logging(level: str) -> None:
    """Strongroom's records at `level`; other libraries' (drivers, brokers) from warnings on."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(EscapingFormatter("%(asctime)s [%(levelname)s] %(name)s: %(message)s"))
    for name, threshold in (("strongroom", _LEVELS[level]), ("", logging.WARNING)):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(threshold)
    logging.getLogger("strongroom").propagate = False
