"""A safe evaluator for the ERB that Sidekiq and Rails YAML files use.

Nothing is ever executed: output tags (``<%= ... %>``) are read by a tiny parser that knows
literals, ``ENV`` lookups with their defaults (``ENV.fetch("X") { 5 }``, ``ENV.fetch("X", 5)``,
``ENV["X"] || 5``, ``.presence``), the conversions ``.to_i``/``.to_s``/``.to_f``,
``Integer(...)``/``Float(...)``, parentheses and ``+``/``-``/``*`` on numbers. Anything else is
unknown and renders as a unique placeholder that is a valid YAML plain scalar. Control and comment
tags are removed, keeping their newlines, so that lines stay where they were. A source map leads
every offset of the rendered text back to the original.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Mapping
from typing import Literal

from workerlint.core.records import record

Status = Literal["known", "default", "unknown"]

_MAX_NESTING = 64


@record(frozen=True)
class ErbValue:
    """The value of one output expression (``value`` is None when unknown)."""

    value: object
    status: Status
    variables: tuple[str, ...]


@record(frozen=True)
class ErbTag:
    """One output tag: its spans (original and rendered), its value and where it came from."""

    start: int
    end: int
    rendered_start: int
    rendered_end: int
    value: object
    status: Status
    variables: tuple[str, ...]
    source: str


@record(frozen=True)
class Segment:
    """A run of rendered text and the original text it came from (literal or one tag)."""

    rendered_start: int
    rendered_end: int
    original_start: int
    original_end: int
    literal: bool


@record(frozen=True)
class ErbError:
    """A template ERB itself rejects (an unclosed tag), at a character offset of the original."""

    message: str
    offset: int


@record(frozen=True)
class Rendered:
    """The rendered text, its output tags, and the map back to the original text."""

    text: str
    has_control_flow: bool
    tags: tuple[ErbTag, ...]
    segments: tuple[Segment, ...]
    error: ErbError | None = None

    def to_original(self, offset: int, *, end: bool = False) -> int:
        """Map a character offset of ``text`` to a character offset of the original text.

        An offset inside an output tag's text maps to the tag's start; with ``end=True`` (an
        exclusive end offset) a boundary maps to the end of what precedes it, and an offset
        inside an output tag to the tag's end.
        """
        offset = min(max(offset, 0), len(self.text))
        index = bisect_right(self.segments, offset, key=lambda s: s.rendered_start) - 1
        if end:
            while index > 0 and self.segments[index].rendered_start == offset:
                index -= 1
        segment = self.segments[max(index, 0)]
        if segment.literal:
            return segment.original_start + min(offset - segment.rendered_start, _len(segment))
        if end and offset > segment.rendered_start:
            return segment.original_end
        return segment.original_start


def _len(segment: Segment) -> int:
    return segment.rendered_end - segment.rendered_start


def placeholder(index: int) -> str:
    """The text rendered for the unknown output tag number ``index``."""
    return f"__wl_erb_unknown_{index}__"


# ---------------------------------------------------------------------------------------------
# Rendering


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.segments: list[Segment] = []
        self.length = 0

    def literal(self, original: str, start: int, end: int) -> None:
        if start >= end:
            return
        prev = self.segments[-1] if self.segments else None
        if prev is not None and prev.literal and prev.original_end == start:
            self.segments[-1] = Segment(
                prev.rendered_start, prev.rendered_end + end - start, prev.original_start, end, True
            )
        else:
            self.segments.append(Segment(self.length, self.length + end - start, start, end, True))
        self.parts.append(original[start:end])
        self.length += end - start

    def output(self, text: str, start: int, end: int) -> tuple[int, int]:
        rendered_start = self.length
        self.segments.append(Segment(rendered_start, rendered_start + len(text), start, end, False))
        self.parts.append(text)
        self.length += len(text)
        return rendered_start, self.length


def render(text: str, env: Mapping[str, str]) -> Rendered:
    """Render the ERB template ``text`` with the environment variables ``env``."""
    builder = _Builder()
    tags: list[ErbTag] = []
    control = False
    error: ErbError | None = None
    pos = 0
    while (open_at := text.find("<%", pos)) >= 0:
        if text.startswith("<%%", open_at):
            builder.literal(text, pos, open_at + 2)
            pos = open_at + 3
            continue
        close = _find_close(text, open_at + 2)
        if close < 0:
            error = ErbError("unclosed ERB tag", open_at)
            break
        kind = text[open_at + 2 : open_at + 3]
        if kind == "=":
            builder.literal(text, pos, open_at)
            tags.append(_output_tag(builder, text, open_at, close, env, len(tags)))
        else:
            control = control or kind != "#"
            builder.literal(text, pos, _trim_left(text, pos, open_at) if kind == "-" else open_at)
            _keep_newlines(builder, text, open_at, close + 2)
        pos = close + 2
    builder.literal(text, pos, len(text))
    sentinel = Segment(builder.length, builder.length, len(text), len(text), True)
    return Rendered(
        text="".join(builder.parts),
        has_control_flow=control,
        tags=tuple(tags),
        segments=(*builder.segments, sentinel),
        error=error,
    )


def _find_close(text: str, start: int) -> int:
    """The offset of the ``%>`` closing a tag whose content starts at ``start``."""
    close = text.find("%>", start)
    while close > start and text[close - 1] == "%":
        close = text.find("%>", close + 2)
    return close


def _trim_left(text: str, pos: int, open_at: int) -> int:
    """Where the literal text before a ``<%-`` tag ends: its line's indentation is dropped."""
    start = open_at
    while start > pos and text[start - 1] in " \t":
        start -= 1
    return start if start == 0 or text[start - 1] == "\n" else open_at


def _keep_newlines(builder: _Builder, text: str, start: int, end: int) -> None:
    newline = text.find("\n", start, end)
    while newline >= 0:
        builder.literal(text, newline, newline + 1)
        newline = text.find("\n", newline + 1, end)


def _output_tag(
    builder: _Builder, text: str, open_at: int, close: int, env: Mapping[str, str], index: int
) -> ErbTag:
    content = text[open_at + 3 : close]
    content = content.removesuffix("-")  # `-%>`: the newline is kept to keep the lines
    source = content.replace("%%>", "%>").strip()
    result = evaluate(source, env)
    shown = placeholder(index) if result.status == "unknown" else ruby_to_s(result.value)
    rendered_start, rendered_end = builder.output(shown, open_at, close + 2)
    return ErbTag(
        start=open_at,
        end=close + 2,
        rendered_start=rendered_start,
        rendered_end=rendered_end,
        value=result.value,
        status=result.status,
        variables=result.variables,
        source=source,
    )


# ---------------------------------------------------------------------------------------------
# Ruby values


@record(frozen=True)
class Symbol:
    """A Ruby symbol literal (``:name``)."""

    name: str


class _RubyError(Exception):
    """What Ruby would raise (TypeError, ArgumentError, NoMethodError): the value is unknown."""


class _Unsupported(Exception):
    """An expression outside the shapes we understand."""


def ruby_to_s(value: object) -> str:
    """``value.to_s`` as Ruby writes it (what an output tag renders)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _float_to_s(value)
    if isinstance(value, Symbol):
        return value.name
    return str(value)


def _float_to_s(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if e and "." not in mantissa:
        return f"{mantissa}.0e{exponent}"
    return text


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_TO_I = re.compile(r"\s*([+-]?[0-9]+(?:_[0-9]+)*)")
_TO_F = re.compile(
    r"\s*([+-]?(?:[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?|\.[0-9]+(?:_[0-9]+)*)(?:[eE][+-]?[0-9]+)?)"
)
_FLOAT = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"([+-]?)(0[xXbBoOdD]|0(?=[0-7_]))?([0-9a-zA-Z]+(?:_[0-9a-zA-Z]+)*)")
_PREFIX_BASE = {"x": 16, "b": 2, "o": 8, "d": 10, "": 8}


def _to_i(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        match = _TO_I.match(value)
        return _int(match.group(1), 10) if match else 0
    if _is_number(value):
        return _truncate(value)
    raise _RubyError


def _to_f(value: object) -> float:
    if value is None:
        return 0.0
    if isinstance(value, str):
        match = _TO_F.match(value)
        return float(match.group(1).replace("_", "")) if match else 0.0
    if _is_number(value):
        return float(value)
    raise _RubyError


def _presence(value: object) -> object:
    if value is None or value is False:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


_METHODS = {"to_i": _to_i, "to_f": _to_f, "to_s": ruby_to_s, "presence": _presence}


def _truncate(value: float) -> int:
    if isinstance(value, float) and not math.isfinite(value):
        raise _RubyError
    return int(value)


def _int(digits: str, base: int) -> int:
    try:
        return int(digits.replace("_", ""), base)
    except ValueError as exc:  # bad digits, or more digits than Python converts
        raise _RubyError from exc


def _kernel_integer(value: object, base: int | None) -> int:
    """Ruby's ``Integer(value)`` / ``Integer(value, base)``: strict, with 0x/0b/0o/0 prefixes."""
    if _is_number(value) and base is None:
        return _truncate(value)
    if not isinstance(value, str):
        raise _RubyError
    match = _INTEGER.fullmatch(value.strip())
    if match is None:
        raise _RubyError
    sign, prefix, digits = match.groups()
    prefix = (prefix or "").lower()
    if base is not None and prefix == "0" and base != 8:
        prefix, digits = "", "0" + digits
    prefix_base = _PREFIX_BASE[prefix[1:]] if prefix else 10
    if base is not None and prefix and prefix_base != base:
        raise _RubyError
    return _int(sign + digits, base if base is not None else prefix_base)


def _kernel_float(value: object) -> float:
    """Ruby's ``Float(value)``: strict decimal notation for strings."""
    if _is_number(value):
        return float(value)
    if isinstance(value, str) and _FLOAT.fullmatch(value.strip()):
        return float(value.strip().replace("_", ""))
    raise _RubyError


# ---------------------------------------------------------------------------------------------
# Expressions

_UNSET = "unset"  # an internal status: nil read from an unset variable (no default given yet)
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
    |(?P<float>[0-9][0-9_]*\.[0-9][0-9_]*(?:[eE][+-]?[0-9]+)?|[0-9][0-9_]*[eE][+-]?[0-9]+)
    |(?P<int>0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*)
    |(?P<dstr>"(?:[^"\\\#]|\\.|\#(?![{@$]))*")
    |(?P<sstr>'(?:[^'\\]|\\.)*')
    |(?P<sym>:[A-Za-z_][A-Za-z0-9_]*[?!]?)
    |(?P<ident>[A-Za-z_][A-Za-z0-9_]*[?!]?)
    |(?P<op>\|\||&\.|[\[\](){},.+*\-])
    """,
    re.VERBOSE,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "s": " ", "e": "\x1b", "a": "\a", "b": "\b"}
_ESCAPES |= {"f": "\f", "v": "\v", "\\": "\\", '"': '"', "'": "'", "#": "#", "\n": ""}


@record(frozen=True)
class _V:
    """A value while evaluating; ``status`` may also be ``unset`` (nil from an unset variable)."""

    value: object
    status: str
    variables: tuple[str, ...]


@record(frozen=True)
class _Token:
    kind: str
    text: str


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            raise _Unsupported
        kind = match.lastgroup or ""
        if kind != "ws":
            tokens.append(_Token(kind, match.group()))
        pos = match.end()
    return tokens


def _string_value(token: _Token) -> str:
    body = token.text[1:-1]
    if token.kind == "sstr":
        return re.sub(r"\\([\\'])", r"\1", body)

    def escape(match: re.Match[str]) -> str:
        char = match.group(1)
        if char not in _ESCAPES:
            raise _Unsupported  # \u, \x, octal, control escapes: not worth modelling
        return _ESCAPES[char]

    return re.sub(r"\\(.)", escape, body, flags=re.DOTALL)


def _literal_int(text: str) -> int:
    if len(text) > 1 and text[0] == "0" and text[1] in "0123456789_":
        return _int(text[1:], 8)  # 010 is octal in Ruby
    return _int(text, 0) if text[:2].lower() in ("0x", "0b", "0o") else _int(text, 10)


def _merge_vars(*values: _V) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for value in values for name in value.variables))


def _unknown(*values: _V) -> _V:
    return _V(None, "unknown", _merge_vars(*values))


def _combined_status(*values: _V) -> str:
    return "default" if any(value.status == "default" for value in values) else "known"


def _or(left: _V, right: _V) -> _V:
    """``left || right``: the right side is the template's default when the left reads nothing."""
    if left.status == "unknown" or (
        left.status != _UNSET and left.value is not None and left.value is not False
    ):
        return left
    variables = _merge_vars(left, right)
    if right.status in ("unknown", _UNSET):
        return _V(right.value, right.status, variables)
    if right.status == "known" and right.variables:
        return _V(right.value, "known", variables)  # a supplied variable decides the value
    status = "default" if left.status == _UNSET else _combined_status(left, right)
    return _V(right.value, status, variables)


def _arithmetic(op: str, left: _V, right: _V) -> _V:
    if left.status in ("unknown", _UNSET) or right.status in ("unknown", _UNSET):
        return _unknown(left, right)
    a, b = left.value, right.value
    if _is_number(a) and _is_number(b):
        value: object = a + b if op == "+" else a - b if op == "-" else a * b
    elif op == "+" and isinstance(a, str) and isinstance(b, str):
        value = a + b
    else:
        return _unknown(left, right)
    return _V(value, _combined_status(left, right), _merge_vars(left, right))


def _call(receiver: _V, name: str, safe: bool) -> _V:
    """``receiver.name`` (``safe``: ``&.``) for the few methods we model."""
    if receiver.status == "unknown":
        return receiver
    if receiver.status == _UNSET or (safe and receiver.value is None):
        # nil.presence and nil&.x stay nil; nil.to_i would hide a variable the file needs.
        return receiver if safe or name == "presence" else _unknown(receiver)
    method = _METHODS.get(name)
    if method is None:
        return _unknown(receiver)
    try:
        value = method(receiver.value)
    except _RubyError:
        return _unknown(receiver)
    return _V(value, receiver.status, receiver.variables)


def _apply(function: str, argument: _V, base: _V | None) -> _V:
    """``Integer(argument[, base])`` or ``Float(argument)``."""
    if argument.status in ("unknown", _UNSET) or (base is not None and base.status != "known"):
        return _unknown(argument)
    try:
        if function == "Float":
            value: object = _kernel_float(argument.value)
        else:
            base_value = None if base is None else base.value
            if base_value is not None and not (
                isinstance(base_value, int) and 2 <= base_value <= 36
            ):
                raise _RubyError
            value = _kernel_integer(argument.value, base_value)
    except _RubyError:
        return _unknown(argument)
    return _V(value, argument.status, argument.variables)


class _Parser:
    """Recursive descent over the token list; evaluates as it parses (nothing has side effects)."""

    def __init__(self, tokens: list[_Token], env: Mapping[str, str]) -> None:
        self.tokens = tokens
        self.index = 0
        self.env = env
        self.depth = 0
        self.read: list[str] = []

    def peek(self, offset: int = 0) -> _Token | None:
        index = self.index + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def accept(self, text: str) -> bool:
        token = self.peek()
        if token is not None and token.text == text and token.kind in ("op", "ident"):
            self.index += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.accept(text):
            raise _Unsupported

    def next(self) -> _Token:
        token = self.peek()
        if token is None:
            raise _Unsupported
        self.index += 1
        return token

    def parse(self) -> _V:
        value = self.expression()
        if self.index != len(self.tokens):
            raise _Unsupported
        return value

    def expression(self) -> _V:
        self.depth += 1
        if self.depth > _MAX_NESTING:
            raise _Unsupported
        value = self.disjunction()
        while self.accept("or"):
            value = _or(value, self.disjunction())
        self.depth -= 1
        return value

    def disjunction(self) -> _V:
        value = self.sum()
        while self.accept("||"):
            value = _or(value, self.sum())
        return value

    def sum(self) -> _V:
        value = self.product()
        while (token := self.peek()) is not None and token.text in ("+", "-"):
            self.index += 1
            value = _arithmetic(token.text, value, self.product())
        return value

    def product(self) -> _V:
        value = self.unary()
        while self.accept("*"):
            value = _arithmetic("*", value, self.unary())
        return value

    def unary(self) -> _V:
        next_token = self.peek(1)
        if self.peek() == _Token("op", "-") and (
            next_token is None or next_token.kind not in ("int", "float")
        ):
            self.index += 1
            return _arithmetic("-", _V(0, "known", ()), self.unary())
        return self.postfix()

    def postfix(self) -> _V:
        value = self.primary()
        while (token := self.peek()) is not None and token.text in (".", "&."):
            self.index += 1
            name = self.next()
            if name.kind != "ident":
                raise _Unsupported
            if self.accept("("):
                self.expect(")")
            value = _call(value, name.text, token.text == "&.")
        return value

    def primary(self) -> _V:
        token = self.next()
        if token.text == "-" and token.kind == "op":
            return self.number(self.next(), negative=True)
        if token.kind in ("int", "float"):
            return self.number(token, negative=False)
        if token.kind in ("dstr", "sstr"):
            return _V(_string_value(token), "known", ())
        if token.kind == "sym":
            return _V(Symbol(token.text[1:]), "known", ())
        if token.kind == "op" and token.text == "(":
            value = self.expression()
            self.expect(")")
            return value
        if token.kind == "ident":
            return self.identifier(token.text)
        raise _Unsupported

    def number(self, token: _Token, *, negative: bool) -> _V:
        if token.kind == "int":
            value: int | float = _literal_int(token.text)
        elif token.kind == "float":
            value = float(token.text.replace("_", ""))
        else:
            raise _Unsupported
        return _V(-value if negative else value, "known", ())

    def identifier(self, name: str) -> _V:
        constants: dict[str, object] = {"nil": None, "true": True, "false": False}
        if name in constants:
            return _V(constants[name], "known", ())
        if name == "ENV":
            return self.env_access()
        if name in ("Integer", "Float"):
            self.expect("(")
            argument = self.expression()
            base = self.expression() if name == "Integer" and self.accept(",") else None
            self.expect(")")
            return _apply(name, argument, base)
        raise _Unsupported

    def string(self) -> str:
        token = self.next()
        if token.kind not in ("dstr", "sstr"):
            raise _Unsupported
        return _string_value(token)

    def env_access(self) -> _V:
        if self.accept("["):
            name = self.string()
            self.read.append(name)
            self.expect("]")
            return self.variable(name, None, fetch=False)
        self.expect(".")
        self.expect("fetch")
        self.expect("(")
        name = self.string()
        self.read.append(name)
        default = self.expression() if self.accept(",") else None
        self.expect(")")
        if self.accept("{"):
            default = self.expression()  # a block supersedes the default argument
            self.expect("}")
        return self.variable(name, default, fetch=True)

    def variable(self, name: str, default: _V | None, *, fetch: bool) -> _V:
        if name in self.env:
            return _V(self.env[name], "known", (name,))
        if default is None:  # ENV["X"] is nil; ENV.fetch("X") raises KeyError
            return _V(None, _UNSET if not fetch else "unknown", (name,))
        own = _V(None, _UNSET, (name,))
        return _or(own, default)


def evaluate(source: str, env: Mapping[str, str]) -> ErbValue:
    """Evaluate one output tag's Ruby expression without running anything."""
    parser = _Parser([], env)
    try:
        parser.tokens = _tokenize(source)
        value = parser.parse()
    except (_Unsupported, _RubyError, RecursionError):
        return ErbValue(None, "unknown", tuple(dict.fromkeys(parser.read)))
    if value.status in ("known", "default"):
        return ErbValue(
            value.value, "known" if value.status == "known" else "default", value.variables
        )
    return ErbValue(None, "unknown", value.variables)
