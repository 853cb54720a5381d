"""`resolve_templates`: a templated policy filled in for one token's identity.

Vault fills `path` keys only (docs, "Templated policies"), when it builds a token's ACL
(vault/policy.go `parseACLPolicyWithTemplating` with an entity): a path whose placeholder cannot
be filled (no such identity value, an empty id or name, a value holding `*` or `+`) is DROPPED
from the policy, never kept unfilled, so it grants nothing. Placeholders are the names Vault
documents, looked up verbatim in a flat mapping the caller builds from the token:
`identity.entity.id`, `identity.entity.name`, `identity.entity.metadata.<key>`,
`identity.entity.aliases.<mount accessor>.name` (and `.id`, `.metadata.<key>`),
`identity.groups.ids.<id>.name`, `identity.groups.names.<name>.id`, …
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from strongroom.policy._model import Policy
from strongroom.policy._parse import parse_policy
from strongroom.policy._paths import TemplateError, fill_templates, has_templates
from strongroom.policy._render import render_policy

__all__ = ["resolve_templates"]


def resolve_templates(text: str, identity: Mapping[str, str]) -> str | None:
    """The policy `text` with every placeholder filled from `identity`, as canonical HCL
    (`render_policy`), paths that cannot be filled left out; None if `text` has no
    placeholders, so the caller keeps using the policy as parsed.

    Raises BadRequest if `text` is not a valid policy.
    """
    policy = parse_policy("", text)
    if not any(has_templates(rule.path) for rule in policy.rules):
        return None
    rules = []
    for rule in policy.rules:
        try:
            rules.append(replace(rule, path=fill_templates(rule.path, identity)))
        except TemplateError:
            continue  # vault/policy.go parsePaths: `if err != nil { continue }`
    return render_policy(Policy(name=policy.name, rules=tuple(rules)))
