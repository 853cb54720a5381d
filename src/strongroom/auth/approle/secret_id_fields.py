"""The fields of a secret-ID request (api-docs/auth/approle "Generate New Secret ID") and the
`Draft` they ask for: a per-secret-ID limit may narrow the role's, never lift it, and its CIDR
blocks must lie within the role's. Messages name the field, never the submitted value."""

from __future__ import annotations

import base64
import contextlib
from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.approle import cidrs
from strongroom.auth.approle.context import RoleName
from strongroom.auth.approle.models import Role
from strongroom.auth.approle.secret_ids import Draft
from strongroom.errors import BadRequest
from strongroom.logical import UNSET, Duration, UnsetType
from strongroom.logical.tokenutil import non_negative

_NOT_SUBSET = (
    "failed to verify subset relationship between CIDR blocks on the role and CIDR blocks on "
    "the secret ID"
)


class SecretIdWrite(msgspec.Struct, frozen=True, kw_only=True):
    role_name: RoleName
    cidr_list: Annotated[
        list[str],
        Meta(
            description="Comma separated string or list of CIDR blocks enforcing secret IDs to "
            "be used from specific set of IP addresses. If 'bound_cidr_list' is set on the "
            "role, then the list of CIDR blocks listed here should be a subset of the CIDR "
            "blocks listed on the role."
        ),
    ] = []
    metadata: Annotated[
        str,
        Meta(
            description="Metadata to be tied to the SecretID. This should be a JSON formatted "
            "string containing the metadata in key value pairs."
        ),
    ] = ""
    num_uses: Annotated[
        int | UnsetType,
        Meta(
            description="Number of times this SecretID can be used, after which the SecretID "
            "expires. Overrides secret_id_num_uses role option when supplied. May not be "
            "higher than role's secret_id_num_uses."
        ),
    ] = UNSET
    token_bound_cidrs: Annotated[
        list[str],
        Meta(
            description="Comma separated string or JSON list of CIDR blocks. If set, "
            "specifies the blocks of IP addresses which are allowed to use the generated token."
        ),
    ] = []
    ttl: Annotated[
        Duration | UnsetType,
        Meta(
            description="Duration in seconds after which this SecretID expires. Overrides "
            "secret_id_ttl role option when supplied. May not be longer than role's "
            "secret_id_ttl."
        ),
    ] = UNSET


def metadata(text: str) -> dict[str, str]:
    """Vault's strutil.ParseArbitraryKeyValues: base64 of either form, a JSON object of
    strings, or comma-separated `key=value` pairs."""
    # ValueError covers binascii.Error, UnicodeDecodeError and the refusal of non-ASCII text.
    with contextlib.suppress(ValueError):
        text = base64.b64decode(text, validate=True).decode()
    try:
        return msgspec.json.decode(text, type=dict[str, str])
    except msgspec.DecodeError:
        pass
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise BadRequest("failed to parse metadata: invalid <key,value> format")
        pairs[key.strip()] = value.strip()
    return pairs


def _num_uses(fields: SecretIdWrite, role_value: int) -> int:
    if fields.num_uses is UNSET:
        return role_value
    value = non_negative(fields.num_uses, "num_uses")
    if role_value and (value == 0 or value > role_value):
        raise BadRequest("num_uses cannot be higher than the role's secret_id_num_uses")
    return value


def _ttl(fields: SecretIdWrite, role_value: int) -> int:
    if fields.ttl is UNSET:
        return role_value
    if role_value and (fields.ttl == 0 or fields.ttl > role_value):
        raise BadRequest("ttl cannot be longer than the role's secret_id_ttl")
    return fields.ttl


def draft(role: Role, fields: SecretIdWrite) -> Draft:
    """The secret ID a `secret-id` or `custom-secret-id` request asks for. Raises BadRequest."""
    cidr_list = cidrs.validated(fields.cidr_list, "cidr_list")
    if not cidrs.subset(cidr_list, role.secret_id_bound_cidrs):
        raise BadRequest(_NOT_SUBSET)
    token_cidrs = cidrs.validated(fields.token_bound_cidrs, "token_bound_cidrs")
    if not cidrs.subset(token_cidrs, role.token_bound_cidrs):
        raise BadRequest(_NOT_SUBSET)
    return Draft(
        num_uses=_num_uses(fields, role.secret_id_num_uses),
        ttl=_ttl(fields, role.secret_id_ttl),
        metadata=metadata(fields.metadata),
        cidr_list=cidr_list,
        token_bound_cidrs=token_cidrs,
    )
