"""The operational log's formatter: no caller-supplied character starts a line of its own or
reaches the log raw, whether it arrives in a message, an argument, a traceback or a path."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import httpx
import pytest
from granian.log import LogLevels
from granian.log import configure_logging as configure_granian_logging

from strongroom.http.app import App
from strongroom.server.logs import (
    GRANIAN_LOGGING,
    EscapingFormatter,
    configure_logging,
    escape_controls,
)
from support.inproc import make_core

FORGED_STAMP = "1999-01-01 00:00:00,000"
FORGED = f"{FORGED_STAMP} [INFO] strongroom.core: root token rotated"
HOSTILE = [
    f"\n{FORGED}",
    f"\r{FORGED}",
    f"\r\n{FORGED}",
    "\x1b[2J\x1b[31mred",
    "nul\x00bell\x07tab\tvt\x0bff\x0c",
    f"nel\x85{FORGED}",
    f"ls\u2028{FORGED}\u2029",
    "del\x7f csi\x9b",
]
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")  # all but "\n"


@pytest.fixture
def operator_log(capsys: pytest.CaptureFixture[str]) -> Iterator[io.StringIO]:
    """The operational log as `configure_logging` sets it up, written to a buffer."""
    loggers = [logging.getLogger(name) for name in ("strongroom", "")]
    saved = [(lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    configure_logging("debug")
    buffer = io.StringIO()
    for lg in loggers:
        handler = lg.handlers[0]
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(buffer)
    yield buffer
    for lg, (handlers, level, propagate) in zip(loggers, saved, strict=True):
        lg.handlers[:], lg.level, lg.propagate = handlers, level, propagate
    capsys.readouterr()


def record_starts(text: str) -> list[str]:
    """The first line of each record, after checking that no line is forged or raw."""
    assert not RAW_CONTROL.search(text), text
    lines = text.splitlines()  # splits at every line boundary Python knows, not only "\n"
    assert not any(line.startswith(FORGED_STAMP) for line in lines), text
    starts = [line for line in lines if not line.startswith(" ")]
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \[", line) for line in starts)
    return starts


def test_escape_controls_writes_python_escapes() -> None:
    assert escape_controls("a\nb\rc\x1b[0m\x00\x7f\x85\u2028é") == (
        "a\\nb\\rc\\x1b[0m\\x00\\x7f\\x85\\u2028é"
    )


@pytest.mark.parametrize("hostile", HOSTILE)
def test_messages_and_arguments_are_escaped(operator_log: io.StringIO, hostile: str) -> None:
    log = logging.getLogger("strongroom.test")
    log.warning("path %s failed", hostile)
    log.warning(hostile)
    logging.getLogger("psycopg.pool").warning("driver: %r %s", hostile, hostile)
    assert len(record_starts(operator_log.getvalue())) == 3
    assert "\\x1b[2J" in EscapingFormatter().format(
        logging.LogRecord("strongroom", logging.INFO, __file__, 1, "%s", ("\x1b[2J",), None)
    )


@pytest.mark.parametrize("hostile", HOSTILE)
def test_tracebacks_are_escaped_and_indented(operator_log: io.StringIO, hostile: str) -> None:
    logging.getLogger("strongroom.test").error("round failed", exc_info=ValueError(hostile))
    logging.getLogger("strongroom.test").info("stack", stack_info=True)
    text = operator_log.getvalue()
    assert len(record_starts(text)) == 2
    assert "\n    ValueError: " in text


@pytest.mark.parametrize("hostile", HOSTILE)
async def test_access_log_of_a_hostile_request(operator_log: io.StringIO, hostile: str) -> None:
    """Paths (percent-encoded), header values and bodies carrying control characters."""
    core = make_core()
    path = "/v1/secret/" + "".join(f"%{byte:02x}" for byte in hostile.encode())
    transport = httpx.ASGITransport(app=App(core))
    async with httpx.AsyncClient(transport=transport, base_url="http://sr") as client:
        await client.get(path)
        await client.put("/v1/sys/init", content=hostile.encode())
        await client.post(path, content=hostile.encode(), headers={"X-Vault-Token": "t"})
    access = [
        line for line in record_starts(operator_log.getvalue()) if "strongroom.access" in line
    ]
    assert len(access) == 3


def test_granian_records_use_the_escaping_formatter(capsys: pytest.CaptureFixture[str]) -> None:
    granian = logging.getLogger("_granian")
    saved = granian.handlers[:], granian.level, granian.propagate
    configure_granian_logging(LogLevels.info, GRANIAN_LOGGING)
    try:
        granian.info("worker %s\n%s", 1, FORGED)
        assert capsys.readouterr().out == f"[INFO] worker 1\\n{FORGED}\n"
    finally:
        granian.handlers[:], granian.level, granian.propagate = saved
