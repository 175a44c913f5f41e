"""The facts encoder, built once per type hint: what it gives where the value's own type says
more than the hint (a dataclass by its own fields, a union's first matching arm)."""

from __future__ import annotations

import dataclasses

import pytest

from workerlint.project import codec


@dataclasses.dataclass(frozen=True)
class _Point:
    x: int
    label: str | None


@dataclasses.dataclass(frozen=True)
class _Named(_Point):
    name: str = ""


@dataclasses.dataclass(frozen=True)
class _Holder:
    point: _Point
    anything: object
    either: int | str | tuple[str, ...] | None
    tags: frozenset[str]
    pair: tuple[str, int]


def test_encode_follows_the_value_where_its_hint_does_not_say_all():
    """The encoders built once per type hint give what the type hints and the value say: a
    dataclass by its own type's fields (a subclass under its base's hint, one in an ``object``
    field), a union's first arm the value is an instance of (a bool is an int), a frozenset
    sorted, a fixed tuple of exactly its length."""
    holder = _Holder(
        point=_Named(1, None, "n"),
        anything=_Point(2, "p"),
        either=True,
        tags=frozenset({"b", "a", "c"}),
        pair=("x", 3),
    )
    assert codec.encode(holder, _Holder) == [  # a dataclass: its fields' values in order
        [1, None, "n"],  # point
        [2, "p"],  # anything
        True,  # either
        ["a", "b", "c"],  # tags
        ["x", 3],  # pair
    ]
    assert codec.encode(("a", "b"), int | str | tuple[str, ...] | None) == ["a", "b"]
    assert codec.encode((1.5, "s"), object) == {"tuple": [{"float": "1.5"}, "s"]}
    assert codec.encode(_Point(3, None), object) == [3, None]
    with pytest.raises(ValueError):
        codec.encode(dataclasses.replace(holder, pair=("x", 3, 4)), _Holder)
    with pytest.raises(TypeError):
        codec.encode(frozenset({1}), object)  # not a literal value
