"""A real OpenLDAP `slapd` for the LDAP auth tests: its own throw-away slapd.conf (mdb backend)
in a temporary directory, listening on free loopback ports for LDAP (StartTLS offered) and
LDAPS, with certificates from a test CA (support/tls.py), seeded with `ldapadd`.

The directory, below dc=example,dc=org:

    cn=admin,dc=example,dc=org              the root DN (password ADMIN_PASSWORD)
    cn=search,ou=system,...                 a search account (SEARCH_PASSWORD)
    uid=alice|bob|carol,ou=people,...       people (password "<name>-pw")
    cn=Devs,ou=groups,...                   groupOfNames, member alice
    cn=ops,ou=groups,...                    posixGroup, memberUid bob
    cn=admins,ou=groups,...                 groupOfNames, members alice and bob

`slapd` and `ldapadd` come from the Debian packages `slapd` and `ldap-utils`, installed when
missing (support/debian.py); without them the tests skip (fail under CI=true).
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from support.debian import ensure_package
from support.procs import free_port, stop_process
from support.tls import Pki, make_pki

SUFFIX = "dc=example,dc=org"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "admin-secret-31"
SEARCH_DN = f"cn=search,ou=system,{SUFFIX}"
SEARCH_PASSWORD = "search-secret-58"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
SLAPD = "/usr/sbin/slapd"
SCHEMAS = ("core", "cosine", "nis", "inetorgperson")

_CONF = """\
{includes}
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {tmp}/slapd.pid
argsfile {tmp}/slapd.args
TLSCACertificateFile {ca}
TLSCertificateFile {cert}
TLSCertificateKeyFile {key}
database mdb
maxsize 16777216
suffix "{suffix}"
rootdn "{admin}"
rootpw {admin_password}
directory {tmp}/db
access to attrs=userPassword by self read by anonymous auth by * none
access to * by users read by anonymous read
"""


def _person(uid: str, number: int) -> str:
    return f"""dn: uid={uid},{PEOPLE}
objectClass: inetOrgPerson
objectClass: posixAccount
uid: {uid}
cn: {uid.title()} Example
sn: Example
uidNumber: {1000 + number}
gidNumber: {1000 + number}
homeDirectory: /home/{uid}
userPassword: {uid}-pw
"""


SEED = f"""dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=system,{SUFFIX}
objectClass: organizationalUnit
ou: system

dn: {SEARCH_DN}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: search
userPassword: {SEARCH_PASSWORD}

dn: {PEOPLE}
objectClass: organizationalUnit
ou: people

dn: {GROUPS}
objectClass: organizationalUnit
ou: groups

{_person("alice", 1)}
{_person("bob", 2)}
{_person("carol", 3)}
dn: cn=Devs,{GROUPS}
objectClass: groupOfNames
cn: Devs
member: uid=alice,{PEOPLE}

dn: cn=ops,{GROUPS}
objectClass: posixGroup
cn: ops
gidNumber: 2001
memberUid: bob

dn: cn=admins,{GROUPS}
objectClass: groupOfNames
cn: admins
member: uid=alice,{PEOPLE}
member: uid=bob,{PEOPLE}
"""


@dataclass(frozen=True)
class Directory:
    ldap_url: str  # plain LDAP, StartTLS offered
    ldaps_url: str
    pki: Pki

    @property
    def ca_pem(self) -> str:
        return self.pki.ca.read_text()


def _wait_ready(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("slapd exited:\n" + log.read_text(errors="replace")[-2000:])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("slapd did not start listening")


def run_slapd(tmp: Path) -> Iterator[Directory]:
    """Start slapd, seed it, yield where it listens, stop it. Skips without slapd."""
    slapd = ensure_package(SLAPD, "slapd")
    ldapadd = ensure_package("ldapadd", "ldap-utils")
    pki = make_pki(tmp)
    (tmp / "db").mkdir()
    includes = "\n".join(f"include /etc/ldap/schema/{name}.schema" for name in SCHEMAS)
    conf = tmp / "slapd.conf"
    conf.write_text(
        _CONF.format(
            includes=includes,
            tmp=tmp,
            ca=pki.ca,
            cert=pki.server_cert,
            key=pki.server_key,
            suffix=SUFFIX,
            admin=ADMIN_DN,
            admin_password=ADMIN_PASSWORD,
        )
    )
    plain, tls = free_port(), free_port()
    urls = f"ldap://127.0.0.1:{plain}/ ldaps://127.0.0.1:{tls}/"
    log = tmp / "slapd.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [slapd, "-f", str(conf), "-h", urls, "-d", "0"], stdout=out, stderr=out
        )
    try:
        _wait_ready(plain, process, log)
        seed = tmp / "seed.ldif"
        seed.write_text(SEED)
        subprocess.run(
            [
                ldapadd,
                "-x",
                "-H",
                f"ldap://127.0.0.1:{plain}",
                "-D",
                ADMIN_DN,
                "-w",
                ADMIN_PASSWORD,
                "-f",
                str(seed),
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
        yield Directory(f"ldap://127.0.0.1:{plain}", f"ldaps://127.0.0.1:{tls}", pki)
    finally:
        stop_process(process)
