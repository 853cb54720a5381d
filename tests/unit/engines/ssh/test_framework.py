"""The SSH engine on the declarative path table: declared fields (OpenBao's, same types),
the two paths that need no token, and `?help=1`."""

from __future__ import annotations

from strongroom.engines.ssh import SshBackend
from strongroom.engines.ssh.paths import TABLE
from support.framework import (
    assert_captures_declared,
    assert_openbao_fields_declared,
    openbao_schemas,
)
from unit.engines.ssh.conftest import Api

SCHEMAS = {
    "config/ca": "SshConfigureDefaultCaRequest",
    "roles/r": "SshWriteRoleRequest",
    "sign/r": "SshSignCertificateRequest",
    "issue/r": "SshIssueCertificateRequest",
    "creds/r": "SshGenerateCredentialsRequest",
    "verify": "SshVerifyOtpRequest",
    "lookup": "SshListRolesByIpRequest",
    "config/zeroaddress": "SshConfigureZeroAddressRequest",
}


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    assert_captures_declared(TABLE)


def test_openbao_ssh_fields_are_declared_with_the_same_type() -> None:
    theirs = openbao_schemas("openbao-2.7.2-ssh.json")
    checked = sum(
        assert_openbao_fields_declared(TABLE, path, theirs[schema]["properties"], with_format=True)
        for path, schema in SCHEMAS.items()
    )
    assert checked == 56


def test_public_key_and_verify_need_no_token() -> None:
    assert SshBackend.unauthenticated == frozenset({"public_key", "verify"})


async def test_help_and_unknown_parameters(api: Api) -> None:
    resp = await api.server.call("GET", "ssh/sign/u", params={"help": "1"})
    assert resp.json()["help"].startswith("Request:        sign/u\nMatching Route: ^sign/")
    answer = await api.post("config/ca", {"key_type": "ssh-ed25519", "zz": 1})
    assert answer["warnings"] == ["Endpoint ignored these unrecognized parameters: [zz]"]
