"""The conversation with the directory for one log-in (Vault's ldaputil client and
backend.Login): connect, find the user's bind DN, bind as the user with the password, find
the user's groups. `ldap3` is synchronous, so a conversation runs on a small thread pool of
the mount, never on the event loop, with ldap3's connect and receive timeouts on every socket
operation and an overall deadline on the wait (DESIGN.md invariant 12).

How the bind DN is found (ldaputil GetUserBindDN):
  * with `discoverdn`, or `binddn` and `bindpass`: bind as binddn (anonymously with
    discoverdn and no binddn) and search `userdn` for `userfilter`; exactly one entry must match;
  * else with `upndomain`: `<username>@<upndomain>`;
  * else `<userattr>=<username>,<userdn>`.
The username enters filters and DNs only escaped (filters.py). A search that finds no user
still binds, as a user it could not be, with the password, so an unknown user costs the
directory a failed bind as a wrong password does, and both are the same `Refused`.

Failures to reach the directory (refused connection, TLS verification, timeouts) are
`DirectoryUnavailable` with a message naming the server and the kind of failure, never a
password; credential failures are `Refused`, whose reason goes to the operator log only.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import ldap3
from ldap3.core import exceptions as ldap_errors
from ldap3.utils.dn import parse_dn

from strongroom.auth.ldap import filters
from strongroom.auth.ldap.models import LdapConfig
from strongroom.logical.refused import Refused

THREADS = 4  # directory conversations of one mount at a time; more wait for a thread
_TLS_VERSIONS = {
    "tls10": ssl.TLSVersion.TLSv1,
    "tls11": ssl.TLSVersion.TLSv1_1,
    "tls12": ssl.TLSVersion.TLSv1_2,
    "tls13": ssl.TLSVersion.TLSv1_3,
}


class DirectoryUnavailable(Exception):
    """The directory could not be reached or spoken to; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class Found:
    """A user the directory authenticated: their DN and the names of their groups."""

    user_dn: str
    groups: tuple[str, ...]


class Directory:
    """Runs log-in conversations off the event loop, at most THREADS at a time per mount."""

    def __init__(self, threads: int = THREADS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="ldap")

    async def authenticate(self, cfg: LdapConfig, username: str, password: str) -> Found:
        """Raises Refused (bad credentials) or DirectoryUnavailable (the directory failed or
        did not answer before every server's connect timeout plus the request timeout)."""
        deadline = cfg.connection_timeout * max(len(cfg.urls()), 1) + cfg.request_timeout
        loop = asyncio.get_running_loop()
        job = loop.run_in_executor(self._pool, converse, cfg, username, password)
        try:
            async with asyncio.timeout(deadline):
                return await job
        except TimeoutError:
            raise DirectoryUnavailable("ldap operation failed: the LDAP server timed out") from None


class _ContextTls(ldap3.Tls):  # type: ignore[misc]  # ldap3 ships no types
    """ldap3's TLS settings, wrapping the socket with our own `ssl.SSLContext`: ldap3 2.9.1
    builds its own context, which can set neither a minimum nor a maximum TLS version, and
    turns the ssl module's hostname check off."""

    def __init__(self, context: ssl.SSLContext) -> None:
        super().__init__(validate=context.verify_mode)
        self._context = context

    def wrap_socket(self, connection: Any, do_handshake: bool = False) -> None:  # noqa: ANN401 - ldap3's signature
        connection.socket = self._context.wrap_socket(
            connection.socket,
            server_side=False,
            do_handshake_on_connect=do_handshake,
            server_hostname=connection.server.host,
        )


def _tls(cfg: LdapConfig) -> _ContextTls:
    """Vault's TLS settings: `certificate` as the only trusted CA (else the system's),
    `insecure_tls` to verify nothing, and the version bounds."""
    context = ssl.create_default_context(cadata=cfg.certificate or None)
    if cfg.insecure_tls:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    context.minimum_version = _TLS_VERSIONS[cfg.tls_min_version]
    context.maximum_version = max(_TLS_VERSIONS[cfg.tls_max_version], context.minimum_version)
    return _ContextTls(context)


def _connect(cfg: LdapConfig) -> ldap3.Connection:
    """An open connection to the first server of `url` that answers (StartTLS done if asked).
    Raises DirectoryUnavailable naming the last failure."""
    failure = "no LDAP server URL configured"
    for url in cfg.urls():
        server = ldap3.Server(
            url,
            tls=_tls(cfg),
            connect_timeout=cfg.connection_timeout,
            get_info=ldap3.NONE,
        )
        conn = ldap3.Connection(server, receive_timeout=cfg.request_timeout, raise_exceptions=False)
        try:
            conn.open()
            if cfg.starttls and not url.lower().startswith("ldaps://") and not conn.start_tls():
                raise ldap_errors.LDAPStartTLSError("the server refused StartTLS")
        except ldap_errors.LDAPException as error:
            _close(conn)
            failure = f'error connecting to host "{url}": {_kind(error)}'
            continue
        return conn
    raise DirectoryUnavailable(failure)


def _close(conn: ldap3.Connection) -> None:
    """Unbind and close, whatever state a failed TLS handshake left the socket in."""
    with contextlib.suppress(ldap_errors.LDAPException, OSError):
        conn.unbind()
    if conn.socket is not None:
        with contextlib.suppress(OSError):
            conn.socket.close()


def _kind(error: BaseException) -> str:
    """What went wrong, in words that carry no credential."""
    text = str(error)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        return "TLS certificate verification failed"
    if isinstance(error, ldap_errors.LDAPStartTLSError):
        return "StartTLS failed"
    if isinstance(error, ldap_errors.LDAPSocketOpenError | ldap_errors.LDAPSocketReceiveError):
        return "could not connect or the server did not answer"
    return type(error).__name__


def _bind(conn: ldap3.Connection, dn: str, password: str) -> bool:
    """A simple bind; False when the directory refuses the credentials. Raises
    DirectoryUnavailable when the conversation itself fails."""
    if not password:
        return False  # never an unauthenticated bind (RFC 4513 5.1.2): it would "succeed"
    try:
        # SIMPLE explicitly: a connection opened anonymously must not stay anonymous.
        bound = conn.rebind(
            user=dn, password=password, authentication=ldap3.SIMPLE, read_server_info=False
        )
    except (ldap_errors.LDAPBindError, ldap_errors.LDAPPasswordIsMandatoryError):
        return False
    except ldap_errors.LDAPException as error:
        raise DirectoryUnavailable(f"ldap operation failed: {_kind(error)}") from None
    return bool(bound)


def _search(conn: ldap3.Connection, base: str, query: str, attributes: list[str]) -> list[dict]:  # type: ignore[type-arg]
    try:
        conn.search(base, query, ldap3.SUBTREE, attributes=attributes)
    except ldap_errors.LDAPException as error:
        raise DirectoryUnavailable(f"ldap operation failed: {_kind(error)}") from None
    return [e for e in conn.response or [] if e.get("type") == "searchResEntry"]


def _user_bind_dn(cfg: LdapConfig, conn: ldap3.Connection, username: str) -> str | None:
    """The DN to bind as (module docstring); None if a search finds no single user."""
    if cfg.discoverdn or (cfg.binddn and cfg.bindpass):
        if cfg.binddn and not _bind(conn, cfg.binddn, cfg.bindpass):
            raise DirectoryUnavailable("ldap operation failed: failed to bind with the BindDN")
        query = filters.render(cfg.userfilter, _user_values(cfg, username))
        found = _search(conn, cfg.userdn, query, [])
        return str(found[0]["dn"]) if len(found) == 1 else None
    if cfg.upndomain:
        return f"{filters.escape_dn(username)}@{cfg.upndomain}"
    return f"{cfg.userattr}={filters.escape_dn(username)},{cfg.userdn}"


def _user_values(cfg: LdapConfig, username: str) -> dict[str, str]:
    name = filters.escape_filter(username)
    if cfg.upndomain:
        name = f"{name}@{cfg.upndomain}"
    return {"UserAttr": filters.escape_filter(cfg.userattr), "Username": name}


def _user_dn(cfg: LdapConfig, conn: ldap3.Connection, bind_dn: str, username: str) -> str:
    """The user's entry DN: the bind DN, or with `upndomain` the entry whose
    userPrincipalName it is (ldaputil GetUserDN). Raises Refused if there is none."""
    if not cfg.upndomain:
        return bind_dn
    query = f"(userPrincipalName={filters.escape_filter(username)}@{cfg.upndomain})"
    found = _search(conn, cfg.userdn, query, [])
    if not found:
        raise Refused("LDAP search failed for detecting user")
    return str(found[-1]["dn"])


def _group_names(
    cfg: LdapConfig, conn: ldap3.Connection, user_dn: str, username: str
) -> tuple[str, ...]:
    """The values of `groupattr` on the entries `groupfilter` finds below `groupdn`, each a
    DN's CN where it is a DN (memberOf), else as it is (ldaputil getCN)."""
    if not cfg.groupdn or not cfg.groupfilter:
        return ()
    values = {"UserDN": filters.escape_filter(user_dn), "Username": filters.escape_filter(username)}
    query = filters.render(cfg.groupfilter, values)
    names: list[str] = []
    for entry in _search(conn, cfg.groupdn, query, [cfg.groupattr]):
        attribute = entry["attributes"].get(cfg.groupattr, [])
        listed = attribute if isinstance(attribute, list) else [attribute]
        names.extend(_cn(str(value)) for value in listed)
    return tuple(dict.fromkeys(n for n in names if n))


def _cn(value: str) -> str:
    try:
        rdns = parse_dn(value)
    except ldap_errors.LDAPInvalidDnError:
        return value
    for attribute, rdn_value, _ in rdns:
        if attribute.lower() == "cn":
            return str(rdn_value)
    return value


def converse(cfg: LdapConfig, username: str, password: str) -> Found:
    """One log-in conversation (module docstring). Raises Refused or DirectoryUnavailable."""
    conn = _connect(cfg)
    try:
        bind_dn = _user_bind_dn(cfg, conn, username)
        if bind_dn is None:
            # No such user: a bind as nobody with the password, then the same refusal.
            _bind(conn, f"{cfg.userattr}={secrets.token_hex(16)},{cfg.userdn}", password)
            raise Refused("no single user matched the search")
        if not _bind(conn, bind_dn, password):
            raise Refused("the directory refused the user's bind")
        if cfg.binddn and cfg.bindpass and not _bind(conn, cfg.binddn, cfg.bindpass):
            raise DirectoryUnavailable(
                "ldap operation failed: failed to re-bind with the BindDN user"
            )
        user_dn = _user_dn(cfg, conn, bind_dn, username)
        if cfg.anonymous_group_search:
            _close(conn)
            conn = _connect(cfg)
        return Found(user_dn, _group_names(cfg, conn, user_dn, username))
    finally:
        _close(conn)
