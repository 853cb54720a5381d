"""open_sink: Vault's device types and option names to sinks; bad options name themselves,
never their values."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from strongroom.audit import FileSink, Signer, SocketSink, SyslogSink, open_sink
from strongroom.audit.devices import parse_timeout


async def test_file_device(tmp_path: Path, signer: Signer) -> None:
    path = tmp_path / "audit.log"
    options = {"file_path": str(path), "mode": "0640", "prefix": "x", "log_raw": "false"}
    sink = open_sink("file", options, signer)
    assert isinstance(sink, FileSink)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    await sink.close()


async def test_file_device_on_stdout_and_socket_and_syslog_defaults() -> None:
    sinks = [
        open_sink("file", {"file_path": "stdout"}, None),
        open_sink("socket", {}, None),  # Vault's defaults: tcp to 127.0.0.1:9090, 2s
        open_sink("socket", {"address": "/run/c.sock", "socket_type": "unix"}, None),
        open_sink("socket", {"address": "[::1]:514", "socket_type": "udp"}, None),
        open_sink("syslog", {"facility": "local3", "tag": "sr"}, None),
    ]
    assert [type(s) for s in sinks] == [FileSink, SocketSink, SocketSink, SocketSink, SyslogSink]
    for sink in sinks:
        await sink.close()


@pytest.mark.parametrize(
    ("device_type", "options", "named"),
    [
        ("s3", {}, "type"),
        ("file", {}, "file_path"),
        ("file", {"file_path": "discard"}, "file_path"),
        ("file", {"file_path": "audit.log", "mode": "rw-SECRET"}, "mode"),
        ("file", {"file_path": "audit.log", "address": "SECRET"}, "address"),
        ("socket", {"socket_type": "SECRET"}, "socket_type"),
        ("socket", {"address": "SECRET"}, "address"),
        ("socket", {"address": ""}, "address"),
        ("socket", {"write_timeout": "SECRET"}, "write_timeout"),
        ("socket", {"write_timeout": "0s"}, "write_timeout"),
        ("syslog", {"facility": "SECRET"}, "facility"),
        ("syslog", {"tag": "SECRET tag"}, "tag"),
        ("syslog", {"file_path": "SECRET"}, "file_path"),
    ],
)
def test_bad_options_name_the_option_not_the_value(
    device_type: str, options: dict[str, str], named: str
) -> None:
    with pytest.raises(ValueError, match=named) as refused:
        open_sink(device_type, options, None)
    assert "SECRET" not in str(refused.value)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("2s", 2.0), ("500ms", 0.5), ("1m30s", 90.0), ("3", 3.0), ("1.5", 1.5), ("1.5h", 5400.0)],
)
def test_write_timeout_durations(text: str, seconds: float) -> None:
    assert parse_timeout(text) == seconds
