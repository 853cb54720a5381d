"""The PKI route table: Vault's `pki` path tree (api-docs/secret/pki). Patterns are anchored by
the table; LIST paths end in "/" (the HTTP layer adds it). More specific `issuer/:ref/...`
routes come before `issuer/:ref`."""

from __future__ import annotations

from strongroom.engines.pki import (
    path_config,
    path_fetch,
    path_generate,
    path_issue,
    path_issuers,
    path_revoke,
    path_roles,
)
from strongroom.engines.pki.context import PkiContext
from strongroom.logical import GENERIC_NAME, Operation, OperationSpec, Path, PathTable, named

Op = Operation
S = OperationSpec
REF = f"(?P<issuer_ref>{GENERIC_NAME})"
ISSUER = "issuer/" + REF
ROLE = named("role")
gen, iss, isu, rev, cfg, fetch = (
    path_generate,
    path_issuers,
    path_issue,
    path_revoke,
    path_config,
    path_fetch,
)


def _issuing(prefix: str) -> list[Path[PkiContext]]:
    """The issuance paths, at the mount's top level (`prefix` "") or below an issuer."""
    return [
        Path(
            prefix + "issue/" + ROLE,
            {Op.UPDATE: S(isu.issue_cert, isu.IssueWrite)},
            synopsis=isu.ISSUE_SYNOPSIS,
        ),
        Path(
            prefix + "sign/" + ROLE,
            {Op.UPDATE: S(isu.sign_cert, isu.SignWrite)},
            synopsis=isu.SIGN_SYNOPSIS,
        ),
        Path(
            prefix + "sign-verbatim(?:/" + ROLE + ")?",
            {Op.UPDATE: S(isu.sign_verbatim, isu.VerbatimWrite)},
            synopsis=isu.VERBATIM_SYNOPSIS,
        ),
    ]


TABLE: PathTable[PkiContext] = PathTable(
    [
        # -- issuers and keys
        Path(
            "root/generate/(?P<exported>\\w+)",
            {Op.UPDATE: S(gen.generate_root, gen.RootWrite)},
            synopsis=gen.ROOT_SYNOPSIS,
        ),
        Path(
            "issuers/generate/root/(?P<exported>\\w+)",
            {Op.UPDATE: S(gen.generate_root, gen.RootWrite)},
            synopsis=gen.ROOT_SYNOPSIS,
        ),
        Path(
            "intermediate/generate/(?P<exported>\\w+)",
            {Op.UPDATE: S(gen.generate_intermediate, gen.IntermediateWrite)},
            synopsis=gen.INTERMEDIATE_SYNOPSIS,
        ),
        Path(
            "issuers/generate/intermediate/(?P<exported>\\w+)",
            {Op.UPDATE: S(gen.generate_intermediate, gen.IntermediateWrite)},
            synopsis=gen.INTERMEDIATE_SYNOPSIS,
        ),
        Path("root", {Op.DELETE: S(gen.delete_root)}, synopsis=gen.DELETE_ROOT_SYNOPSIS, sudo=True),
        Path(
            "root/sign-intermediate",
            {Op.UPDATE: S(isu.sign_intermediate, isu.IntermediateSign)},
            synopsis=isu.INTERMEDIATE_SYNOPSIS,
        ),
        Path(
            ISSUER + "/sign-intermediate",
            {Op.UPDATE: S(isu.sign_intermediate, isu.IntermediateSign)},
            synopsis=isu.INTERMEDIATE_SYNOPSIS,
        ),
        Path(
            "root/sign-self-issued",
            {Op.UPDATE: S(isu.sign_self_issued, isu.SelfIssued)},
            synopsis=isu.SELF_ISSUED_SYNOPSIS,
            sudo=True,
        ),
        Path(
            ISSUER + "/sign-self-issued",
            {Op.UPDATE: S(isu.sign_self_issued, isu.SelfIssued)},
            synopsis=isu.SELF_ISSUED_SYNOPSIS,
            sudo=True,
        ),
        Path(
            "intermediate/set-signed",
            {Op.UPDATE: S(iss.set_signed, iss.SignedIntermediate)},
            synopsis=iss.SET_SIGNED_SYNOPSIS,
        ),
        Path(
            "(?:config/ca|issuers/import/(?:bundle|cert))",
            {Op.UPDATE: S(iss.config_ca, iss.Bundle)},
            synopsis=iss.CONFIG_CA_SYNOPSIS,
        ),
        Path("issuers/", {Op.LIST: S(iss.list_issuers)}, synopsis=iss.ISSUERS_SYNOPSIS),
        Path(
            ISSUER + "/(?P<form>pem|der|json)",
            {Op.READ: S(iss.issuer_form, iss.IssuerForm)},
            synopsis=iss.ISSUER_SYNOPSIS,
        ),
        Path(
            ISSUER + "/revoke",
            {Op.UPDATE: S(rev.revoke_issuer, iss.IssuerRef)},
            synopsis=rev.ISSUER_REVOKE_SYNOPSIS,
        ),
        Path(
            ISSUER + "/crl(?P<delta>/delta)?(?:/(?P<kind>der|pem))?",
            {Op.READ: S(rev.issuer_crl, rev.IssuerCrl)},
            synopsis=rev.CRL_SYNOPSIS,
        ),
        *_issuing(ISSUER + "/"),
        Path(
            ISSUER,
            {
                Op.READ: S(iss.read_issuer, iss.IssuerRef),
                Op.UPDATE: S(iss.write_issuer, iss.IssuerWrite),
                Op.PATCH: S(iss.patch_issuer, iss.IssuerPatch),
                Op.DELETE: S(iss.delete_issuer, iss.IssuerRef),
            },
            synopsis=iss.ISSUER_SYNOPSIS,
        ),
        Path(
            "config/issuers",
            {
                Op.READ: S(iss.read_default_issuer),
                Op.UPDATE: S(iss.write_default_issuer, iss.DefaultIssuer),
            },
            synopsis=iss.CONFIG_ISSUERS_SYNOPSIS,
        ),
        Path(
            "config/keys",
            {
                Op.READ: S(iss.read_default_key),
                Op.UPDATE: S(iss.write_default_key, iss.DefaultKey),
            },
            synopsis=iss.CONFIG_ISSUERS_SYNOPSIS,
        ),
        Path("keys/", {Op.LIST: S(iss.list_keys)}, synopsis=iss.KEYS_SYNOPSIS),
        Path(
            "keys/import",
            {Op.UPDATE: S(iss.import_key, iss.KeyImport)},
            synopsis=iss.IMPORT_KEY_SYNOPSIS,
        ),
        Path(
            "key/" + named("key_ref"),
            {
                Op.READ: S(iss.read_key, iss.KeyRef),
                Op.UPDATE: S(iss.write_key, iss.KeyWrite),
                Op.DELETE: S(iss.delete_key, iss.KeyRef),
            },
            synopsis=iss.KEY_SYNOPSIS,
        ),
        # -- roles and issuance
        Path(
            "roles/",
            {Op.LIST: S(path_roles.list_roles, path_roles.RoleList)},
            synopsis=path_roles.LIST_SYNOPSIS,
        ),
        Path(
            "roles/" + named("name"),
            {
                Op.READ: S(path_roles.read_role, path_roles.RoleName),
                Op.UPDATE: S(path_roles.write_role, path_roles.RoleWrite),
                Op.PATCH: S(path_roles.patch_role, path_roles.RoleWrite),
                Op.DELETE: S(path_roles.delete_role, path_roles.RoleName),
            },
            synopsis=path_roles.ROLE_SYNOPSIS,
            exists=path_roles.exists,
        ),
        *_issuing(""),
        # -- certificates, revocation, CRLs, OCSP
        Path("ca", {Op.READ: S(fetch.ca_der)}, synopsis=fetch.CA_SYNOPSIS),
        Path("ca/pem", {Op.READ: S(fetch.ca_pem)}, synopsis=fetch.CA_SYNOPSIS),
        Path("ca_chain", {Op.READ: S(fetch.ca_chain)}, synopsis=fetch.CA_SYNOPSIS),
        Path("certs/", {Op.LIST: S(fetch.list_certs)}, synopsis=fetch.LIST_SYNOPSIS),
        Path("certs/revoked/", {Op.LIST: S(fetch.list_revoked)}, synopsis=fetch.LIST_SYNOPSIS),
        Path(
            "cert/(?P<serial>[0-9A-Za-z:_-]+)",
            {Op.READ: S(fetch.read_cert, fetch.Serial)},
            synopsis=fetch.CERT_SYNOPSIS,
        ),
        Path("revoke", {Op.UPDATE: S(rev.revoke, rev.RevokeWrite)}, synopsis=rev.REVOKE_SYNOPSIS),
        Path(
            "revoke-with-key",
            {Op.UPDATE: S(rev.revoke_with_key, rev.RevokeWithKey)},
            synopsis=rev.REVOKE_WITH_KEY_SYNOPSIS,
        ),
        Path("crl", {Op.READ: S(rev.crl_der)}, synopsis=rev.CRL_SYNOPSIS),
        Path("crl/pem", {Op.READ: S(rev.crl_pem)}, synopsis=rev.CRL_SYNOPSIS),
        Path("crl/delta", {Op.READ: S(rev.delta_der)}, synopsis=rev.CRL_SYNOPSIS),
        Path("crl/delta/pem", {Op.READ: S(rev.delta_pem)}, synopsis=rev.CRL_SYNOPSIS),
        Path("crl/rotate", {Op.READ: S(rev.rotate)}, synopsis=rev.ROTATE_SYNOPSIS),
        Path("crl/rotate-delta", {Op.READ: S(rev.rotate_delta)}, synopsis=rev.ROTATE_SYNOPSIS),
        Path(
            "ocsp(?:/(?P<req>.+))?",
            {
                Op.READ: S(rev.ocsp_query, rev.OcspRequest),
                Op.UPDATE: S(rev.ocsp_query, rev.OcspRequest),
            },
            synopsis=rev.OCSP_SYNOPSIS,
        ),
        # -- settings and housekeeping
        Path(
            "config/urls",
            {
                Op.READ: S(cfg.read_urls),
                Op.UPDATE: S(cfg.write_urls, cfg.UrlsWrite),
            },
            synopsis=cfg.URLS_SYNOPSIS,
        ),
        Path(
            "config/crl",
            {
                Op.READ: S(cfg.read_crl_config),
                Op.UPDATE: S(cfg.write_crl_config, cfg.CrlWrite),
            },
            synopsis=cfg.CRL_SYNOPSIS,
        ),
        Path(
            "config/auto-tidy",
            {
                Op.READ: S(cfg.read_auto_tidy),
                Op.UPDATE: S(cfg.write_auto_tidy, cfg.AutoTidyWrite),
            },
            synopsis=cfg.AUTO_TIDY_SYNOPSIS,
        ),
        Path("tidy", {Op.UPDATE: S(cfg.tidy, cfg.TidyWrite)}, synopsis=cfg.TIDY_SYNOPSIS),
        Path("tidy-status", {Op.READ: S(cfg.tidy_status)}, synopsis=cfg.TIDY_STATUS_SYNOPSIS),
    ]
)

# Vault's PathsSpecial.Unauthenticated for pki (`+` is one path segment, `*` a prefix).
UNAUTHENTICATED = frozenset(
    {
        "cert/*",
        "ca/pem",
        "ca_chain",
        "ca",
        "crl/delta",
        "crl/delta/pem",
        "crl/pem",
        "crl",
        "issuer/+/crl/der",
        "issuer/+/crl/pem",
        "issuer/+/crl",
        "issuer/+/crl/delta/der",
        "issuer/+/crl/delta/pem",
        "issuer/+/crl/delta",
        "issuer/+/pem",
        "issuer/+/der",
        "issuer/+/json",
        "issuers/",
        "ocsp",
        "ocsp/*",
    }
)
