"""Password policies (Vault's `sys/policies/password` documents): parse, validate, generate.

A pure library: no storage, no clock. `parse_policy` reads a document (HCL or JSON) and raises
`PasswordPolicyError` (a ValueError) with a safe message; `generate` draws a password with
`secrets` that always satisfies its policy; `DEFAULT_POLICY` is what Vault uses when no policy
is named (20 characters: at least one lowercase, uppercase, digit and dash).
"""

from __future__ import annotations

import string

from strongroom.passwords._generate import generate
from strongroom.passwords._model import (
    MAX_LENGTH,
    MIN_LENGTH,
    CharsetRule,
    PasswordPolicy,
    PasswordPolicyError,
)
from strongroom.passwords._parse import parse_policy, render_policy

__all__ = [
    "DEFAULT_POLICY",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "CharsetRule",
    "PasswordPolicy",
    "PasswordPolicyError",
    "default_password",
    "generate",
    "parse_policy",
    "render_policy",
]

# Vault's random.DefaultStringGenerator (sdk/helper/random/string_generator.go).
DEFAULT_POLICY = PasswordPolicy(
    20,
    (
        CharsetRule(string.ascii_lowercase, 1),
        CharsetRule(string.ascii_uppercase, 1),
        CharsetRule(string.digits, 1),
        CharsetRule("-", 1),
    ),
)


async def default_password(policy_name: str = "") -> str:
    """A password from Vault's default policy; the name is ignored (the source engines get
    when no core is wired in, e.g. in unit tests)."""
    del policy_name
    return generate(DEFAULT_POLICY)
