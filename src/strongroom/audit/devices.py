"""Audit layer, device options: `sys/audit/:path`'s `type` and `options` to a ready `Sink`.

Option names and defaults are Vault's (website "Audit Devices": file, socket, syslog). Every
value is a string, as Vault's API takes them. Options that shape entries rather than transport
them (`format`, `hmac_accessor`, `log_raw`, `elide_list_responses`, `fallback`, `filter`,
`exclude`) belong to the broker and are accepted here without effect. An unknown device type,
an unknown option or a bad value raises ValueError naming the option, never echoing a value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Literal, cast

from strongroom.audit.chain import Signer
from strongroom.audit.file_sink import FileSink
from strongroom.audit.net_sinks import FACILITIES, SocketSink, SyslogSink, parse_host_port
from strongroom.audit.sinks import Sink

__all__ = ["BROKER_OPTIONS", "open_sink", "parse_timeout"]

BROKER_OPTIONS = frozenset(
    {"format", "hmac_accessor", "log_raw", "elide_list_responses", "fallback", "filter", "exclude"}
)
_DEVICE_OPTIONS = {
    "file": frozenset({"file_path", "path", "mode", "prefix"}),
    "socket": frozenset({"address", "socket_type", "write_timeout", "prefix"}),
    "syslog": frozenset({"facility", "tag", "prefix"}),
}
# Go's time.ParseDuration units (Vault parses write_timeout with it), in seconds.
_UNITS = {
    "ns": Fraction(1, 10**9),
    "us": Fraction(1, 10**6),
    "\u00b5s": Fraction(1, 10**6),
    "ms": Fraction(1, 1000),
    "s": Fraction(1),
    "m": Fraction(60),
    "h": Fraction(3600),
}
_PART = re.compile(r"([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|\u00b5s|ms|s|m|h)")
_OCTAL = re.compile(r"0?[0-7]{1,4}|0o[0-7]{1,4}")


def open_sink(
    device_type: str,
    options: Mapping[str, str],
    signer: Signer | None,
    file_timeout: float = 2.0,
) -> Sink:
    """A sink for a Vault audit device of `device_type` (file, socket, syslog) with `options`;
    a file device waits at most `file_timeout` seconds (Vault's file device has no option for
    it). Raises ValueError naming the bad option (or the type); OSError if a file cannot be
    opened."""
    allowed = _DEVICE_OPTIONS.get(device_type)
    if allowed is None:
        raise ValueError("type: expected file, socket or syslog")
    for name in options:
        if name not in allowed and name not in BROKER_OPTIONS:
            raise ValueError(f"{name}: not an option of a {device_type} audit device")
    prefix = options.get("prefix", "")
    if device_type == "file":
        return _file(options, prefix, signer, file_timeout)
    if device_type == "socket":
        return _socket(options, prefix, signer)
    facility = options.get("facility", "AUTH")
    if facility.upper() not in FACILITIES:
        raise ValueError("facility: expected a syslog facility such as AUTH or LOCAL0")
    tag = options.get("tag", "strongroom")
    try:
        return SyslogSink(facility, tag, prefix=prefix, signer=signer)
    except ValueError:
        raise ValueError("tag: expected a word without spaces, colons or brackets") from None


def _file(options: Mapping[str, str], prefix: str, signer: Signer | None, timeout: float) -> Sink:
    path = options.get("file_path", options.get("path", ""))
    if not path:
        raise ValueError("file_path: required")
    if path == "discard":
        raise ValueError("file_path: discard would count as audited without writing")
    mode = _mode(options.get("mode", "0600"))
    return FileSink(path, mode=mode, prefix=prefix, signer=signer, write_timeout=timeout)


def _socket(options: Mapping[str, str], prefix: str, signer: Signer | None) -> Sink:
    kind = options.get("socket_type", "tcp")
    if kind not in {"tcp", "udp", "unix"}:
        raise ValueError("socket_type: expected tcp, udp or unix")
    address = options.get("address", "127.0.0.1:9090")
    if not address:
        raise ValueError("address: required")
    if kind != "unix":
        try:
            parse_host_port(address)
        except ValueError:
            raise ValueError("address: expected host:port") from None
    timeout = parse_timeout(options.get("write_timeout", "2s"))
    socket_type = cast("Literal['tcp', 'udp', 'unix']", kind)
    return SocketSink(address, socket_type, timeout, prefix=prefix, signer=signer)


def _mode(text: str) -> int:
    if not _OCTAL.fullmatch(text):
        raise ValueError("mode: expected an octal file mode such as 0600")
    return int(text.removeprefix("0o"), 8)


def parse_timeout(text: str) -> float:
    """Seconds in a Go duration (`"2s"`, `"500ms"`, `"1m30s"`) or a bare number of seconds.
    Raises ValueError naming `write_timeout` if it is not a positive duration."""
    text = text.strip()
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        total = Fraction(text)
    elif re.fullmatch(f"(?:{_PART.pattern})+", text):
        total = sum((Fraction(n) * _UNITS[u] for n, u in _PART.findall(text)), Fraction(0))
    else:
        raise ValueError("write_timeout: expected a duration such as 2s or 500ms")
    if total <= 0:
        raise ValueError("write_timeout: must be positive")
    return float(total)
