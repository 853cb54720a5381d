"""The operational log: one configuration, set once per process at start (STYLE.md habit 12).

The audit log is a separate, fail-closed sink and never goes through here.
"""

from __future__ import annotations

import logging
import sys

_LEVELS = {
    "trace": logging.DEBUG,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "error": logging.ERROR,
}


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(levelname)s] %(name)s: %(message)s"))
    root = logging.getLogger("strongroom")
    root.handlers[:] = [handler]
    root.setLevel(_LEVELS[level])
    root.propagate = False
