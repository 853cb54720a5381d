"""The SSH engine through hvac against the real server process (SQLite storage): every
`secrets.ssh.*` method of the CA and OTP modes, unchanged, as hvac's docs call them. (hvac's
`create_or_update_key`/`delete_key` drive the dynamic-key mode Vault removed in 1.13.)"""

from __future__ import annotations

import hvac
import hvac.exceptions
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import ssh

from support.hvac_client import unsealed_client
from support.procs import RunningServer

pytestmark = pytest.mark.slow


def test_ssh_with_hvac(sqlite_server: RunningServer) -> None:
    client = unsealed_client(sqlite_server)
    client.sys.enable_secrets_engine("ssh", path="ssh")
    engine = client.secrets.ssh

    written = engine.submit_ca_information(key_type="ssh-ed25519")
    public = engine.read_public_key()["data"]["public_key"]
    assert public == written["data"]["public_key"]

    # hvac sends every field of its signature: "" for ttl and the template flag, 1024 key bits.
    engine.create_role(
        name="dev",
        key_type="ca",
        allow_user_certificates=True,
        allowed_users="alice,bob",
        default_user="alice",
        default_extensions={"permit-pty": ""},
        ttl="1h",
    )
    assert engine.read_role("dev")["data"]["ttl"] == 3600
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    line = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    signed = engine.sign_ssh_key(name="dev", public_key=line.decode(), valid_principals="bob")
    cert = ssh.load_ssh_public_identity(signed["data"]["signed_key"].encode())
    assert isinstance(cert, ssh.SSHCertificate)
    cert.verify_cert_signature()
    assert cert.valid_principals == [b"bob"]
    with pytest.raises(hvac.exceptions.InvalidRequest, match="no principals specified"):
        engine.sign_ssh_key(name="dev", public_key=line.decode())  # hvac sends principals ""

    engine.create_role(name="hosts", key_type="otp", default_user="root", cidr_list="10.0.0.0/8")
    assert set(engine.list_roles()["data"]["keys"]) == {"dev", "hosts"}
    creds = engine.generate_ssh_credentials(name="hosts", ip="10.1.2.3")
    assert creds["data"]["username"] == "root"
    assert engine.list_roles_by_ip(ip="10.1.2.3")["data"]["roles"] == ["hosts"]
    verified = engine.verify_ssh_otp(otp=creds["data"]["key"])
    assert verified["data"] == {"username": "root", "ip": "10.1.2.3", "role_name": "hosts"}
    with pytest.raises(hvac.exceptions.InvalidRequest, match="OTP not found"):
        engine.verify_ssh_otp(otp=creds["data"]["key"])

    engine.configure_zeroaddress_roles(roles="hosts")
    assert engine.list_zeroaddress_roles()["data"]["roles"] == ["hosts"]
    assert engine.generate_ssh_credentials(name="hosts", ip="192.168.1.1")["data"]["ip"]
    engine.delete_zeroaddress_role()
    with pytest.raises(hvac.exceptions.InvalidPath):
        engine.list_zeroaddress_roles()

    engine.delete_role(name="hosts")
    with pytest.raises(hvac.exceptions.InvalidPath):
        engine.read_role("hosts")
    engine.delete_ca_information()
    with pytest.raises(hvac.exceptions.InvalidRequest, match="no default issuer"):
        engine.read_public_key()
