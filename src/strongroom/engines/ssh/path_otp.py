"""ssh/creds/:role, ssh/verify, ssh/lookup and ssh/config/zeroaddress: one-time passwords for
SSH hosts that ask Strongroom to verify them (Vault's OTP mode, `path_creds_create.go`,
`path_verify.go`, `path_lookup.go`, `path_config_zeroaddress.go`).

An OTP is stored only as a keyed hash, leased (its lease's end deletes it), and spent by the
first `verify` that presents it: the read and the delete are one checked write, so two
verifications racing for one OTP cannot both succeed.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Mapping
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.ssh.context import SshContext
from strongroom.engines.ssh.models import (
    OTP,
    OTPS,
    ROLE,
    ROLES,
    ZERO_ADDRESS,
    ZERO_ADDRESS_ROLES,
    Otp,
    Role,
    ZeroAddress,
    encode,
)
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import (
    DELETE,
    NO_CONTENT,
    UNCHANGED,
    LeaseRequest,
    NoFields,
    Request,
    Response,
)
from strongroom.secret import salted_hmac

CREDS_SYNOPSIS = "Creates a credential for establishing SSH connection with the remote host."
VERIFY_SYNOPSIS = "Validate the OTP provided by Vault SSH Agent."
LOOKUP_SYNOPSIS = "List all the roles associated with the given IP address."
ZERO_ADDRESS_SYNOPSIS = "Assign zero address as default CIDR block for select roles."
# The echo the SSH helper (vault-ssh-helper) sends to check it can reach the server.
ECHO_REQUEST, ECHO_RESPONSE = "verify-echo-request", "verify-echo-response"
# An OTP is a random UUID (122 bits): a fixed-key hash is enough to keep it out of storage,
# since there is no dictionary of likely values to guard against.
_OTP_KEY = b"strongroom ssh otp"


def _d(text: str) -> Meta:
    return Meta(description=text)


class CredsWrite(msgspec.Struct, frozen=True, kw_only=True):
    role: Annotated[str, _d("The role for which the OTP is requested.")]
    username: Annotated[str, _d("Username in the remote host.")] = ""
    ip: Annotated[str, _d("IP of the remote host.")] = ""


class VerifyWrite(msgspec.Struct, frozen=True, kw_only=True):
    otp: Annotated[str, _d("The one-time password to verify.")] = ""


class LookupWrite(msgspec.Struct, frozen=True, kw_only=True):
    ip: Annotated[str, _d("IP address of the remote host.")] = ""


class ZeroAddressWrite(msgspec.Struct, frozen=True, kw_only=True):
    roles: Annotated[
        list[str], _d("OTP roles that serve any IP address (comma-separated or a list).")
    ] = msgspec.field(default_factory=list)


async def create(ctx: SshContext, _req: Request, fields: CredsWrite) -> Response:
    if not fields.ip:
        raise BadRequest("Missing ip")
    role = await ctx.role(fields.role)
    username = fields.username or role.default_user
    if not username:
        raise BadRequest("No default username registered. Use 'username' option")
    users = {u.strip() for u in role.allowed_users.split(",") if u.strip()}
    if username != role.default_user and not (users and ("*" in users or username in users)):
        raise BadRequest(
            "Username has to be either in allowed users list or has to be a default username"
        )
    ip = _address(fields.ip)
    if role.key_type != "otp":
        raise BadRequest("the role does not issue one-time passwords")
    if not await _serves(ctx, fields.role, role, ip):
        raise BadRequest("Error validating IP: IP does not belong to role")
    otp = str(uuid.uuid4())
    key = salted_hmac(_OTP_KEY, otp)
    record = Otp(username=username, ip=str(ip), role_name=fields.role)
    await ctx.mount.view.put(OTPS + key, encode(record))
    data = {"key_type": "otp", "key": otp, "username": username, "ip": str(ip), "port": role.port}
    return Response(data, secret=LeaseRequest(internal={"otp": key}, renewable=False))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        raise BadRequest("Invalid IP") from None


async def _zero_address_roles(ctx: SshContext) -> list[str]:
    blob = await ctx.mount.view.get(ZERO_ADDRESS)
    return [] if blob is None else ZERO_ADDRESS_ROLES.decode(blob).roles


async def _serves(
    ctx: SshContext, name: str, role: Role, ip: ipaddress.IPv4Address | ipaddress.IPv6Address
) -> bool:
    """Vault's validateIP: a zero-address role serves any IP; another, an IP in one of its
    blocks and in none of its exclusions."""
    if name in await _zero_address_roles(ctx):
        return True

    def within(blocks: str) -> bool:
        return any(
            ip in ipaddress.ip_network(block.strip(), strict=False)
            for block in blocks.split(",")
            if block.strip()
        )

    return within(role.cidr_list) and not within(role.exclude_cidr_list)


async def verify(ctx: SshContext, _req: Request, fields: VerifyWrite) -> Response:
    if fields.otp == ECHO_REQUEST:
        return Response({"message": ECHO_RESPONSE})
    key = OTPS + salted_hmac(_OTP_KEY, fields.otp)
    spent = await ctx.mount.view.update(
        key, OTP.decode, lambda found: DELETE if found else UNCHANGED
    )
    record = spent.before
    if record is None or not spent.written:
        raise BadRequest("OTP not found")
    return Response({"username": record.username, "ip": record.ip, "role_name": record.role_name})


async def lookup(ctx: SshContext, _req: Request, fields: LookupWrite) -> Response:
    if not fields.ip:
        raise BadRequest("Missing ip")
    ip = _address(fields.ip)
    roles: list[str] = []
    for name in await ctx.mount.view.list(ROLES):
        blob = await ctx.mount.view.get(ROLES + name)
        if blob is None or (role := ROLE.decode(blob)).key_type != "otp":
            continue
        if await _serves(ctx, name, role, ip):
            roles.append(name)
    return Response({"roles": roles or None})


async def write_zero_address(ctx: SshContext, _req: Request, fields: ZeroAddressWrite) -> Response:
    if not fields.roles:
        raise BadRequest("Missing roles")
    for name in fields.roles:
        if await ctx.mount.view.get(ROLES + name) is None:
            raise BadRequest("a named role does not exist")
    await ctx.mount.view.put(ZERO_ADDRESS, encode(ZeroAddress(roles=fields.roles)))
    return NO_CONTENT


async def read_zero_address(ctx: SshContext, _req: Request, _fields: NoFields) -> Response:
    roles = await _zero_address_roles(ctx)
    if not roles:
        raise NotFound
    return Response({"roles": roles})


async def delete_zero_address(ctx: SshContext, _req: Request, _fields: NoFields) -> Response:
    await ctx.mount.view.delete(ZERO_ADDRESS)
    return NO_CONTENT


async def revoke(ctx: SshContext, internal: Mapping[str, Any]) -> None:
    """The lease ended: the OTP, if still unspent, is spent now."""
    await ctx.mount.view.delete(OTPS + str(internal["otp"]))
