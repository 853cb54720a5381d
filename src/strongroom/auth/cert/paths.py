"""The cert method's route table: Vault's cert path tree (api-docs/auth/cert).

Patterns are anchored by the table. A LIST path always ends in "/" (the HTTP layer adds it).
"""

from __future__ import annotations

from strongroom.auth.cert import path_certs, path_config, path_crls, path_login
from strongroom.auth.cert.context import CertContext
from strongroom.auth.cert.role_fields import CertWrite
from strongroom.logical import Operation, OperationSpec, Path, PathTable, named

Op = Operation
S = OperationSpec

TABLE: PathTable[CertContext] = PathTable(
    [
        Path(
            "login",
            {Op.UPDATE: S(path_login.login, path_login.LoginFields)},
            synopsis=path_login.SYNOPSIS,
            unauthenticated=True,
        ),
        Path(
            "certs/?",
            {Op.LIST: S(path_certs.list_certs)},
            synopsis=path_certs.LIST_SYNOPSIS,
        ),
        Path(
            "certs/" + named("name"),
            {
                Op.READ: S(path_certs.read_cert, path_certs.CertOnly),
                Op.UPDATE: S(path_certs.write_cert, CertWrite),
                Op.DELETE: S(path_certs.delete_cert, path_certs.CertOnly),
            },
            synopsis=path_certs.CERT_SYNOPSIS,
            exists=path_certs.exists,
        ),
        Path(
            "crls/?",
            {Op.LIST: S(path_crls.list_crls)},
            synopsis=path_crls.SYNOPSIS,
        ),
        Path(
            "crls/" + named("name"),
            {
                Op.READ: S(path_crls.read_crl, path_crls.CrlOnly),
                Op.UPDATE: S(path_crls.write_crl, path_crls.CrlWrite),
                Op.DELETE: S(path_crls.delete_crl, path_crls.CrlOnly),
            },
            synopsis=path_crls.SYNOPSIS,
        ),
        Path(
            "config",
            {
                Op.READ: S(path_config.read_config),
                Op.UPDATE: S(path_config.write_config, path_config.ConfigWrite),
            },
            synopsis=path_config.SYNOPSIS,
        ),
    ]
)
