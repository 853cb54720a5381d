"""Every difference between OpenBao and Strongroom the conformance suite accepts, with why.

Keys are `scenario#step` (a step's label, or its index) or a bare scenario name (all its
steps). `paths` are fnmatch patterns over the harness's difference paths (`status (...)`,
`body.data.identity/ (only in OpenBao)`); none means any difference of that step. An entry
that no longer matches a difference fails the suite, so fixed rows leave this file.

Reasons: `pending: <owner>` (another engineer's branch fixes it; drop after merging),
`not built` (a Vault feature Strongroom does not offer), `stricter` (Strongroom answers a 4xx
where OpenBao answers a 500), `laxer` (Strongroom accepts what OpenBao refuses), `extension`
(additive fields), `design` (a DESIGN.md invariant wins), `differs` (another answer, kept for
now: the owner of that code decides).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ALLOWED", "EVERYWHERE", "Allowed"]


@dataclass(frozen=True)
class Allowed:
    reason: str
    paths: tuple[str, ...] = ()


def _pending(owner: str, what: str, *paths: str) -> Allowed:
    return Allowed(f"pending: {owner} ({what})", paths)


def _not_built(what: str, *paths: str) -> Allowed:
    return Allowed(f"not built: {what}", paths)


def _stricter(what: str, *paths: str) -> Allowed:
    return Allowed(f"stricter: {what}", paths)


def _differs(what: str, *paths: str) -> Allowed:
    return Allowed(f"differs: {what}", paths)


# Differences accepted in every step of every scenario.
EVERYWHERE = (
    Allowed(
        "extension: Vault sends `mount_type` in the envelope (OpenBao 2.7 dropped it; hvac "
        "and the CLI ignore it)",
        ("*.mount_type (only in Strongroom)",),
    ),
    _not_built(
        "token types per auth mount (config.token_type)",
        "*token_type (only in OpenBao)",
    ),
    _not_built(
        "OpenBao 2.x transit soft deletion (`soft_deleted`); Strongroom reports each key "
        "version's lifecycle `state` (DESIGN.md invariant 7)",
        "*.soft_deleted (only in OpenBao)",
        "*.state (only in Strongroom)",
    ),
    _not_built(
        "OpenBao 2.x policy versioning and check-and-set (version, modified, cas_required, "
        "identity-template flags)",
        "body*.version (only in OpenBao)",
        "body*.modified (only in OpenBao)",
        "body*.cas_required (only in OpenBao)",
        "body*.allow_*_in_identity_templates (only in OpenBao)",
    ),
    _not_built(
        "OpenBao 2.x KV metadata check-and-set (metadata_cas_required, current_metadata_version)",
        "*.metadata_cas_required (only in OpenBao)",
        "*.current_metadata_version (only in OpenBao)",
    ),
    _not_built(
        "OpenBao 2.x namespace locking and sealing (uuid, locked, tainted); Strongroom reports "
        "the purge progress of a deleted namespace",
        "body.data.uuid (only in OpenBao)",
        "body.data.locked (only in OpenBao)",
        "body.data.tainted (only in OpenBao)",
        "body.data.purged_entries (only in Strongroom)",
    ),
)

ALLOWED: dict[str, Allowed] = {
    # -- identity -----------------------------------------------------------------------
    "identity-entity-alias-errors#unknown-mount": Allowed(
        "design: OpenBao quotes the unknown mount accessor back; an error never echoes a "
        "submitted value (DESIGN.md invariant 11)",
        ("body.errors *",),
    ),
    # -- mounts ---------------------------------------------------------------------------
    "mounts-enable-options-float-version": Allowed(
        "laxer: a JSON 2.0 reaches Python as a float, so Strongroom cannot keep Go's "
        'json.Number text "2.0" that OpenBao refuses as a KV version'
    ),
    "mounts-enable-config-bool-string": Allowed(
        "laxer: OpenBao decodes sys/mounts `config` as a typed struct and refuses a string "
        "bool; Strongroom decodes every field weakly"
    ),
    "cubbyhole-write-empty": _stricter('OpenBao answers "missing data fields" with a 500'),
    "ns-cubbyhole#1": _differs("OpenBao types a child namespace's cubbyhole `ns_cubbyhole`"),
    # -- sys/ rows of other engineers -------------------------------------------------------
    "sys-generate-root-status": _differs(
        "OpenBao 2.x refuses unauthenticated generate-root calls (405) unless configured"
    ),
    "sys-rekey-verify-status": _differs(
        "OpenBao 2.x refuses unauthenticated rekey calls (405) unless configured"
    ),
    "sys-rekey-status": _differs(
        "OpenBao 2.x refuses unauthenticated rekey calls (405) unless configured"
    ),
    "cli-operator-rekey-status": _differs(
        "OpenBao 2.x refuses the rekey status the CLI asks for without a token (exit 2)"
    ),
    # -- tokens (core/token/, h1's and h2's) ------------------------------------------------
    "token-create-policies-comma-string": _differs(
        'OpenBao\'s token create does not split `policies: "a,b"` (it grants one policy named '
        '"a,b"); Strongroom splits it like every comma-separated list field'
    ),
    "token-create-no-default-policy": _not_built(
        "the warning for a policy that does not exist", "body.warnings*"
    ),
    "cli-kv-scoped-token-forbidden#1": _not_built(
        "the warning for a policy that does not exist", "body.warnings*"
    ),
    "token-lookup-missing": _differs(
        "OpenBao answers a lookup of an unknown token 403, Strongroom 400 (core/token, h1's)"
    ),
    "token-lookup-empty": _differs(
        "OpenBao looks up the caller's own token when `token` is empty, Strongroom refuses "
        "(core/token, h1's)"
    ),
    "token-role-write-read": _not_built(
        "token role fields of OpenBao 2.x (allowed_entity_aliases as []), and the legacy "
        "bound_cidrs/token_num_uses Strongroom still shows"
    ),
    "ns-token": _not_built("lookup-self's namespace_path for a namespace's token"),
    # -- AppRole (auth/approle/, h4's) ------------------------------------------------------
    "approle-role-write-read": _not_built(
        "token_strictly_bind_ip; secret_id_bound_cidrs shown as [] when unset"
    ),
    "approle-role-weak-types": _not_built(
        "token_strictly_bind_ip; secret_id_bound_cidrs shown as [] when unset"
    ),
    "approle-role-field-read": _not_built("AppRole's per-field role paths (role/:name/token-ttl)"),
    "approle-login-missing-role-id": _stricter(
        "OpenBao answers a login without role_id with a 500"
    ),
    # -- userpass (auth/userpass/) ----------------------------------------------------------
    **dict.fromkeys(
        (
            "userpass-user-write-read",
            "userpass-user-legacy-policies",
            "userpass-user-password-and-policies",
        ),
        _not_built("OpenBao's token_strictly_bind_ip", "body.data.token_strictly_bind_ip *"),
    ),
    "userpass-missing-user-password": _stricter(
        "OpenBao answers a password or policies write of a missing user with a 500"
    ),
    "userpass-login-missing-password": _stricter(
        'OpenBao answers a login without a password with a 500 "missing password"'
    ),
    # -- others -----------------------------------------------------------------------------
    "pki-issuer-missing": _stricter(
        "OpenBao answers an unknown issuer reference on a mount with no issuers with a 500; "
        "Strongroom answers the same 400 it gives when issuers exist"
    ),
    "transit-key-hmac": _stricter(
        "OpenBao answers an `hmac` key without key_size with a 500; Strongroom uses 32 bytes"
    ),
    "kv2-patch-missing": _differs(
        'a PATCH of a missing secret: OpenBao sends no body, Strongroom {"errors": []}'
    ),
    "policy-legacy-rules-field": _differs("OpenBao answers sys/policy writes with a 200"),
    "lease-tidy": _differs("OpenBao answers 202 Accepted (tidy runs in the background)"),
    "lease-legacy-renew-missing": _differs("OpenBao 2.x dropped the legacy sys/renew (404)"),
    "ns-create-metadata": Allowed(
        "laxer: OpenBao refuses a non-string custom_metadata value; Strongroom coerces it"
    ),
    "ns-delete": _differs("OpenBao answers a namespace delete with a 200 and a status body"),
    "ns-delete-missing": _differs("OpenBao answers a namespace delete with a 200"),
    # -- differences kept on purpose --------------------------------------------------------
    "ns-missing-header": Allowed(
        "design: DESIGN.md invariant 6, an unknown namespace answers 403 like a forbidden "
        "one (OpenBao answers 404, an existence oracle)"
    ),
    "sys-seal-status": _differs(
        "Strongroom reports build_date, OpenBao commit_date",
        "body.commit_date (only in OpenBao)",
        "body.build_date (only in Strongroom)",
    ),
    "ssh-sign-extension-refused": Allowed(
        "design: the brief, no caller-supplied value in an error (OpenBao names the refused "
        "extensions)",
        ("body.errors (*",),
    ),
    "sys-leader": Allowed(
        "extension: Strongroom always reports its leadership fields (OpenBao's dev server, "
        "not HA, leaves them out)"
    ),
}
