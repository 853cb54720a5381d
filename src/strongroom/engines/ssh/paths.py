"""The SSH route table: Vault's `ssh` path tree (api-docs/secret/ssh).

config/ca        POST/GET/DELETE: the CA key pair (generated or imported), the default issuer
public_key       GET, no token: the CA's public key, for sshd's TrustedUserCAKeys
roles/:role      POST/GET/DELETE, LIST roles
sign/:role       POST: a certificate for the caller's public key
issue/:role      POST: a key pair made here and its certificate
creds/:role      POST: a one-time password for a host (OTP roles), leased
verify           POST, no token: spend a one-time password (what the host asks)
lookup           POST: the OTP roles that serve an IP address
config/zeroaddress  POST/GET/DELETE: the OTP roles that serve any IP address
"""

from __future__ import annotations

from strongroom.engines.ssh import path_ca, path_otp, path_roles, path_sign
from strongroom.engines.ssh.context import ONE, Named, SshContext
from strongroom.logical import NoFields, Operation, OperationSpec, Path, PathTable

Op = Operation
S = OperationSpec

TABLE: PathTable[SshContext] = PathTable(
    [
        Path(
            "config/ca",
            {
                Op.UPDATE: S(path_ca.write_ca, path_ca.CaWrite),
                Op.READ: S(path_ca.read_ca, NoFields),
                Op.DELETE: S(path_ca.delete_ca, NoFields),
            },
            synopsis=path_ca.CA_SYNOPSIS,
        ),
        Path(
            "public_key",
            {Op.READ: S(path_ca.read_public_key, NoFields)},
            synopsis=path_ca.PUBLIC_KEY_SYNOPSIS,
            unauthenticated=True,
        ),
        Path(
            "roles/?",
            {Op.LIST: S(path_roles.list_roles, NoFields)},
            synopsis=path_roles.LIST_SYNOPSIS,
        ),
        Path(
            f"roles/{ONE}",
            {
                Op.UPDATE: S(path_roles.write, path_roles.RoleWrite),
                Op.READ: S(path_roles.read, Named),
                Op.DELETE: S(path_roles.delete, Named),
            },
            synopsis=path_roles.SYNOPSIS,
        ),
        Path(
            f"sign/{ONE}",
            {Op.UPDATE: S(path_sign.sign, path_sign.SignWrite)},
            synopsis=path_sign.SIGN_SYNOPSIS,
        ),
        Path(
            f"issue/{ONE}",
            {Op.UPDATE: S(path_sign.issue, path_sign.IssueWrite)},
            synopsis=path_sign.ISSUE_SYNOPSIS,
        ),
        Path(
            f"creds/{ONE}",
            {Op.UPDATE: S(path_otp.create, path_otp.CredsWrite)},
            synopsis=path_otp.CREDS_SYNOPSIS,
        ),
        Path(
            "verify",
            {Op.UPDATE: S(path_otp.verify, path_otp.VerifyWrite)},
            synopsis=path_otp.VERIFY_SYNOPSIS,
            unauthenticated=True,
        ),
        Path(
            "config/zeroaddress",
            {
                Op.UPDATE: S(path_otp.write_zero_address, path_otp.ZeroAddressWrite),
                Op.READ: S(path_otp.read_zero_address, NoFields),
                Op.DELETE: S(path_otp.delete_zero_address, NoFields),
            },
            synopsis=path_otp.ZERO_ADDRESS_SYNOPSIS,
        ),
        Path(
            "lookup",
            {Op.UPDATE: S(path_otp.lookup, path_otp.LookupWrite)},
            synopsis=path_otp.LOOKUP_SYNOPSIS,
        ),
    ]
)
