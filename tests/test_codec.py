"""The facts codec: decoding gives back exactly what was encoded (the same types at every level),
and the shortcuts it takes (building a plain dataclass without its __init__, skipping union
arms that cannot match, scalar sequences) agree with the long way."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from conftest import FIXTURES, SAMPLE_APP, field_at

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
    assert codec.decode([["b", "a"]], _Normalised) == _Normalised(("a", "b"))
    assert codec.decode([["b", "a"]], _Normalised).names == ("a", "b")
    assert codec.decode(["x", 2], _Slotted) == _Slotted("x", 2)
    assert not codec._plain_init(_Normalised) and not codec._plain_init(_Slotted)
    assert codec._plain_init(_Plain)


def test_shortcuts_reject_what_the_long_way_rejects():
    good = ["n", ["x", 1], ["b", "a"], []]  # name, inner, tags, pairs
    _same(codec.decode(good, _Plain), _Plain("n", _Slotted("x", 1), frozenset({"a", "b"}), ()))
    _same(codec.decode(["n", None, ["b", "a"], []], _Plain), _Plain("n", None, frozenset("ab"), ()))

    def with_field(name: str, value: Any) -> list[Any]:
        changed = list(good)
        changed[field_at(_Plain, name)] = value
        return changed

    bad = [
        with_field("inner", ["x"]),  # a union arm's fields differ: no arm matches
        with_field("inner", {"name": "x", "count": 1}),  # an object, not a list of fields
        with_field("inner", ["x", "1"]),
        with_field("tags", ["a", 1]),  # a scalar sequence with an item of another type
        with_field("tags", [True]),
        with_field("pairs", [["a"]]),
        with_field("pairs", [["a", "1"]]),
        with_field("pairs", {}),
        [*good, 1],  # a field too many
        good[:-1],
        {"name": "n", "inner": None, "tags": [], "pairs": []},
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
    adapter, capsules = field_at(RubyConfig, "active_job_adapter"), field_at(RubyConfig, "capsules")
    assert data[adapter][0][0] == "production"  # a dict is a list of pairs
    bad_status = json.loads(json.dumps(data).replace('"default"', '"maybe"'))
    with pytest.raises(codec.DecodeError):
        codec.decode(bad_status, RubyConfig)
    for place, value in ((capsules, {"single": []}), (adapter, [["production"]])):
        changed = list(data)
        changed[place] = value
        with pytest.raises(codec.DecodeError):
            codec.decode(changed, RubyConfig)


def _long_way(hint: Any) -> Any:
    """A decoder of ``hint`` that checks each level by its own call, as the codec's decoders did
    before they were written out as one function per type (codec.py ``_generated``): the
    reference that the generated ones must agree with."""
    import types
    import typing

    origin, args = typing.get_origin(hint), typing.get_args(hint)

    def decode(data: Any, depth: int) -> Any:
        if dataclasses.is_dataclass(hint):
            if depth > codec.MAX_DEPTH:
                raise codec.DecodeError("deep")
            names = [f.name for f in codec._fields(hint)]
            if not isinstance(data, list) or len(data) != len(names):
                raise codec.DecodeError("fields")
            hints = codec._hints(hint)
            values = {
                n: _long_way(hints[n])(v, depth + 1) for n, v in zip(names, data, strict=True)
            }
            return hint(**values)
        if origin in (typing.Union, types.UnionType):
            for arm in args:
                try:
                    return _long_way(arm)(data, depth + 1)
                except codec.DecodeError:
                    continue
            raise codec.DecodeError("union")
        if origin in (tuple, frozenset, list):
            if not isinstance(data, list):
                raise codec.DecodeError("list")
            if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
                if len(data) != len(args):
                    raise codec.DecodeError("length")
                return tuple(_long_way(a)(v, depth + 1) for a, v in zip(args, data, strict=True))
            build = {frozenset: frozenset, list: list}.get(origin, tuple)
            return build(_long_way(args[0])(v, depth + 1) for v in data)
        if hint in (str, bool, int):
            if type(data) is not hint:
                raise codec.DecodeError("scalar")
            return data
        if hint is type(None):
            if data is not None:
                raise codec.DecodeError("null")
            return None
        return codec._decoder(hint)(data, depth)  # literals, dictionaries: not written out

    return lambda data, depth=0: decode(data, depth)


def _mutations(data: Any) -> Any:
    """``data`` with one value somewhere replaced by one of another shape, each way in turn."""
    others: list[Any] = [None, 1, True, "x", [], ["x"], [1, 2], {}, {"symbol": "s"}]
    for other in others:
        if data != other or type(data) is not type(other):
            yield other
    if isinstance(data, list):
        if data:
            yield data[:-1]
        yield [*data, data[0] if data else 1]
        for i, item in enumerate(data):
            for changed in _mutations(item):
                yield [*data[:i], changed, *data[i + 1 :]]
    elif isinstance(data, dict):
        yield {k: v for k, v in list(data.items())[1:]}
        for key, value in data.items():
            for changed in _mutations(value):
                yield {**data, key: changed}


@pytest.mark.parametrize("app", [SAMPLE_APP, FIXTURES / "python_app"])
def test_generated_decoders_agree_with_the_long_way(app):
    """Every entry of an index, and every one-value change to it, decodes to the same value
    or is rejected both ways: the generated decoders keep every check."""
    from workerlint.project import index as index_module

    index = build_index(app, use_cache=False)
    files = {**index.ruby.files, **index.python.files}
    tried = 0
    for rel, facts in sorted(files.items())[:6]:
        hint = index_module._hint("python" if rel.endswith(".py") else "ruby")
        data = json.loads(json.dumps(codec.encode(((1, 2), "d", facts), hint)))
        _same(codec.decode(data, hint), _long_way(hint)(data))
        for changed in _mutations(data):
            tried += 1
            try:
                expected = _long_way(hint)(changed)
            except (codec.DecodeError, TypeError):
                expected = codec.DecodeError
            if expected is codec.DecodeError:
                with pytest.raises(codec.DecodeError):
                    codec.decode(changed, hint)
            else:
                _same(codec.decode(changed, hint), expected)
    assert tried > 1000


def test_a_union_a_list_could_not_tell_apart_is_refused():
    """A dataclass is a list of its fields (codec.py): beside another type encoded as a list,
    which arm a list is would depend on the data, so such a union has no decoder at all; beside
    None or scalars it decodes, and every type the caches store has one."""
    from workerlint.app.server import stored_types

    for union in (_Slotted | tuple[str, int], _Slotted | _Plain, _Slotted | object):
        with pytest.raises(TypeError):
            codec._decoder(union)
    assert codec.decode(["x", 1], _Slotted | str | None) == _Slotted("x", 1)
    assert codec.decode("x", _Slotted | str | None) == "x"
    import types
    import typing

    seen: set[Any] = set()
    unions = []

    def visit(hint: Any) -> None:
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            if hint not in seen:
                seen.add(hint)
                hints = codec._hints(hint)
                for field in codec._fields(hint):
                    visit(hints[field.name])
            return
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            unions.append(hint)
        for arg in typing.get_args(hint):
            visit(arg)

    for stored in stored_types():
        visit(stored)
    assert len(seen) > 30 and len(unions) > 30
    for union in unions:
        codec._decoder(union)  # raises for a union it would refuse


def test_prepare_writes_out_every_decoder_a_stored_type_needs(monkeypatch):
    """What the resident server prepares (app/server.py ``stored_types``) is decoded without
    writing a decoder out, nested types included; without it, the first decode writes them."""
    from workerlint.app.server import stored_types
    from workerlint.formats.values import QueueEntry, Source, Value
    from workerlint.project.frameworks.sidekiq.sidekiq_ruby import RubyConfig

    value = Value(25, "default", Source("config/sidekiq.rb", 3, 5, 1, 4), ("MAX",), "", True)
    config = RubyConfig(concurrency=value, queues=(QueueEntry("mailers", 2, None, ""),))
    data = json.loads(json.dumps(codec.encode(config, RubyConfig)))

    def fresh() -> None:
        codec._decoder.cache_clear()
        monkeypatch.setattr(codec, "_WRITTEN", {})

    def written_out(cls: type) -> Any:
        raise AssertionError(f"{cls.__name__}'s decoder written out at a decode")

    fresh()
    codec.prepare(*stored_types())
    with monkeypatch.context() as patched:
        patched.setattr(codec, "_generated", written_out)
        assert codec.decode(data, RubyConfig) == config
    fresh()
    with monkeypatch.context() as patched:
        patched.setattr(codec, "_generated", written_out)
        with pytest.raises(AssertionError):
            codec.decode(data, RubyConfig)
    fresh()


def test_a_literal_decodes_the_same_by_every_path_up_to_the_depth_limit():
    """A literal's JSON scalars stand for themselves, inline in a generated decoder and inside
    a tuple literal, without a call each (codec.py ``_PLAIN``): still refused past
    ``MAX_DEPTH`` exactly where a call per item refused them."""
    limit = codec.MAX_DEPTH
    nested: Any = ["x", 1]
    for _ in range(3):
        nested = {"tuple": [nested, True, None, {"unknown": True}]}
    values = [
        "s",
        7,
        False,
        None,
        {"tuple": []},
        {"tuple": ["a", 1, {"symbol": "b"}, {"float": "2.5"}]},
        {"dict": [["k", {"tuple": [1, 2]}]]},
        {"tuple": [{"tuple": ["x"]}]},
    ]
    for value in values:
        expected = codec._decode_literal(value, 0)
        assert codec.decode(value, object) == expected
        assert codec.decode([["name", value]], tuple[tuple[str, object], ...]) == (
            ("name", expected),
        )
    assert codec._decode_literal({"tuple": ["a", 1]}, 0) == ("a", 1)
    assert codec._decode_literal({"tuple": []}, limit) == ()
    assert codec._decode_literal({"tuple": ["a"]}, limit - 1) == ("a",)
    with pytest.raises(codec.DecodeError, match="nested too deeply"):
        codec._decode_literal({"tuple": ["a"]}, limit)  # its item would be at limit + 1
    with pytest.raises(codec.DecodeError, match="nested too deeply"):
        codec._decode_literal("a", limit + 1)
    with pytest.raises(codec.DecodeError):
        codec.decode(nested, object)  # ["x", 1] is not a literal: refused at any depth
    # A scalar past the limit in a generated decoder is refused, as the call refused it.
    deep: Any = "leaf"
    hint: Any = object
    for _ in range(limit):
        hint = tuple[hint]  # type: ignore[valid-type]
        deep = [deep]
    assert codec.decode(deep, hint) == codec._decoder(hint)(deep, 0)  # the leaf at the limit
    with pytest.raises(codec.DecodeError, match="nested too deeply"):
        codec.decode([deep], tuple[hint])  # one deeper
