"""Username templates (shared by the database and RabbitMQ engines): the small, safe subset of
Go's text/template that Vault's plugins use.

    {{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 8) (.RoleName | truncate 8)
       (random 20) (unix_time) | truncate 63 }}

Actions hold pipelines (`a | f x`: the left value becomes the last argument of `f`), commands,
parenthesised pipelines, `.DisplayName`/`.RoleName`, string and integer literals. Functions are
Vault's (sdk/helper/template): random, truncate, truncate_sha256, uppercase, lowercase, replace,
sha256, unix_time, unix_time_millis, uuid, and printf with %s, %d, %v. Nothing else: no
variables, conditionals or method calls, so a template can only build a string.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# Default template of Vault's postgresql plugin (plugins/database/postgresql/postgresql.go).
POSTGRES_DEFAULT = (
    '{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 8) (.RoleName | truncate 8) '
    "(random 20) (unix_time) | truncate 63 }}"
)
_ACTION = re.compile(r"\{\{-?(.*?)-?\}\}", re.DOTALL)
_TOKEN = re.compile(r'\s*(?:(\()|(\))|(\|)|("(?:[^"\\]|\\.)*")|(-?[0-9]+)|(\.?[A-Za-z_]\w*))')
_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_FIELDS = frozenset({"DisplayName", "RoleName"})
Value = str | int


class TemplateError(ValueError):
    """The template cannot be parsed or evaluated (the message never quotes data)."""


@dataclass(frozen=True, slots=True)
class UsernameContext:
    display_name: str
    role_name: str
    now: float  # seconds since the epoch, from the injected clock


def render(template: str, ctx: UsernameContext) -> str:
    """`template` with every action evaluated. Raises TemplateError."""
    out, pos = [], 0
    for match in _ACTION.finditer(template):
        out.append(template[pos : match.start()])
        out.append(str(_Evaluator(match.group(1), ctx).action()))
        pos = match.end()
    tail = template[pos:]
    if "{{" in tail or "}}" in tail:
        raise TemplateError("unbalanced {{ }} in template")
    out.append(tail)
    return "".join(out)


class _Evaluator:
    def __init__(self, text: str, ctx: UsernameContext) -> None:
        self._tokens = _tokenize(text)
        self._ctx = ctx
        self._pos = 0

    def action(self) -> Value:
        value = self._pipeline()
        if self._pos != len(self._tokens):
            raise TemplateError("unexpected item in template action")
        return value

    def _pipeline(self) -> Value:
        value = self._command(None)
        while self._peek() == "|":
            self._pos += 1
            value = self._command(value)
        return value

    def _command(self, piped: Value | None) -> Value:
        head = self._next()
        if head[0].isalpha() and head not in ("(", ")"):
            args = self._operands()
            return _call(head, [*args, *([] if piped is None else [piped])], self._ctx)
        if piped is not None:
            raise TemplateError("can only pipe into a function")
        value = self._operand(head)
        if self._operands():
            raise TemplateError("a value cannot take arguments")
        return value

    def _operands(self) -> list[Value]:
        args = []
        while (item := self._peek()) not in (None, "|", ")"):
            self._pos += 1
            args.append(self._operand(item))
        return args

    def _operand(self, item: str) -> Value:
        if item == "(":
            value = self._pipeline()
            if self._peek() != ")":
                raise TemplateError("unbalanced parentheses in template")
            self._pos += 1
            return value
        if item.startswith('"'):
            return _unquote(item)
        if item.lstrip("-").isdigit():
            return int(item)
        if item.startswith("."):
            if item[1:] not in _FIELDS:
                raise TemplateError("unknown field in template")
            return self._ctx.display_name if item == ".DisplayName" else self._ctx.role_name
        return _call(item, [], self._ctx)  # a bare function name: called without arguments

    def _peek(self) -> str | None:
        return self._tokens[self._pos] if self._pos < len(self._tokens) else None

    def _next(self) -> str:
        item = self._peek()
        if item is None or item == ")":
            raise TemplateError("incomplete template action")
        self._pos += 1
        return item


def _tokenize(text: str) -> list[str]:
    tokens, pos = [], 0
    while text[pos:].strip():
        match = _TOKEN.match(text, pos)
        if match is None:
            raise TemplateError("unsupported syntax in template")
        tokens.append(match.group().strip())
        pos = match.end()
    return tokens


def _unquote(item: str) -> str:
    body = item[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def _call(name: str, args: list[Value], ctx: UsernameContext) -> Value:
    function = _FUNCTIONS.get(name)
    if function is None:
        raise TemplateError("the template calls an undefined function")
    try:
        return function(ctx, *args)
    except TypeError:
        raise TemplateError(f"wrong arguments for {name}") from None


def _str(value: Value) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value


def _int(value: Value) -> int:
    if not isinstance(value, int):
        raise TypeError
    return value


def _truncate(_ctx: UsernameContext, length: Value, text: Value) -> str:
    if _int(length) <= 0:
        raise TemplateError("truncate needs a positive length")
    return _str(text)[: _int(length)]


def _truncate_sha256(_ctx: UsernameContext, length: Value, text: Value) -> str:
    """Vault: keep length-8 characters and replace the rest by 8 hex digits of its SHA-256."""
    size, value = _int(length), _str(text)
    if size <= 8:
        raise TemplateError("truncate_sha256 needs a length above 8")
    if len(value) <= size:
        return value
    cut = size - 8
    return value[:cut] + hashlib.sha256(value[cut:].encode()).hexdigest()[:8]


def _random(_ctx: UsernameContext, length: Value) -> str:
    if not 0 < _int(length) <= 256:
        raise TemplateError("random needs a length between 1 and 256")
    return "".join(secrets.choice(_BASE62) for _ in range(_int(length)))


def _printf(_ctx: UsernameContext, fmt: Value, *args: Value) -> str:
    values = iter(args)

    def verb(match: re.Match[str]) -> str:
        if match.group() == "%%":
            return "%"
        value = next(values, None)
        if value is None:
            raise TemplateError("printf has fewer arguments than verbs")
        return str(value)

    text = re.sub(r"%[%sdv]", verb, _str(fmt))
    if "%" in re.sub(r"%[%sdv]", "", _str(fmt)):
        raise TemplateError("printf supports only %s, %d, %v and %%")
    return text


_FUNCTIONS: Mapping[str, Callable[..., Value]] = {
    "printf": _printf,
    "truncate": _truncate,
    "truncate_sha256": _truncate_sha256,
    "random": _random,
    "uppercase": lambda _c, text: _str(text).upper(),
    "lowercase": lambda _c, text: _str(text).lower(),
    "replace": lambda _c, old, new, text: _str(text).replace(_str(old), _str(new)),
    "sha256": lambda _c, text: hashlib.sha256(_str(text).encode()).hexdigest(),
    "unix_time": lambda c: int(c.now),
    "unix_time_millis": lambda c: int(c.now * 1000),
    "uuid": lambda _c: str(uuid.UUID(bytes=secrets.token_bytes(16), version=4)),
}
