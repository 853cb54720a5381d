"""Policy documents as syntax trees: an HCL1 reader for the subset policies use, and JSON.

Vault parses policies with HCL *version 1* (`hcl.Parse` from github.com/hashicorp/hcl in
vault/policy.go), which reads JSON too when the first non-space character is `{`. python-hcl2
reads HCL2, which parts of real policies are not: the block form of a map
(`allowed_parameters { "k" = [] }`) fails, a bare `[read]` silently becomes the string "read",
`%{` in a path starts a directive. So this module reads HCL1 itself: `#`, `//` and `/* */`
comments; quoted strings with Go escapes; numbers; `true`/`false`; lists; objects; blocks
(`path "secret/*" { … }`); optional commas between items. Not in the subset: heredocs and
`${}` interpolation (`${` is plain text, as in a policy path).

Both syntaxes give the same tree: an `Object` is a tuple of `Item`s, each with the keys it was
written under (`path "a" {}` -> ("path", "a"); a JSON member -> its one name). Errors are
`PolicySyntaxError`, whose message gives a position and never repeats the document's text.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import TypeAlias

__all__ = ["Item", "Object", "PolicySyntaxError", "Value", "load"]

_MAX_DEPTH = 32  # policies nest three levels deep; anything far deeper is an attack

Value: TypeAlias = "str | int | float | bool | list[Value] | Object | None"


class PolicySyntaxError(ValueError):
    """The document cannot be read, or is not a valid policy (the message says why, safely)."""


@dataclass(frozen=True, slots=True)
class Item:
    keys: tuple[str, ...]
    value: Value


@dataclass(frozen=True, slots=True)
class Object:
    items: tuple[Item, ...]


def load(text: str) -> Object:
    """The document's root object. Raises PolicySyntaxError."""
    if text.lstrip().startswith("{"):  # HCL1's lexMode: JSON when the text opens with `{`
        return _load_json(text)
    return _Parser(text).document()


def _load_json(text: str) -> Object:
    def reject_constant(name: str) -> None:
        del name
        raise PolicySyntaxError("NaN and Infinity are not JSON")

    try:
        root = json.loads(
            text,
            object_pairs_hook=_json_object,
            parse_constant=reject_constant,
            parse_float=_json_float,
        )
    except json.JSONDecodeError as exc:
        raise PolicySyntaxError(f"line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise PolicySyntaxError("nesting too deep") from None
    if not isinstance(root, Object):
        raise PolicySyntaxError("does not contain a root object")
    return root


def _json_object(pairs: list[tuple[str, Value]]) -> Object:
    return Object(tuple(Item((key,), value) for key, value in pairs))


def _json_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise PolicySyntaxError("number out of range")
    return number


_TOKEN = re.compile(
    r"""
      (?P<skip>[ \t\r\n\f\ufeff]+ | \#[^\n]* | //[^\n]* | /\*.*?\*/)
    | (?P<string>"(?:[^"\\\n]|\\.)*")
    | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?![\w.]))
    | (?P<name>[A-Za-z_][\w.\-]*)
    | (?P<punct>[{}\[\]=,])
    """,
    re.VERBOSE | re.DOTALL | re.ASCII,
)
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    at: int


class _Parser:
    """Recursive descent over HCL1's grammar: objectlist := item*, item := key+ ('=' value |
    '{' objectlist '}'), value := string | number | bool | list | object."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._tokens = self._tokenize()
        self._next = 0
        self._depth = 0

    def document(self) -> Object:
        return self._items(closing=None)

    def _tokenize(self) -> list[_Token]:
        tokens: list[_Token] = []
        at = 0
        while at < len(self._text):
            match = _TOKEN.match(self._text, at)
            if match is None:
                what = "unterminated comment" if self._text.startswith("/*", at) else "character"
                raise self._error(f"unexpected {what}", at)
            kind = match.lastgroup or ""
            if kind != "skip":
                tokens.append(_Token(kind, match.group(), at))
            at = match.end()
        return tokens

    def _error(self, message: str, at: int | None = None) -> PolicySyntaxError:
        if at is None:
            at = self._tokens[self._next].at if self._next < len(self._tokens) else len(self._text)
        line = self._text.count("\n", 0, at) + 1
        column = at - (self._text.rfind("\n", 0, at) + 1) + 1
        return PolicySyntaxError(f"line {line}, column {column}: {message}")

    def _peek(self) -> _Token | None:
        return self._tokens[self._next] if self._next < len(self._tokens) else None

    def _take(self, expected: str) -> _Token:
        token = self._peek()
        if token is None:
            raise self._error(f"unexpected end of document, expected {expected}")
        self._next += 1
        return token

    def _enter(self) -> None:
        self._depth += 1
        if self._depth > _MAX_DEPTH:
            raise self._error("nesting too deep")

    def _items(self, closing: str | None) -> Object:
        items: list[Item] = []
        while True:
            token = self._peek()
            if token is None and closing is None:
                return Object(tuple(items))
            if token is not None and token.kind == "punct" and token.text == closing:
                self._next += 1
                return Object(tuple(items))
            items.append(self._item())
            token = self._peek()
            if token is not None and token.text == "," and token.kind == "punct":
                self._next += 1

    def _item(self) -> Item:
        keys = [self._key()]
        while (token := self._peek()) is not None and token.kind in {"string", "name"}:
            keys.append(self._key())
        token = self._take("'=' or '{'")
        if token.text == "=" and len(keys) == 1:
            return Item(tuple(keys), self._value())
        if token.text == "{":
            self._enter()
            value = self._items(closing="}")
            self._depth -= 1
            return Item(tuple(keys), value)
        raise self._error("expected '{'" if token.text == "=" else "expected '=' or '{'", token.at)

    def _key(self) -> str:
        token = self._take("a key")
        if token.kind == "name":
            return token.text
        if token.kind == "string":
            return self._unquote(token)
        raise self._error("expected a key", token.at)

    def _value(self) -> Value:
        token = self._take("a value")
        if token.kind == "string":
            return self._unquote(token)
        if token.kind == "number":
            if any(mark in token.text for mark in ".eE"):
                number = float(token.text)
                if not math.isfinite(number):
                    raise self._error("number out of range", token.at)
                return number
            return int(token.text)
        if token.kind == "name" and token.text in {"true", "false"}:
            return token.text == "true"
        if token.text == "[":
            return self._list()
        if token.text == "{":
            self._enter()
            value = self._items(closing="}")
            self._depth -= 1
            return value
        raise self._error("expected a string, number, boolean, list or object", token.at)

    def _list(self) -> list[Value]:
        self._enter()
        values: list[Value] = []
        while True:
            token = self._peek()
            if token is not None and token.text == "]" and token.kind == "punct":
                self._next += 1
                self._depth -= 1
                return values
            values.append(self._value())
            token = self._take("',' or ']'")
            if token.text == "]" and token.kind == "punct":
                self._depth -= 1
                return values
            if token.text != "," or token.kind != "punct":
                raise self._error("expected ',' or ']'", token.at)

    def _unquote(self, token: _Token) -> str:
        def escape(match: re.Match[str]) -> str:
            code = match.group(1)
            if len(code) > 1:
                point = int(code[1:], 16)
                if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
                    raise self._error("invalid escape in string", token.at + match.start())
                return chr(point)
            if code in _SIMPLE_ESCAPES:
                return _SIMPLE_ESCAPES[code]
            raise self._error("invalid escape in string", token.at + match.start())

        return _ESCAPE.sub(escape, token.text[1:-1])
