"""The facts codec: decoding gives back exactly what was encoded (the same types at every level),
and the shortcuts it takes (building a plain dataclass without its __init__, skipping union
arms that cannot match, scalar sequences) agree with the long way."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from conftest import FIXTURES, SAMPLE_APP

from workerlint.lang.python.model import ModuleFacts
from workerlint.lang.ruby.model import FileFacts
from workerlint.project import codec
from workerlint.project.index import build_index


def _same(a: Any, b: Any, where: str = "") -> None:
    """``a`` and ``b`` equal and of the same type, field by field and item by item."""
    assert type(a) is type(b), where
    if dataclasses.is_dataclass(a):
        if hasattr(a, "__dict__"):  # nothing stored beyond the fields
            assert vars(a).keys() == vars(b).keys(), where
        for field in dataclasses.fields(a):
            _same(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
    elif isinstance(a, tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


def _reference(value: Any) -> Any:
    """A fresh copy of ``value`` built the long way: every dataclass through its __init__."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kwargs = {f.name: _reference(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return type(value)(**kwargs)
    if isinstance(value, tuple):
        return tuple(_reference(v) for v in value)
    if isinstance(value, frozenset):
        return frozenset(_reference(v) for v in value)
    return value


@pytest.mark.parametrize("app", [SAMPLE_APP, FIXTURES / "python_app"])
def test_decoded_facts_are_what_the_constructors_build(app):
    index = build_index(app, use_cache=False)
    facts = [*index.ruby.files.values(), *index.python.files.values()]
    assert facts
    for fact in facts:
        hint = FileFacts if isinstance(fact, FileFacts) else ModuleFacts
        back = codec.decode(json.loads(json.dumps(codec.encode(fact, hint))), hint)
        _same(back, fact, fact.path)
        _same(back, _reference(fact), fact.path)


@dataclasses.dataclass(frozen=True)
class _Normalised:
    names: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(sorted(self.names)))


@dataclasses.dataclass(frozen=True, slots=True)
class _Slotted:
    name: str
    count: int


@dataclasses.dataclass(frozen=True)
class _Plain:
    name: str
    inner: _Slotted | None
    tags: frozenset[str]
    pairs: tuple[tuple[str, int], ...]


def test_a_dataclass_with_post_init_or_slots_is_built_through_its_init():
    assert codec.decode({"names": ["b", "a"]}, _Normalised) == _Normalised(("a", "b"))
    assert codec.decode({"names": ["b", "a"]}, _Normalised).names == ("a", "b")
    assert codec.decode({"name": "x", "count": 2}, _Slotted) == _Slotted("x", 2)
    assert not codec._plain_init(_Normalised) and not codec._plain_init(_Slotted)
    assert codec._plain_init(_Plain)


def test_shortcuts_reject_what_the_long_way_rejects():
    good = {"name": "n", "inner": {"name": "x", "count": 1}, "tags": ["b", "a"], "pairs": []}
    _same(codec.decode(good, _Plain), _Plain("n", _Slotted("x", 1), frozenset({"a", "b"}), ()))
    _same(
        codec.decode({**good, "inner": None}, _Plain), _Plain("n", None, frozenset({"a", "b"}), ())
    )
    bad = [
        {**good, "inner": {"name": "x"}},  # a union arm's fields differ: no arm matches
        {**good, "inner": ["x", 1]},
        {**good, "inner": {"name": "x", "count": "1"}},
        {**good, "tags": ["a", 1]},  # a scalar sequence with an item of another type
        {**good, "tags": [True]},
        {**good, "pairs": [["a"]]},
        {**good, "pairs": [["a", "1"]]},
        {**good, "pairs": {}},
        {**good, "extra": 1},
    ]
    for data in bad:
        with pytest.raises(codec.DecodeError):
            codec.decode(data, _Plain)
    assert (
        codec.decode([], tuple[str, ...]) == () and codec.decode([], frozenset[str]) == frozenset()
    )
    assert type(codec.decode([], frozenset[str])) is frozenset


def test_lists_dicts_and_literal_choices_round_trip_and_are_checked():
    """The setup cache's dataclasses (RubyConfig: lists, dicts of Values, a Literal status)."""
    from workerlint.formats.values import Capsule, QueueEntry, Source, Value
    from workerlint.project.frameworks.sidekiq.sidekiq_ruby import RubyConfig

    value = Value(25, "default", Source("config/sidekiq.rb", 3, 5, 1, 4), ("MAX",), "", True)
    config = RubyConfig(
        concurrency=value,
        queues=(QueueEntry("mailers", 2, None, ""),),
        capsules=[Capsule("single", value, None, Source("config/x.rb", 0, 1, 1, 1), "o", "")],
        default_job_options=[("retry", value)],
        active_job_adapter={"production": value},
    )
    data = json.loads(json.dumps(codec.encode(config, RubyConfig)))
    assert codec.decode(data, RubyConfig) == config
    assert data["active_job_adapter"][0][0] == "production"  # a dict is a list of pairs
    bad_status = json.loads(json.dumps(data).replace('"default"', '"maybe"'))
    with pytest.raises(codec.DecodeError):
        codec.decode(bad_status, RubyConfig)
    with pytest.raises(codec.DecodeError):
        codec.decode({**data, "capsules": {"single": []}}, RubyConfig)
    with pytest.raises(codec.DecodeError):
        codec.decode({**data, "active_job_adapter": [["production"]]}, RubyConfig)
