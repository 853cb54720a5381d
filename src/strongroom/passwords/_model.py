"""What a password policy is (Vault's `random.StringGenerator`): a length and charset rules.

Validation follows Vault's `sys/policies/password` and its policy parser: a length between 4 and
100, at least one charset rule, non-empty charsets of printable characters, at most 256 distinct
characters in all, and minimums that fit in the length. Messages never repeat a charset.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_LENGTH = 4
MAX_LENGTH = 100
MAX_CHARSET = 256  # Vault: the de-duplicated union must index with one random byte


class PasswordPolicyError(ValueError):
    """A policy that cannot be read or cannot be satisfied; the message says why, safely."""


def distinct(chars: str) -> str:
    """`chars` without repeats, sorted (Vault sorts and de-duplicates every charset)."""
    return "".join(sorted(set(chars)))


@dataclass(frozen=True, slots=True)
class CharsetRule:
    """`rule "charset" { charset = "...", min-chars = N }`: at least N characters of `charset`."""

    charset: str
    min_chars: int = 0

    def count(self, password: str) -> int:
        """How many characters of `password` belong to this rule's charset."""
        members = set(self.charset)
        return sum(1 for char in password if char in members)


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    length: int
    rules: tuple[CharsetRule, ...]

    def __post_init__(self) -> None:
        _validate(self)

    @property
    def charset(self) -> str:
        """The de-duplicated union of every rule's charset: what free positions draw from."""
        return distinct("".join(rule.charset for rule in self.rules))

    def accepts(self, password: str) -> bool:
        """Whether `password` has the policy's length, only its characters, and every minimum."""
        allowed = set(self.charset)
        return (
            len(password) == self.length
            and all(char in allowed for char in password)
            and all(rule.count(password) >= rule.min_chars for rule in self.rules)
        )


def _validate(policy: PasswordPolicy) -> None:
    if isinstance(policy.length, bool) or not isinstance(policy.length, int):
        raise PasswordPolicyError("length must be an integer")
    if not MIN_LENGTH <= policy.length <= MAX_LENGTH:
        raise PasswordPolicyError(
            f"passwords must be between {MIN_LENGTH} and {MAX_LENGTH} characters"
        )
    if not policy.rules:
        raise PasswordPolicyError('at least one rule "charset" is required')
    for number, rule in enumerate(policy.rules, start=1):
        _validate_rule(number, rule)
    if len(policy.charset) > MAX_CHARSET:
        raise PasswordPolicyError(f"the combined charset exceeds {MAX_CHARSET} characters")
    required = sum(rule.min_chars for rule in policy.rules)
    if required > policy.length:
        raise PasswordPolicyError(
            f"the rules require {required} characters but the length is {policy.length}"
        )


def _validate_rule(number: int, rule: CharsetRule) -> None:
    where = f"charset rule {number}"
    if not isinstance(rule.charset, str) or not rule.charset:
        raise PasswordPolicyError(f"{where}: charset must be a non-empty string")
    if not rule.charset.isprintable():
        raise PasswordPolicyError(f"{where}: charset must contain only printable characters")
    if isinstance(rule.min_chars, bool) or not isinstance(rule.min_chars, int):
        raise PasswordPolicyError(f"{where}: min-chars must be an integer")
    if rule.min_chars < 0:
        raise PasswordPolicyError(f"{where}: min-chars must not be negative")
