"""The SSH issue's done-when: certificates Strongroom signs are read by `ssh-keygen -L` and
accepted by a real OpenSSH server (Debian's openssh-server, on a loopback port, installed by
the fixture): a user logs in with a user certificate, and the client trusts the server by its
host certificate alone. A certificate for another principal, or an expired one, is refused."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from strongroom.clock import ManualClock
from support.api import running
from support.debian import ensure_package
from support.procs import free_port
from unit.engines.ssh.conftest import Api

USER_ROLE = {"key_type": "ca", "allow_user_certificates": True, "allowed_users": "root,alice"}
HOST_ROLE = {"key_type": "ca", "allow_host_certificates": True, "allowed_domains": "localhost"}


@dataclass
class Sshd:
    port: int
    folder: Path


def _keygen(path: Path) -> str:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return Path(f"{path}.pub").read_text()


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    async with running(clock=ManualClock(time.time())) as server:
        client = Api(server)
        await client.enable("ssh")
        await client.post("config/ca", {"key_type": "ssh-ed25519"})
        await client.role("user", **USER_ROLE)
        await client.role("host", **HOST_ROLE, allow_bare_domains=True)
        yield client


@pytest.fixture
def sshd_binary() -> Path:
    return ensure_package("/usr/sbin/sshd", "openssh-server")


def _listing(certificate: str) -> str:
    """What `ssh-keygen -L` reads in a certificate (it fails on one it cannot parse)."""
    command = ["ssh-keygen", "-L", "-f", "-"]
    done = subprocess.run(command, input=certificate.encode(), capture_output=True, check=True)
    return done.stdout.decode()


@contextlib.contextmanager
def _start(binary: Path, folder: Path, user_ca: str, host_cert: str) -> Iterator[Sshd]:
    port = free_port()
    (folder / "user_ca.pub").write_text(user_ca)
    (folder / "host.key-cert.pub").write_text(host_cert)
    config = folder / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder}/host.key\n"
        f"HostCertificate {folder}/host.key-cert.pub\nTrustedUserCAKeys {folder}/user_ca.pub\n"
        "AuthorizedKeysFile none\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PermitRootLogin prohibit-password\nUsePAM no\nStrictModes no\n"
        f"PidFile {folder}/sshd.pid\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # its privilege-separation directory
    log = (folder / "sshd.log").open("wb")
    process = subprocess.Popen([str(binary), "-D", "-e", "-f", str(config)], stderr=log)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            probe = subprocess.run(
                ["ssh-keyscan", "-p", str(port), "127.0.0.1"], capture_output=True, check=False
            )
            if probe.returncode == 0 and probe.stdout:
                break
            time.sleep(0.1)
        yield Sshd(port, folder)
    finally:
        process.terminate()
        process.wait(5)
        log.close()


def _login(sshd: Sshd, certificate: str, user: str = "root") -> subprocess.CompletedProcess[bytes]:
    (sshd.folder / "user.key-cert.pub").write_text(certificate)
    return subprocess.run(
        [
            "ssh", "-p", str(sshd.port), "-i", str(sshd.folder / "user.key"),
            "-o", f"CertificateFile={sshd.folder}/user.key-cert.pub",
            "-o", f"UserKnownHostsFile={sshd.folder}/known_hosts",
            "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
            f"{user}@localhost", "echo", "strongroom-ok",
        ],
        capture_output=True,
        timeout=30,
        check=False,
    )  # fmt: skip


@pytest.mark.slow
async def test_a_real_sshd_accepts_the_certificates(
    api: Api, sshd_binary: Path, tmp_path: Path
) -> None:
    ca = (await api.get("config/ca"))["data"]["public_key"]
    host_public = _keygen(tmp_path / "host.key")
    host_cert = await api.data(
        "sign/host",
        {"public_key": host_public, "cert_type": "host", "valid_principals": "localhost"},
    )
    user_public = _keygen(tmp_path / "user.key")
    (tmp_path / "known_hosts").write_text(f"@cert-authority localhost {ca}")
    user_cert = await api.data("sign/user", {"public_key": user_public, "valid_principals": "root"})
    listing = _listing(user_cert["signed_key"])
    assert "user certificate" in listing
    assert f"Serial: {int(user_cert['serial_number'], 16)}" in listing

    alice = await api.data("sign/user", {"public_key": user_public, "valid_principals": "alice"})
    api.server.clock.advance(-7200)  # signed two hours ago, for one hour: expired now
    expired = await api.data(
        "sign/user", {"public_key": user_public, "valid_principals": "root", "ttl": "1h"}
    )
    with _start(sshd_binary, tmp_path, ca, host_cert["signed_key"]) as sshd:
        ok = await asyncio.to_thread(_login, sshd, user_cert["signed_key"])
        assert ok.returncode == 0, ok.stderr.decode() + (tmp_path / "sshd.log").read_text()
        assert ok.stdout == b"strongroom-ok\n"
        for refused in (alice["signed_key"], expired["signed_key"]):
            denied = await asyncio.to_thread(_login, sshd, refused)
            assert denied.returncode == 255
            assert b"Permission denied" in denied.stderr
