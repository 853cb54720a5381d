"""The twelve workloads: a wrk Lua script each, and a setup step per server that creates what it
needs (mount, key, secret, role) and sends one request of the workload to prove it works.

Request bodies follow Vault's documented API (transit, KV v2, token, AppRole), so a Strongroom
feature lights up here as soon as it answers those shapes. A setup answered with 4xx raises
`NotAvailable`: the workload is reported "not available" for that server, never faked.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .api import Api, NotAvailable

__all__ = ["LUA_DIR", "WORKLOADS", "Prepared", "Workload", "by_name"]

LUA_DIR = Path(__file__).resolve().parent / "lua"
# The 64-byte plaintext, as in the Lua scripts (bytes 0..63, base64).
PLAINTEXT = base64.b64encode(bytes(range(64))).decode()
_KV_UPGRADE_WAIT = 15.0  # Vault answers 4xx on a fresh KV v2 mount until its upgrade check ends


@dataclass
class Prepared:
    """One server's setup state: its API as root, and the mounts already enabled."""

    api: Api
    done: set[str] = field(default_factory=set)

    def once(self, path: str, body: object) -> None:
        """POST `body` to `path` the first time it is asked for on this server."""
        if path not in self.done:
            self.api.call("POST", path, body)
            self.done.add(path)


Setup = Callable[[Prepared], dict[str, str]]


@dataclass(frozen=True)
class Workload:
    """A named load: its Lua script and the setup that returns the script's environment."""

    name: str
    setup: Setup

    @property
    def script(self) -> Path:
        return LUA_DIR / f"{self.name}.lua"


def _noop(_: Prepared) -> dict[str, str]:
    return {}


def _transit_key(prepared: Prepared, name: str, key_type: str) -> None:
    prepared.once("sys/mounts/transit", {"type": "transit"})
    prepared.once(f"transit/keys/{name}", {"type": key_type})


def _transit_encrypt(prepared: Prepared) -> dict[str, str]:
    _transit_key(prepared, "bench-aes", "aes256-gcm96")
    prepared.api.call("POST", "transit/encrypt/bench-aes", {"plaintext": PLAINTEXT})
    return {}


def _transit_decrypt(prepared: Prepared) -> dict[str, str]:
    _transit_key(prepared, "bench-aes", "aes256-gcm96")
    answer = prepared.api.call("POST", "transit/encrypt/bench-aes", {"plaintext": PLAINTEXT})
    ciphertext = str(answer["data"]["ciphertext"])
    prepared.api.call("POST", "transit/decrypt/bench-aes", {"ciphertext": ciphertext})
    return {"BENCH_CIPHERTEXT": ciphertext}


def _transit_batch_encrypt(prepared: Prepared) -> dict[str, str]:
    _transit_key(prepared, "bench-aes", "aes256-gcm96")
    batch = [{"plaintext": PLAINTEXT}] * 100
    prepared.api.call("POST", "transit/encrypt/bench-aes", {"batch_input": batch})
    return {}


def _transit_datakey(prepared: Prepared) -> dict[str, str]:
    _transit_key(prepared, "bench-aes", "aes256-gcm96")
    prepared.api.call("POST", "transit/datakey/plaintext/bench-aes", {"bits": 256})
    return {}


def _transit_sign(prepared: Prepared) -> dict[str, str]:
    _transit_key(prepared, "bench-ed", "ed25519")
    prepared.api.call("POST", "transit/sign/bench-ed", {"input": PLAINTEXT})
    return {}


def _kv_mount(prepared: Prepared) -> None:
    prepared.once("sys/mounts/kv", {"type": "kv", "options": {"version": "2"}})


def _kv_put(prepared: Prepared, path: str, data: dict[str, str]) -> None:
    """Write one KV v2 secret, retrying while a freshly mounted engine is still upgrading."""
    deadline = time.monotonic() + _KV_UPGRADE_WAIT
    while True:
        try:
            prepared.api.call("POST", f"kv/data/{path}", {"data": data})
        except NotAvailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
        else:
            return


def _kv_read(prepared: Prepared) -> dict[str, str]:
    _kv_mount(prepared)
    _kv_put(prepared, "bench/read", {"username": "bench", "password": PLAINTEXT[:32]})
    prepared.api.call("GET", "kv/data/bench/read")
    return {}


def _kv_write(prepared: Prepared) -> dict[str, str]:
    _kv_mount(prepared)
    _kv_put(prepared, "bench/write/setup", {"value": "0"})
    return {}


def _token_create(prepared: Prepared) -> dict[str, str]:
    prepared.api.call("POST", "auth/token/create", {"policies": ["default"], "ttl": "1h"})
    return {}


def _token_lookup_self(prepared: Prepared) -> dict[str, str]:
    # A non-root child token (default policy grants lookup-self), as a service would hold.
    body = {"policies": ["default"], "ttl": "24h"}
    token = str(prepared.api.call("POST", "auth/token/create", body)["auth"]["client_token"])
    with prepared.api.with_token(token) as child:
        child.call("GET", "auth/token/lookup-self")
    return {"BENCH_TOKEN": token}


def _approle_login(prepared: Prepared) -> dict[str, str]:
    prepared.once("sys/auth/approle", {"type": "approle"})
    role = {"token_policies": ["default"], "token_ttl": "1h", "secret_id_num_uses": 0}
    prepared.once("auth/approle/role/bench", role)
    role_id = prepared.api.call("GET", "auth/approle/role/bench/role-id")["data"]["role_id"]
    secret = prepared.api.call("POST", "auth/approle/role/bench/secret-id", {})
    credentials = {"role_id": str(role_id), "secret_id": str(secret["data"]["secret_id"])}
    with prepared.api.with_token("") as anonymous:
        anonymous.call("POST", "auth/approle/login", credentials)
    return {"BENCH_ROLE_ID": credentials["role_id"], "BENCH_SECRET_ID": credentials["secret_id"]}


def _pki_issue(prepared: Prepared) -> dict[str, str]:
    """An ECDSA P-256 leaf from an EC root (Vault's api-docs/secret/pki: generate root, role,
    issue); each request generates its key pair, signs and stores the certificate."""
    prepared.once("sys/mounts/pki", {"type": "pki", "config": {"max_lease_ttl": "87600h"}})
    prepared.once(
        "pki/root/generate/internal",
        {"common_name": "Bench Root", "key_type": "ec", "ttl": "8760h"},
    )
    role = {
        "allowed_domains": "bench.example",
        "allow_subdomains": True,
        "key_type": "ec",
        "key_bits": 256,
        "ttl": "1h",
    }
    prepared.once("pki/roles/bench", role)
    prepared.api.call("POST", "pki/issue/bench", {"common_name": "svc.bench.example"})
    return {}


WORKLOADS = (
    Workload("noop", _noop),
    Workload("transit-encrypt", _transit_encrypt),
    Workload("transit-decrypt", _transit_decrypt),
    Workload("transit-batch-encrypt", _transit_batch_encrypt),
    Workload("transit-datakey", _transit_datakey),
    Workload("transit-sign", _transit_sign),
    Workload("kv-read", _kv_read),
    Workload("kv-write", _kv_write),
    Workload("token-lookup-self", _token_lookup_self),
    Workload("token-create", _token_create),
    Workload("approle-login", _approle_login),
    Workload("pki-issue", _pki_issue),
)


def by_name(name: str) -> Workload:
    """The workload called `name`. Raises KeyError naming the known ones."""
    for workload in WORKLOADS:
        if workload.name == name:
            return workload
    known = ", ".join(w.name for w in WORKLOADS)
    raise KeyError(f"unknown workload {name!r} (known: {known})")
