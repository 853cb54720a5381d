"""The OIDC route table: the paths below `identity/oidc/` (Vault's identity_store_oidc.go
`oidcPaths`), served by the identity backend with `OIDC_TABLE.dispatch(context, request, rest)`.

`OPEN_PATHS` are the identity mount's unauthenticated paths these routes add (relative to the
mount, in the core's syntax: a trailing `*` is a prefix), as Vault's PathsSpecial lists them.
"""

from __future__ import annotations

from strongroom.engines.identity.oidc import (
    path_config,
    path_flow,
    path_key,
    path_provider,
    path_provider_objects,
    path_role,
    path_token,
    path_wellknown,
)
from strongroom.engines.identity.oidc.context import NAME, OidcContext
from strongroom.logical import NoFields, Operation, OperationSpec, Path, PathTable

Op = Operation
S = OperationSpec
OPEN_PATHS = frozenset(
    {
        "oidc/.well-known/*",
        "oidc/provider/+/.well-known/*",
        "oidc/provider/+/token",
        "oidc/provider/+/userinfo",
    }
)
KEY = f"key/(?P<name>{NAME})"
ROLE = f"role/(?P<name>{NAME})"
PROVIDER = f"provider/(?P<name>{NAME})"
OBJECTS = path_provider_objects


def _crud(
    kind: str,
    write: S[OidcContext],
    read: S[OidcContext],
    delete: S[OidcContext],
    listed: S[OidcContext],
    synopsis: str,
) -> list[Path[OidcContext]]:
    """`<kind>/:name` (read, write, delete) and its LIST `<kind>`."""
    named = {Op.READ: read, Op.UPDATE: write, Op.DELETE: delete}
    return [
        Path(f"{kind}/(?P<name>{NAME})", named, synopsis=synopsis),
        Path(f"{kind}/?", {Op.LIST: listed}, synopsis=synopsis),
    ]


OIDC_TABLE: PathTable[OidcContext] = PathTable(
    [
        Path(
            "config/?",
            {
                Op.READ: S(path_config.read_config, NoFields),
                Op.UPDATE: S(path_config.write_config, path_config.ConfigWrite),
            },
            synopsis=path_config.SYNOPSIS,
        ),
        Path(
            f"{KEY}/rotate/?",
            {Op.UPDATE: S(path_key.rotate_key, path_key.KeyRotate)},
            synopsis=path_key.ROTATE_SYNOPSIS,
        ),
        Path(
            KEY,
            {
                Op.READ: S(path_key.read_key, path_key.KeyName),
                Op.UPDATE: S(path_key.write_key, path_key.KeyWrite),
                Op.DELETE: S(path_key.delete_key, path_key.KeyName),
            },
            synopsis=path_key.SYNOPSIS,
        ),
        Path("key/?", {Op.LIST: S(path_key.list_keys, NoFields)}, synopsis=path_key.LIST_SYNOPSIS),
        Path(
            ROLE,
            {
                Op.READ: S(path_role.read_role, path_role.RoleName),
                Op.UPDATE: S(path_role.write_role, path_role.RoleWrite),
                Op.DELETE: S(path_role.delete_role, path_role.RoleName),
            },
            synopsis=path_role.SYNOPSIS,
        ),
        Path(
            "role/?", {Op.LIST: S(path_role.list_roles, NoFields)}, synopsis=path_role.LIST_SYNOPSIS
        ),
        Path(
            f"token/(?P<name>{NAME})",
            {Op.READ: S(path_token.generate, path_token.TokenRead)},
            synopsis=path_token.GENERATE_SYNOPSIS,
        ),
        Path(
            "introspect/?",
            {Op.UPDATE: S(path_token.introspect, path_token.Introspect)},
            synopsis=path_token.INTROSPECT_SYNOPSIS,
        ),
        Path(
            r"\.well-known/openid-configuration/?",
            {Op.READ: S(path_wellknown.discovery, NoFields)},
            synopsis=path_wellknown.DISCOVERY_SYNOPSIS,
            unauthenticated=True,
        ),
        Path(
            r"\.well-known/keys/?",
            {Op.READ: S(path_wellknown.keys, NoFields)},
            synopsis=path_wellknown.KEYS_SYNOPSIS,
            unauthenticated=True,
        ),
        *_crud(
            "scope",
            S(OBJECTS.write_scope, OBJECTS.ScopeWrite),
            S(OBJECTS.read_scope, OBJECTS.Named),
            S(OBJECTS.delete_scope, OBJECTS.Named),
            S(OBJECTS.list_scopes, NoFields),
            OBJECTS.SCOPE_SYNOPSIS,
        ),
        *_crud(
            "assignment",
            S(OBJECTS.write_assignment, OBJECTS.AssignmentWrite),
            S(OBJECTS.read_assignment, OBJECTS.Named),
            S(OBJECTS.delete_assignment, OBJECTS.Named),
            S(OBJECTS.list_assignments, NoFields),
            OBJECTS.ASSIGNMENT_SYNOPSIS,
        ),
        *_crud(
            "client",
            S(OBJECTS.write_client, OBJECTS.ClientWrite),
            S(OBJECTS.read_client, OBJECTS.Named),
            S(OBJECTS.delete_client, OBJECTS.Named),
            S(OBJECTS.list_clients, NoFields),
            OBJECTS.CLIENT_SYNOPSIS,
        ),
        Path(
            rf"{PROVIDER}/\.well-known/openid-configuration/?",
            {Op.READ: S(path_provider.discovery, OBJECTS.Named)},
            synopsis=path_provider.DISCOVERY_SYNOPSIS,
        ),
        Path(
            rf"{PROVIDER}/\.well-known/keys/?",
            {Op.READ: S(path_provider.provider_keys, OBJECTS.Named)},
            synopsis=path_provider.KEYS_SYNOPSIS,
        ),
        Path(
            f"{PROVIDER}/authorize/?",
            {
                Op.READ: S(path_flow.authorize, path_flow.Authorize),
                Op.UPDATE: S(path_flow.authorize, path_flow.Authorize),
            },
            synopsis=path_flow.AUTHORIZE_SYNOPSIS,
        ),
        Path(
            f"{PROVIDER}/token/?",
            {Op.UPDATE: S(path_flow.token, path_flow.TokenExchange)},
            synopsis=path_flow.TOKEN_SYNOPSIS,
        ),
        Path(
            f"{PROVIDER}/userinfo/?",
            {
                Op.READ: S(path_flow.userinfo, path_flow.UserInfo),
                Op.UPDATE: S(path_flow.userinfo, path_flow.UserInfo),
            },
            synopsis=path_flow.USERINFO_SYNOPSIS,
        ),
        Path(
            PROVIDER,
            {
                Op.READ: S(path_provider.read_provider, OBJECTS.Named),
                Op.UPDATE: S(path_provider.write_provider, path_provider.ProviderWrite),
                Op.DELETE: S(path_provider.delete_provider, OBJECTS.Named),
            },
            synopsis=path_provider.SYNOPSIS,
        ),
        Path(
            "provider/?",
            {Op.LIST: S(path_provider.list_providers, path_provider.ProviderList)},
            synopsis=path_provider.LIST_SYNOPSIS,
        ),
    ]
)
