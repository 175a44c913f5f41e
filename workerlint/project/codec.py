"""Facts to and from plain JSON data, checked against their declared types.

The cache stores the project index's facts as JSON (never pickle: a pull request can add a cache
file to the tree, and unpickling runs code). Decoding is driven by the dataclasses' type hints
and rejects anything of another shape, so a damaged or hand-made cache file is an error, never
a wrong fact. Literal values (the ``object`` fields: option values, constants) are tagged so
that a Symbol, a tuple and ``NOT_LITERAL`` come back as what they were.

A dataclass is a JSON list of its fields' values in their declared order, not an object of
them: the field names, the same in every fact, made a third of the index cache's bytes and of
its parsing (saleor: 6.3 -> 4.5 MB; an in-process run's index read 118 -> 96 ms). The names and
their order are in the cache's shape (``shape``): a change to either drops the cache. A list
cannot say which of two types it is, so a union may hold a dataclass only beside None or
scalars (``_union_decoder`` refuses any other: the type hints, not the data, would be ambiguous).
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from functools import cache
from typing import Any

from workerlint.core import records
from workerlint.facts import NOT_LITERAL
from workerlint.formats.values import Value
from workerlint.lang.ruby.names import MUTABLE_COLLECTION
from workerlint.lang.ruby.nodes import Symbol


class DecodeError(ValueError):
    """Data that does not have the shape of the facts it should hold."""


MAX_DEPTH = 64


def encode(value: Any, hint: Any = object) -> Any:
    """Plain JSON data for a value of type ``hint`` (a dataclass, container or literal)."""
    return _encoder(hint)(value)


Encoder = typing.Callable[[Any], Any]

# Types whose instances are never dataclass instances: the test ``encode`` makes of every value
# first (a dataclass is encoded by its own type, whatever the hint) is skipped for them.
_BUILTIN = frozenset({str, int, bool, float, type(None), list, tuple, dict, frozenset, set})


def _own_dataclass(value: Any) -> bool:
    """``dataclasses.is_dataclass(value) and not isinstance(value, type)``, for a value whose
    type is not in ``_BUILTIN``."""
    return hasattr(type(value), "__dataclass_fields__") and not isinstance(value, type)


@cache
def _encoder(hint: Any) -> Encoder:
    """An encoding function for one type hint, built once (the index encodes every file's facts):
    a dataclass value is encoded by its own type's fields, anything else as ``hint`` says."""
    if _is_dataclass(hint):
        return _dataclass_encoder(hint)
    origin = typing.get_origin(hint)
    if origin is list or (origin in (tuple, frozenset) and not _fixed_tuple(hint, origin)):
        return _sequence_encoder(hint, origin)
    if origin is tuple:
        return _fixed_tuple_encoder(typing.get_args(hint))
    if origin is dict:
        return _dict_encoder(*typing.get_args(hint))
    if origin in (typing.Union, types.UnionType):
        return _union_encoder(typing.get_args(hint))
    if hint is object:
        return _literal_encoder
    return _plain_encoder


def _fixed_tuple(hint: Any, origin: Any) -> bool:
    args = typing.get_args(hint)
    return origin is tuple and not (len(args) == 2 and args[1] is Ellipsis)


def _plain_encoder(value: Any) -> Any:
    """A scalar (or a type the encoding does not look into): the value itself."""
    if type(value) in _BUILTIN or not _own_dataclass(value):
        return value
    return _dataclass_encoder(type(value))(value)


def _literal_encoder(value: Any) -> Any:
    if type(value) in _BUILTIN or not _own_dataclass(value):
        return _encode_literal(value)
    return _dataclass_encoder(type(value))(value)


@cache
def _dataclass_encoder(cls: type) -> Encoder:
    hints = _hints(cls)
    names = tuple(f.name for f in _fields(cls))
    fields: list[tuple[str, Encoder, bool]] = []

    def encode_one(value: Any) -> Any:
        if type(value) is not cls:
            if type(value) in _BUILTIN or not _own_dataclass(value):
                return value  # what a hint without an origin gives
            return _dataclass_encoder(type(value))(value)
        if not fields:  # built on first use: a dataclass may refer to itself
            for name in names:
                field = _encoder(hints[name])
                fields.append((name, field, field is _plain_encoder))
        encoded = []
        for name, field, plain in fields:
            item = getattr(value, name)
            encoded.append(item if plain and type(item) in _BUILTIN else field(item))
        return encoded

    return encode_one


def _sequence_encoder(hint: Any, origin: Any) -> Encoder:
    """A list, a frozenset (sorted: deterministic output) or a ``tuple[X, ...]``."""
    item = _encoder(typing.get_args(hint)[0])
    ordered = origin is frozenset

    def sequence(value: Any) -> Any:
        if type(value) not in _BUILTIN and _own_dataclass(value):
            return _dataclass_encoder(type(value))(value)
        return [item(v) for v in (sorted(value) if ordered else value)]

    return sequence


def _fixed_tuple_encoder(args: tuple[Any, ...]) -> Encoder:
    items = [_encoder(a) for a in args]

    def fixed(value: Any) -> Any:
        if type(value) not in _BUILTIN and _own_dataclass(value):
            return _dataclass_encoder(type(value))(value)
        return [item(v) for v, item in zip(value, items, strict=True)]

    return fixed


def _dict_encoder(key_hint: Any, item_hint: Any) -> Encoder:
    """A ``dict[K, V]``: a list of [key, value] pairs (in the dict's order)."""
    key, item = _encoder(key_hint), _encoder(item_hint)

    def mapping(value: Any) -> Any:
        if type(value) not in _BUILTIN and _own_dataclass(value):
            return _dataclass_encoder(type(value))(value)
        return [[key(k), item(v)] for k, v in value.items()]

    return mapping


def _union_encoder(arms: tuple[Any, ...]) -> Encoder:
    """The first arm the value is an instance of (of the arm's origin: ``list`` for a
    ``list[X]``), else a literal."""
    tests = [(typing.get_origin(a) or a, _encoder(a)) for a in arms]

    def union(value: Any) -> Any:
        if type(value) not in _BUILTIN and _own_dataclass(value):
            return _dataclass_encoder(type(value))(value)
        for test, arm in tests:
            if isinstance(value, test):
                return arm(value)
        return _encode_literal(value)

    return union


def decode(data: Any, hint: Any, *, values: bool = False) -> Any:
    """The value of type ``hint`` that ``data`` encodes; DecodeError when it has another shape.
    ``values``: a literal may hold a setup's ``Value`` (a Python configuration's dictionary of
    Values: app/celery_cache.py); the index's facts never do, so there it is an error."""
    if not values:
        return _decoder(hint)(data, 0)
    _VALUES.append(True)
    try:
        return _decoder(hint)(data, 0)
    finally:
        _VALUES.pop()


_VALUES: list[bool] = []  # decoding where a literal may hold a Value (``decode(values=True)``)


Decoder = typing.Callable[[Any, int], Any]


@cache
def _decoder(hint: Any) -> Decoder:
    """A decoding function for one type, built once (the cache decodes thousands of facts)."""
    if _is_dataclass(hint):
        return _dataclass_decoder(hint)
    origin = typing.get_origin(hint)
    if origin in (tuple, frozenset, list):
        return _generated_value(hint)
    if origin is dict:
        return _dict_decoder(*typing.get_args(hint))
    if origin is typing.Literal:
        return _literal_choice_decoder(typing.get_args(hint))
    if origin in (typing.Union, types.UnionType):
        return _union_decoder(typing.get_args(hint))
    if hint is object:
        return _decode_literal
    if hint is type(None):
        return _decode_none
    if hint in (str, bool, int):
        return _scalar_decoder(hint)
    raise DecodeError(f"cannot decode {hint}")


def _dataclass_decoder(cls: type) -> Decoder:
    """A decoder for one dataclass: its fields' checks written out in one function
    (``_generated``), built on first use (a dataclass may refer to itself) unless ``prepare``
    built it."""
    built: list[Decoder] = []

    def decode_one(data: Any, depth: int) -> Any:
        if not built:
            built.append(_written(cls))
        return built[0](data, depth)

    return decode_one


_WRITTEN: dict[type, Decoder] = {}  # each dataclass's generated decoder, once written


def _written(cls: type) -> Decoder:
    found = _WRITTEN.get(cls)
    if found is None:
        found = _WRITTEN[cls] = _generated(cls)
    return found


def prepare(*hints: Any) -> None:
    """Write out the decoders of ``hints`` and of every type they hold, now rather than at a
    first decode. The resident server does (app/server.py ``preload``): a run forked from it
    then does not write the Celery or Sidekiq setup's decoders out again (about 2 ms a run)."""
    seen: set[Any] = set()

    def visit(hint: Any) -> None:
        if hint in seen:
            return
        seen.add(hint)
        _decoder(hint)
        if _is_dataclass(hint):
            _written(hint)
            hints = _hints(hint)
            for field in _fields(hint):
                visit(hints[field.name])
        elif typing.get_origin(hint) is not typing.Literal:  # a Literal's arguments are values
            for arg in typing.get_args(hint):
                if arg is not Ellipsis:
                    visit(arg)

    for hint in hints:
        visit(hint)


_SCALARS = (str, bool, int)


def _generated(cls: type) -> Decoder:
    """The decoding function of a dataclass as Python source made from its type hints (never
    from the data): each field's value checked as its own decoder would check it, a scalar, an
    optional value or a sequence of scalars inline and anything else by its decoder, so that a
    cache of thousands of facts does not pay a call per field (tests/test_codec.py compares it
    with the decoders it stands for)."""
    hints = _hints(cls)
    names = tuple(f.name for f in _fields(cls))
    scope: dict[str, Any] = {
        "DecodeError": DecodeError,
        "MAX_DEPTH": MAX_DEPTH,
        "cls": cls,
        "new": object.__new__,
        "tuple": tuple,
        "frozenset": frozenset,
        "list": list,
        "isinstance": isinstance,
        "type": type,
        "dict": dict,
    }
    lines = [
        "def decode_one(data, depth):",
        "    if depth > MAX_DEPTH:",
        "        raise DecodeError('nested too deeply')",
        "    if not isinstance(data, list):",
        f"        raise DecodeError({cls.__name__ + ': expected a list of its fields'!r})",
        f"    if len(data) != {len(names)}:",
        f"        raise DecodeError({cls.__name__ + ': fields differ'!r})",
        "    inner = depth + 1",
    ]
    if names:
        lines.append(f"    {''.join(f'v{number}, ' for number in range(len(names)))}= data")
    counter = iter(range(1_000_000))
    for number, name in enumerate(names):
        _inline(hints[name], f"v{number}", "inner", scope, lines, "    ", counter)
    values = ", ".join(f"{name!r}: v{number}" for number, name in enumerate(names))
    if _plain_init(cls):
        # What the generated __init__ would do (it only assigns each field), without its
        # one object.__setattr__ call per field of a frozen dataclass.
        lines += [
            "    made = new(cls)",
            f"    made.__dict__.update({{{values}}})",
            "    return made",
        ]
    else:
        lines.append(f"    return cls(**{{{values}}})")
    exec("\n".join(lines), scope)  # source made from the dataclass's own hints, never data
    decoder: Decoder = scope["decode_one"]
    return decoder


def _generated_value(hint: Any) -> Decoder:
    """The decoding function of a tuple, list or frozenset type, written out (``_inline``),
    without a call per item."""
    scope: dict[str, Any] = {"DecodeError": DecodeError, "MAX_DEPTH": MAX_DEPTH}
    lines = ["def decode_value(data, depth):"]
    _inline(hint, "data", "depth", scope, lines, "    ", iter(range(1_000_000)))
    lines.append("    return data")
    exec("\n".join(lines), scope)  # source made from the type hint, never from data
    decoder: Decoder = scope["decode_value"]
    return decoder


def _inline(
    hint: Any,
    var: str,
    depth: str,
    scope: dict[str, Any],
    lines: list[str],
    indent: str,
    counter: typing.Iterator[int],
) -> None:
    """Statements (at ``indent``) that replace ``var``'s data by the value of type ``hint`` it
    encodes, raising DecodeError where ``hint``'s decoder would, at the depth it would be called
    at (``depth``, an expression): a scalar, an optional value, a tuple, a list or a frozenset
    written out, anything else (a dataclass, a dictionary, a literal) by its decoder."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    number = next(counter)
    add = lines.append
    if hint in _SCALARS:
        scope[f"t{number}"] = hint
        add(f"{indent}if type({var}) is not t{number}:")
        add(f"{indent}    raise DecodeError({'expected ' + hint.__name__!r})")
        return
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        # ``X | None`` (either order): null is None whatever X's decoder makes of it (the one
        # that accepts null, ``object``, gives None), the rest is X's, one level deeper.
        (arm,) = [a for a in args if a is not type(None)]
        add(f"{indent}if {var} is not None:")
        _inline(arm, var, f"{depth} + 1", scope, lines, indent + "    ", counter)
        return
    fixed = origin is tuple and not (len(args) == 2 and args[1] is Ellipsis)
    if fixed:
        add(f"{indent}if not isinstance({var}, list):")
        add(f"{indent}    raise DecodeError('expected a list')")
        add(f"{indent}if len({var}) != {len(args)}:")
        add(f"{indent}    raise DecodeError('tuple of the wrong length')")
        items = [f"i{number}_{place}" for place in range(len(args))]
        if items:
            add(f"{indent}{', '.join(items)}, = {var}")
        for item, arg in zip(items, args, strict=True):
            _inline(arg, item, f"{depth} + 1", scope, lines, indent, counter)
        add(f"{indent}{var} = ({', '.join(items)}{',' if items else ''})")
        return
    if origin in (tuple, frozenset, list):
        scope[f"b{number}"] = {frozenset: frozenset, list: list}.get(origin, tuple)
        add(f"{indent}if not isinstance({var}, list):")
        add(f"{indent}    raise DecodeError('expected a list')")
        if args[0] in _SCALARS:  # checked in place, then built from the list itself
            scope[f"t{number}"] = args[0]
            add(f"{indent}for i{number} in {var}:")
            add(f"{indent}    if type(i{number}) is not t{number}:")
            add(f"{indent}        raise DecodeError({'expected ' + args[0].__name__!r})")
            add(f"{indent}{var} = b{number}({var})")
            return
        add(f"{indent}f{number} = []")
        add(f"{indent}for i{number} in {var}:")
        _inline(args[0], f"i{number}", f"{depth} + 1", scope, lines, indent + "    ", counter)
        add(f"{indent}    f{number}.append(i{number})")
        add(f"{indent}{var} = b{number}(f{number})")
        return
    scope[f"d{number}"] = _decoder(hint)
    if hint is object:  # a literal: a JSON scalar stands for itself (``_decode_literal``)
        scope[f"p{number}"] = _PLAIN
        add(f"{indent}if type({var}) not in p{number} or {depth} > MAX_DEPTH:")
        add(f"{indent}    {var} = d{number}({var}, {depth})")
        return
    add(f"{indent}{var} = d{number}({var}, {depth})")


def _plain_init(cls: type) -> bool:
    """Whether ``cls(**values)`` only stores each field's value: the dataclass's own generated
    __init__, every field an init field, no __post_init__, no slots, no custom __new__."""
    return (
        records.generated_init(cls)
        and not hasattr(cls, "__post_init__")
        and "__slots__" not in cls.__dict__
        and cls.__new__ is object.__new__
        and all(f.init for f in _fields(cls))
        and hasattr(cls, "__dict__")
    )


def _dict_decoder(key_hint: Any, item_hint: Any) -> Decoder:
    """A ``dict[K, V]``: a list of [key, value] pairs (encode's order kept)."""
    key, item = _decoder(key_hint), _decoder(item_hint)

    def mapping(data: Any, depth: int) -> Any:
        if not isinstance(data, list):
            raise DecodeError("expected a list of pairs")
        inner = depth + 1
        found = {}
        for pair in data:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise DecodeError("expected a [key, value] pair")
            found[key(pair[0], inner)] = item(pair[1], inner)
        return found

    return mapping


def _literal_choice_decoder(choices: tuple[Any, ...]) -> Decoder:
    """A ``Literal[...]``: one of its values, of the same type."""

    def choice(data: Any, depth: int) -> Any:
        if not any(type(data) is type(c) and data == c for c in choices):
            raise DecodeError(f"expected one of {choices}")
        return data

    return choice


def _union_decoder(arms: tuple[Any, ...]) -> Decoder:
    if any(_is_dataclass(a) for a in arms) and sum(not _scalar_like(a) for a in arms) > 1:
        raise TypeError(f"a union of a dataclass and another list-encoded type: {arms}")
    decoders = [(_may_accept(a), _decoder(a)) for a in arms]

    def union(data: Any, depth: int) -> Any:
        for may_accept, arm in decoders:
            if not may_accept(data):  # the arm would reject it at its first test
                continue
            try:
                return arm(data, depth + 1)
            except DecodeError:
                continue
        raise DecodeError(f"matches no arm of {arms}")

    return union


def _is_dataclass(hint: Any) -> bool:
    return dataclasses.is_dataclass(hint) and isinstance(hint, type)


def _scalar_like(hint: Any) -> bool:
    """Whether ``hint``'s data is never a JSON list (a dataclass, a sequence, a dictionary and a
    literal may be one)."""
    return hint in (*_SCALARS, type(None)) or typing.get_origin(hint) is typing.Literal


def _may_accept(hint: Any) -> typing.Callable[[Any], bool]:
    """A test that every value the decoder of ``hint`` accepts passes (so an arm of a union
    that fails it is skipped without trying it); true for what it cannot tell cheaply."""
    if _is_dataclass(hint):
        count = len(_fields(hint))
        return lambda data: isinstance(data, list) and len(data) == count
    if typing.get_origin(hint) in (tuple, frozenset, list, dict):
        return lambda data: isinstance(data, list)
    if hint is type(None):
        return lambda data: data is None
    if hint in (str, bool, int):
        return lambda data: type(data) is hint
    return lambda data: True


def _decode_none(data: Any, depth: int) -> None:
    if data is not None:
        raise DecodeError("expected null")


def _scalar_decoder(kind: type) -> Decoder:
    def scalar(data: Any, depth: int) -> Any:
        if type(data) is not kind:
            raise DecodeError(f"expected {kind.__name__}")
        return data

    return scalar


# Literal values: JSON scalars stand for themselves (except floats, whose infinities JSON lacks);
# everything else is a one-key object naming its kind.
def _encode_literal(value: Any) -> Any:
    if value is NOT_LITERAL:
        return {"unknown": True}
    if value is MUTABLE_COLLECTION:
        return {"mutable-collection": True}
    if isinstance(value, Symbol):
        return {"symbol": str(value)}
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, tuple):
        return {"tuple": [_encode_literal(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[_encode_literal(k), _encode_literal(v)] for k, v in value.items()]}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Value):
        return {"value": encode(value, Value)}
    raise TypeError(f"not a literal value: {type(value).__name__}")


# The JSON scalars a literal decodes to unchanged (``_decode_literal``'s first test, for the
# exact types JSON gives: anything else goes through it).
_PLAIN = frozenset({str, int, bool, type(None)})


def _decode_literal(data: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise DecodeError("nested too deeply")
    if data is None or isinstance(data, (bool, int, str)):
        return data
    if isinstance(data, dict) and len(data) == 1:
        ((kind, payload),) = data.items()
        if kind == "unknown" and payload is True:
            return NOT_LITERAL
        if kind == "mutable-collection" and payload is True:
            return MUTABLE_COLLECTION
        if kind == "symbol" and isinstance(payload, str):
            return Symbol(payload)
        if kind == "float" and isinstance(payload, str):
            try:
                number = float(payload)
            except ValueError:
                raise DecodeError("bad float") from None
            if math.isnan(number):
                raise DecodeError("bad float")
            return number
        if kind == "tuple" and isinstance(payload, list):
            inner = depth + 1
            if inner > MAX_DEPTH and payload:  # what its first item's decoding would say
                raise DecodeError("nested too deeply")
            return tuple([v if type(v) in _PLAIN else _decode_literal(v, inner) for v in payload])
        if kind == "value" and _VALUES:
            return _decoder(Value)(payload, depth + 1)
        if kind == "dict" and isinstance(payload, list):
            pairs = [p for p in payload if isinstance(p, list) and len(p) == 2]
            if len(pairs) != len(payload):
                raise DecodeError("a dict literal is a list of pairs")
            decoded = {}
            for key, value in pairs:
                key = _decode_literal(key, depth + 1)
                if isinstance(key, dict):
                    raise DecodeError("a dict literal's key is a dict")
                decoded[key] = _decode_literal(value, depth + 1)
            return decoded
    raise DecodeError("not a literal value")


@cache
def _fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    return dataclasses.fields(cls)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def shape(cls: type) -> list[Any]:
    """A description of a dataclass's fields and types, nested: a change to it drops the cache."""
    seen: set[type] = set()

    def describe(hint: Any) -> Any:
        if _is_dataclass(hint):
            if hint in seen:
                return hint.__name__
            seen.add(hint)
            hints = _hints(hint)
            return [hint.__name__, [[f.name, describe(hints[f.name])] for f in _fields(hint)]]
        args = typing.get_args(hint)
        if args:
            origin = typing.get_origin(hint)
            name = getattr(origin, "__name__", str(origin))
            return [name, [describe(a) for a in args]]
        return getattr(hint, "__name__", str(hint))

    return describe(cls)
