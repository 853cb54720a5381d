"""Vault's identitytpl in JSON mode, as properties: whatever an entity holds renders to the
JSON value it is, and the directives' errors are Vault's."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from strongroom.engines.identity.oidc.template import TemplateError, accepted, claims
from support.oidc import Alias, Entity

texts = st.text(max_size=20)
maps = st.dictionaries(texts, texts, max_size=5)


@given(
    name=texts,
    metadata=maps,
    groups=st.lists(texts, max_size=4),
    alias_metadata=maps,
    now=st.integers(0, 2**40),
    plus=st.integers(0, 10**6),
)
def test_entity_values_render_as_json_values(
    name: str,
    metadata: dict[str, str],
    groups: list[str],
    alias_metadata: dict[str, str],
    now: int,
    plus: int,
) -> None:
    alias = Alias(id="a", mount_accessor="auth_x", name="n", metadata=alias_metadata)
    entity = Entity(
        id="e", name=name, metadata=metadata, aliases=(alias,), group_names=groups, group_ids=groups
    )
    template = (
        '{"n": {{identity.entity.name}}, "m": {{identity.entity.metadata}},'
        ' "g": {{identity.entity.groups.names}}, "i": {{ identity.entity.groups.ids }},'
        ' "am": {{identity.entity.aliases.auth_x.metadata}},'
        ' "missing": {{identity.entity.aliases.auth_none.name}},'
        f' "t": {{{{time.now}}}}, "p": {{{{time.now.plus.{plus}}}}},'
        f' "q": {{{{time.now.minus.{plus}s}}}}}}'
    )
    assert claims(template, entity, now) == {
        "n": name,
        "m": metadata,
        "g": groups or None,  # Go marshals a nil slice as null
        "i": groups or None,
        "am": alias_metadata,
        "missing": "",
        "t": now,
        "p": now + plus,
        "q": now - plus,
    }


@given(key=texts, value=texts)
def test_one_metadata_key_renders_its_string_or_empty(key: str, value: str) -> None:
    assume("{" not in key and "}" not in key and key == key.strip())  # a key a directive names
    entity = Entity(id="e", name="n", metadata={key: value})
    template = '{"v": {{identity.entity.metadata.' + key + "}}}"
    assert claims(template, entity, 0) == {"v": value}
    assert claims(template, Entity(id="e", name="n"), 0) == {"v": ""}


@pytest.mark.parametrize(
    ("template", "error"),
    [
        ('{"a": {{time.then}}}', "error parsing template: invalid time selector"),
        ('{"a": {{time.now.plus}}}', "error parsing template: missing time operand"),
        ('{"a": {{time.now.times.1h}}}', "error parsing template: invalid time operator"),
        ('{"a": {{identity.entity.aliases.x}}}', "error parsing template: invalid alias selector"),
        ('{"a": {{identity.groups.names.g.id}}}', "error parsing template: string contains groups"),
        ('}} {"a": 1}', "error parsing template: unbalanced templating characters"),
        ('{"a": NaN}', "error parsing template JSON: "),
    ],
)
def test_bad_directives(template: str, error: str) -> None:
    with pytest.raises(TemplateError) as raised:
        accepted(template)
    assert raised.value.public.startswith(error)


def test_an_empty_template_has_no_claims() -> None:
    assert accepted("") == ""
    assert claims("", Entity(id="e", name="n"), 0) == {}
