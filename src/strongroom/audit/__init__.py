"""Audit devices: Vault's HMAC'd audit entries, written through hash-chained, signed sinks.

    format.py      hmac_value, hash_structure: secrets and tokens as `hmac-sha256:<hex>`
    chain.py       link, checkpoint_entry: the hash chain and its Ed25519 checkpoints
    sinks.py       the `Sink` protocol every device implements
    file_sink.py   FileSink (one chain per file, shared by worker processes)
    net_sinks.py   SocketSink (tcp, udp, unix), SyslogSink
    devices.py     open_sink: Vault's device type and options to a sink
    verify.py      verify_file: replay the chains, check the signatures, report the first break

The broker in core/ builds each entry, HMACs it with the device's salt and calls `write` on
every enabled device before a request runs and before its answer leaves (DESIGN.md
invariant 5); this package never sees a request or a key store.
"""

from strongroom.audit.chain import ChainState, Signer, checkpoint_entry, link
from strongroom.audit.devices import open_sink
from strongroom.audit.file_sink import FileSink
from strongroom.audit.format import hash_structure, hmac_value
from strongroom.audit.net_sinks import SocketSink, SyslogSink
from strongroom.audit.sinks import ChainedSink, Sink
from strongroom.audit.verify import Report, verify_file

__all__ = [
    "ChainState",
    "ChainedSink",
    "FileSink",
    "Report",
    "Signer",
    "Sink",
    "SocketSink",
    "SyslogSink",
    "checkpoint_entry",
    "hash_structure",
    "hmac_value",
    "link",
    "open_sink",
    "verify_file",
]
