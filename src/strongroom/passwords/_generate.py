"""Password generation from a policy, with `secrets` only.

Vault guesses and checks: it draws every character from the union charset and retries until the
rules pass, which can take long (or forever) for tight policies. Here each rule's minimum is
drawn from that rule's own charset first, the remaining positions uniformly from the union, and
the whole is shuffled with an unbiased Fisher-Yates, so generation always terminates and every
password satisfies its policy by construction. `secrets.choice` and `secrets.randbelow` reject
out-of-range draws internally, so no character is favoured by a modulo bias.
"""

from __future__ import annotations

import secrets

from strongroom.passwords._model import PasswordPolicy, distinct


def generate(policy: PasswordPolicy) -> str:
    """A fresh password that `policy.accepts`."""
    chars: list[str] = []
    for rule in policy.rules:
        pool = distinct(rule.charset)  # a repeated character must not weigh more
        chars.extend(secrets.choice(pool) for _ in range(rule.min_chars))
    union = policy.charset
    chars.extend(secrets.choice(union) for _ in range(policy.length - len(chars)))
    _shuffle(chars)
    return "".join(chars)


def _shuffle(items: list[str]) -> None:
    """Fisher-Yates in place: each permutation equally likely."""
    for i in range(len(items) - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        items[i], items[j] = items[j], items[i]
