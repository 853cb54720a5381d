"""ACL policies: Vault's policy language, parsed, rendered and compiled for fast checks.

A pure library (no I/O): the request pipeline and the `sys/policy` endpoints call it.

    parse_policy(name, text) -> Policy      _parse.py     HCL1 or JSON; BadRequest if invalid
    render_policy(policy) -> str            _render.py    canonical HCL; parses back equal
    resolve_templates(text, identity)       _templates.py fill {{identity.…}} path placeholders
    ACL.root() / ACL.compile(policies)      _acl.py       compiled once per token's policy set
    ACL.check(path, op, data, wrap_ttl=)    _acl.py       -> Decision(allowed, sudo, reason)
    ACL.capabilities(path)                  _acl.py       what sys/capabilities reports
    Policy, PathRule, Decision              _model.py     frozen values
    CAPABILITIES, DEFAULT_POLICY                          the capability names; `default` text

Semantics follow vault/policy.go and vault/acl.go (cited where implemented): deny by default, a
`deny` capability wins over everything merged with it, the most specific path wins by Vault's
priority rules (DESIGN.md invariant 4).
"""

from strongroom.policy._acl import ACL
from strongroom.policy._default import DEFAULT_POLICY
from strongroom.policy._model import CAPABILITIES, Decision, PathRule, Policy
from strongroom.policy._parse import parse_policy
from strongroom.policy._render import render_policy
from strongroom.policy._templates import resolve_templates

__all__ = [
    "ACL",
    "CAPABILITIES",
    "DEFAULT_POLICY",
    "Decision",
    "PathRule",
    "Policy",
    "parse_policy",
    "render_policy",
    "resolve_templates",
]
