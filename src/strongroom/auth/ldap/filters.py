"""Building LDAP filters and DNs from a username safely, and Vault's filter templates.

A username goes into a search filter only through `escape_filter` (RFC 4515 section 3: the
octets `*`, `(`, `)`, `\\`, NUL, and, as go-ldap's EscapeFilter does, every octet above 0x7f,
as `\\xx`), and into a DN only through `escape_dn` (RFC 4514 section 2.4), so `*`, `)(uid=*` or
a NUL can neither widen a search nor add an RDN.

Vault's `userfilter` and `groupfilter` are Go templates over `{{.UserAttr}}`, `{{.Username}}`
and `{{.UserDN}}`; only those placeholders are understood here (every template Vault documents
uses no more), and a template naming anything else is refused when the config is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from strongroom.errors import BadRequest

_FILTER_SPECIAL = frozenset(b"*()\\\x00")
# RFC 4514 needs `#` escaped only in front; escaping it everywhere is as valid (a `pair`) and
# what stricter parsers (ldap3's) demand.
_DN_SPECIAL = frozenset('"+,;<>\\=#')
_PLACEHOLDER = re.compile(r"\{\{\s*\.(\w+)\s*\}\}")
USER_FILTER_NAMES = frozenset({"UserAttr", "Username"})
GROUP_FILTER_NAMES = frozenset({"UserDN", "Username"})


def escape_filter(value: str) -> str:
    """`value` as an RFC 4515 assertion value (its UTF-8 octets, specials as `\\xx`)."""
    return "".join(
        f"\\{octet:02x}" if octet in _FILTER_SPECIAL or octet > 0x7F else chr(octet)
        for octet in value.encode("utf-8", "surrogatepass")
    )


def escape_dn(value: str) -> str:
    """`value` as an RFC 4514 attribute value: specials (and `#`) backslash-escaped, NUL as
    `\\00`, a leading and a trailing space escaped."""
    out: list[str] = []
    last = len(value) - 1
    for index, char in enumerate(value):
        if char == "\x00":
            out.append("\\00")
        elif (
            char in _DN_SPECIAL or (index == 0 and char in " #") or (index == last and char == " ")
        ):
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _edge(char: str, index: int, last: int) -> bool:
    """A leading or trailing space: RFC 4514 escapes them."""
    return char == " " and index in (0, last)


def check_template(template: str, names: frozenset[str], field: str) -> str:
    """`template`, once every placeholder in it is one of `names`. Raises BadRequest naming
    the field (Vault: "invalid userfilter: ...")."""
    leftover = _PLACEHOLDER.sub(lambda m: "" if m[1] in names else "{{", template)
    if "{{" in leftover or "}}" in leftover:
        raise BadRequest(f"invalid {field}: only {_listed(names)} may be used in the template")
    return template


def render(template: str, values: Mapping[str, str]) -> str:
    """`template` with each placeholder replaced by its (already escaped) value."""
    return _PLACEHOLDER.sub(lambda m: values[m[1]], template)


def _listed(names: frozenset[str]) -> str:
    return ", ".join("{{." + n + "}}" for n in sorted(names))
