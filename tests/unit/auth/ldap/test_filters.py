"""RFC 4515 filter and RFC 4514 DN escaping of usernames, and Vault's filter templates."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ldap3.utils.dn import parse_dn

from strongroom.auth.ldap import directory, filters
from strongroom.auth.ldap.models import LdapConfig
from strongroom.errors import BadRequest

_PAIR = re.compile(r"\\([0-9a-f]{2})")


def _unescape_filter(text: str) -> bytes:
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] == "\\":
            out.append(int(text[i + 1 : i + 3], 16))
            i += 3
        else:
            out.extend(text[i].encode())
            i += 1
    return bytes(out)


@given(st.text())
def test_filter_escape_round_trips_and_leaves_no_special(value: str) -> None:
    escaped = filters.escape_filter(value)
    assert not set(escaped) & set("*()\x00")
    assert all(ord(c) < 0x80 for c in escaped)
    assert _PAIR.sub("", escaped).count("\\") == 0  # every backslash starts a \xx pair
    assert _unescape_filter(escaped) == value.encode("utf-8", "surrogatepass")


@given(st.text())
def test_an_escaped_username_stays_one_assertion(value: str) -> None:
    """`(uid=<escaped>)` is one equality filter whatever the username: it opens and closes
    exactly one parenthesis."""
    query = f"(uid={filters.escape_filter(value)})"
    assert query.count("(") == query.count(")") == 1


@given(st.text(min_size=1).filter(lambda v: "\x00" not in v))
def test_a_dn_escaped_username_is_one_rdn_value(value: str) -> None:
    built = f"uid={filters.escape_dn(value)},ou=people,dc=example,dc=org"
    rdns = parse_dn(built)
    assert len(rdns) == 4
    assert rdns[0][0] == "uid"


@pytest.mark.parametrize(
    ("value", "escaped"),
    [("*", "\\2a"), (")(uid=*", "\\29\\28uid=\\2a"), ("a\x00b", "a\\00b"), ("é", "\\c3\\a9")],
)
def test_filter_escapes_of_hostile_names(value: str, escaped: str) -> None:
    assert filters.escape_filter(value) == escaped


@pytest.mark.parametrize(
    ("value", "escaped"),
    [(" a ", "\\ a\\ "), ("#a", "\\#a"), ("a,b+c", "a\\,b\\+c"), ("a\x00", "a\\00")],
)
def test_dn_escapes(value: str, escaped: str) -> None:
    assert filters.escape_dn(value) == escaped


def test_templates_render_vaults_placeholders() -> None:
    template = "(&(objectClass=person)({{.UserAttr}}={{ .Username }}))"
    filters.check_template(template, filters.USER_FILTER_NAMES, "userfilter")
    rendered = filters.render(template, {"UserAttr": "uid", "Username": "a\\2a"})
    assert rendered == "(&(objectClass=person)(uid=a\\2a))"


@pytest.mark.parametrize("template", ["({{.Password}})", "({{range .}})", "(uid={{.Username)"])
def test_templates_naming_anything_else_are_refused(template: str) -> None:
    with pytest.raises(BadRequest, match="invalid userfilter"):
        filters.check_template(template, filters.USER_FILTER_NAMES, "userfilter")


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (LdapConfig(upndomain="example.org"), "a\\,b*@example.org"),
        (LdapConfig(userattr="uid", userdn="ou=people,dc=x"), "uid=a\\,b*,ou=people,dc=x"),
    ],
    ids=["upndomain", "userdn"],
)
def test_bind_dn_without_a_search(config: LdapConfig, expected: str) -> None:
    """Vault's GetUserBindDN without binddn: `<name>@<upndomain>` or `<userattr>=<name>,<userdn>`,
    the name DN-escaped (`*` has no meaning in a DN, so it is kept as is)."""
    assert directory._user_bind_dn(config, None, "a,b*") == expected


def test_upn_search_filter_escapes_the_name() -> None:
    cfg = LdapConfig(upndomain="example.org")
    values = directory._user_values(cfg, "a*)")
    assert values["Username"] == "a\\2a\\29@example.org"
